"""The ways to cut a slice: between two points, along given, random or PCA directions, through 3 points."""

from __future__ import annotations

import numpy as np

from .._validation import InvalidArgument, check_scalar, invalid
from ._directions import check_center, random_directions
from ._pca import path_of, pca_directions
from ._slice import Slice

LINE_SPAN = (-0.5, 1.5)
PLANE_SPAN = (-1.0, 1.0)
MARGIN = 0.25  # of the extent of the points a window is fitted to, on each side


def line(surface, a, b, *, span=LINE_SPAN, resolution=None) -> Slice:
    """The line through ``a`` (coordinate 0) and ``b`` (coordinate 1): ``f(a + α (b − a))``.

    Linear interpolation between two points, e.g. a network's initial and
    trained parameters (Goodfellow, Vinyals & Saxe 2015), or two minima.

    Parameters
    ----------
    surface : Surface
    a, b : array_like, shape (dim,)
        Two different points.
    span : (float, float)
        Range of ``α`` (default ``(-0.5, 1.5)``: a half beyond each end).
    resolution : int, optional
        Grid points of ``grid()`` and figures (default 401).

    Returns
    -------
    Slice
        Of dim 1.

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("rosenbrock", dim=20)
    >>> path = ls.slices.line(s, s.default_start, np.ones(20))
    >>> round(float(path.value([1.0])), 12)  # b is rosenbrock's minimum
    0.0
    """
    a = check_center(surface, a, "a")
    b = check_center(surface, b, "b")
    if np.array_equal(a, b):
        raise invalid("b", "the same point as a", "a point different from a")
    return Slice(surface, a, (b - a)[None, :], span, how={"method": "line"}, resolution=resolution)


def plane(surface, center, d1, d2, *, span=PLANE_SPAN, how=None, resolution=None) -> Slice:
    """The plane ``f(center + α d1 + β d2)``.

    Parameters
    ----------
    surface : Surface
    center : array_like, shape (dim,)
    d1, d2 : array_like, shape (dim,)
        Linearly independent directions (e.g. from ``random_directions``).
    span : (float, float) or ((float, float), (float, float))
        Range of ``α`` and ``β`` (default ``(-1, 1)`` for both, Li et al.'s window).
    how : dict, optional
        How the directions were made (kept with the slice).
    resolution : int, optional
        Grid points per axis (default 101).

    Returns
    -------
    Slice
        Of dim 2.

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("random_quadratic", dim=50, seed=1)
    >>> d1, d2 = np.eye(50)[:2]
    >>> ls.slices.plane(s, np.zeros(50), d1, d2).dim
    2
    """
    return Slice(
        surface,
        center,
        np.stack([_vector(d1, "d1"), _vector(d2, "d2")]),
        span,
        how=how,
        resolution=resolution,
    )


def random_slice(
    surface,
    center,
    k=2,
    *,
    seed=0,
    normalization="filter",
    ignore=("bias",),
    orthogonalize=False,
    span=PLANE_SPAN,
    resolution=None,
) -> Slice:
    """A plane (or line, ``k=1``) through ``center`` along random directions (``random_directions``).

    Parameters
    ----------
    surface : Surface
    center : array_like, shape (dim,)
        Where the slice is centred, typically a trained model's parameters;
        the directions are scaled to it.
    k : {2, 1}
        A plane or a line.
    seed, normalization, ignore, orthogonalize
        As in ``random_directions`` (default: filter-normalized, biases fixed).
    span, resolution
        As in ``plane`` (default span ``(-1, 1)``, Li et al.'s window).

    Returns
    -------
    Slice
        Its ``how`` records the seed and the normalization, which rebuild it.

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("rosenbrock", dim=20)
    >>> ls.slices.random_slice(s, np.ones(20), seed=3).description
    'filter-normalized random plane (seed 3)'
    """
    directions = random_directions(
        surface,
        center,
        k,
        seed=seed,
        normalization=normalization,
        ignore=ignore,
        orthogonalize=orthogonalize,
    )
    how = {
        "method": "random",
        "seed": seed,
        "normalization": normalization,
        "ignore": [ignore] if isinstance(ignore, str) else list(ignore),
        "orthogonalize": bool(orthogonalize),
    }
    return Slice(surface, center, directions, span, how=how, resolution=resolution)


