"""Every critical point of a surface in a window: multistart root finding on ∇f."""

from __future__ import annotations

import dataclasses
import numbers
import time
import warnings
from collections.abc import Sequence

import numpy as np

from .. import _display
from .._resources import check, critical_points_cost
from .._text import counted
from .._validation import check_choice, check_int, invalid
from ..surfaces import FiniteSumSurface
from ._bound import critical_point_bound
from ._classify import KINDS, analyze, zero_tol
from ._degree import degree_mismatch
from ._hessian import check_bounds, check_surface, curvature_scale, largest_curvature, window_length
from ._minres import newton_minres
from ._roots import ACCEPT_GRADIENT, ACCEPT_STEP, find_roots
from ._starts import descent_points, model_descent, origins

SOBOL_DIMENSIONS = 21201  # scipy.stats.qmc.Sobol's limit
GRID_DIMENSIONS = 3  # a regular grid of starts up to this dimension
FIRST_ROUND = 512  # default starts of the first round up to GRID_DIMENSIONS
FIRST_ROUND_HIGH = 256  # ... and above
DEFAULT_BUDGET = 1 << 16  # default max_starts up to GRID_DIMENSIONS
CONFIRM_FACTOR = 4  # a confirming round has at least this many starts per point found
DUPLICATE_RADIUS = 1e-6  # points closer than this · length are one point
BOX_MARGIN = 1.0  # starts leaving the window widened by this fraction are dropped
METHODS = ("auto", "newton", "newton-minres")
DENSE_SEARCH_LIMIT = 64  # "auto" forms Hessians for the search up to this dimension (not for models)
MINRES_FIRST_ROUND = 128  # default starts of a matrix-free search's first round
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
        Whether the catalogue is proven complete: a bound on the number of
        isolated critical points (Bézout's for a polynomial, one for a
        strictly convex cost; see ``_bound``) equals the number of
        nondegenerate points found. Nothing else proves it: a search from
        starts can only fail to find more.
    note : str
        Empty when ``complete``; otherwise how the evidence stands: the
        distinct points found over the starts, how many the last half of the
        starts added, and any proof that points are missing.
    starts : int
        Number of starts used.
    new_in_last_half : int
        Distinct points first found by the last half of the starts (in the
        order they were used): 0 is the best evidence short of a proof.
    bound : int or None
        The bound on isolated critical points, when one is known.
    bounds : ndarray, shape (dim, 2)
        The window searched.
    """

    def __init__(
        self, points, *, complete=True, note="", starts=0, bounds=None, dim=None, new_in_last_half=0,
        bound=None, incomplete=False,
    ):
        self._points = list(points)
        dim = dim if dim is not None else (self._points[0].dim if self._points else 0)
        self.dim = dim
        self.complete = bool(complete)
        self.note = note
        self.starts = starts
        self.new_in_last_half = int(new_in_last_half)
        self.bound = bound
        self._incomplete = bool(incomplete)
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
            new_in_last_half=self.new_in_last_half,
            bound=self.bound,
            incomplete=self._incomplete,
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
        if self.complete:
            verdict = "complete"
        elif self._incomplete:
            verdict = "likely incomplete"
        else:
            verdict = f"not proven complete: {self.starts} starts, none new in the last half"
        return f"CriticalPoints({counted(len(self), 'point')}: {', '.join(parts) or 'none'}; {verdict})"

    def _repr_html_(self) -> str:
        return _display.critical_points_html(self)


def critical_points(
    surface, *, bounds=None, starts=None, seed=0, max_starts=None, tol=None, method="auto", progress=None
) -> CriticalPoints:
    r"""Find, deduplicate and classify the critical points in a window, and say how sure that is.

    Parameters
    ----------
    surface : Surface or str
        The surface (or a registered name with default parameters).
    bounds : array_like, shape (dim, 2), optional
        The window searched (default ``surface.bounds``).
    starts : int or array_like of shape (n, dim), optional
        Starts of the first round: a number or the points themselves.
        Default: 512 in up to three dimensions, else 256; 128 for a
        matrix-free search.
    seed : int
        Seed of the starts and of the curvature probe.
    max_starts : int, optional
        Budget of starts over all rounds (default: 65536 in up to three
        dimensions, else sixteen first rounds; two for a matrix-free search).
    tol : float, optional
        Relative zero tolerance for eigenvalues (see ``classify``).
    method : {"auto", "newton", "newton-minres"}
        ``"newton"``: Levenberg-Marquardt on dense Hessians, starts spread
        over the window (a regular grid and a scrambled Sobol sequence).
        ``"newton-minres"``: Newton-MINRES from Hessian-vector products only,
        half of the starts along gradient-descent paths from the model's own
        initialization (``surface.init``) or uniform points — the search for
        networks. ``"auto"`` takes the second for data-set models of more
        than two parameters and above 64 dimensions.
    progress : callable, optional
        ``progress(text)`` with a one-line status after every round (and
        every Newton step of a matrix-free search), e.g. ``print``.

    Returns
    -------
    CriticalPoints
        Sorted by value. ``complete`` only where a bound proves it (see
        Notes); ``note`` says how the evidence stands otherwise.

    Notes
    -----
    ``"newton"``: each start runs a Levenberg-Marquardt iteration on
    ``∇f = 0`` with the Hessian as Jacobian; the Newton step is tried first,
    so each start is drawn to a nearby critical point of any kind, and
    converges to it quadratically (linearly for a degenerate one).
    ``"newton-minres"``: the Newton step comes from MINRES on ``H s = ∇f``
    (indefinite ``H`` is fine), with a backtracking line search on
    ``‖∇f‖²`` (Dauphin et al. 2014; Frye et al. 2021); starts that stall
    where ``∇f`` lies in the near-kernel of ``H`` are Frye et al.'s
    *gradient-flat* points and are counted in the note, not listed. Either
    way, ends with ``‖∇f‖ <= 1e-8 · C · ℓ`` and a Newton step below
    ``1e-6 · ℓ`` (see ``classify`` for the scales ``C`` and ``ℓ``) inside
    the window are kept, merged when closer than ``1e-6 · ℓ`` (after
    mapping each to a canonical representative of its symmetry orbit, for a
    surface with ``canonical``, e.g. a network's hidden-unit permutations),
    and classified.

    Rounds of fresh starts follow until one finds nothing new or the budget
    is spent; each has at least as many starts as the first (and, for
    ``"newton"``, four per point found so far).

    The catalogue is called ``complete`` only when it is proven: a bound on
    the number of isolated critical points — Bézout's ``Π deg ∂f/∂x_i`` for
    a polynomial, one for a strictly convex cost — equals the number of
    nondegenerate points found (each nondegenerate point is isolated and
    counts once, so none is missing anywhere). Otherwise the note reports
    the distinct points found over the starts and how many of them the last
    half of the starts added. In 2-D a mismatch with the winding number of
    ``∇f`` around the window (Poincaré-Hopf: it equals the sum of the
    indices of the critical points inside) proves a point missing.

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
    method = _method(surface, check_choice("method", method, METHODS))
    report = _Reporter(progress)
    dim = surface.dim
    count = len(starts) if np.ndim(starts) == 2 else starts if isinstance(starts, numbers.Integral) else None
    count = count or (FIRST_ROUND if dim <= GRID_DIMENSIONS else FIRST_ROUND_HIGH)
    memory, seconds = critical_points_cost(count, dim)
    named = ("starts", starts) if starts is not None else ("dim", dim)
    for cost in ({"memory": memory}, {"seconds": seconds}):
        advice = "fewer starts" if starts is not None else "a surface of lower dimension"
        what = f"a search from {count} starts, each with dense {dim} x {dim} Hessians"
        check(*named, **cost, what=what, advice=advice)
    if dim > SOBOL_DIMENSIONS:
        raise invalid("dim", dim, f"at most {SOBOL_DIMENSIONS}, the most a scrambled Sobol sequence has")
    sobol = qmc.Sobol(dim, scramble=True, seed=seed)
    rng = np.random.default_rng(seed)
    matrix_free = method == "newton-minres"
    if matrix_free and starts is None:
        starts = MINRES_FIRST_ROUND
    first = _first_round(starts, bounds, sobol, None if not matrix_free else (surface, rng))
    if max_starts is None:
        rounds = 2 if matrix_free else 16
        dense_budget = DEFAULT_BUDGET if dim <= GRID_DIMENSIONS and not matrix_free else 0
        max_starts = max(dense_budget, rounds * len(first))
    max_starts = check_int("max_starts", max_starts, minimum=len(first))

    length = window_length(bounds)
    scale = curvature_scale(surface, bounds, seed=seed)
    radius = DUPLICATE_RADIUS * length
    search = _search(
        surface, first, bounds, max_starts, sobol=sobol, rng=rng, matrix_free=matrix_free,
        scale=scale, length=length, radius=radius, report=report,
    )
    scale = max(scale, largest_curvature(surface, search.found))
    points = analyze(surface, search.found, scale=scale, tol=tol, length=length) if len(search.found) else []
    points.sort(key=lambda p: (p.value, tuple(p.position)))
    return _catalogue(surface, points, search, bounds, radius)


@dataclasses.dataclass
class _Search:
    """What the rounds of a search found."""

    found: np.ndarray  # the distinct critical points, shape (n, dim)
    first_start: np.ndarray  # for each, the index of the start that first reached it
    used: int = 0  # starts run
    outside: int = 0  # starts that converged outside the window
    flat: int = 0  # starts that stalled at gradient-flat points
    evidence: list = dataclasses.field(default_factory=list)  # what shows points are missing


def _search(surface, first, bounds, max_starts, *, sobol, rng, matrix_free, scale, length, radius, report):
    """Rounds of starts from ``first`` on, until one finds nothing new or ``max_starts`` is spent."""
    width = bounds[:, 1] - bounds[:, 0]
    box = bounds + BOX_MARGIN * np.outer(width, [-1.0, 1.0])
    canonical = getattr(surface, "canonical", None)
    search = _Search(np.empty((0, surface.dim)), np.empty(0, dtype=int))
    batch = first
    while True:
        round_number = len(report.rounds) + 1
        if matrix_free:
            ends, converged, flat_ends = _newton_minres_round(
                surface, batch, scale=scale, length=length, report=report, round_number=round_number
            )
            search.flat += int(flat_ends.sum())
        else:
            ends, converged = find_roots(surface, batch, scale=scale, length=length, box=box)
        inside = _inside(ends, bounds, 1e-9 * width)
        search.outside += int(np.sum(converged & ~inside))
        keep = np.flatnonzero(converged & inside)
        ends = ends[keep]
        if callable(canonical) and len(ends):
            ends = canonical(ends)
        merged = np.vstack([search.found, ends])
        representatives = deduplicate_indices(merged, radius)
        new = int(np.sum(representatives >= len(search.found)))
        starts = np.concatenate([search.first_start, search.used + keep])
        search.first_start = starts[representatives]
        search.found = merged[representatives]
        search.used += len(batch)
        report.round(round_number, search.used, len(search.found), new)
        if new == 0 and search.used > len(first):
            return search  # a confirming round found nothing new
        if matrix_free:
            size = len(first)
        else:
            size = 1 << int(np.ceil(np.log2(max(len(first), CONFIRM_FACTOR * len(search.found)))))
        if search.used + size > max_starts:
            search.evidence.append(
                f"the last round of {len(batch)} starts still found {new} new critical points "
                f"and max_starts={max_starts} leaves no room for a confirming round of {size}"
            )
            return search
        batch = _next_round(size, bounds, sobol, None if not matrix_free else (surface, rng))


def _catalogue(surface, points, search: _Search, bounds, radius) -> CriticalPoints:
    """The classified ``points`` with what proves them complete, or a note of how the evidence stands."""
    evidence = list(search.evidence)
    new_in_last_half = int(np.sum(search.first_start >= search.used / 2))
    if surface.dim == 2:
        mismatch = degree_mismatch(surface, bounds, points, radius=radius)
        if mismatch:
            evidence.append(mismatch)
    bound = critical_point_bound(surface)
    nondegenerate = sum(bool(np.all(np.abs(p.eigenvalues) > p.zero_tolerance)) for p in points)
    complete = bound is not None and nondegenerate == bound and not evidence
    notes = []
    if not complete:
        notes.append(
            f"{counted(len(points), 'distinct critical point')} over {search.used} starts; the last half "
            f"of the starts added {new_in_last_half or 'none'}"
        )
        if bound is not None:
            notes.append(f"a bound of {bound} isolated points, {nondegenerate} nondegenerate found")
        else:
            notes.append("no bound on their number is known for this surface, so none proves it complete")
        if search.flat:
            notes.append(f"{search.flat} starts stalled at gradient-flat points (not critical points)")
        if search.outside:
            notes.append(f"{search.outside} starts converged outside the window (not listed)")
        notes.extend(evidence)
    return CriticalPoints(
        points, complete=complete, note="; ".join(notes), starts=search.used, bounds=bounds,
        dim=surface.dim, new_in_last_half=new_in_last_half, bound=bound,
        incomplete=bool(evidence) or new_in_last_half > 0,
    )


def _method(surface, method: str) -> str:
    if method != "auto":
        return method
    model = isinstance(surface, FiniteSumSurface) and surface.dim > 2
    return "newton-minres" if model or surface.dim > DENSE_SEARCH_LIMIT else "newton"


class _Reporter:
    """Progress lines for a long search: after each round and each Newton step of a round."""

    def __init__(self, progress):
        if progress is not None and not callable(progress):
            raise invalid("progress", progress, "None or a function of one line of text, e.g. print")
        self.progress, self.started, self.rounds = progress, time.perf_counter(), []

    def __call__(self, text):
        if self.progress is not None:
            self.progress(f"{text} ({time.perf_counter() - self.started:.1f} s)")

    def round(self, number, used, found, new):
        self.rounds.append(new)
        self(f"critical points: round {number} done, {used} starts, {found} distinct points, {new} new")


def _newton_minres_round(surface, batch, *, scale, length, report, round_number):
    def on_iteration(iteration, converged, active):
        report(
            f"critical points: round {round_number}, Newton step {iteration + 1}: "
            f"{converged} of {len(batch)} starts converged, {active} running"
        )

    ends, converged, _, flat = newton_minres(
        surface, batch, gradient_tol=ACCEPT_GRADIENT * scale * length, step_tol=ACCEPT_STEP * length,
        on_iteration=on_iteration,
    )
    return ends, converged, flat


def _first_round(starts, bounds, sobol, model) -> np.ndarray:
    dim = bounds.shape[0]
    if starts is None:
        starts = FIRST_ROUND if dim <= GRID_DIMENSIONS else FIRST_ROUND_HIGH
    if isinstance(starts, (int, np.integer)) and not isinstance(starts, bool):
        count = check_int("starts", starts, minimum=1)
        if model is not None:
            return _next_round(count, bounds, sobol, model)
        grid = _grid(bounds, count // 2) if dim <= GRID_DIMENSIONS else np.empty((0, dim))
        return np.vstack([grid, _sobol_points(sobol, count - len(grid), bounds)])
    try:
        points = np.array(starts, dtype=float)
    except (TypeError, ValueError):
        raise invalid("starts", starts, f"an integer >= 1 or points of shape (n, {dim})") from None
    if points.ndim != 2 or points.shape[1] != dim or len(points) == 0 or not np.isfinite(points).all():
        raise invalid("starts", points, f"an integer >= 1 or finite points of shape (n, {dim})")
    return points


def _next_round(count, bounds, sobol, model) -> np.ndarray:
    """Fresh starts: Sobol points, or for a matrix-free search half of them along descent paths."""
    if model is None:
        return _sobol_points(sobol, count, bounds)
    surface, rng = model
    descents = count // 2
    points = origins(surface, bounds, count, rng)
    if descents:
        steps, optimizer = model_descent(surface)
        points[:descents] = descent_points(
            surface, points[:descents], steps=steps, optimizer=optimizer, rng=rng
        )
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
    return points[deduplicate_indices(points, radius)]


def deduplicate_indices(points: np.ndarray, radius: float) -> np.ndarray:
    """Indices (ascending) of the first point of each cluster of points closer than ``radius``."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    if len(points) == 0:
        return np.empty(0, dtype=int)
    cells = np.floor(points / radius)  # points sharing a cell are within radius · sqrt(dim)
    _, first = np.unique(cells, axis=0, return_index=True)
    kept = np.sort(first)
    pairs = cKDTree(points[kept]).query_pairs(radius, output_type="ndarray")
    n = len(kept)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    _, representatives = np.unique(labels, return_index=True)  # first member of each cluster
    return kept[np.sort(representatives)]
