"""Mobjects the scenes share: surface panels, paths, particle clouds, arrows.

Everything here is built once and then only has its points replaced (numpy,
no re-tessellation of text or contours per frame), so a frame costs little
more than Cairo drawing a few paths. Colours come from ``landscape.style``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    WHITE,
    Axes,
    ManimColor,
    MathTex,
    Rectangle,
    VGroup,
    VMobject,
)

from .. import style

INK = ManimColor(WHITE)
MUTED = ManimColor("#9AA0A6")
FONT_SIZE = 30
LABEL_SIZE = 24

# Four cubic Bézier curves per circle; the handle length that makes them round.
_KAPPA = 4.0 * (np.sqrt(2.0) - 1.0) / 3.0


def color(hex_code: str) -> ManimColor:
    """A Manim colour from a hex code of ``landscape.style``."""
    return ManimColor(hex_code)


def optimizer_color(name: str, index: int = 0) -> ManimColor:
    """The optimizer's colour, the same as in every figure."""
    return ManimColor(style.optimizer_color(name, index))


def series_color(index: int) -> ManimColor:
    """The ``index``-th colour for series that are not optimizers."""
    return ManimColor(style.series_color(index))


def title(text: str) -> MathTex:
    """The scene's title, top left."""
    return MathTex(rf"\text{{{text}}}", font_size=40, color=INK).to_corner(UL)


def tex(*parts: str, size: int = FONT_SIZE, color=INK, **kwargs) -> MathTex:
    """``MathTex`` in the house size and colour."""
    return MathTex(*parts, font_size=size, color=color, **kwargs)


def thousands(value: float) -> str:
    """A number for TeX with thin spaces between thousands (``5\\,000\\,000``)."""
    return f"{value:,.0f}".replace(",", r"\,")


# ---- axes ------------------------------------------------------------------
def nice_step(span: float, ticks: int = 4) -> float:
    """A 1-2-5 tick step giving about ``ticks`` intervals over ``span``."""
    raw = span / ticks
    power = 10.0 ** np.floor(np.log10(raw))
    return float(power * min((1, 2, 5, 10), key=lambda m: abs(m * power - raw)))


def chart(
    x_range,
    y_range,
    *,
    width: float,
    height: float,
    x_label: str | None = None,
    y_label: str | None = None,
    x_step: float | None = None,
    y_step: float | None = None,
    y_log: bool = False,
    x_log: bool = False,
    numbers: bool = True,
) -> Axes:
    """Axes for a line chart in the house look: no tips, muted lines, small numbers.

    ``x_range`` and ``y_range`` are ``(low, high)`` (with ``x_log`` or
    ``y_log``, powers of ten); tick steps default to a 1-2-5 step. Axis
    labels are TeX.
    """
    x_range, x_config = _axis(x_range, x_step, x_log, numbers)
    y_range, y_config = _axis(y_range, y_step, y_log, numbers)
    result = Axes(
        x_range=x_range,
        y_range=y_range,
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"color": MUTED, "stroke_width": 1.5, "font_size": LABEL_SIZE - 6},
        x_axis_config=x_config,
        y_axis_config=y_config,
    )
    for axis in (result.x_axis, result.y_axis):
        if getattr(axis, "numbers", None) is not None:
            axis.numbers.set_color(MUTED)
    if x_label:
        label = MathTex(x_label, font_size=LABEL_SIZE, color=MUTED)
        result.add(label.next_to(result.x_axis.get_right(), DOWN, buff=0.3).align_to(result.x_axis, RIGHT))
    if y_label:
        label = MathTex(y_label, font_size=LABEL_SIZE, color=MUTED)
        result.add(label.next_to(result.y_axis, UP, buff=0.12).align_to(result.y_axis, LEFT))
    return result


def _axis(limits, step, log: bool, numbers: bool) -> tuple[list, dict]:
    """Range ``[low, high, step]`` and configuration of one chart axis."""
    if log:  # integer exponents give labels 10^{2}, not 10^{2.0}
        from manim import LogBase

        low, high = int(np.floor(limits[0])), int(np.ceil(limits[1]))
        return [low, high, step or 1], {"scaling": LogBase(custom_labels=True), "include_numbers": numbers}
    step = step or nice_step(limits[1] - limits[0])
    config = {"include_numbers": numbers, "decimal_number_config": {"num_decimal_places": _decimals(step)}}
    return [limits[0], limits[1], step], config


def symmetric_range(values, margin: float = 1.05) -> tuple[float, float]:
    """``(-r, r)`` covering ``values`` with a small margin (for signed series)."""
    reach = float(np.abs(values).max()) * margin
    return (-reach, reach) if reach > 0 else (-1.0, 1.0)


