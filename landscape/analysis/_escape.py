"""How long an ensemble takes to leave a saddle or to cross a plateau."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_int, check_positive, invalid
from ..tracing import trace
from ._hessian import check_surface


@dataclass(frozen=True, eq=False, repr=False)
class EscapeTimes:
    """Steps each particle needed to leave a ball (the distribution, not just its mean).

    Attributes
    ----------
    steps : ndarray of int, shape (K,)
        First recorded step at which the particle was farther than ``radius``
        from ``center``; ``-1`` if it never was within the horizon.
    horizon : int
        Number of steps traced.
    radius : float
    center : ndarray, shape (dim,)
    resolution : int
        ``record_every`` of the trace: escape steps are multiples of it (the
        first record outside the ball), so they overestimate by less than it.
    """

    steps: np.ndarray
    horizon: int
    radius: float
    center: np.ndarray
    resolution: int

    @property
    def escaped(self) -> float:
        """Fraction of particles that escaped within the horizon."""
        return float(np.mean(self.steps >= 0))

    @property
    def particles(self) -> int:
        return self.steps.shape[0]

    def quantile(self, q):
        """Quantiles of the escape step over *all* particles (``inf`` where not yet escaped).

        Censored particles count as escaping after the horizon, so a median is
        finite as soon as half of the particles escaped.
        """
        times = np.where(self.steps >= 0, self.steps, np.inf).astype(float)
        return np.quantile(times, q, method="inverted_cdf")

    @property
    def median(self) -> float:
        """Median escape step (``inf`` if fewer than half escaped)."""
        return float(self.quantile(0.5))

    @property
    def mean_escaped(self) -> float:
        """Mean escape step of the particles that escaped (NaN if none did)."""
        done = self.steps[self.steps >= 0]
        return float(done.mean()) if done.size else float("nan")

    def survival(self, t) -> np.ndarray:
        """Fraction of particles still inside the ball after step(s) ``t``."""
        t = np.asarray(t)
        times = np.where(self.steps >= 0, self.steps, np.iinfo(np.int64).max)
        return np.mean(times[None, :] > np.ravel(t)[:, None], axis=1).reshape(t.shape)

    def __repr__(self) -> str:
        return (
            f"EscapeTimes(particles={self.particles}, escaped={self.escaped:.3g}, "
            f"median={self.median:.6g}, horizon={self.horizon}, radius={self.radius:g})"
        )


def escape_time(
    surface,
    optimizer,
    start,
    radius,
    *,
    steps,
    particles=None,
    noise=None,
    seed=0,
    center=None,
    record_every=1,
) -> EscapeTimes:
    r"""Steps for each particle of an ensemble to leave the ball ``‖x − center‖ <= radius``.

    Parameters
    ----------
    surface : Surface or str
    optimizer : GradientTransformation
        E.g. ``landscape.optim.adam(lr=0.01)``.
    start : array_like, shape (dim,) or (K, dim)
        Starting point(s), as ``x0`` of ``landscape.trace``. Starting exactly
        on a saddle, a particle leaves only through noise.
    radius : float
        Radius of the neighbourhood, > 0.
    steps : int
        Horizon (number of steps traced).
    particles : int, optional
        Ensemble size when ``start`` is one point.
    noise : GaussianNoise or MinibatchNoise, optional
        Gradient noise (see ``landscape.noise``).
    seed : int
    center : array_like, shape (dim,), optional
        Centre of the ball (default: ``start``, or the mean of the starts).
    record_every : int
        Check the distance every this many steps (memory is
        ``O(steps / record_every · K · dim)``).

    Returns
    -------
    EscapeTimes

    Notes
    -----
    Leaving a saddle: start at (or next to) the saddle, ``center`` the saddle,
    a small ``radius``. Crossing a plateau: start on the plateau with a radius
    equal to the distance to its edge (``plateau_cliff``: from
    ``(-3.5, 1.5)`` a radius of 3.5 is reached at the cliff). A particle that
    diverges has left the ball at its divergence step at the latest.

    Near a nondegenerate saddle with most negative eigenvalue ``−γ``, gradient
    descent with step ``α`` amplifies the escape component by ``1 + αγ`` per
    step, so from an offset ``ε`` the escape takes about
    ``log(radius/ε) / log(1 + αγ)`` steps; noise of size ``σ`` sets
    ``ε ≈ ασ`` when starting on the saddle.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("saddle")
    >>> e = ls.analysis.escape_time(s, ls.optim.sgd(lr=0.1), [0.0, 0.0], 0.5, steps=60,
    ...                             particles=64, noise=ls.noise.gaussian(0.01))
    >>> e.escaped
    1.0
    """
    surface = check_surface(surface)
    radius = check_positive("radius", radius)
    horizon = check_int("steps", steps, minimum=1)
    record_every = check_int("record_every", record_every, minimum=1)
    trajectory = trace(
        surface,
        optimizer,
        start,
        steps=horizon,
        particles=particles,
        noise=noise,
        seed=seed,
        record_every=record_every,
    )
    if center is None:
        center = trajectory.positions[0].mean(axis=0)
    center = np.asarray(center, dtype=float)
    if center.shape != (surface.dim,) or not np.isfinite(center).all():
        raise invalid("center", center, f"a finite point of shape ({surface.dim},)")
    offsets = trajectory.positions - center  # (R, K, dim)
    outside = np.einsum("rkd,rkd->rk", offsets, offsets) > radius**2
    first = np.where(outside.any(axis=0), trajectory.steps[np.argmax(outside, axis=0)], -1)
    diverged = trajectory.diverged_step
    left = np.where((diverged >= 0) & ((first < 0) | (diverged < first)), diverged, first)
    return EscapeTimes(left.astype(np.int64), horizon, radius, center, record_every)
