"""Surface panels: a 2-D surface as filled contours under level lines, built once.

The bands and lines are plain VMobjects with simplified outlines; they are
static, so Manim draws them once per animation, not once per frame.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, WHITE, Axes, ManimColor, MathTex, Rectangle, VGroup, VMobject

from .. import style
from ._charts import nice_step, to_scene
from ._look import INK, LABEL_SIZE, MUTED, relative_luminance
from ._shapes import polyline
from ._tags import mark_panel

# Contour vertices closer than this to the simplified line are dropped (scene units; a
# 1080p frame is 14.2 units wide, so this is a third of a pixel there).
SIMPLIFY_TOLERANCE = 0.0025


def surface_panel(
    surface,
    *,
    width: float,
    height: float,
    bounds=None,
    x_label: str = "x",
    y_label: str = "y",
    levels: int = 12,
) -> tuple[Axes, VGroup]:
    """A framed view of a 2-D surface: filled contours, level lines, edge ticks.

    Returns ``(ax, panel)``: ``ax`` maps data to scene points (see
    ``to_scene``) and is not drawn; ``panel`` is what the scene adds. Move
    both together (``VGroup(ax, panel)``) or place ``panel`` before calling
    ``to_scene``.
    """
    (x_low, x_high), (y_low, y_high) = np.asarray(surface.bounds if bounds is None else bounds, float)
    ax = Axes(
        x_range=[x_low, x_high, 1], y_range=[y_low, y_high, 1], x_length=width, y_length=height, tips=False
    )
    frame = Rectangle(width=width, height=height, stroke_color=MUTED, stroke_width=1.5).move_to(
        ax.get_center()
    )
    ticks = VGroup()
    for value in _ticks(x_low, x_high):
        ticks.add(_number(value).next_to(to_scene(ax, value, y_low)[0], DOWN, buff=0.12))
    for value in _ticks(y_low, y_high):
        ticks.add(_number(value).next_to(to_scene(ax, x_low, value)[0], LEFT, buff=0.12))
    labels = VGroup(
        MathTex(x_label, font_size=LABEL_SIZE + 4, color=INK).next_to(frame, DOWN, buff=0.45),
        MathTex(y_label, font_size=LABEL_SIZE + 4, color=INK).next_to(frame, LEFT, buff=0.55),
    )
    background = surface_background(surface, ax, levels=levels)
    panel = VGroup(background, frame, ticks, labels)
    mark_panel(panel, ax)  # what check_layout treats as a panel
    ax.brightest = max((band.get_fill_color() for band in background[0]), key=relative_luminance)
    ax.add(panel)  # moving ax moves the panel with it
    return ax, panel


def _ticks(low: float, high: float, count: int = 4) -> np.ndarray:
    step = nice_step(high - low, count)
    first = np.ceil(low / step - 1e-9) * step
    return np.arange(first, high + 1e-9 * step, step)


def _number(value: float) -> MathTex:
    text = f"{value:g}" if abs(value) > 1e-12 else "0"
    return MathTex(text.replace("-", "-"), font_size=LABEL_SIZE - 4, color=MUTED)


def surface_background(
    surface,
    ax: Axes,
    *,
    levels: int = 12,
    resolution: int = 200,
    brightness: float = 0.5,
    top_color: float = 0.8,
) -> VGroup:
    """The surface as filled contour bands under contour lines, like the figures.

    The levels are the figures' log-spaced levels (``landscape.plot``). Built
    once as plain VMobjects: the superlevel set of each level, filled in the
    house colormap (dimmed, so coloured paths stay readable on the dark
    background) and drawn lowest level first so neighbouring bands leave no
    seams; then the level lines. They are static, so Manim draws them once
    per animation, not once per frame.
    """
    import matplotlib
    from contourpy import FillType, contour_generator

    from ..plot import log_levels
    from ..plot import surface_grid as grid

    bounds = [ax.x_range[:2], ax.y_range[:2]]
    x, y, values = grid(surface, bounds, resolution)
    bands = log_levels(values, levels)
    filled = contour_generator(x, y, values, fill_type=FillType.OuterOffset)
    colormap = matplotlib.colormaps[style.SURFACE_COLORMAP]
    group, lines = VGroup(), VGroup()
    top = float(np.nanmax(values)) + 1.0
    for index, level in enumerate(bands):
        rgb = np.asarray(colormap(top_color * index / (len(bands) - 1))[:3]) * brightness
        band = VMobject(fill_color=ManimColor(rgb), fill_opacity=1.0, stroke_width=0)
        polygons, offsets = filled.filled(level - (1.0 if index == 0 else 0.0), top)
        for polygon, offset in zip(polygons, offsets, strict=True):
            for begin, finish in zip(offset[:-1], offset[1:], strict=True):
                ring = simplify(to_scene(ax, polygon[begin:finish]), SIMPLIFY_TOLERANCE)
                band.start_new_path(ring[0])
                band.add_points_as_corners(ring[1:])
        if len(band.points):  # the top level is the maximum: nothing lies above it
            group.add(band)
    outlines = contour_generator(x, y, values)
    for level in bands[1:]:
        for line in outlines.lines(level):
            if len(line) >= 2:
                points = simplify(to_scene(ax, line), SIMPLIFY_TOLERANCE)
                lines.add(polyline(points, color=WHITE, width=1.0, opacity=0.3))
    return VGroup(group, lines)


def value_reach(surface, resolution: int = 21) -> float:
    """Largest ``|f|`` on a grid over the surface's bounds (the height a 3-D plot must show)."""
    from ..plot import surface_grid as grid

    return float(np.nanmax(np.abs(grid(surface, surface.bounds, resolution)[2])))


def surface_colorscale(low: float, high: float, count: int = 7) -> list:
    """``(colour, value)`` stops of the house colormap from ``low`` to ``high`` (dimmed like the panels)."""
    import matplotlib

    colormap = matplotlib.colormaps[style.SURFACE_COLORMAP]
    return [
        (ManimColor(np.asarray(colormap(0.8 * k / (count - 1))[:3]) * 0.55), value)
        for k, value in enumerate(np.linspace(low, high, count))
    ]


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Drop the vertices of a polyline that lie within ``tolerance`` of the line without them.

    The Ramer-Douglas-Peucker algorithm: keeps both ends, then recursively
    the vertex farthest from the chord of each stretch while it is farther
    than ``tolerance``. Contours sampled on a grid have many nearly
    collinear vertices (and straight frame edges); Cairo draws every one of
    them on every frame a panel is animated.
    """
    points = np.asarray(points, dtype=float)
    if len(points) < 3:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        chord = points[last, :2] - points[first, :2]
        offsets = points[first + 1 : last, :2] - points[first, :2]
        length = np.hypot(*chord)
        if length > 0:
            distance = np.abs(chord[0] * offsets[:, 1] - chord[1] * offsets[:, 0]) / length
        else:
            distance = np.hypot(offsets[:, 0], offsets[:, 1])
        farthest = int(np.argmax(distance))
        if distance[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            stack.extend([(first, middle), (middle, last)])
    return points[keep]