def value_range(values, margin: float = 0.05) -> tuple[float, float]:
    """``(low, high)`` covering ``values`` with ``margin`` of the span on each side."""
    low, high = float(np.min(values)), float(np.max(values))
    pad = margin * (high - low) if high > low else 1.0
    return (low - pad, high + pad)


def log_range(*values) -> tuple[int, int]:
    """Powers of ten ``(low, high)`` around all positive ``values`` (for ``chart(y_log=True)``)."""
    flat = np.concatenate([np.ravel(v) for v in values])
    flat = flat[flat > 0]
    return int(np.floor(np.log10(flat.min()))), int(np.ceil(np.log10(flat.max())))


def _decimals(step: float) -> int:
    return max(0, int(-np.floor(np.log10(step) + 1e-9)))


def to_scene(ax: Axes, x, y=None) -> np.ndarray:
    """Scene points, shape ``(n, 3)``, of data points ``(n, 2)`` (or of ``x`` and ``y``)."""
    if y is None:
        xy = np.asarray(x, dtype=float).reshape(-1, 2)
        x, y = xy[:, 0], xy[:, 1]
    points = ax.c2p(np.atleast_1d(np.asarray(x, float)), np.atleast_1d(np.asarray(y, float)))
    return np.asarray(points, dtype=float).reshape(3, -1).T


# ---- surfaces --------------------------------------------------------------
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

    from ..plot._axes import grid, log_levels

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
                band.start_new_path(to_scene(ax, polygon[begin])[0])
                band.add_points_as_corners(to_scene(ax, polygon[begin + 1 : finish]))
        if len(band.points):  # the top level is the maximum: nothing lies above it
            group.add(band)
    outlines = contour_generator(x, y, values)
    for level in bands[1:]:
        for line in outlines.lines(level):
            if len(line) >= 2:
                lines.add(polyline(to_scene(ax, line), color=WHITE, width=1.0, opacity=0.3))
    return VGroup(group, lines)


def surface_colorscale(low: float, high: float, count: int = 7) -> list:
    """``(colour, value)`` stops of the house colormap from ``low`` to ``high`` (dimmed like the panels)."""
    import matplotlib

    colormap = matplotlib.colormaps[style.SURFACE_COLORMAP]
    return [
        (ManimColor(np.asarray(colormap(0.8 * k / (count - 1))[:3]) * 0.55), value)
        for k, value in enumerate(np.linspace(low, high, count))
    ]


# ---- paths -----------------------------------------------------------------
def polyline(points, *, color=INK, width: float = 3.0, opacity: float = 1.0) -> VMobject:
    """A VMobject through ``points`` (shape ``(n, 3)``) with straight segments."""
    line = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
    set_polyline(line, points)
    return line


def set_polyline(line: VMobject, points) -> VMobject:
    """Replace the points of ``line`` by straight segments through ``points``."""
    points = np.asarray(points, dtype=float)
    if len(points) == 1:
        points = np.repeat(points, 2, axis=0)
    line.set_points_as_corners(points)
    return line


def prefix(points: np.ndarray, t: float) -> np.ndarray:
    """The path ``points[0..t]`` for a fractional index ``t`` (last point interpolated)."""
    t = float(np.clip(t, 0.0, len(points) - 1))
    whole = int(np.floor(t))
    if whole == len(points) - 1:
        return points
    return np.concatenate([points[: whole + 1], point_at(points, t)[None]])


def point_at(points: np.ndarray, t: float) -> np.ndarray:
    """The point at fractional index ``t`` of a path, along axis 0 (any trailing shape)."""
    t = float(np.clip(t, 0.0, len(points) - 1))
    whole = min(int(np.floor(t)), len(points) - 2) if len(points) > 1 else 0
    frac = t - whole
    if len(points) == 1:
        return points[0]
    return (1.0 - frac) * points[whole] + frac * points[whole + 1]


def growing_path(
    points,
    tracker,
    *,
    color,
    width: float = 3.0,
    opacity: float = 1.0,
    start: float = 0.0,
    trail: float | None = None,
) -> VMobject:
    """A path that shows ``points[0..t - start]`` where ``t`` is the tracker's value.

    ``start`` is the tracker value of ``points[0]`` (1 for a series that
    begins at step 1 while the tracker counts from step 0). With ``trail``,
    only the last ``trail`` steps are shown.
    """
    points = np.asarray(points, dtype=float)
    line = polyline(points[:1], color=color, width=width, opacity=opacity)

    def follow(mobject):
        shown = prefix(points, tracker.get_value() - start)
        if trail is not None:
            shown = shown[max(0, len(shown) - 1 - int(trail)) :]
        set_polyline(mobject, shown)

    line.add_updater(follow)
    return line


