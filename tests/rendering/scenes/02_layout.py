"""A small scene whose layout is right, or wrong in one chosen way (for check_layout's tests)."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, ValueTracker, VGroup

from landscape.rendering import LectureScene
from landscape.rendering import drawing as d


class Crowded(LectureScene):
    """A chart with a moving dot and two labels; ``fault`` breaks one rule of check_layout."""

    fault: str = "none"
    """none, overlap, frame, panel, cut or contrast."""
    legend: bool = False
    """Show a legend on a backing rectangle not filled yet (as at the start of a fade)."""

    def construct(self):
        chart = d.chart((0, 10), (0, 1), width=6, height=3, x_label="t")
        first = d.tex(r"\text{first label}").to_corner(UP + LEFT)
        second = d.tex(r"\text{second label}").next_to(first, DOWN, buff=0.3).align_to(first, LEFT)
        if self.fault == "overlap":
            second.move_to(first).shift(0.1 * RIGHT)
        if self.fault == "frame":
            second.to_edge(RIGHT, buff=-0.5)
        if self.fault == "cut":
            second.move_to(chart.get_corner(UP + RIGHT))
        if self.fault == "contrast":
            second.set_color("#202020")
        t = ValueTracker(0.0)
        reach = 1.6 if self.fault == "panel" else 0.9  # a path that leaves the chart's top
        xs = np.linspace(0, 10, 21)
        points = d.to_scene(chart, xs, reach * xs / 10)
        dot = d.moving_dots(points, t, color=d.series_color(1), within=chart)
        self.add(chart, first, second, dot)
        if self.legend:
            legend = VGroup(d.tex(r"\text{legend}")).to_corner(DOWN + RIGHT)
            legend.add_background_rectangle(buff=0.1)
            legend.background_rectangle.set_fill(opacity=0.0)
            self.add(legend)
        self.advance(t, len(xs) - 1, 2)