def pca_slice(surface, trajectory, k=2, *, particle=0, span=None, resolution=None) -> Slice:
    """The plane (or line, ``k=1``) of a path's principal directions, through its last point.

    Li et al. (2018, §7): an optimizer's path in a high-dimensional space
    lies close to a low-dimensional one, which a random plane would miss.

    Parameters
    ----------
    surface : Surface
    trajectory : Trajectory or array_like, shape (R, dim) or (R, K, dim)
        The path (see ``pca_directions``).
    k : {2, 1}
        A plane or a line.
    particle : int
        Which particle's path.
    span : optional
        As in ``plane``; default: the window of the projected path with a
        quarter of its extent added on each side.
    resolution : int, optional
        Grid points per axis.

    Returns
    -------
    Slice
        Its ``how`` records the explained variance ratios.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("rosenbrock", dim=20)
    >>> traj = ls.trace(s, ls.optim.adam(lr=0.01), s.default_start, steps=300)
    >>> ls.slices.pca_slice(s, traj).axis_labels[0].startswith("PC 1")
    True
    """
    pca = pca_directions(trajectory, k, particle=particle)
    path = path_of(trajectory, particle)
    how = {
        "method": "pca",
        "particle": particle,
        "explained_variance_ratio": pca.explained_variance_ratio.tolist(),
    }
    if span is None:
        span = fitted_span((path - pca.center) @ pca.directions.T)
    return Slice(surface, pca.center, pca.directions, span, how=how, resolution=resolution)


def through_points(surface, a, b, c, *, span=None, resolution=None) -> Slice:
    """The plane through three points, ``a`` at the origin and ``b`` at ``(1, 0)``.

    E.g. a start and the two minima two runs reached from it. The first
    direction is ``b − a``; the second is ``c − a`` made orthogonal to it and
    of the same length, so the plane is seen without distortion.

    Parameters
    ----------
    surface : Surface
    a, b, c : array_like, shape (dim,)
        Three points not on one line.
    span : optional
        As in ``plane``; default: the window of the three points with a
        quarter of their extent added on each side.
    resolution : int, optional
        Grid points per axis (default 101).

    Returns
    -------
    Slice

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("random_field", dim=10, seed=1)
    >>> a, b, c = np.eye(10)[:3]
    >>> bool(ls.slices.through_points(s, a, b, c).project(c).distance < 1e-12)
    True
    """
    a, b, c = (check_center(surface, p, name) for p, name in ((a, "a"), (b, "b"), (c, "c")))
    first = b - a
    second = c - a
    second = second - (second @ first) / (first @ first) * first if first.any() else second
    if not first.any() or np.linalg.norm(second) <= 1e-12 * np.linalg.norm(c - a):
        raise invalid("c", "a point on the line through a and b", "three points not on one line")
    second *= np.linalg.norm(first) / np.linalg.norm(second)
    directions = np.stack([first, second])
    if span is None:
        gram = directions @ directions.T
        seen = np.linalg.solve(gram, directions @ (np.stack([a, b, c]) - a).T).T
        span = fitted_span(seen)
    return Slice(surface, a, directions, span, how={"method": "points"}, resolution=resolution)


def fitted_span(coordinates: np.ndarray, margin: float = MARGIN) -> np.ndarray:
    """``(k, 2)``: the window of points ``(..., k)`` and the origin, widened by ``margin`` of its extent."""
    margin = check_scalar("margin", margin, low=0.0)
    points = np.asarray(coordinates, dtype=float)
    points = points.reshape(-1, points.shape[-1])
    low = np.minimum(points.min(axis=0), 0.0)
    high = np.maximum(points.max(axis=0), 0.0)
    extent = np.maximum(high - low, 1e-12 * np.maximum(1.0, np.abs(high)))
    return np.stack([low - margin * extent, high + margin * extent], axis=1)


def _vector(d, name: str) -> np.ndarray:
    try:
        array = np.asarray(d, dtype=float)
    except (TypeError, ValueError):
        raise invalid(name, d, "a direction of shape (dim,)") from None
    if array.ndim != 1:
        raise InvalidArgument(f"{name} has shape {array.shape}; expected a direction of shape (dim,)")
    return array
