"""Every critical point of a surface in a window: multistart root finding on ∇f."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from .. import _display
from .._validation import check_int, invalid
from ._classify import KINDS, analyze, zero_tol
from ._degree import degree_mismatch
from ._hessian import check_bounds, check_surface, curvature_scale, largest_curvature, window_length
from ._roots import find_roots

GRID_DIMENSIONS = 3  # a regular grid of starts up to this dimension
FIRST_ROUND = 512  # default starts of the first round up to GRID_DIMENSIONS
FIRST_ROUND_HIGH = 256  # ... and above
DEFAULT_BUDGET = 1 << 16  # default max_starts up to GRID_DIMENSIONS
CONFIRM_FACTOR = 4  # a confirming round has at least this many starts per point found
DUPLICATE_RADIUS = 1e-6  # points closer than this · length are one point
BOX_MARGIN = 1.0  # starts leaving the window widened by this fraction are dropped
_PLURAL = {
    "minimum": "minima",
    "maximum": "maxima",
    "saddle": "saddles",
    "degenerate": "degenerate",
}


class CriticalPoints(Sequence):
    """Classified critical points sorted by value, with the search's verdict.

    A sequence of ``CriticalPoint`` (``len``, iteration, indexing; a slice or
    a boolean mask gives a ``CriticalPoints``), plus stacked arrays.

    Attributes
    ----------
    positions : ndarray, shape (n, dim)
    values : ndarray, shape (n,)
    kinds : ndarray of str, shape (n,)
    indices : ndarray of int, shape (n,)
    complete : bool
        Whether the search believes it found every critical point: the last
        round of fresh starts found nothing new and, in 2-D, the points
        account for the winding number of ``∇f`` around the window.
    note : str
        Why the search was likely incomplete (empty when ``complete``).
    starts : int
        Number of starts used.
    bounds : ndarray, shape (dim, 2)
        The window searched.
    """

    def __init__(self, points, *, complete=True, note="", starts=0, bounds=None, dim=None):
        self._points = list(points)
        dim = dim if dim is not None else (self._points[0].dim if self._points else 0)
        self.dim = dim
        self.complete = bool(complete)
        self.note = note
        self.starts = starts
        self.bounds = bounds
        self.positions = np.array([p.position for p in self._points]).reshape(-1, dim)
        self.values = np.array([p.value for p in self._points], dtype=float)
        self.kinds = np.array([p.kind for p in self._points], dtype="<U10")
        self.indices = np.array([p.index for p in self._points], dtype=int)

    def __len__(self) -> int:
        return len(self._points)

    def __getitem__(self, item):
        if isinstance(item, (int, np.integer)):
            return self._points[item]
        chosen = np.arange(len(self))[item]
        return self._subset(np.atleast_1d(chosen))

    def _subset(self, chosen):
        return CriticalPoints(
            [self._points[i] for i in chosen],
            complete=self.complete,
            note=self.note,
            starts=self.starts,
            bounds=self.bounds,
            dim=self.dim,
        )

    def of_kind(self, kind: str) -> CriticalPoints:
        """The points of one kind (``"minimum"``, ``"maximum"``, ``"saddle"``, ``"degenerate"``)."""
        if kind not in KINDS:
            raise invalid("kind", kind, "one of " + ", ".join(repr(k) for k in KINDS))
        return self._subset(np.flatnonzero(self.kinds == kind))

    @property
    def counts(self) -> dict[str, int]:
        """Number of points of each kind."""
        return {kind: int(np.sum(self.kinds == kind)) for kind in KINDS}

    def to_records(self) -> list[dict]:
        """JSON-ready dicts (position, value, kind, index, eigenvalues), by value."""
        return [p.to_record() for p in self._points]

    def __repr__(self) -> str:
        parts = [f"{n} {_PLURAL[k] if n != 1 else k}" for k, n in self.counts.items() if n]
        verdict = "complete" if self.complete else "likely incomplete"
        return f"CriticalPoints({len(self)} points: {', '.join(parts) or 'none'}; {verdict})"

    def _repr_html_(self) -> str:
        return _display.critical_points_html(self)


def critical_points(
    surface, *, bounds=None, starts=None, seed=0, max_starts=None, tol=None
) -> CriticalPoints:
    r"""Find, deduplicate and classify every critical point in a window.

    Parameters
    ----------
    surface : Surface or str
        The surface (or a registered name with default parameters).
    bounds : array_like, shape (dim, 2), optional
        The window searched (default ``surface.bounds``).
    starts : int or array_like of shape (n, dim), optional
        Starts of the first round: a number (in up to three dimensions about
        half of them on a regular grid, the rest from a scrambled Sobol
        sequence) or the points themselves. Default: 512 in up to three
        dimensions, else 256 (in high dimension a catalogue is rarely
        complete; see ``index_vs_value`` for sampling critical points).
    seed : int
        Seed of the Sobol scrambling and of the curvature probe.
    max_starts : int, optional
        Budget of starts over all rounds (default: 65536 in up to three
        dimensions, else sixteen first rounds).
    tol : float, optional
        Relative zero tolerance for eigenvalues (see ``classify``).

    Returns
    -------
    CriticalPoints
        Sorted by value; ``complete`` and ``note`` say whether the search
        believes it found them all.

    Notes
    -----
    Each start runs a Levenberg-Marquardt iteration on ``∇f = 0`` with the
    Hessian as Jacobian; the Newton step is tried first, so each start is
    drawn to a nearby critical point of any kind, and converges to it
    quadratically (linearly for a degenerate one). All starts of a round run
    together as arrays. Ends with ``‖∇f‖ <= 1e-8 · C · ℓ`` (see ``classify``
    for the scales ``C`` and ``ℓ``) inside the window are merged when closer
    than ``1e-6 · ℓ``, and classified.

    Rounds of fresh Sobol starts follow until one finds nothing new; each has
    at least as many starts as the first and at least four per point found so
    far. The search is reported incomplete when the budget ran out before a
    round confirmed the catalogue, and, in 2-D, when the points do
    not account for the degree of ``∇f`` on the window's boundary: by the
    Poincaré-Hopf theorem its winding number equals the sum of the indices
    of the critical points inside (+1 for a nondegenerate minimum or maximum,
    −1 for a saddle, the local winding number for a degenerate point).

    Examples
    --------
    >>> import landscape as ls
    >>> cps = ls.analysis.critical_points(ls.surfaces.get("himmelblau"))
    >>> cps
    CriticalPoints(9 points: 4 minima, 1 maximum, 4 saddles; complete)
    >>> cps.counts["saddle"], round(cps[-1].value, 3)
    (4, 181.617)
    """
    from scipy.stats import qmc  # imported here: scipy.stats is slow to import

    surface = check_surface(surface)
    bounds = check_bounds(surface, bounds)
    seed = check_int("seed", seed, minimum=0)
    tol = zero_tol(surface, tol)
    dim = surface.dim
    sobol = qmc.Sobol(dim, scramble=True, seed=seed)
    first = _first_round(starts, bounds, sobol)
    if max_starts is None:
        max_starts = max(DEFAULT_BUDGET if dim <= GRID_DIMENSIONS else 0, 16 * len(first))
    max_starts = check_int("max_starts", max_starts, minimum=len(first))

    length = window_length(bounds)
    scale = curvature_scale(surface, bounds, seed=seed)
    width = bounds[:, 1] - bounds[:, 0]
    box = bounds + BOX_MARGIN * np.outer(width, [-1.0, 1.0])
    radius = DUPLICATE_RADIUS * length

    found = np.empty((0, dim))
    batch, used, notes = first, 0, []
    while True:
        ends, converged = find_roots(surface, batch, scale=scale, length=length, box=box)
        used += len(batch)
        ends = ends[converged & _inside(ends, bounds, 1e-9 * width)]
        before = len(found)
        found = deduplicate(np.vstack([found, ends]), radius)
        new = len(found) - before
        if new == 0 and used > len(first):
            break  # a confirming round found nothing new
        size = 1 << int(np.ceil(np.log2(max(len(first), CONFIRM_FACTOR * len(found)))))
        if used + size > max_starts:
            notes.append(
                f"the last round of {len(batch)} starts still found {new} new critical points "
                f"and max_starts={max_starts} leaves no room for a confirming round of {size}"
            )
            break
        batch = _sobol_points(sobol, size, bounds)

    scale = max(scale, largest_curvature(surface, found))
    points = analyze(surface, found, scale=scale, tol=tol) if len(found) else []
    points.sort(key=lambda p: (p.value, tuple(p.position)))
    if dim == 2:
        mismatch = degree_mismatch(surface, bounds, points, radius=radius)
        if mismatch:
            notes.append(mismatch)
    return CriticalPoints(
        points, complete=not notes, note="; ".join(notes), starts=used, bounds=bounds, dim=dim
    )


def _first_round(starts, bounds, sobol) -> np.ndarray:
    dim = bounds.shape[0]
    if starts is None:
        starts = FIRST_ROUND if dim <= GRID_DIMENSIONS else FIRST_ROUND_HIGH
    if isinstance(starts, (int, np.integer)) and not isinstance(starts, bool):
        count = check_int("starts", starts, minimum=1)
        grid = _grid(bounds, count // 2) if dim <= GRID_DIMENSIONS else np.empty((0, dim))
        return np.vstack([grid, _sobol_points(sobol, count - len(grid), bounds)])
    try:
        points = np.array(starts, dtype=float)
    except (TypeError, ValueError):
        raise invalid("starts", starts, f"an integer >= 1 or points of shape (n, {dim})") from None
    if points.ndim != 2 or points.shape[1] != dim or len(points) == 0 or not np.isfinite(points).all():
        raise invalid("starts", points, f"an integer >= 1 or finite points of shape (n, {dim})")
    return points


def _grid(bounds, count) -> np.ndarray:
    """About ``count`` points on a regular grid strictly inside the window (cell centres)."""
    dim = bounds.shape[0]
    per_axis = max(1, int(round(count ** (1.0 / dim))))
    axes = [low + (high - low) * (np.arange(per_axis) + 0.5) / per_axis for low, high in bounds]
    return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, dim)


def _sobol_points(sobol, count, bounds) -> np.ndarray:
    if count <= 0:
        return np.empty((0, bounds.shape[0]))
    with warnings.catch_warnings():  # balance is not needed, only coverage
        warnings.simplefilter("ignore", UserWarning)
        unit = sobol.random(count)
    return bounds[:, 0] + (bounds[:, 1] - bounds[:, 0]) * unit


def _inside(x, bounds, slack) -> np.ndarray:
    return np.all((x >= bounds[:, 0] - slack) & (x <= bounds[:, 1] + slack), axis=-1)


def deduplicate(points: np.ndarray, radius: float) -> np.ndarray:
    """The first point of each cluster of points closer than ``radius``, in order.

    Points found earlier keep their place, so the catalogue only grows.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    if len(points) == 0:
        return points
    cells = np.floor(points / radius)  # points sharing a cell are within radius · sqrt(dim)
    _, first = np.unique(cells, axis=0, return_index=True)
    points = points[np.sort(first)]
    pairs = cKDTree(points).query_pairs(radius, output_type="ndarray")
    n = len(points)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    _, representatives = np.unique(labels, return_index=True)  # first member of each cluster
    return points[np.sort(representatives)]
