"""Gradient descent zig-zags across an elongated bowl; momentum averages the zig-zag away."""

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UL, UP, UR, MathTex, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Momentum(LectureScene):
    """Gradient descent oscillating across an elongated bowl and momentum damping it."""

    kappa: float = 50.0
    """Curvature ratio of the elongated bowl (b is the steep direction)."""
    gd_lr: float = 0.038
    """Learning rate α of plain gradient descent (it must stay below 2/κ)."""
    lr: float = 0.08
    """Learning rate α of momentum."""
    beta: float = 0.9
    """Momentum β."""
    steps: int = 40
    """Number of iterations shown."""

    def construct(self):
        surface = ls.surfaces.get("elongated_bowl", kappa=self.kappa)
        start = surface.default_start
        gd = ls.trace(surface, ls.optim.sgd(lr=self.gd_lr), start, steps=self.steps).positions[:, 0]
        path = ls.trace(
            surface, ls.optim.momentum(lr=self.lr, beta=self.beta), start, steps=self.steps
        ).positions[:, 0]
        grads = surface.grad(path)  # dW, db at each iterate
        velocity = np.stack([ls.ewa(grads[:, i], self.beta) for i in range(2)], axis=-1)
        sgd_color, momentum_color = d.optimizer_color("sgd"), d.optimizer_color("momentum")

        title = MathTex(r"\text{Gradient descent with momentum}", font_size=40).to_corner(UL)
        equations = MathTex(
            r"v_{dW} &= \beta\, v_{dW} + (1-\beta)\, dW, & W &:= W - \alpha\, v_{dW}\\",
            r"v_{db} &= \beta\, v_{db} + (1-\beta)\, db, & b &:= b - \alpha\, v_{db}",
            font_size=d.FONT_SIZE,
        ).next_to(title, DOWN, aligned_edge=LEFT)
        window = ls.effective_window(self.beta)
        note = MathTex(
            rf"\beta = {self.beta:g}:\ \text{{average over the last}}"
            rf" \approx {window:.0f} \text{{ gradients}}",
            font_size=d.LABEL_SIZE,
            color=d.MUTED,
        ).next_to(equations, RIGHT, buff=0.8)
        ax, panel = d.surface_panel(surface, width=7.6, height=3.8, x_label="W", y_label="b")
        ax.to_corner(DL, buff=0.5).shift(0.3 * RIGHT)

        steps = np.arange(self.steps + 1)
        b_chart = d.chart((0, self.steps), d.symmetric_range(grads[:, 1]), width=4.3, height=2.0, x_label="t")
        w_chart = d.chart((0, self.steps), d.symmetric_range(grads[:, 0]), width=4.3, height=2.0, x_label="t")
        b_title = MathTex(r"db \ \text{and}\ v_{db}", font_size=d.LABEL_SIZE)
        w_title = MathTex(r"dW \ \text{and}\ v_{dW}", font_size=d.LABEL_SIZE)
        charts = VGroup(
            VGroup(b_title, b_chart).arrange(DOWN, buff=0.1), VGroup(w_title, w_chart).arrange(DOWN, buff=0.1)
        )
        charts.arrange(DOWN, buff=0.3).to_corner(DOWN + RIGHT, buff=0.4)
        self.add(title, panel)
        self.play(Write(equations), Fade(note), run_time=2)

        # Plain gradient descent first.
        t = ValueTracker(0.0)
        gd_points = d.to_scene(ax, gd)
        gd_line = d.growing_path(gd_points, t, color=sgd_color, width=3)
        gd_dot = d.particle_cloud(gd_points[:1], radius=0.07, color=sgd_color)
        gd_dot.add_updater(lambda m: d.set_cloud(m, d.point_at(gd_points, t.get_value())[None]))
        gd_label = MathTex(
            rf"\text{{gradient descent, }} \alpha = {self.gd_lr:g}", font_size=d.LABEL_SIZE, color=sgd_color
        )
        gd_label.next_to(panel, UP, buff=0.15).align_to(panel, LEFT)
        self.play(Fade(gd_label), run_time=0.5)
        self.add(gd_line, gd_dot)
        self.advance(t, self.steps, 5)

        # Momentum, with the step plain gradient descent would take (−α dW) and the one it takes (−α v).
        s = ValueTracker(0.0)
        points = d.to_scene(ax, path)
        line = d.growing_path(points, s, color=momentum_color, width=4)
        dot = d.particle_cloud(points[:1], radius=0.08, color=momentum_color)
        dot.add_updater(lambda m: d.set_cloud(m, d.point_at(points, s.get_value())[None]))
        label = MathTex(
            rf"\text{{momentum, }} \alpha = {self.lr:g},\ \beta = {self.beta:g}",
            font_size=d.LABEL_SIZE,
            color=momentum_color,
        ).next_to(gd_label, RIGHT, buff=0.5)
        grad_arrow = d.FlatArrow(points[0], points[0], color=sgd_color, width=3)
        velocity_arrow = d.FlatArrow(points[0], points[0], color=momentum_color, width=4)
        legend = VGroup(
            MathTex(r"-\alpha\, dW", font_size=d.LABEL_SIZE, color=sgd_color),
            MathTex(r"-\alpha\, v_{dW}", font_size=d.LABEL_SIZE, color=momentum_color),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        legend.add_background_rectangle(opacity=0.75, buff=0.12)
        legend.move_to(panel[1].get_corner(UR), aligned_edge=UR).shift(0.12 * DL)

        def place_arrows(_):
            k = min(int(s.get_value()), self.steps - 1)
            here = d.to_scene(ax, [path[k], path[k] - self.lr * grads[k], path[k] - self.lr * velocity[k]])
            grad_arrow.put(here[0], here[1])
            velocity_arrow.put(here[0], here[2])

        grad_arrow.add_updater(place_arrows)
        series = []
        for chart, column in ((b_chart, 1), (w_chart, 0)):
            for values, color, width in (
                (grads[:, column], sgd_color, 2),
                (velocity[:, column], momentum_color, 4),
            ):
                series.append(d.growing_path(d.to_scene(chart, steps, values), s, color=color, width=width))
        self.play(Fade(label), Fade(legend), Fade(charts), run_time=1)
        self.bring_to_front(gd_line, gd_dot)
        self.add(line, grad_arrow, velocity_arrow, dot, *series)
        self.advance(s, self.steps, 10)
        self.wait(2)
