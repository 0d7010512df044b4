r"""Convergence theory on quadratics, and rates measured from trajectories.

On ``f(x) = ½ xᵀHx`` with eigenvalues in ``[μ, L]``, every method below acts
on each eigen-direction separately, so the whole theory is that of one
eigenvalue ``λ``:

* gradient descent ``x ← x − α∇f``: error factor ``1 − αλ`` per step;
* heavy-ball momentum (Polyak), written as the package's
  ``momentum(style="heavy_ball")``: ``v ← βv + ∇f``, ``x ← x − αv``, i.e.
  ``x_{t+1} = x_t − αλx_t + β(x_t − x_{t−1})``, whose per-step factors are
  the roots of ``z² − (1 + β − αλ) z + β = 0``.

The lecture's ``style="ewa"`` (``v ← βv + (1−β)∇f``, ``x ← x − αv``) follows
the same path as heavy ball with step ``α(1−β)``; every function taking
``style`` converts.

References
----------
.. [1] B. T. Polyak, Introduction to Optimization, Optimization Software,
   1987, ch. 3.2.
.. [2] G. Goh, "Why momentum really works", Distill, 2017.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_positive, check_scalar, invalid
from ..tracing import Trajectory

STYLES = ("heavy_ball", "ewa")


@dataclass(frozen=True)
class QuadraticRates:
    r"""Optimal step sizes and contraction rates on a quadratic with eigenvalues in ``[mu, L]``.

    Attributes
    ----------
    mu, L : float
    kappa : float
        Condition number ``L / μ``.
    gd_step : float
        ``2 / (μ + L)``: the step that minimizes GD's worst-case factor.
    gd_rate : float
        ``(κ − 1)/(κ + 1)``: GD's per-step contraction of the error at ``gd_step``.
    critical_step : float
        ``2 / L``: GD diverges along the steepest direction for larger steps.
    heavy_ball_step : float
        ``α* = 4 / (√L + √μ)²`` in the heavy-ball form ``v ← βv + ∇f, x ← x − αv``.
    heavy_ball_beta : float
        ``β* = ((√κ − 1)/(√κ + 1))²``.
    heavy_ball_rate : float
        ``(√κ − 1)/(√κ + 1) = √β*``: every eigen-direction then contracts by
        this factor per step (up to a factor linear in ``t`` at the two ends).
    heavy_ball_step_ewa : float
        The same optimum for ``style="ewa"``: ``α* / (1 − β*)``.
    """

    mu: float
    L: float
    kappa: float
    gd_step: float
    gd_rate: float
    critical_step: float
    heavy_ball_step: float
    heavy_ball_beta: float
    heavy_ball_rate: float
    heavy_ball_step_ewa: float

    def steps_to(self, reduction: float, method: str = "gd") -> int:
        """Steps for the error to shrink by ``reduction`` (e.g. ``1e-6``) at the optimal rate.

        ``method`` is ``"gd"`` or ``"heavy_ball"``.
        """
        reduction = check_scalar(
            "reduction", reduction, low=0.0, high=1.0, low_open=True, high_open=True
        )
        rate = {"gd": self.gd_rate, "heavy_ball": self.heavy_ball_rate}[
            check_choice("method", method, ("gd", "heavy_ball"))
        ]
        return 0 if rate == 0 else math.ceil(math.log(reduction) / math.log(rate))


def quadratic_rates(mu, L) -> QuadraticRates:
    r"""Optimal steps and rates of GD and heavy-ball momentum for eigenvalues in ``[mu, L]``.

    Parameters
    ----------
    mu, L : float
        Smallest and largest Hessian eigenvalue, ``0 < mu <= L``.

    Returns
    -------
    QuadraticRates

    Notes
    -----
    GD's factor along eigenvalue ``λ`` is ``|1 − αλ|``; the worst over
    ``[μ, L]`` is smallest when ``1 − αμ = αL − 1``, i.e. ``α = 2/(μ + L)``,
    giving ``(L − μ)/(L + μ) = (κ − 1)/(κ + 1)``. Heavy ball's factors are the
    roots of ``z² − (1 + β − αλ)z + β``; when they are complex their modulus
    is ``√β`` whatever ``λ``. Choosing ``α, β`` so that both ends of
    ``[μ, L]`` are critically damped, ``(1 ± √β)² = αλ``, gives Polyak's
    ``√β* = (√L − √μ)/(√L + √μ)`` and ``α* = 4/(√L + √μ)²``.

    Examples
    --------
    >>> import landscape as ls
    >>> r = ls.analysis.quadratic_rates(1.0, 100.0)
    >>> round(r.gd_rate, 4), round(r.heavy_ball_rate, 4), r.critical_step
    (0.9802, 0.8182, 0.02)
    """
    mu, L = check_positive("mu", mu), check_positive("L", L)
    if L < mu:
        raise invalid("L", L, f"a number >= mu={mu:g}")
    kappa = L / mu
    root = math.sqrt(kappa)
    rate = (root - 1.0) / (root + 1.0)
    step = 4.0 / (math.sqrt(L) + math.sqrt(mu)) ** 2
    return QuadraticRates(
        mu=mu,
        L=L,
        kappa=kappa,
        gd_step=2.0 / (mu + L),
        gd_rate=(kappa - 1.0) / (kappa + 1.0),
        critical_step=2.0 / L,
        heavy_ball_step=step,
        heavy_ball_beta=rate**2,
        heavy_ball_rate=rate,
        heavy_ball_step_ewa=step / (1.0 - rate**2),
    )


def critical_damping(alpha, eigenvalue, *, style="heavy_ball"):
    r"""The momentum ``β`` that critically damps the direction of eigenvalue ``λ`` at step ``α``.

    Parameters
    ----------
    alpha, eigenvalue : float or array_like
        Broadcast together; ``αλ > 0``.
    style : {"heavy_ball", "ewa"}
        The parametrization ``alpha`` belongs to (see the module notes).

    Returns
    -------
    float or ndarray
        Heavy ball: ``β = (1 − √(αλ))²`` (both regimes: ``αλ < 1`` and
        ``1 < αλ < 4``; NaN for ``αλ >= 4``, where no ``β < 1`` is stable).
        EWA: ``β = ((1 − αλ)/(1 + αλ))²``.

    Notes
    -----
    Critical damping is a double root of ``z² − (1 + β − αλ)z + β``:
    ``(1 + β − αλ)² = 4β``, i.e. ``αλ = (1 ∓ √β)²``. Smaller ``β``
    overdamps (slow monotone decay), larger ``β`` underdamps (oscillation
    with factor ``√β``). With ``style="ewa"`` the heavy-ball step is
    ``α(1 − β)``, and solving ``α(1 − β)λ = (1 ∓ √β)²`` gives
    ``√β = |1 − αλ| / (1 + αλ)``.

    Examples
    --------
    >>> import landscape as ls
    >>> ls.analysis.critical_damping(0.01, 25.0)  # (1 - 0.5)²
    0.25
    """
    style = check_choice("style", style, STYLES)
    a, lam = np.broadcast_arrays(
        np.asarray(alpha, dtype=float), np.asarray(eigenvalue, dtype=float)
    )
    product = a * lam
    if np.any(~(product > 0)):
        raise invalid("alpha", alpha, "steps with alpha * eigenvalue > 0")
    if style == "heavy_ball":
        beta = np.where(product < 4.0, (1.0 - np.sqrt(product)) ** 2, np.nan)
    else:
        beta = ((1.0 - product) / (1.0 + product)) ** 2
    return float(beta) if beta.ndim == 0 else beta


def _heavy_ball_step(alpha, beta, style):
    return alpha * (1.0 - beta) if style == "ewa" else alpha


def heavy_ball_stable(alpha, beta, eigenvalues, *, style="heavy_ball"):
    r"""Whether momentum with step ``α`` and ``β`` converges on a quadratic with these eigenvalues.

    Parameters
    ----------
    alpha, beta : float or array_like
        Broadcast together (e.g. a grid from ``numpy.meshgrid``).
    eigenvalues : array_like
        The Hessian's eigenvalues (only the smallest and largest matter).
    style : {"heavy_ball", "ewa"}
        ``"heavy_ball"``: ``v ← βv + ∇f, x ← x − αv`` (the package's
        ``momentum(style="heavy_ball")``, PyTorch's SGD momentum).
        ``"ewa"``: ``v ← βv + (1 − β)∇f, x ← x − αv`` (the lecture's form),
        checked as heavy ball with step ``α(1 − β)``.

    Returns
    -------
    bool or ndarray of bool
        Shape of ``broadcast(alpha, beta)``.

    Notes
    -----
    By the Jury criterion, both roots of ``z² − (1 + β − aλ)z + β`` lie in the
    unit disc iff ``|β| < 1``, ``aλ > 0`` and ``aλ < 2(1 + β)`` (``a`` the
    heavy-ball step). So a negative eigenvalue is never stable, and the
    boundary in the ``(α, β)`` plane is the line ``α = 2(1 + β)/L`` (heavy
    ball) or ``α = 2(1 + β)/((1 − β)L)`` (EWA): ``max_stable_step``.

    Examples
    --------
    >>> import landscape as ls
    >>> ls.analysis.heavy_ball_stable([0.02, 0.04], 0.5, [1.0, 100.0])  # limit 2(1 + β)/L = 0.03
    array([ True, False])
    """
    style = check_choice("style", style, STYLES)
    alpha, beta = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    lam = np.asarray(eigenvalues, dtype=float).ravel()
    if lam.size == 0 or not np.isfinite(lam).all():
        raise invalid("eigenvalues", eigenvalues, "a non-empty array of finite numbers")
    step = _heavy_ball_step(alpha, beta, style)
    low, high = lam.min(), lam.max()
    stable = (np.abs(beta) < 1.0) & (step * low > 0) & (step * high < 2.0 * (1.0 + beta))
    return bool(stable) if stable.ndim == 0 else stable


def max_stable_step(eigenvalue, beta=0.0, *, style="heavy_ball"):
    """The largest stable step for momentum ``beta`` and largest eigenvalue ``L``.

    ``2(1 + β)/L`` for heavy ball, ``2(1 + β)/((1 − β) L)`` for EWA momentum;
    ``beta = 0`` gives gradient descent's ``2/L``. The boundary to draw over a
    sweep heat map of ``(α, β)``.

    Examples
    --------
    >>> import landscape as ls
    >>> ls.analysis.max_stable_step(100.0), ls.analysis.max_stable_step(100.0, 0.9, style="ewa")
    (0.02, 0.38)
    """
    style = check_choice("style", style, STYLES)
    lam = np.asarray(eigenvalue, dtype=float)
    b = np.asarray(beta, dtype=float)
    limit = 2.0 * (1.0 + b) / lam
    if style == "ewa":
        limit = limit / (1.0 - b)
    return float(np.round(limit, 15)) if limit.ndim == 0 else limit


def momentum_rate(alpha, beta, eigenvalues, *, style="heavy_ball"):
    r"""Asymptotic per-step contraction factor of momentum on a quadratic (``beta = 0``: GD).

    Parameters
    ----------
    alpha, beta : float or array_like
        Broadcast together.
    eigenvalues : array_like
        The Hessian's eigenvalues.
    style : {"heavy_ball", "ewa"}

    Returns
    -------
    float or ndarray
        ``max_λ |z_max(λ)|``, the largest modulus of the roots of
        ``z² − (1 + β − aλ)z + β`` over the eigenvalues (``a`` the heavy-ball
        step); ``>= 1`` means no convergence. For ``β = 0`` it is GD's
        ``max_λ |1 − αλ|``.

    Examples
    --------
    >>> import landscape as ls
    >>> r = ls.analysis.quadratic_rates(1.0, 100.0)
    >>> rate = ls.analysis.momentum_rate(r.heavy_ball_step, r.heavy_ball_beta, [1.0, 50.0, 100.0])
    >>> round(float(rate), 4)
    0.8182
    """
    style = check_choice("style", style, STYLES)
    alpha, beta = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    lam = np.asarray(eigenvalues, dtype=float).ravel()
    step = _heavy_ball_step(alpha, beta, style)[..., None]
    b = beta[..., None]
    trace = 1.0 + b - step * lam
    disc = (trace**2 - 4.0 * b).astype(complex)
    roots = np.abs(np.stack([(trace + np.sqrt(disc)) / 2, (trace - np.sqrt(disc)) / 2]))
    rate = roots.max(axis=(0, -1))
    return float(rate) if rate.ndim == 0 else rate


def measured_rate(trajectory, minimum=None, *, skip=0.2) -> np.ndarray:
    r"""Per-step contraction rate of each particle, fitted from its distance to the minimum.

    Parameters
    ----------
    trajectory : Trajectory
        From ``landscape.trace``.
    minimum : array_like, shape (dim,) or (K, dim), optional
        The minimizer. Default: the known minimizer of the traced surface
        (rebuilt from ``trajectory.config``) nearest to each particle's
        final position.
    skip : float
        Fraction of the usable steps dropped at the start (the transient), in
        ``[0, 1)``.

    Returns
    -------
    ndarray, shape (K,)
        ``exp(slope)`` of a least-squares line through ``log ‖x_t − x*‖``
        against the step number ``t``; NaN for a particle with fewer than
        three usable records or that diverged.

    Notes
    -----
    A step is usable while the distance is above ``1e-12`` of its start
    (below, rounding dominates). The fit averages over oscillations, so for
    an underdamped method it measures the modulus ``√β`` of the complex
    factors.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("elongated_bowl", kappa=10)
    >>> traj = ls.trace(s, ls.optim.sgd(lr=2 / 11), s.default_start, steps=100)
    >>> round(float(ls.analysis.measured_rate(traj)[0]), 4)  # (κ − 1)/(κ + 1)
    0.8182
    """
    if not isinstance(trajectory, Trajectory):
        raise invalid("trajectory", trajectory, "a Trajectory from landscape.trace")
    skip = check_scalar("skip", skip, low=0.0, high=1.0, high_open=True)
    positions = np.asarray(trajectory.positions, dtype=float)  # (R, K, dim)
    target = _minimum(trajectory, minimum)  # (K, dim)
    distance = np.linalg.norm(positions - target[None], axis=-1)  # (R, K)
    steps = np.asarray(trajectory.steps, dtype=float)[:, None]  # (R, 1)
    rows = np.arange(len(steps))[:, None]
    usable = distance > 1e-12 * distance[:1]
    stop = np.where(
        usable.all(axis=0), len(steps), np.argmin(usable, axis=0)
    )  # first unusable record
    first = (skip * stop).astype(int)
    window = (rows >= first) & (rows < stop)  # (R, K): each particle's fitting window
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(window, np.log(distance), 0.0)
        n = window.sum(axis=0)
        t_sum, y_sum = (window * steps).sum(axis=0), logs.sum(axis=0)
        slope = (n * (window * steps * logs).sum(axis=0) - t_sum * y_sum) / (
            n * (window * steps**2).sum(axis=0) - t_sum**2
        )
    return np.where((n >= 3) & ~trajectory.diverged, np.exp(slope), np.nan)


def _minimum(trajectory, minimum) -> np.ndarray:
    k, dim = trajectory.particles, trajectory.dim
    if minimum is not None:
        target = np.asarray(minimum, dtype=float)
        if target.shape not in ((dim,), (k, dim)) or not np.isfinite(target).all():
            raise invalid("minimum", target, f"a finite point of shape ({dim},) or ({k}, {dim})")
        return np.broadcast_to(target, (k, dim))
    from ..surfaces import get

    spec = trajectory.config.get("surface") or {}
    try:
        surface = get(spec["name"], **spec.get("params", {}))
    except (KeyError, TypeError, ValueError):
        surface = None
    if surface is None or len(surface.minima) == 0:
        raise invalid("minimum", None, "the minimizer: the traced surface has no known minimum")
    final = trajectory.final_positions
    nearest = np.argmin(np.linalg.norm(final[:, None, :] - surface.minima[None], axis=-1), axis=1)
    return surface.minima[nearest]
