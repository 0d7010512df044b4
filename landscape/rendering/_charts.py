"""Line charts in the house look, and data coordinates to scene points."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, MathTex

from ._look import LABEL_SIZE, MUTED
from ._tags import mark_panel


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
    mark_panel(result, result)  # what check_layout treats as a panel
    for axis in (result.x_axis, result.y_axis):
        if getattr(axis, "numbers", None) is not None:
            axis.numbers.set_color(MUTED)
    x_numbers = getattr(result.x_axis, "numbers", None)
    bottom = min(result.y_axis.get_start()[1], result.y_axis.get_end()[1])
    if x_numbers is not None and result.x_axis.get_center()[1] > bottom + 1e-6:
        # The x-axis runs through y = 0 inside the chart: its numbers go below the chart instead.
        for number in x_numbers:
            number.set_y(bottom - 0.1 - number.height / 2)
    if x_label:
        label = MathTex(x_label, font_size=LABEL_SIZE, color=MUTED)
        low = min(bottom, result.x_axis.get_bottom()[1])  # below the numbers, wherever they are
        label.next_to([result.x_axis.get_right()[0], low, 0], DOWN, buff=0.08).align_to(result.x_axis, RIGHT)
        result.add(label)
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
