"""Small scenes for the rendering tests: a dot crossing the frame, a number, a formula."""

import numpy as np
from manim import DEGREES, UL, UR, DecimalNumber, Line3D, MathTex, ValueTracker, linear

from landscape.rendering import LectureScene, LectureThreeDScene
from landscape.rendering import drawing as d


class Tiny(LectureScene):
    """A dot crossing the frame in a few animations."""

    moves: int = 4
    """Number of animations."""
    seconds: float = 0.6
    """Run time of each animation."""
    fail_at: int = -1
    """Raise an error when this animation starts (-1: never)."""
    label: str = "t"
    """A formula shown in the corner."""
    flag: bool = False
    """Unused; a boolean parameter for the catalogue tests."""

    def construct(self):
        t = ValueTracker(0.0)
        ends = np.linspace(-5, 5, self.moves + 1)
        path = np.stack([ends, np.zeros_like(ends), np.zeros_like(ends)], -1)
        dot = d.particle_cloud(path[:1], radius=0.3, color=d.series_color(1))
        dot.add_updater(lambda m: d.set_cloud(m, d.point_at(path, t.get_value())[None]))
        number = DecimalNumber(0.0, num_decimal_places=2).to_corner(UR)
        number.add_updater(lambda m: m.set_value(t.get_value()))
        self.add(MathTex(self.label).to_corner(UL), number, dot)
        for k in range(self.moves):
            if k == self.fail_at:
                raise RuntimeError(f"the test scene fails at animation {k}")
            self.play(t.animate.set_value(k + 1), run_time=self.seconds, rate_func=linear)


class TinyThreeD(LectureThreeDScene):
    """A line turning in 3-D, in one animation."""

    def construct(self):
        self.set_camera_orientation(phi=60 * DEGREES, theta=-45 * DEGREES)
        t = ValueTracker(0.0)
        line = Line3D([-2, 0, 0], [2, 0, 0], thickness=0.05)
        line.add_updater(
            lambda m: m.become(Line3D([-2, 0, t.get_value()], [2, 0, -t.get_value()], thickness=0.05))
        )
        self.add(line)
        self.play(t.animate.set_value(2), run_time=0.5)


class Glide(LectureScene):
    """A dot gliding across in one motion, played whole or in pieces."""

    whole: bool = False
    """One play instead of ``advance``'s pieces."""

    def construct(self):
        t = ValueTracker(-5.0)
        dot = d.particle_cloud(np.zeros((1, 3)), radius=0.3, color=d.series_color(2))
        dot.add_updater(lambda m: d.set_cloud(m, np.array([[t.get_value(), 0.0, 0.0]])))
        self.add(dot)
        if self.whole:
            self.play(t.animate.set_value(5.0), run_time=6, rate_func=linear)
        else:
            self.advance(t, 5.0, 6)
