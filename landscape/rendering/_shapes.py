"""Paths, particle clouds, bars and arrows whose points are replaced with numpy only.

Each is built once and then only has its points replaced (no
re-tessellation per frame), so following a tracker on every frame costs
little more than Cairo drawing a few paths.

A shape drawn inside a chart or surface panel is told so with ``within=ax``
(the panel's ``Axes``); ``landscape.rendering.check_layout`` then checks
that it stays inside that panel at every sampled time.
"""

from __future__ import annotations

import numpy as np
from manim import BLACK, Axes, DashedVMobject, Star, VGroup, VMobject

from ._charts import to_scene
from ._look import INK
from ._tags import place, placed_in

# Four cubic Bézier curves per circle; the handle length that makes them round.
_KAPPA = 4.0 * (np.sqrt(2.0) - 1.0) / 3.0


def polyline(
    points, *, color=INK, width: float = 3.0, opacity: float = 1.0, within: Axes | None = None
) -> VMobject:
    """A VMobject through ``points`` (shape ``(n, 3)``) with straight segments."""
    line = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
    place(line, within)
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


def dashed(line: VMobject, dashes: int = 60) -> VMobject:
    """``line`` drawn dashed (in the same panel)."""
    result = DashedVMobject(line, num_dashes=dashes)
    place(result, placed_in(line))
    return result


def growing_path(
    points,
    tracker,
    *,
    color,
    width: float = 3.0,
    opacity: float = 1.0,
    start: float = 0.0,
    trail: float | None = None,
    within: Axes | None = None,
) -> VMobject:
    """A path that shows ``points[0..t - start]`` where ``t`` is the tracker's value.

    ``start`` is the tracker value of ``points[0]`` (1 for a series that
    begins at step 1 while the tracker counts from step 0). With ``trail``,
    only the last ``trail`` steps are shown.
    """
    points = np.asarray(points, dtype=float)
    line = polyline(points[:1], color=color, width=width, opacity=opacity, within=within)

    def follow(mobject):
        shown = prefix(points, tracker.get_value() - start)
        if trail is not None:
            shown = shown[max(0, len(shown) - 1 - int(trail)) :]
        set_polyline(mobject, shown)

    line.add_updater(follow)
    return line


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


def particle_cloud(
    centers, *, radius: float = 0.05, color=INK, opacity: float = 0.9, within: Axes | None = None
) -> VMobject:
    """Many dots as one VMobject (one Cairo path): cheap to redraw every frame."""
    cloud = VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
    cloud.radius = radius
    place(cloud, within)
    set_cloud(cloud, centers)
    return cloud


def moving_dots(
    points,
    tracker,
    *,
    color=INK,
    radius: float = 0.07,
    opacity: float = 1.0,
    start: float = 0.0,
    within: Axes | None = None,
) -> VMobject:
    """Dots at ``points[t - start]`` where ``t`` is the tracker's value (interpolated between steps).

    ``points`` is one path ``(steps, 3)`` (one dot) or an ensemble
    ``(steps, K, 3)`` (a cloud of ``K`` dots).
    """
    points = np.asarray(points, dtype=float)
    cloud = particle_cloud(
        points[0].reshape(-1, 3), radius=radius, color=color, opacity=opacity, within=within
    )
    cloud.add_updater(lambda m: set_cloud(m, point_at(points, tracker.get_value() - start).reshape(-1, 3)))
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
    ax: Axes,
    x,
    heights,
    *,
    width: float,
    color=INK,
    opacity: float = 0.85,
    base: float = 0.0,
    horizontal: bool = False,
) -> VMobject:
    """A bar chart on ``ax`` as one VMobject (one Cairo path); update with ``set_bars``.

    With ``horizontal``, ``x`` are the bars' places on the y-axis and the
    heights run along the x-axis.
    """
    shape = VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
    place(shape, ax)
    shape.bar_axes, shape.bar_x, shape.bar_width, shape.bar_base = ax, np.asarray(x, float), width, base
    shape.bar_horizontal = horizontal
    return set_bars(shape, heights)


def set_bars(shape: VMobject, heights) -> VMobject:
    """Give the bars of ``bars`` new heights."""
    x, half = shape.bar_x, shape.bar_width / 2
    heights = np.broadcast_to(np.asarray(heights, float), x.shape)
    low = np.full_like(x, shape.bar_base)
    sides = [(x - half, low), (x + half, low), (x + half, heights), (x - half, heights)]
    if shape.bar_horizontal:
        sides = [(along, across) for across, along in sides]
    corners = np.stack([to_scene(shape.bar_axes, first, second) for first, second in sides], axis=1)
    shape.points = polygons_points(corners)
    return shape


def minimum_marker(ax: Axes, point, *, size: float = 0.16, color=INK) -> VMobject:
    """A star at the data point ``point`` of ``ax`` (a surface's minimum), drawn over paths."""
    star = Star(5, outer_radius=size, density=2, fill_color=color, fill_opacity=1.0)
    star.set_stroke(BLACK, width=1.5)
    star.move_to(to_scene(ax, np.asarray(point, float).reshape(1, 2))[0])
    place(star, ax)
    return star


class FlatArrow(VGroup):
    """An arrow whose shaft and tip are rebuilt from two points with numpy only.

    ``Arrow`` re-creates and re-scales its tip on every change; this one only
    replaces points, so it can follow a tracker at every frame.
    """

    def __init__(
        self,
        start,
        end,
        *,
        color=INK,
        width: float = 4.0,
        tip: float = 0.16,
        within: Axes | None = None,
        **kwargs,
    ):
        self.tip_length = tip
        place(self, within)
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
