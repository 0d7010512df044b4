"""RMSprop: each direction divided by the root of its own mean square, S_dW and S_db."""

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Rmsprop(LectureScene):
    """RMSprop's per-direction scaling: large steps along the flat W, small along the steep b."""

    kappa: float = 200.0
    """Curvature ratio of the elongated bowl (b is the steep direction), as in the momentum scene."""
    start_b: float = 0.6
    """Starting b (W starts at -3.5)."""
    gd_lr: float = 0.0098
    """Learning rate α of plain gradient descent (it must stay below 2/κ)."""
    lr: float = 0.08
    """Learning rate α of RMSprop."""
    beta: float = 0.9
    """β₂ of RMSprop's mean square."""
    steps: int = 60
    """Iterations shown."""

    def construct(self):
        self.surface = ls.surfaces.get("elongated_bowl", kappa=self.kappa)
        start = np.array([-3.5, self.start_b])
        self.eps = ls.optim.parameters("rmsprop")["eps"]
        # The lecture's RMSprop slide writes ε inside the root: sqrt(S + ε).
        optimizer = ls.optim.rmsprop(lr=self.lr, beta=self.beta, eps=self.eps, eps_in_sqrt=True)
        self.gd = ls.trace(
            self.surface, ls.optim.sgd(lr=self.gd_lr), start, steps=self.steps, engine="numpy"
        ).positions[:, 0]
        # one step more than shown, so that the trace holds S after the gradient at every iterate
        run = ls.trace(
            self.surface, optimizer, start, steps=self.steps + 1, record_state=True, engine="numpy"
        )
        self.path = run.positions[: self.steps + 1, 0]
        # S_dW, S_db as the optimizer keeps them: S = β S + (1 - β) dW² after each gradient
        self.mean_square = run.state["scale_by_rms.mean_square"][1:, 0]
        self.moves = np.abs(np.diff(self.path, axis=0))  # |ΔW|, |Δb| of each step
        self.color = d.optimizer_color("rmsprop")
        self.sgd_color = d.optimizer_color("sgd")
        self.w_color, self.b_color = d.series_color(5), d.series_color(4)
        self.show_equations()
        self.show_gradient_descent()
        self.show_rmsprop()
        self.show_conclusion()
        self.wait(2)

    def show_equations(self):
        title = d.title("RMSprop: root mean square prop")
        exponent = int(np.round(np.log10(self.eps)))
        self.equations = (
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
            rf"&\varepsilon = 10^{{{exponent}}} \text{{ inside the root, as on the slide}}\\",
            r"&\text{(Adam's slide: } \sqrt{S} + \varepsilon\text{)},\ dW^2 \text{ element-wise}",
            size=d.LABEL_SIZE - 2,
            color=d.MUTED,
        ).next_to(self.equations, RIGHT, buff=0.5)
        self.ax, self.panel = d.surface_panel(
            self.surface, width=7.0, height=3.2, bounds=[[-4.0, 1.0], [-1.0, 1.0]], x_label="W", y_label="b"
        )
        self.ax.to_corner(DL, buff=0.55).shift(0.35 * RIGHT)
        self.add(title, self.panel)
        self.play(Write(self.equations), Fade(note), run_time=2.5)

    def show_gradient_descent(self):
        t = ValueTracker(0.0)
        points = d.to_scene(self.ax, self.gd)
        line = d.growing_path(points, t, color=self.sgd_color, width=3, within=self.ax)
        dot = d.moving_dots(points, t, color=self.sgd_color, within=self.ax)
        self.gd_label = d.tex(
            rf"\text{{gradient descent: }} \alpha = {self.gd_lr:g}", size=d.LABEL_SIZE, color=self.sgd_color
        )
        self.gd_label.next_to(self.panel, UP, buff=0.15).align_to(self.panel, LEFT)
        self.play(Fade(self.gd_label), run_time=0.5)
        self.add(line, dot)
        self.advance(t, self.steps, 4)
        for mobject in (line, dot):
            mobject.clear_updaters()
        self.play(line.animate.set_stroke(opacity=0.35), dot.animate.set_fill(opacity=0.35), run_time=0.5)

    def show_rmsprop(self):
        s = ValueTracker(0.0)
        label = d.tex(
            rf"\text{{RMSprop: }} \alpha = {self.lr:g},\ \beta_2 = {self.beta:g}",
            size=d.LABEL_SIZE,
            color=self.color,
        ).next_to(self.gd_label, RIGHT, buff=0.5)
        charts, root_chart, move_chart = self.charts()
        self.play(Fade(label), Fade(charts), run_time=1)
        steps = np.arange(self.steps + 1)
        points = d.to_scene(self.ax, self.path)
        roots = np.sqrt(self.mean_square[1:])
        moving = [
            d.growing_path(points, s, color=self.color, width=4, within=self.ax),
            d.moving_dots(points, s, color=self.color, radius=0.08, within=self.ax),
        ]
        for column, color in ((0, self.w_color), (1, self.b_color)):
            for chart, values in ((root_chart, roots[:, column]), (move_chart, self.moves[:, column])):
                series = d.to_scene(chart, steps[1:], values)
                moving.append(d.growing_path(series, s, color=color, width=3, start=1, within=chart))
        self.add(*moving)
        self.advance(s, self.steps, 9)
        for mobject in moving:
            mobject.clear_updaters()

    def charts(self):
        """√S_dW and √S_db (log scale), and the size of each step along W and b."""
        root_chart = d.chart(
            (0, self.steps),
            d.log_range(np.sqrt(self.mean_square[1:])),
            width=4.3,
            height=1.3,
            y_log=True,
            x_label="t",
        )
        move_chart = d.chart(
            (0, self.steps), (0, float(self.moves.max()) * 1.1), width=4.3, height=1.3, x_label="t"
        )
        headings = [
            d.tex(r"\sqrt{S_{dW}}", r"\ \text{and}\ ", r"\sqrt{S_{db}}", size=d.LABEL_SIZE),
            d.tex(r"\lvert \Delta W \rvert", r"\ \text{and}\ ", r"\lvert \Delta b \rvert", size=d.LABEL_SIZE),
        ]
        for heading in headings:
            heading[0].set_color(self.w_color)
            heading[2].set_color(self.b_color)
        charts = (
            VGroup(
                VGroup(headings[0], root_chart).arrange(DOWN, buff=0.1),
                VGroup(headings[1], move_chart).arrange(DOWN, buff=0.1),
            )
            .arrange(DOWN, buff=0.3)
            .to_corner(DOWN + RIGHT, buff=0.4)
        )
        return charts, root_chart, move_chart

    def show_conclusion(self):
        larger = d.tex(
            rf"\alpha = {self.lr:g} > 2/\kappa = {2 / self.kappa:g}"
            r":\ \text{ a larger } \alpha \text{ without diverging}",
            size=d.LABEL_SIZE + 2,
            color=self.color,
        )
        larger.next_to(self.panel, DOWN, buff=0.12)
        self.play(Fade(larger), run_time=1)
