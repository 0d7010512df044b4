"""Where the critical points lie: the index of critical points against their loss."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._resources import check, critical_points_cost
from .._validation import check_int, check_positive, check_scalar, invalid
from ..optim import sgd
from ..tracing import trace
from ._classify import kinds_and_indices, zero_tol
from ._critical_points import BOX_MARGIN, DUPLICATE_RADIUS, deduplicate
from ._hessian import check_bounds, check_surface, curvature_scale, hessians, window_length
from ._roots import find_roots

RECORDS = 256  # positions kept per descent trajectory


@dataclass(frozen=True, eq=False, repr=False)
class IndexVsValue:
    """Critical points found by ``index_vs_value``, sorted by value.

    Attributes
    ----------
    positions : ndarray, shape (n, dim)
    values : ndarray, shape (n,)
    indices : ndarray of int, shape (n,)
        Number of negative Hessian eigenvalues.
    index_fraction : ndarray, shape (n,)
        ``indices / dim``: Dauphin et al.'s α.
    kinds : ndarray of str, shape (n,)
    dim : int
    starts : int
        Number of starts of the root search.
    """

    positions: np.ndarray
    values: np.ndarray
    indices: np.ndarray
    index_fraction: np.ndarray
    kinds: np.ndarray
    dim: int
    starts: int

    @property
    def correlation(self) -> float:
        """Spearman rank correlation between value and index (NaN with fewer than 3 points)."""
        from scipy.stats import spearmanr

        if len(self.values) < 3 or np.ptp(self.indices) == 0:
            return float("nan")
        return float(spearmanr(self.values, self.indices).statistic)

    def binned(self, bins=8):
        """Mean index fraction in value bins of equal count.

        Returns
        -------
        centers : ndarray, shape (b,)
            Mean value of each bin.
        mean : ndarray, shape (b,)
            Mean index fraction of each bin.
        stderr : ndarray, shape (b,)
            Its standard error.
        counts : ndarray of int, shape (b,)
        """
        bins = check_int("bins", bins, minimum=1)
        groups = [g for g in np.array_split(np.arange(len(self.values)), bins) if g.size]
        centers = np.array([self.values[g].mean() for g in groups])
        mean = np.array([self.index_fraction[g].mean() for g in groups])
        spread = [
            self.index_fraction[g].std(ddof=1) / np.sqrt(g.size) if g.size > 1 else np.nan for g in groups
        ]
        return centers, mean, np.array(spread), np.array([g.size for g in groups])

    def __repr__(self) -> str:
        minima = int(np.sum(self.kinds == "minimum"))
        return (
            f"IndexVsValue(dim={self.dim}, points={len(self.values)}, minima={minima}, "
            f"starts={self.starts}, correlation={self.correlation:.3g})"
        )


def index_vs_value(
    surface,
    *,
    starts=256,
    seed=0,
    bounds=None,
    descent_fraction=0.5,
    descent_steps=None,
    lr=None,
    tol=None,
) -> IndexVsValue:
    r"""Find many critical points of every index and record their loss: Dauphin et al.'s experiment.

    Parameters
    ----------
    surface : Surface or str
        Any surface with a Hessian (meant for ``random_field`` in 10 to 100
        dimensions).
    starts : int
        Number of starts of the root search, >= 1.
    seed : int
    bounds : array_like, shape (dim, 2), optional
        Window for starts and points (default ``surface.bounds``).
    descent_fraction : float
        Fraction of the starts taken along gradient-descent trajectories, in
        ``[0, 1]``; the rest are uniform in the window.
    descent_steps : int, optional
        Length of those trajectories (default ``20 · dim``, at least 100:
        higher dimensions need longer descents to reach the minima).
    lr : float, optional
        Their step (default ``1 / C``, ``C`` the curvature scale of
        ``classify``).
    tol : float, optional
        Relative zero tolerance for eigenvalues (see ``classify``).

    Returns
    -------
    IndexVsValue

    Notes
    -----
    Newton-type iterations on ``∇f = 0`` (as in ``critical_points``) converge
    to the critical point near their start, whatever its index. From uniform
    starts they find mostly saddles of high index and loss; minima are
    exponentially rare among critical points in high dimension, so, as
    Dauphin et al. did, part of the starts are taken along descent
    trajectories (each from a uniform point, stopped after a number of steps
    drawn log-uniformly from ``1 .. descent_steps``), which reach low-loss
    regions. Only steps that lower ``‖∇f‖`` are taken, so each start ends
    at a critical point near it (within the window widened by its width on
    every side). Only points with a tiny gradient are kept, merged when
    closer than ``1e-6 ℓ``, and their Hessian eigenvalues counted.

    On a random landscape the index fraction rises with the loss and the
    low-loss critical points are nearly all minima (Bray & Dean 2007;
    Dauphin et al. 2014): bad local minima are rare.

    References
    ----------
    .. [1] Y. Dauphin, R. Pascanu, C. Gulcehre, K. Cho, S. Ganguli and Y.
       Bengio, "Identifying and attacking the saddle point problem in
       high-dimensional non-convex optimization", NeurIPS 2014.
    .. [2] A. J. Bray and D. S. Dean, "Statistics of critical points of
       Gaussian fields on large-dimensional spaces", Phys. Rev. Lett. 98
       (2007) 150201.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("random_field", dim=10, seed=0)
    >>> r = ls.analysis.index_vs_value(s, starts=128)
    >>> r.correlation > 0.5
    True
    """
    surface = check_surface(surface)
    bounds = check_bounds(surface, bounds)
    count = check_int("starts", starts, minimum=1)
    memory, seconds = critical_points_cost(count, surface.dim)
    for cost in ({"memory": memory}, {"seconds": seconds}):
        what = f"a search from {count} starts, each with dense {surface.dim} x {surface.dim} Hessians"
        check("starts", starts, **cost, what=what, advice="fewer starts")
    seed = check_int("seed", seed, minimum=0)
    fraction = check_scalar("descent_fraction", descent_fraction, low=0.0, high=1.0)
    if descent_steps is None:
        descent_steps = max(100, 20 * surface.dim)
    descent_steps = check_int("descent_steps", descent_steps, minimum=1)
    tol = zero_tol(surface, tol)
    rng = np.random.default_rng(seed)
    dim, low, high = surface.dim, bounds[:, 0], bounds[:, 1]
    scale = curvature_scale(surface, bounds, seed=seed)
    lr = 1.0 / scale if lr is None else check_positive("lr", lr)

    descents = int(round(fraction * count))
    uniform = low + (high - low) * rng.random((count - descents, dim))
    points = [uniform]
    if descents:
        origins = low + (high - low) * rng.random((descents, dim))
        every = -(-descent_steps // RECORDS)  # bounded memory: about RECORDS positions per descent
        path = trace(surface, sgd(lr=lr), origins, steps=descent_steps, record_every=every)
        stops = np.exp(rng.uniform(0.0, np.log(descent_steps + 1), descents))
        rows = np.searchsorted(path.steps, stops).clip(max=len(path.steps) - 1)
        points.append(path.positions[rows, np.arange(descents)])
    starts_array = np.vstack(points)

    length = window_length(bounds)
    box = bounds + BOX_MARGIN * np.outer(high - low, [-1.0, 1.0])
    ends, converged = find_roots(surface, starts_array, scale=scale, length=length, box=box, wander=False)
    found = deduplicate(ends[converged], DUPLICATE_RADIUS * length)
    if len(found) == 0:
        raise invalid("starts", count, "more starts: no critical point was found in the window")
    values = surface.value(found)
    order = np.argsort(values, kind="stable")
    found, values = found[order], values[order]
    eigenvalues = np.linalg.eigvalsh(hessians(surface, found, accurate=True))
    kinds, indices = kinds_and_indices(eigenvalues, np.full(len(found), tol * scale))
    return IndexVsValue(
        positions=found,
        values=values,
        indices=indices.astype(int),
        index_fraction=indices / dim,
        kinds=kinds,
        dim=dim,
        starts=count,
    )
