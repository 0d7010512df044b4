"""``check_layout``: what a lecturer would see wrong in a scene, found without rendering it.

The scene's construction runs once with every animation skipped (nothing is
drawn or encoded), and at sampled times -- every 0.2 s inside animations and
the end of every animation and wait -- the mobjects on screen are measured:

* nothing is drawn outside the frame;
* a shape drawn in a panel (``within=ax``, see ``drawing``) stays inside that
  panel's box;
* a text is either outside a panel's box or wholly inside it (never cut by
  the panel's frame);
* no two texts overlap;
* every text has a contrast ratio of at least 4.5 with the background (and
  with the brightest band of a surface panel it sits on), every shape drawn
  in a panel at least 3.

Texts are Manim's ``MathTex``/``Tex``/``Text``/``DecimalNumber`` mobjects,
each taken whole. A mobject counts as shown when its opacity is above
``VISIBLE``, so the two halves of a cross-fade are not taken for an overlap.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._look import GRAPHIC_CONTRAST, TEXT_CONTRAST, luminance
from ._tags import panel_axes, placed_in

VISIBLE = 0.55  # opacity above which a mobject counts as shown
TOLERANCE = 0.02  # scene units (the frame is 14.2 wide): a third of a pixel at 1280x720


@dataclass(frozen=True)
class LayoutProblem:
    """One fault seen at one time of a scene.

    Attributes
    ----------
    time : float
        Seconds from the start of the scene (at its ``time_scale``).
    kind : {"frame", "panel", "cut", "overlap", "contrast"}
    message : str
        What is wrong, naming the texts involved.
    """

    time: float
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.time:6.2f} s  {self.kind:<8} {self.message}"


def check_layout(name: str, params: dict | None = None, *, every: float = 0.2) -> list[LayoutProblem]:
    """Sample a scene of the catalogue and return its layout problems (none: an empty list).

    Parameters
    ----------
    name : str
        A scene of ``scene_catalog()``.
    params : dict, optional
        Scene parameters, as for ``render``.
    every : float
        Seconds between looks inside an animation (at the scene's time
        scale); every animation is also looked at when it ends.

    Returns
    -------
    list of LayoutProblem
        Each problem once (the first time it is seen), in time order.

    Examples
    --------
    >>> from landscape.rendering import check_layout
    >>> check_layout("ewa")  # doctest: +SKIP
    []
    """
    return dry_run(name, params, every=every)[0]


def dry_run(
    name: str, params: dict | None = None, *, every: float = 0.2
) -> tuple[list[LayoutProblem], list[tuple[float, bool]]]:
    """``check_layout``'s problems and ``(run time, frozen)`` of every animation, from one run.

    ``_manim.frame_counts`` turns the second into the frames a render writes.
    """
    from . import _manim
    from ._catalog import get_scene

    scene_class = get_scene(name).configured(params)
    found: dict[tuple[str, str], LayoutProblem] = {}

    def inspect(scene, time: float) -> None:
        for kind, message in layout_problems(scene):
            found.setdefault((kind, message), LayoutProblem(round(time, 3), kind, message))

    class Sampled(scene_class):
        def play(self, *args, **kwargs):
            super().play(*args, **kwargs)
            inspect(self, self.renderer.time)

        def play_internal(self, skip_rendering: bool = False):
            end = self.renderer.time  # skipping, the renderer has already counted the animation
            for moment in np.arange(every, self.duration, every):
                self.update_to_time(moment)
                inspect(self, end - self.duration + moment)
            super().play_internal(skip_rendering)

    settings = _manim.Settings(*_manim.QUALITIES["low"][:2], 5, "mp4")
    with tempfile.TemporaryDirectory(prefix="landscape-layout-") as scratch:
        options = _manim.manim_config(settings, Path(scratch)) | {"format": "none"}
        with _manim.session(options):
            renderer = _manim._renderer(None, _manim._camera_class(scene_class), count_only=True)
            Sampled(renderer=renderer).render()
    problems = sorted(found.values(), key=lambda problem: problem.time)
    return problems, renderer.durations


def layout_problems(scene) -> list[tuple[str, str]]:
    """``(kind, message)`` of every fault on screen now (see the module's notes)."""
    from manim import ManimColor, config

    view = _View(scene)
    texts, shapes, panels = view.collect()
    problems = []
    half_width, half_height = config.frame_width / 2, config.frame_height / 2
    frame = np.array([[-half_width, -half_height], [half_width, half_height]])
    background = luminance(ManimColor(config.background_color).to_rgb())
    for mobject, box in view.drawn_boxes():
        if not _inside(box, frame, TOLERANCE):
            problems.append(("frame", f"{_describe(mobject)} is drawn outside the frame"))
    for shape, box in shapes:
        panel = view.axes_box(placed_in(shape))
        margin = TOLERANCE + getattr(shape, "radius", 0.0) + getattr(shape, "tip_length", 0.0) / 2
        if panel is not None and not _inside(box, panel, margin):
            problems.append(("panel", f"{_describe(shape)} leaves its panel"))
        shown = view.luminances(
            shape
        )  # one colour with contrast is enough: an outline may be dark on purpose
        if len(shown) and _contrast(shown, background).max() < GRAPHIC_CONTRAST:
            problems.append(("contrast", f"{_describe(shape)} has too little contrast with the background"))
    if texts:
        boxes = np.array([box for _, box, _ in texts])
        crossing = _overlaps(boxes, boxes)
        for first, second in zip(*np.nonzero(np.triu(crossing, 1)), strict=True):
            problems.append(
                ("overlap", f"{_describe(texts[first][0])} overlaps {_describe(texts[second][0])}")
            )
    if texts and panels:
        panel_boxes = np.array([box for _, box in panels])
        touching = _overlaps(boxes, panel_boxes)
        inside = np.all(boxes[:, None, 0] >= panel_boxes[None, :, 0] - TOLERANCE, axis=-1) & np.all(
            boxes[:, None, 1] <= panel_boxes[None, :, 1] + TOLERANCE, axis=-1
        )
        for index in np.nonzero((touching & ~inside).any(axis=1))[0]:
            problems.append(("cut", f"{_describe(texts[index][0])} is cut by the frame of a panel"))
    for index, (text, _, ground) in enumerate(texts):
        if ground is not None:
            grounds = [luminance(ManimColor(ground).to_rgb())]
        else:
            grounds = [background] + [
                luminance(ManimColor(panel_axes(mobject).brightest).to_rgb())
                for (mobject, _), behind in zip(panels, touching[index] if panels else (), strict=True)
                if behind and getattr(panel_axes(mobject), "brightest", None) is not None
            ]
        shown = view.luminances(text)
        if len(shown) and min(_contrast(shown, ground).min() for ground in grounds) < TEXT_CONTRAST:
            problems.append(("contrast", f"{_describe(text)} has too little contrast with what is behind it"))
    return problems


def _contrast(luminances: np.ndarray, ground: float) -> np.ndarray:
    high, low = np.maximum(luminances, ground), np.minimum(luminances, ground)
    return (high + 0.05) / (low + 0.05)


def _overlaps(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``(n, m)`` bool: which boxes of ``first`` ``(n, 2, 2)`` overlap which of ``second``."""
    low = np.maximum(first[:, None, 0], second[None, :, 0])
    high = np.minimum(first[:, None, 1], second[None, :, 1])
    return np.all(high - low > TOLERANCE, axis=-1)


class _View:
    """The scene's mobjects as the camera shows them (3-D ones projected onto the frame).

    One look measures every mobject once: the box of each member with points
    (all of them reduced in two numpy calls, after one projection for the
    members the 3-D camera projects), then, from the leaves up, each
    mobject's box and the largest opacity of its family.
    """

    def __init__(self, scene):
        from manim.camera.three_d_camera import ThreeDCamera

        self.scene = scene
        camera = scene.renderer.camera
        self.camera = camera if isinstance(camera, ThreeDCamera) else None
        self.fixed = set(camera.fixed_in_frame_mobjects) if self.camera is not None else set()
        self._opacities = {}  # id -> opacity, of every member with points
        self._member_boxes = {}  # id -> (x low, y low, x high, y high), of those with an opacity above 0
        self._families = {}  # id -> (box or None, largest opacity of its members with points or None)
        self._visiting = set()  # the mobjects whose families are being measured
        self._measure(self._members_with_points(scene.mobjects))

    def _members_with_points(self, mobjects) -> list:
        """Every mobject of the families of ``mobjects`` that has points, each once."""
        found, seen = [], set()
        stack = list(reversed(mobjects))
        while stack:
            mobject = stack.pop()
            if id(mobject) in seen:
                continue
            seen.add(id(mobject))
            if mobject.get_num_points() > 0:
                found.append(mobject)
            stack.extend(reversed(mobject.submobjects))
        return found

    def _measure(self, members) -> None:
        """The opacity of each of ``members`` and, where it is shown at all, its box on the frame."""
        flat, in_space = [], []
        for member in members:
            opacity = self._opacities[id(member)] = _opacity(member)
            if opacity > 0:
                in_frame = self.camera is None or member in self.fixed
                (flat if in_frame else in_space).append(member)
        for group, project in ((flat, False), (in_space, True)):
            if not group:
                continue
            points = np.concatenate([member.points for member in group])
            if project:
                points = self.camera.project_points(points)
            starts = np.cumsum([0] + [len(member.points) for member in group[:-1]])
            lows = np.minimum.reduceat(points[:, :2], starts).tolist()
            highs = np.maximum.reduceat(points[:, :2], starts).tolist()
            for member, low, high in zip(group, lows, highs, strict=True):
                self._member_boxes[id(member)] = (*low, *high)

    def _family(self, mobject):
        """``(box, largest opacity)`` of the members of ``mobject``'s family that have points."""
        key = id(mobject)
        known = self._families.get(key)
        if known is not None:
            return known
        if mobject.get_num_points() > 0 and key not in self._opacities:
            self._measure([mobject])  # not in the scene
        box, largest = self._member_boxes.get(key), self._opacities.get(key)
        self._visiting.add(key)
        for child in mobject.submobjects:
            if id(child) in self._visiting:  # a family that contains itself: Manim skips the repeat too
                continue
            child_box, child_largest = self._family(child)
            box = _union(box, child_box)
            if child_largest is not None:
                largest = child_largest if largest is None else max(largest, child_largest)
        self._visiting.discard(key)
        self._families[key] = box, largest
        return box, largest

    def box(self, mobject):
        """``[[x low, y low], [x high, y high]]`` of what ``mobject`` shows on the frame, or None."""
        box = self._family(mobject)[0]
        return None if box is None else np.array([box[:2], box[2:]])

    def shown(self, mobject) -> bool:
        largest = self._family(mobject)[1]
        return largest is not None and largest > VISIBLE

    def collect(self):
        """Shown texts, shapes drawn in panels and panels, each with its box."""
        from manim import DecimalNumber, MarkupText, SingleStringMathTex, Text

        text_types = (SingleStringMathTex, Text, MarkupText, DecimalNumber)
        texts, shapes, panels = [], [], []
        stack = [(mobject, None) for mobject in reversed(self.scene.mobjects)]
        while stack:
            mobject, ground = stack.pop()
            if panel_axes(mobject) is not None and self.shown(mobject):
                box = self.axes_box(panel_axes(mobject))
                if box is not None:
                    panels.append((mobject, box))
            if isinstance(mobject, text_types):
                if self.shown(mobject) and (box := self.box(mobject)) is not None:
                    texts.append((mobject, box, ground))
                continue
            if placed_in(mobject) is not None:
                if self.shown(mobject) and (box := self.box(mobject)) is not None:
                    shapes.append((mobject, box))
                continue
            backing = getattr(mobject, "background_rectangle", None)
            fill = None if backing is None else backing.get_fill_color()
            if fill is not None:  # texts on a backing rectangle are read against it
                background = self.scene.renderer.camera.background_color
                ground = fill.interpolate(background, 1 - backing.get_fill_opacity())
            stack.extend((child, ground) for child in reversed(mobject.submobjects))
        return texts, shapes, panels

    def drawn_boxes(self):
        """Every top-level mobject with something shown, and its box."""
        for mobject in self.scene.mobjects:
            box = self.box(mobject)
            if box is not None:
                yield mobject, box

    def axes_box(self, axes):
        """The data rectangle of ``axes`` on the frame (``None`` for 3-D axes in space)."""
        from manim import ThreeDAxes

        if isinstance(axes, ThreeDAxes) and axes not in self.fixed:
            return None
        corners = np.array(
            [axes.x_axis.get_start(), axes.x_axis.get_end(), axes.y_axis.get_start(), axes.y_axis.get_end()]
        )
        x = corners[:2, 0]
        y = corners[2:, 1]
        return np.array([[x.min(), y.min()], [x.max(), y.max()]])

    def luminances(self, mobject) -> np.ndarray:
        """Relative luminances of the colours ``mobject`` is drawn in (fills and strokes shown)."""
        colors = []
        for member in mobject.family_members_with_points():
            if not hasattr(member, "fill_rgbas"):
                continue
            if _largest_alpha(member.fill_rgbas) > VISIBLE:
                colors.append(member.fill_rgbas[0, :3])
            if member.stroke_width > 0 and _largest_alpha(member.stroke_rgbas) > VISIBLE:
                colors.append(member.stroke_rgbas[0, :3])
        return luminance(np.array(colors)) if colors else np.empty(0)


def _opacity(member) -> float:
    if not hasattr(member, "fill_rgbas"):  # a ValueTracker, not drawn
        return 0.0
    fill = _largest_alpha(member.fill_rgbas)
    stroke = _largest_alpha(member.stroke_rgbas) if member.stroke_width > 0 else 0.0
    return max(fill, stroke)


def _largest_alpha(rgbas: np.ndarray) -> float:
    """The largest opacity of a colour array (most mobjects have one colour: no reduction then)."""
    if len(rgbas) == 1:
        return float(rgbas[0, 3])
    return float(rgbas[:, 3].max()) if len(rgbas) else 0.0


def _union(first, second):
    """The box around two boxes ``(x low, y low, x high, y high)`` (None: no box); a NaN stays,
    as in numpy's ``min`` and ``max``."""
    if first is None or second is None:
        return first if second is None else second
    return (
        _lower(first[0], second[0]), _lower(first[1], second[1]),
        _higher(first[2], second[2]), _higher(first[3], second[3]),
    )


def _lower(a: float, b: float) -> float:
    return b if b < a or b != b else a


def _higher(a: float, b: float) -> float:
    return b if b > a or b != b else a


def _inside(box, outer, tolerance: float) -> bool:
    return bool(np.all(box[0] >= outer[0] - tolerance) and np.all(box[1] <= outer[1] + tolerance))


def _describe(mobject) -> str:
    from manim import DecimalNumber, SingleStringMathTex, Text

    if isinstance(mobject, SingleStringMathTex):
        return f"text {mobject.tex_string!r}"
    if isinstance(mobject, DecimalNumber):
        return "a changing number" if mobject.updaters else f"number {mobject.get_value():g}"
    if isinstance(mobject, Text):
        return f"text {mobject.text!r}"
    members = mobject.family_members_with_points()
    color = (
        members[0].get_stroke_color() if members and members[0].stroke_width > 0 else mobject.get_fill_color()
    )
    return f"{type(mobject).__name__} in {color.to_hex()}"
