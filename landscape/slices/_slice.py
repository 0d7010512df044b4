"""``Slice``: a line or plane through a surface of any dimension, itself a Surface."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import InvalidArgument, check_float_dtype, check_int, check_points, invalid
from ..surfaces import Surface
from ..tracing import Trajectory
from ._blocks import block_points, run_blocks
from ._directions import check_center

KINDS = {1: "line", 2: "plane"}
DEFAULT_RESOLUTION = {1: 401, 2: 101}
IN_PLANE = 1e-9  # a base minimum this close to the plane (relative to its size) lies in it


class SliceGrid(NamedTuple):
    """Values of a slice on a regular grid.

    Attributes
    ----------
    axes : tuple of ndarray
        The grid's coordinates along each direction, ``resolution`` each.
    values : ndarray, shape (resolution,) or (resolution, resolution)
        For a plane ``values[i, j]`` is ``f`` at ``(axes[0][j], axes[1][i])``
        (rows along the second direction, as ``numpy.meshgrid`` and
        matplotlib's ``contour`` have them).
    """

    axes: tuple
    values: np.ndarray


class Projection(NamedTuple):
    """Points seen on a slice: their coordinates and how far they are from it.

    Attributes
    ----------
    coordinates : ndarray, shape (..., k)
        Coordinates of the nearest point of the line or plane (least squares:
        exact for points on it, whatever the angle between the directions).
    distance : ndarray, shape (...)
        Euclidean distance of each point to the line or plane.
    """

    coordinates: np.ndarray
    distance: np.ndarray


class Slice(Surface):
    r"""A line or plane through a surface: ``g(α) = f(c + Σᵢ αᵢ dᵢ)``, a Surface of dim 1 or 2.

    Build one with ``line``, ``plane``, ``random_slice``, ``pca_slice`` or
    ``through_points``; every tool for 1-D and 2-D surfaces (contour and 3-D
    figures, ``critical_points``, ``classify``, ``trace``, the scenes) then
    works on it unchanged.

    Parameters
    ----------
    surface : Surface
        The surface sliced, of any dimension ``n``.
    center : array_like, shape (n,)
        The point at coordinates 0.
    directions : array_like, shape (k, n)
        ``k = 1`` (a line) or ``2`` (a plane) linearly independent directions.
    span : array_like, shape (2,) or (k, 2)
        The window ``[low, high]`` of the coordinates, for every direction or
        per direction; it becomes ``bounds``.
    how : dict, optional
        How the directions were made (JSON-ready), kept with the slice and
        its files.
    resolution : int, optional
        Grid points per axis of ``grid()`` and of figures of the slice
        (default 401 for a line, 101 for a plane).

    Attributes
    ----------
    surface, center, directions, how, resolution
        As given (arrays as float copies).
    kind : {"line", "plane"}

    Notes
    -----
    With ``x = c + Dᵀα`` (``D`` the ``(k, n)`` matrix of directions), the
    chain rule gives ``∇g(α) = D ∇f(x)``, ``∇²g(α) = D ∇²f(x) Dᵀ`` (``k``
    Hessian-vector products of the base surface, exact where its ``hvp``
    is) and ``∇²g(α) v = D ∇²f(x) (Dᵀ v)``. Points are evaluated in blocks
    of bounded memory (see ``grid``), on every core when the base surface
    is ``thread_safe``.

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("rosenbrock", dim=20)
    >>> d1, d2 = ls.slices.random_directions(s, np.ones(20), seed=0)
    >>> plane = ls.slices.plane(s, np.ones(20), d1, d2, span=(-0.5, 0.5))
    >>> plane.dim, float(plane.value([0.0, 0.0]))
    (2, 0.0)
    """

    def __init__(self, surface, center, directions, span, *, how=None, resolution=None):
        if not isinstance(surface, Surface):
            raise invalid("surface", surface, "a Surface to slice")
        center = check_center(surface, center, "center")
        directions = _check_directions(surface, directions)
        k = len(directions)
        bounds = _check_span(span, k)
        self.surface = surface
        self.center = center
        self.directions = directions
        self.kind = KINDS[k]
        self.how = dict(how or {"method": "given"})
        self.resolution = (
            DEFAULT_RESOLUTION[k] if resolution is None else check_int("resolution", resolution, minimum=2)
        )
        self.thread_safe = surface.thread_safe
        self._grids: dict[int, np.ndarray] = {}
        self._float32_grids: dict[int, np.ndarray] = {}  # Slice.grid(dtype=np.float32): not saved
        super().__init__(
            dim=k,
            bounds=bounds,
            name="slice",
            params={"surface": surface.spec, "kind": self.kind, "how": self.how},
            default_start=np.zeros(k),
        )
        self.minima = self._minima_in_slice()

    # ---- where a coordinate lies -------------------------------------------
    def points(self, coordinates) -> np.ndarray:
        """The base surface's points ``c + Σᵢ αᵢ dᵢ`` at coordinates ``(..., k)``: shape ``(..., n)``."""
        coordinates = check_points("coordinates", coordinates, self.dim)
        return self._points_of(coordinates)

    def _points_of(self, alpha: np.ndarray) -> np.ndarray:
        # a sum of scaled vectors, not a matrix product: each point is the same to the bit
        # however many points are evaluated at once
        x = self.center + alpha[..., 0:1] * self.directions[0]
        for i in range(1, self.dim):
            x += alpha[..., i : i + 1] * self.directions[i]
        return x

    def project(self, trajectory) -> Projection:
        """Coordinates of points or paths on the slice, and their distance to it.

        Parameters
        ----------
        trajectory : Trajectory or array_like, shape (..., n)
            A trajectory of the base surface (its positions ``(R, K, n)``) or
            any points of it.

        Returns
        -------
        Projection
            ``coordinates`` ``(..., k)`` (``(R, K, k)`` for a trajectory) and
            ``distance`` ``(...)``.
        """
        positions = trajectory.positions if isinstance(trajectory, Trajectory) else trajectory
        positions = check_points("trajectory", positions, self.surface.dim)
        flat = positions.reshape(-1, self.surface.dim)
        gram = self.directions @ self.directions.T
        coordinates = np.empty((len(flat), self.dim))
        distance = np.empty(len(flat))

        def block(start, stop):
            offset = flat[start:stop] - self.center
            alpha = np.linalg.solve(gram, (offset @ self.directions.T).T).T
            coordinates[start:stop] = alpha
            distance[start:stop] = np.linalg.norm(offset - alpha @ self.directions, axis=1)

        run_blocks(block, len(flat), block_points(self.surface.dim, 2), thread_safe=True)
        shape = positions.shape[:-1]
        return Projection(coordinates.reshape(*shape, self.dim), distance.reshape(shape))

    # ---- values on a grid ---------------------------------------------------
    def axes(self, resolution=None) -> tuple:
        """The grid coordinates along each direction: ``resolution`` points across ``bounds``."""
        resolution = self.resolution if resolution is None else check_int("resolution", resolution, minimum=2)
        return tuple(np.linspace(low, high, resolution) for low, high in self.bounds)

    def grid(self, resolution=None, *, progress=None, dtype=np.float64) -> SliceGrid:
        """Values on a ``resolution``-point grid per axis, computed once and kept.

        Parameters
        ----------
        resolution : int, optional
            Grid points per axis (default ``self.resolution``).
        progress : callable, optional
            Wraps the iterable of blocks of grid points, e.g. a progress bar.
        dtype : {numpy.float64, numpy.float32}
            Precision of the evaluation. float32 hands the base surface float32
            points, which a network evaluates in float32 throughout (about twice
            as fast, values within about 1e-6 relative); the values returned are
            float64 either way. Only float64 grids are kept by ``save``.

        Returns
        -------
        SliceGrid

        Notes
        -----
        The grid's points go to the base surface as blocks of "particles"
        of a few MiB each, so memory stays bounded whatever the dimension;
        blocks run on every core when the base surface is ``thread_safe``.
        Interrupting (Ctrl-C) keeps nothing: the grid is stored on the slice
        (and in its file, see ``save``) only once every value is computed.
        """
        dtype = check_float_dtype("dtype", dtype)
        axes = self.axes(resolution)
        resolution = len(axes[0])
        grids = self._grids if dtype == np.float64 else self._float32_grids
        if resolution not in grids:
            mesh = np.stack(np.meshgrid(*axes), axis=-1) if self.dim == 2 else axes[0][:, None]
            with np.errstate(all="ignore"):
                grids[resolution] = self._evaluate("value", mesh, progress=progress, dtype=dtype)
        return SliceGrid(axes, grids[resolution])

    def save(self, path) -> None:
        """Write the slice to an ``.npz`` file, atomically: center, directions, window, ``how``,
        the base surface's spec and every grid computed so far (read it with ``load_slice``)."""
        from ._files import save_slice

        save_slice(self, path)

    @property
    def grids(self) -> dict:
        """The grids computed so far: resolution -> values."""
        return dict(self._grids)

    # ---- the chain rule ------------------------------------------------------
    def _value(self, x):
        return self._evaluate("value", x)

    def _grad(self, x):
        return self._evaluate("grad", x)

    def _value_and_grad(self, x):
        return self._evaluate("value_and_grad", x)

    def _hessian(self, x):
        return self._evaluate("hessian", x)

    def _hvp(self, x, v):
        x, v = np.broadcast_arrays(x, v)
        return self._evaluate("hvp", x, v)

    def _evaluate(self, what: str, alpha: np.ndarray, vectors=None, *, progress=None, dtype=np.float64):
        """``what`` at coordinates ``(..., k)``, through the base surface, block by block, in ``dtype``."""
        base, d, k = self.surface, self.directions, self.dim
        shape = alpha.shape[:-1]
        alpha = alpha.reshape(-1, k)
        count = len(alpha)
        if vectors is not None:
            vectors = vectors.reshape(-1, k)
        values = np.empty(count) if what in ("value", "value_and_grad") else None
        tail = {"grad": (k,), "value_and_grad": (k,), "hessian": (k, k), "hvp": (k,)}.get(what)
        derivatives = None if tail is None else np.empty((count, *tail))

        def block(start, stop):
            x = self._points_of(alpha[start:stop]).astype(dtype, copy=False)
            if what == "value":
                values[start:stop] = base._value(x)
            elif what == "grad":
                derivatives[start:stop] = base._grad(x) @ d.T
            elif what == "value_and_grad":
                value, grad = base._value_and_grad(x)
                values[start:stop], derivatives[start:stop] = value, grad @ d.T
            elif what == "hvp":
                along = vectors[start:stop, 0:1] * d[0]
                for i in range(1, k):
                    along += vectors[start:stop, i : i + 1] * d[i]
                derivatives[start:stop] = base._hvp(x, along) @ d.T
            else:  # hessian: one Hessian-vector product per direction
                for i in range(k):
                    along = np.broadcast_to(d[i], x.shape)
                    derivatives[start:stop, :, i] = base._hvp(x, along) @ d.T
                hessian = derivatives[start:stop]
                derivatives[start:stop] = 0.5 * (hessian + np.swapaxes(hessian, -1, -2))

        run_blocks(block, count, block_points(base.dim, 2), thread_safe=self.thread_safe, progress=progress)
        if what == "value":
            return values.reshape(shape)
        if what == "value_and_grad":
            return values.reshape(shape), derivatives.reshape(*shape, k)
        return derivatives.reshape(*shape, *tail)

    # ---- words ---------------------------------------------------------------
    @property
    def description(self) -> str:
        """What the slice is, in words: ``filter-normalized random plane (seed 0)``."""
        how = self.how
        method = how.get("method")
        if method == "random":
            normalization = how.get("normalization", "none")
            words = {
                "filter": "filter-normalized ",
                "layer": "layer-normalized ",
                "model": "model-normalized ",
                "unit": "unit ",
            }.get(normalization, "")
            return f"{words}random {self.kind} (seed {how.get('seed', 0)})"
        if method == "pca":
            ratios = how.get("explained_variance_ratio", [])
            shares = " + ".join(f"{100 * r:.1f}%" for r in ratios)
            return f"PCA {self.kind} of the path ({shares} of its variance)"
        if method == "line":
            return "the line from a (α = 0) to b (α = 1)"
        if method == "points":
            return "the plane through three points"
        return self.kind

    @property
    def axis_labels(self) -> list[str]:
        """Names of the coordinates, for the axes of figures."""
        method = self.how.get("method")
        if method == "pca":
            ratios = self.how.get("explained_variance_ratio", [None] * self.dim)
            return [
                f"PC {i + 1}" + (f" ({100 * r:.1f}%)" if r is not None else "") for i, r in enumerate(ratios)
            ]
        if method == "line":
            return ["α (0 at a, 1 at b)"]
        if method == "points":
            return ["α (along b − a)", "β (toward c)"]
        return ["α (along d₁)", "β (along d₂)"][: self.dim]

    def __repr__(self) -> str:
        return (
            f"<Slice {self.description} of {self.surface.name} (dim {self.surface.dim}), "
            f"bounds {self.bounds.tolist()}>"
        )

    # ---- helpers -------------------------------------------------------------
    def _minima_in_slice(self) -> np.ndarray:
        """The base surface's known minima that lie on the slice, in its coordinates."""
        minima = np.asarray(self.surface.minima, dtype=float).reshape(-1, self.surface.dim)
        if not len(minima):
            return np.empty((0, len(self.directions)))
        seen = self.project(minima)
        size = np.maximum(1.0, np.linalg.norm(minima, axis=1))
        on = seen.distance <= IN_PLANE * size
        inside = np.all(
            (seen.coordinates >= self.bounds[:, 0]) & (seen.coordinates <= self.bounds[:, 1]), axis=1
        )
        return seen.coordinates[on & inside]


def _check_directions(surface: Surface, directions) -> np.ndarray:
    accepted = f"1 or 2 linearly independent directions of shape (k, {surface.dim})"
    try:
        directions = np.array(directions, dtype=float)
    except (TypeError, ValueError):
        raise invalid("directions", directions, accepted) from None
    if directions.ndim == 1:
        directions = directions[None, :]
    if directions.ndim != 2 or directions.shape[0] not in KINDS or directions.shape[1] != surface.dim:
        raise InvalidArgument(f"directions have shape {directions.shape}; expected {accepted}")
    if not np.isfinite(directions).all():
        raise invalid("directions", directions, "directions with finite entries")
    singular = np.linalg.svd(directions, compute_uv=False)
    if singular[-1] <= 1e-12 * max(singular[0], np.finfo(float).tiny):
        raise invalid("directions", directions, accepted + " (these are zero or parallel)")
    return directions


def _check_span(span, k: int) -> np.ndarray:
    accepted = f"(low, high) or {k} pairs (low, high), finite, low < high"
    try:
        array = np.array(span, dtype=float)
    except (TypeError, ValueError):
        raise invalid("span", span, accepted) from None
    if array.shape == (2,):
        array = np.tile(array, (k, 1))
    if array.shape != (k, 2) or not np.isfinite(array).all() or not np.all(array[:, 0] < array[:, 1]):
        raise invalid("span", span, accepted)
    return array
