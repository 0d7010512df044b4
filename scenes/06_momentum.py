"""Gradient descent zig-zags across an elongated bowl; momentum averages the zig-zag away."""

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, UR, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Momentum(LectureScene):
    """Gradient descent oscillating across an elongated bowl and momentum damping it."""

    kappa: float = 200.0
    """Curvature ratio of the elongated bowl (b is the steep direction)."""
    start_b: float = 0.6
    """Starting b (W starts at -3.5)."""
    gd_lr: float = 0.0098
    """Learning rate α of plain gradient descent (it must stay below 2/κ)."""
    lr: float = 0.025
    """Learning rate α of momentum (below (1-√β)/(1+√β): W never overshoots its minimum)."""
    beta: float = 0.9
    """Momentum β."""
    steps: int = 60
    """Number of iterations shown."""
    arrow_scale: float = 2.0
    """The arrows of the steps are drawn this many times longer than the steps."""

    def construct(self):
        self.surface = ls.surfaces.get("elongated_bowl", kappa=self.kappa)
        self.start = np.array([-3.5, self.start_b])
        self.gd = ls.trace(
            self.surface, ls.optim.sgd(lr=self.gd_lr), self.start, steps=self.steps, engine="numpy"
        )
        # one step more than shown, so that the trace holds v after the gradient at every iterate
        run = ls.trace(
            self.surface, ls.optim.momentum(lr=self.lr, beta=self.beta), self.start,
            steps=self.steps + 1, record_state=True, engine="numpy",
        )
        self.path = run.positions[: self.steps + 1, 0]
        self.grads = self.surface.grad(self.path)  # dW, db at each iterate
        # v_dW, v_db as the optimizer keeps them: v = β v + (1 - β) dW after each gradient
        self.velocity = run.state["scale_by_momentum.velocity"][1:, 0]
        self.colors = {"sgd": d.optimizer_color("sgd"), "momentum": d.optimizer_color("momentum")}
        self.show_equations()
        self.show_gradient_descent()
        self.show_momentum()
        self.show_variant()
        self.wait(2)

    def show_equations(self):
        title = d.title("Gradient descent with momentum")
        self.equations = d.tex(
            r"v_{dW} &= \beta\, v_{dW} + (1-\beta)\, dW, & W &:= W - \alpha\, v_{dW}\\",
            r"v_{db} &= \beta\, v_{db} + (1-\beta)\, db, & b &:= b - \alpha\, v_{db}",
        ).next_to(title, DOWN, aligned_edge=LEFT)
        window = ls.effective_window(self.beta)
        self.note = note = d.tex(
            rf"\beta = {self.beta:g}:\ \text{{average over the last}}"
            rf" \approx {window:.0f} \text{{ gradients}}",
            size=d.LABEL_SIZE,
            color=d.MUTED,
        ).next_to(self.equations, RIGHT, buff=0.6)
        self.ax, self.panel = d.surface_panel(
            self.surface, width=7.0, height=3.4, bounds=[[-4.0, 1.0], [-1.0, 1.0]], x_label="W", y_label="b"
        )
        self.ax.to_corner(DL, buff=0.55).shift(0.35 * RIGHT)
        self.add(title, self.panel)
        self.play(Write(self.equations), Fade(note), run_time=2)

    def show_gradient_descent(self):
        t = ValueTracker(0.0)
        points = d.to_scene(self.ax, self.gd.positions[:, 0])
        color = self.colors["sgd"]
        self.gd_moving = [
            d.growing_path(points, t, color=color, width=3, within=self.ax),
            d.moving_dots(points, t, color=color, within=self.ax),
        ]
        self.gd_label = d.tex(
            rf"\text{{gradient descent: }} \alpha = {self.gd_lr:g}\ \ (\text{{just below }} 2/\kappa"
            rf" = {2 / self.kappa:g})",
            size=d.LABEL_SIZE,
            color=color,
        )
        self.gd_label.next_to(self.panel, UP, buff=0.55).align_to(self.panel, LEFT)
        self.play(Fade(self.gd_label), run_time=0.5)
        self.add(*self.gd_moving)
        self.advance(t, self.steps, 5)
        for mobject in self.gd_moving:
            mobject.clear_updaters()
        line, dot = self.gd_moving
        self.play(line.animate.set_stroke(opacity=0.35), dot.animate.set_fill(opacity=0.35), run_time=0.5)

    def show_momentum(self):
        """The momentum path, with the new gradient's share −α(1−β)dW and the step taken −α v_dW."""
        s = ValueTracker(0.0)
        color, sgd_color = self.colors["momentum"], self.colors["sgd"]
        points = d.to_scene(self.ax, self.path)
        label = d.tex(
            rf"\text{{momentum: }} \alpha = {self.lr:g},\ \beta = {self.beta:g}",
            size=d.LABEL_SIZE,
            color=color,
        ).next_to(self.gd_label, DOWN, buff=0.12, aligned_edge=LEFT)
        share = d.FlatArrow(points[0], points[0], color=sgd_color, width=3, tip=0.12, within=self.ax)
        step = d.FlatArrow(points[0], points[0], color=color, width=4, tip=0.12, within=self.ax)
        legend = VGroup(
            d.tex(r"-\alpha\,(1-\beta)\, dW", size=d.LABEL_SIZE, color=sgd_color),
            d.tex(r"-\alpha\, v_{dW}", size=d.LABEL_SIZE, color=color),
            d.tex(rf"(\text{{arrows}} \times {self.arrow_scale:g})", size=d.LABEL_SIZE - 4, color=d.MUTED),
        ).arrange(RIGHT, buff=0.3)
        legend.add_background_rectangle(opacity=0.8, buff=0.1)
        legend.move_to(self.panel[1].get_corner(UR), aligned_edge=UR).shift(0.1 * DL)

        def place(_):
            k = min(int(s.get_value()), self.steps - 1)
            tips = [
                self.path[k] - self.arrow_scale * self.lr * (1 - self.beta) * self.grads[k],
                self.path[k] - self.arrow_scale * self.lr * self.velocity[k],
            ]
            here = d.to_scene(self.ax, [self.path[k], *tips])
            share.put(here[0], here[1])
            step.put(here[0], here[2])

        share.add_updater(place)
        charts, series = self.gradient_charts(s)
        self.play(Fade(label), Fade(legend), Fade(charts), run_time=1)
        moving = [
            d.growing_path(points, s, color=color, width=4, within=self.ax),
            d.moving_dots(points, s, color=color, radius=0.08, within=self.ax),
        ]
        self.add(*moving, share, step, *series)
        self.advance(s, self.steps, 10)
        for mobject in (*moving, *series, share):
            mobject.clear_updaters()
        self.play(Fade(share, out=True), Fade(step, out=True), Fade(legend, out=True), run_time=0.5)
        self.momentum_label = label

    def gradient_charts(self, tracker):
        """db with v_db and dW with v_dW against t, growing with ``tracker``."""
        steps = np.arange(self.steps + 1)
        charts, axes = VGroup(), []
        for column, name in ((1, "b"), (0, "W")):
            chart = d.chart(
                (0, self.steps), d.symmetric_range(self.grads[:, column]), width=4.4, height=1.6, x_label="t"
            )
            heading = d.tex(rf"d{name}", r"\ \text{and}\ ", rf"v_{{d{name}}}", size=d.LABEL_SIZE)
            heading[0].set_color(self.colors["sgd"])
            heading[2].set_color(self.colors["momentum"])
            charts.add(VGroup(heading, chart).arrange(DOWN, buff=0.12))
            axes.append((chart, column))
        charts.arrange(DOWN, buff=0.3).to_corner(DOWN + RIGHT, buff=0.4)
        series = [
            d.growing_path(
                d.to_scene(chart, steps, values[:, column]), tracker, color=color, width=width, within=chart
            )
            for chart, column in axes
            for values, color, width in (
                (self.grads, self.colors["sgd"], 2),
                (self.velocity, self.colors["momentum"], 4),
            )
        ]
        return charts, series

    def show_variant(self):
        """v = βv + dW (no 1 − β) with α(1 − β): the very same steps."""
        matched = self.lr * (1 - self.beta)
        variant = ls.trace(
            self.surface,
            ls.optim.momentum(lr=matched, beta=self.beta, style="heavy_ball"),
            self.start,
            steps=self.steps,
            engine="numpy",
        ).positions[:, 0]
        dashed = d.polyline(d.to_scene(self.ax, variant), color=d.INK, width=2, within=self.ax)
        dashed.set_stroke(opacity=0.9)
        dashes = d.dashed(dashed)
        text = d.tex(
            r"&\text{without } (1-\beta):\ v_{dW} = \beta\, v_{dW} + dW\\",
            rf"&\text{{with }} \alpha = {matched:.4g} \text{{ takes the same steps (dashed)}}",
            size=d.LABEL_SIZE,
            color=d.INK,
        )
        text.move_to(self.note, aligned_edge=LEFT)
        self.play(Fade(self.note, out=True), run_time=0.5)
        self.play(Fade(text), Fade(dashes), run_time=1.2)
