"""Figures and axes without pyplot, and the grid a 2-D surface is drawn on."""

from __future__ import annotations

import numpy as np

from .. import style
from .._validation import InvalidArgument, check_int, invalid
from ..slices import Slice

MAX_COORDINATE = 1e100  # farther out, the axis ticks themselves overflow
MIN_FINITE_SHARE = 0.01  # of the window where the surface must be finite for a contour to show


def new_axes(ax=None, *, projection=None, figsize=None):
    """``(figure, axes)``: the given axes, or a new pyplot-free Figure with one axes.

    Call inside ``landscape.style.figure_style()`` so the house style applies.
    """
    if ax is not None:
        if projection == "3d" and getattr(ax, "name", None) != "3d":
            raise invalid("ax", ax, "a 3-D axes (fig.add_subplot(projection='3d'))")
        return ax.figure, ax
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize or style.FIGURE_SIZE)
    return figure, figure.add_subplot(projection=projection)


def new_figure(fig=None, *, figsize=None):
    """The given Figure, or a new pyplot-free one."""
    if fig is not None:
        return fig
    from matplotlib.figure import Figure

    return Figure(figsize=figsize or style.FIGURE_SIZE)


def check_2d(surface, what: str) -> None:
    if getattr(surface, "dim", None) != 2:
        raise invalid(
            "surface",
            getattr(surface, "name", surface),
            f"a 2-D surface for {what} (this one has dim={getattr(surface, 'dim', '?')}), "
            "such as a plane through it (landscape.slices)",
        )


def window(surface, bounds) -> np.ndarray:
    """The ``(2, 2)`` plot window: ``bounds`` if given, else the surface's."""
    if bounds is None:
        return np.asarray(surface.bounds, dtype=float)
    array = np.asarray(bounds, dtype=float)
    if array.shape == (4,):
        array = array.reshape(2, 2)
    inside = np.all(np.abs(array) <= MAX_COORDINATE) if array.shape == (2, 2) else False
    if not inside or not np.all(array[:, 0] < array[:, 1]):
        accepted = f"[[xmin, xmax], [ymin, ymax]] with min < max, within ±{MAX_COORDINATE:g}"
        raise invalid("bounds", bounds, accepted)
    return array


def grid(surface, bounds, resolution: int):
    """``X, Y, Z`` of shape ``(resolution, resolution)`` over the window (one vectorized call).

    A slice's own window comes from its grid, computed once (``Slice.grid``).
    """
    resolution = check_int("resolution", resolution, minimum=2)
    if isinstance(surface, Slice) and np.array_equal(bounds, surface.bounds):
        axes, z = surface.grid(resolution)
        return *np.meshgrid(*axes), z
    (x0, x1), (y0, y1) = bounds
    x, y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    with np.errstate(all="ignore"):
        z = surface.value(np.stack([x, y], axis=-1))
    return x, y, np.asarray(z, dtype=float)


def log_levels(z: np.ndarray, count: int) -> np.ndarray:
    """``count + 1`` contour levels spaced logarithmically above the lowest value.

    Levels are ``min + geomspace(span / 10⁴, span, count)`` (plus ``min``), so
    the detail near the minimum -- a narrow valley, a flat plateau -- gets as
    many contours as the steep walls.
    """
    count = check_int("levels", count, minimum=2)
    finite = z[np.isfinite(z)]
    if finite.size < MIN_FINITE_SHARE * z.size:
        raise InvalidArgument(
            f"bounds are not accepted: the surface is finite on {finite.size / z.size:.2%} of the window; "
            "expected a window where f is defined (and does not overflow)"
        )
    low, high = float(finite.min()), float(finite.max())
    span = high - low
    if span <= 0:
        span = 1.0
    return low + np.concatenate([[0.0], np.geomspace(span * 1e-4, span, count)])