# ---- particles ---------------------------------------------------------------
def circles_points(centers: np.ndarray, radius: float) -> np.ndarray:
    """Bézier control points of circles around ``centers`` ``(n, 3)``: ``(16 n, 3)``."""
    angles = np.arange(4) * np.pi / 2
    starts = np.stack([np.cos(angles), np.sin(angles)], -1)
    ends = np.roll(starts, -1, axis=0)
    tangents_start = np.stack([-starts[:, 1], starts[:, 0]], -1)
    tangents_end = np.stack([-ends[:, 1], ends[:, 0]], -1)
    curve = np.stack(
        [starts, starts + _KAPPA * tangents_start, ends - _KAPPA * tangents_end, ends], axis=1
    )  # (4 curves, 4 points, 2)
    template = np.zeros((16, 3))
    template[:, :2] = curve.reshape(16, 2) * radius
    centers = np.asarray(centers, dtype=float).reshape(-1, 3)
    return (centers[:, None, :] + template[None]).reshape(-1, 3)


def particle_cloud(centers, *, radius: float = 0.05, color=INK, opacity: float = 0.9) -> VMobject:
    """Many dots as one VMobject (one Cairo path): cheap to redraw every frame."""
    cloud = VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
    cloud.radius = radius
    set_cloud(cloud, centers)
    return cloud


def set_cloud(cloud: VMobject, centers) -> VMobject:
    """Move the dots of a ``particle_cloud`` to ``centers`` ``(n, 3)``."""
    cloud.points = circles_points(centers, cloud.radius)
    return cloud


def polygons_points(corners) -> np.ndarray:
    """Bézier control points of closed polygons with ``corners`` ``(n, k, 3)``: ``(4 n k, 3)``.

    Every side is a straight cubic curve, and each polygon closes on itself,
    so a single VMobject holds all of them as separate subpaths.
    """
    corners = np.asarray(corners, dtype=float)
    starts, ends = corners, np.roll(corners, -1, axis=1)
    thirds = np.stack([starts, (2 * starts + ends) / 3, (starts + 2 * ends) / 3, ends], axis=2)
    return thirds.reshape(-1, 3)


def bars(
    ax: Axes, x, heights, *, width: float, color=INK, opacity: float = 0.85, base: float = 0.0
) -> VMobject:
    """A bar chart on ``ax`` as one VMobject (one Cairo path); update with ``set_bars``."""
    shape = VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
    shape.bar_axes, shape.bar_x, shape.bar_width, shape.bar_base = ax, np.asarray(x, float), width, base
    return set_bars(shape, heights)


def set_bars(shape: VMobject, heights) -> VMobject:
    """Give the bars of ``bars`` new heights."""
    x, half = shape.bar_x, shape.bar_width / 2
    heights = np.broadcast_to(np.asarray(heights, float), x.shape)
    low = np.full_like(x, shape.bar_base)
    corners = np.stack(
        [
            to_scene(shape.bar_axes, x - half, low),
            to_scene(shape.bar_axes, x + half, low),
            to_scene(shape.bar_axes, x + half, heights),
            to_scene(shape.bar_axes, x - half, heights),
        ],
        axis=1,
    )
    shape.points = polygons_points(corners)
    return shape


# ---- arrows ----------------------------------------------------------------
class FlatArrow(VGroup):
    """An arrow whose shaft and tip are rebuilt from two points with numpy only.

    ``Arrow`` re-creates and re-scales its tip on every change; this one only
    replaces points, so it can follow a tracker at every frame.
    """

    def __init__(self, start, end, *, color=INK, width: float = 4.0, tip: float = 0.16, **kwargs):
        self.tip_length = tip
        shaft = VMobject(stroke_color=color, stroke_width=width)
        head = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        super().__init__(shaft, head, **kwargs)
        self.put(start, end)

    def put(self, start, end) -> FlatArrow:
        """Point from ``start`` to ``end`` (scene coordinates)."""
        start, end = np.asarray(start, float), np.asarray(end, float)
        direction = end - start
        length = float(np.linalg.norm(direction[:2]))
        shaft, head = self.submobjects
        if length < 1e-6:
            set_polyline(shaft, [start, start])
            set_polyline(head, [end, end])
            return self
        unit = direction / length
        normal = np.array([-unit[1], unit[0], 0.0])
        tip = min(self.tip_length, 0.5 * length)
        base = end - tip * unit
        set_polyline(shaft, [start, base])
        set_polyline(head, [end, base + 0.5 * tip * normal, base - 0.5 * tip * normal, end])
        return self
