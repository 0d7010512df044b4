"""Where the critical points lie: the index of critical points against their loss."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_int, check_positive, check_scalar, invalid
from ..optim import adam, sgd
from ._classify import analyze, kinds_and_indices, zero_tol
from ._critical_points import BOX_MARGIN, DUPLICATE_RADIUS, METHODS, _method, _Reporter, deduplicate
from ._hessian import check_bounds, check_surface, curvature_scale, hessians, window_length
from ._minres import newton_minres
from ._roots import ACCEPT_GRADIENT, ACCEPT_STEP, find_roots
from ._starts import descent_points, model_descent, origins


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
    degenerate : ndarray of bool, shape (n,)
        Points with a zero Hessian eigenvalue. A network has continuous
        families of such points (e.g. every hidden layer silent, any biases):
        the loss is constant on a connected family, so degenerate points of
        equal loss (to 1e-9 relative) are kept once, as one family.
    """

    positions: np.ndarray
    values: np.ndarray
    indices: np.ndarray
    index_fraction: np.ndarray
    kinds: np.ndarray
    dim: int
    starts: int
    degenerate: np.ndarray | None = None

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

    def summary(self) -> str:
        """What the points say about the lecture's claim (higher loss, more descent directions)."""
        n = len(self.values)
        if n < 4:
            return f"{n} critical points: too few to measure a trend"
        quarter = max(1, n // 4)
        low, high = slice(0, quarter), slice(n - quarter, n)
        families = ""
        if self.degenerate is not None:
            families = f"; {int(self.degenerate.sum())} degenerate, one per family"
        lines = [
            f"{n} critical points from {self.starts} starts (dim {self.dim}{families}); "
            f"Spearman correlation of loss and index: {self.correlation:.2f}",
            f"lowest quarter of the losses ({self.values[low].min():.4g} to {self.values[low].max():.4g}): "
            f"mean index fraction {self.index_fraction[low].mean():.3f}, "
            f"{np.mean(self.kinds[low] == 'minimum'):.0%} minima",
            f"highest quarter ({self.values[high].min():.4g} to {self.values[high].max():.4g}): "
            f"mean index fraction {self.index_fraction[high].mean():.3f}, "
            f"{np.mean(self.kinds[high] == 'minimum'):.0%} minima",
        ]
        trend = self.correlation
        if np.isfinite(trend):
            verdict = "supports" if trend > 0.3 else "does not support" if trend < 0.1 else "weakly supports"
            lines.append(f"this {verdict} the claim that higher loss comes with more descent directions")
        return "\n".join(lines)

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
    method="auto",
    progress=None,
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
    method : {"auto", "newton", "newton-minres"}
        The root search (see ``critical_points``). ``"auto"`` takes
        Newton-MINRES for data-set models (networks): their starts come from
        the model's initialization (``surface.init``) and the descents are
        Adam runs (``lr`` is then Adam's step, default 0.01, and
        ``descent_steps`` defaults to ``max(1000, 20 · dim)``); points are
        merged modulo the model's symmetries (``surface.canonical``).
    progress : callable, optional
        ``progress(text)`` with a status line after every Newton step.

    Returns
    -------
    IndexVsValue
        ``summary()`` states what the points show.

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
    seed = check_int("seed", seed, minimum=0)
    fraction = check_scalar("descent_fraction", descent_fraction, low=0.0, high=1.0)
    method = _method(surface, check_choice("method", method, METHODS))
    report = _Reporter(progress)
    matrix_free = method == "newton-minres"
    if descent_steps is None:
        descent_steps = model_descent(surface)[0] if matrix_free else max(100, 20 * surface.dim)
    descent_steps = check_int("descent_steps", descent_steps, minimum=1)
    tol = zero_tol(surface, tol)
    rng = np.random.default_rng(seed)
    dim = surface.dim
    scale = curvature_scale(surface, bounds, seed=seed)
    if lr is not None:
        lr = check_positive("lr", lr)
    optimizer = (adam(lr=lr or 0.01) if matrix_free else sgd(lr=lr or 1.0 / scale))

    descents = int(round(fraction * count))
    points = [origins(surface, bounds, count - descents, rng)]
    if descents:
        start_points = origins(surface, bounds, descents, rng)
        descended = descent_points(surface, start_points, steps=descent_steps, optimizer=optimizer, rng=rng)
        points.append(descended)
    starts_array = np.vstack(points)

    length = window_length(bounds)
    if matrix_free:

        def on_iteration(iteration, converged_count, active):
            report(f"index vs value: Newton step {iteration + 1}: {converged_count} of {count} converged")

        ends, converged, _, _ = newton_minres(
            surface, starts_array, gradient_tol=ACCEPT_GRADIENT * scale * length,
            step_tol=ACCEPT_STEP * length, on_iteration=on_iteration,
        )
    else:
        box = bounds + BOX_MARGIN * np.outer(bounds[:, 1] - bounds[:, 0], [-1.0, 1.0])
        ends, converged = find_roots(surface, starts_array, scale=scale, length=length, box=box, wander=False)
    ends = ends[converged]
    canonical = getattr(surface, "canonical", None)
    if callable(canonical) and len(ends):
        ends = canonical(ends)
    found = deduplicate(ends, DUPLICATE_RADIUS * length)
    if len(found) == 0:
        raise invalid("starts", count, "more starts: no critical point was found in the window")
    values = surface.value(found)
    order = np.argsort(values, kind="stable")
    found, values = found[order], values[order]
    if matrix_free:
        classified = analyze(surface, found, scale=scale, tol=tol, length=length)
        kinds = np.array([p.kind for p in classified])
        indices = np.array([p.index for p in classified])
        degenerate = np.array([bool(np.any(np.abs(p.eigenvalues) <= p.zero_tolerance)) for p in classified])
    else:
        eigenvalues = np.linalg.eigvalsh(hessians(surface, found, accurate=True))
        kinds, indices = kinds_and_indices(eigenvalues, np.full(len(found), tol * scale))
        degenerate = np.any(np.abs(eigenvalues) <= tol * scale, axis=-1)
    keep = _one_per_family(values, degenerate)
    found, values, kinds, indices, degenerate = (a[keep] for a in (found, values, kinds, indices, degenerate))
    return IndexVsValue(
        positions=found,
        values=values,
        indices=indices.astype(int),
        index_fraction=indices / dim,
        kinds=kinds,
        dim=dim,
        starts=count,
        degenerate=degenerate,
    )


def _one_per_family(values, degenerate) -> np.ndarray:
    """Indices that keep every nondegenerate point and one degenerate point per loss value."""
    keep = np.ones(len(values), dtype=bool)
    last = None
    for i in np.flatnonzero(degenerate):  # values are sorted
        if last is not None and abs(values[i] - last) <= 1e-9 * (1.0 + abs(last)):
            keep[i] = False
        else:
            last = values[i]
    return np.flatnonzero(keep)
