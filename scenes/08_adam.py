"""Adam = momentum + RMSprop + bias correction, assembled term by term, racing the other three."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Adam(LectureScene):
    """Adam's equations assembled term by term, next to the paths of all four optimizers on one surface."""

    surface: str = "rosenbrock"
    """Registered 2-D surface the four optimizers run on."""
    steps: int = 400
    """Iterations."""
    sgd_lr: float = 0.004
    """Learning rate of gradient descent."""
    momentum_lr: float = 0.02
    """Learning rate of momentum (β = 0.9)."""
    rmsprop_lr: float = 0.01
    """Learning rate of RMSprop (β₂ = 0.9)."""
    adam_lr: float = 0.2
    """Learning rate α of Adam (β₁, β₂, ε at the lecture's defaults)."""

    def construct(self):
        surface = ls.surfaces.get(self.surface)
        defaults = ls.optim.parameters("adam")
        rates = {
            "sgd": self.sgd_lr,
            "momentum": self.momentum_lr,
            "rmsprop": self.rmsprop_lr,
            "adam": self.adam_lr,
        }
        optimizers = {name: ls.optim.get(name, lr=rate) for name, rate in rates.items()}
        runs = {
            name: ls.trace(surface, opt, surface.default_start, steps=self.steps)
            for name, opt in optimizers.items()
        }
        colors = {name: d.optimizer_color(name) for name in optimizers}

        title = d.title("Adam: adaptive moment estimation")
        lines = [
            (
                r"v_{dW} &= \beta_1 v_{dW} + (1-\beta_1)\, dW",
                r"\text{momentum: } \beta_1",
                colors["momentum"],
            ),
            (
                r"S_{dW} &= \beta_2 S_{dW} + (1-\beta_2)\, dW^2",
                r"\text{RMSprop: } \beta_2",
                colors["rmsprop"],
            ),
            (r"v^{\text{corrected}}_{dW} &= v_{dW} / (1-\beta_1^t)", r"\text{bias correction}", d.INK),
            (r"S^{\text{corrected}}_{dW} &= S_{dW} / (1-\beta_2^t)", r"\text{bias correction}", d.INK),
            (
                r"W &:= W - \alpha\,"
                r" \frac{v^{\text{corrected}}_{dW}}{\sqrt{S^{\text{corrected}}_{dW}} + \varepsilon}",
                r"\text{Adam}",
                colors["adam"],
            ),
        ]
        equations = VGroup(*(d.tex(line, size=d.LABEL_SIZE + 4, color=color) for line, _, color in lines))
        equations.arrange(DOWN, aligned_edge=LEFT, buff=0.28).next_to(title, DOWN, buff=0.4).align_to(
            title, LEFT
        )
        notes = VGroup(
            *(
                d.tex(note, size=d.LABEL_SIZE - 2, color=color).next_to(equation, RIGHT, buff=0.4)
                for equation, (_, note, color) in zip(equations, lines, strict=True)
            )
        )
        exponent = int(np.round(np.log10(defaults["eps"])))
        hyper = (
            d.tex(
                r"&\alpha:\ \text{needs to be tuned}\\",
                rf"&\beta_1 = {defaults['b1']:g}\ (dW) \qquad \beta_2 = {defaults['b2']:g}\ (dW^2)"
                rf" \qquad \varepsilon = 10^{{{exponent}}}",
                size=d.LABEL_SIZE,
                color=d.MUTED,
            )
            .next_to(equations, DOWN, buff=0.45)
            .align_to(equations, LEFT)
        )

        ax, panel = d.surface_panel(surface, width=4.8, height=4.8, x_label="x", y_label="y")
        ax.to_corner(DOWN + RIGHT, buff=0.45)
        self.add(title)
        for equation, note in zip(equations, notes, strict=True):
            self.play(Write(equation), Fade(note), run_time=1.3)
        self.play(Fade(hyper), Fade(panel), run_time=1.2)

        legend = (
            VGroup(
                *(
                    d.tex(
                        rf"\text{{{name}}}\ \ \alpha = {rates[name]:g}",
                        size=d.LABEL_SIZE - 2,
                        color=colors[name],
                    )
                    for name in optimizers
                )
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.08)
            .next_to(hyper, DOWN, buff=0.4)
            .align_to(hyper, LEFT)
        )
        self.play(Fade(legend), run_time=0.8)
        t = ValueTracker(0.0)
        moving = []
        for name, run in runs.items():
            points = d.to_scene(ax, run.positions[:, 0])
            moving.append(d.growing_path(points, t, color=colors[name], width=3))
            dot = d.particle_cloud(points[:1], radius=0.07, color=colors[name])
            dot.add_updater(lambda m, p=points: d.set_cloud(m, d.point_at(p, t.get_value())[None]))
            moving.append(dot)
        self.add(*moving)
        self.advance(t, self.steps, 10)
        for mobject in moving:
            mobject.clear_updaters()
        finals = VGroup(
            *(
                d.tex(rf"f = {run.values[-1, 0]:.2g}", size=d.LABEL_SIZE - 2, color=colors[name]).next_to(
                    entry, RIGHT, buff=0.25
                )
                for entry, (name, run) in zip(legend, runs.items(), strict=True)
            )
        )
        self.play(Fade(finals), run_time=1)
        self.wait(2)
