"""RMSprop: each direction divided by the root of its own mean square, S_dW and S_db."""

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Rmsprop(LectureScene):
    """RMSprop's per-direction scaling: large steps along the flat W, small along the steep b."""

    kappa: float = 50.0
    """Curvature ratio of the elongated bowl (b is the steep direction)."""
    gd_lr: float = 0.038
    """Learning rate α of plain gradient descent (it must stay below 2/κ)."""
    lr: float = 0.1
    """Learning rate α of RMSprop."""
    beta: float = 0.9
    """β₂ of RMSprop's mean square."""
    steps: int = 40
    """Iterations shown."""

    def construct(self):
        surface = ls.surfaces.get("elongated_bowl", kappa=self.kappa)
        start = surface.default_start
        eps = ls.optim.parameters("rmsprop")["eps"]
        # The lecture writes ε inside the root: sqrt(S + ε).
        optimizer = ls.optim.rmsprop(lr=self.lr, beta=self.beta, eps=eps, eps_in_sqrt=True)
        gd = ls.trace(surface, ls.optim.sgd(lr=self.gd_lr), start, steps=self.steps).positions[:, 0]
        path = ls.trace(surface, optimizer, start, steps=self.steps).positions[:, 0]
        grads = surface.grad(path)
        mean_square = np.stack([ls.ewa(grads[:, i] ** 2, self.beta) for i in range(2)], axis=-1)  # S_dW, S_db
        moves = np.abs(np.diff(path, axis=0))  # |ΔW|, |Δb| of each step
        sgd_color, color = d.optimizer_color("sgd"), d.optimizer_color("rmsprop")
        w_color, b_color = d.series_color(5), d.series_color(4)

        title = d.title("RMSprop: root mean square prop")
        exponent = int(np.round(np.log10(eps)))
        equations = (
            d.tex(
                r"S_{dW} &= \beta_2\, S_{dW} + (1-\beta_2)\, dW^2,"
                r" & W &:= W - \alpha\, \frac{dW}{\sqrt{S_{dW} + \varepsilon}}\\",
                r"S_{db} &= \beta_2\, S_{db} + (1-\beta_2)\, db^2,"
                r" & b &:= b - \alpha\, \frac{db}{\sqrt{S_{db} + \varepsilon}}",
                size=d.FONT_SIZE - 2,
            )
            .next_to(title, DOWN, buff=0.25)
            .align_to(title, LEFT)
        )
        note = d.tex(
            rf"\varepsilon = 10^{{{exponent}}},\ \ dW^2 \text{{ element-wise}}",
            size=d.LABEL_SIZE,
            color=d.MUTED,
        ).next_to(title, RIGHT, buff=0.8)
        ax, panel = d.surface_panel(surface, width=7.2, height=3.3, x_label="W", y_label="b")
        ax.to_corner(DL, buff=0.5).shift(0.3 * RIGHT + 0.45 * UP)

        steps = np.arange(self.steps + 1)
        root_chart = d.chart(
            (0, self.steps),
            d.log_range(np.sqrt(mean_square[1:])),
            width=4.3,
            height=1.6,
            y_log=True,
            x_label="t",
        )
        move_chart = d.chart(
            (0, self.steps), (0, float(moves.max()) * 1.1), width=4.3, height=1.6, x_label="t"
        )
        charts = (
            VGroup(
                VGroup(
                    d.tex(r"\sqrt{S_{dW}}", r"\ \text{and}\ ", r"\sqrt{S_{db}}", size=d.LABEL_SIZE),
                    root_chart,
                ).arrange(DOWN, buff=0.1),
                VGroup(
                    d.tex(r"\text{step along } W", r"\ \text{and}\ ", r"b", size=d.LABEL_SIZE), move_chart
                ).arrange(DOWN, buff=0.1),
            )
            .arrange(DOWN, buff=0.3)
            .to_corner(DOWN + RIGHT, buff=0.4)
        )
        for group in charts:
            group[0][0].set_color(w_color)
            group[0][2].set_color(b_color)
        self.add(title, panel)
        self.play(Write(equations), Fade(note), run_time=2.5)

        t = ValueTracker(0.0)
        gd_points = d.to_scene(ax, gd)
        gd_line = d.growing_path(gd_points, t, color=sgd_color, width=3)
        gd_label = d.tex(
            rf"\text{{gradient descent, }} \alpha = {self.gd_lr:g}", size=d.LABEL_SIZE, color=sgd_color
        )
        gd_label.next_to(panel, UP, buff=0.15).align_to(panel, LEFT)
        self.play(Fade(gd_label), run_time=0.5)
        self.add(gd_line)
        self.advance(t, self.steps, 4)
        gd_line.clear_updaters()

        s = ValueTracker(0.0)
        label = d.tex(
            rf"\text{{RMSprop, }} \alpha = {self.lr:g},\ \beta_2 = {self.beta:g}",
            size=d.LABEL_SIZE,
            color=color,
        )
        label.next_to(gd_label, RIGHT, buff=0.5)
        self.play(Fade(label), Fade(charts), run_time=1)
        points = d.to_scene(ax, path)
        moving = [
            d.growing_path(points, s, color=color, width=4),
            d.growing_path(
                d.to_scene(root_chart, steps[1:], np.sqrt(mean_square[1:, 0])),
                s,
                color=w_color,
                width=3,
                start=1,
            ),
            d.growing_path(
                d.to_scene(root_chart, steps[1:], np.sqrt(mean_square[1:, 1])),
                s,
                color=b_color,
                width=3,
                start=1,
            ),
            d.growing_path(
                d.to_scene(move_chart, steps[1:], moves[:, 0]), s, color=w_color, width=3, start=1
            ),
            d.growing_path(
                d.to_scene(move_chart, steps[1:], moves[:, 1]), s, color=b_color, width=3, start=1
            ),
        ]
        dot = d.particle_cloud(points[:1], radius=0.08, color=color)
        dot.add_updater(lambda m: d.set_cloud(m, d.point_at(points, s.get_value())[None]))
        self.add(*moving, dot)
        self.advance(s, self.steps, 9)
        for mobject in (*moving, dot):
            mobject.clear_updaters()
        larger = d.tex(
            r"\Rightarrow \text{ a larger } \alpha \text{ without diverging}",
            size=d.LABEL_SIZE + 2,
            color=color,
        )
        larger.next_to(panel, DOWN, buff=0.08)
        self.play(Fade(larger), run_time=1)
        self.wait(2)
