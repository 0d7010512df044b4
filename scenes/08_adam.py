"""Adam = momentum + RMSprop + bias correction, assembled term by term, racing the other three."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d

NAMES = {"sgd": "gradient descent", "momentum": "momentum", "rmsprop": "RMSprop", "adam": "Adam"}


class Adam(LectureScene):
    """Adam's equations assembled term by term, next to the paths of all four optimizers on one surface.

    The learning rates are the best of a sweep (``ls.sweep``) over
    α = 10^-4 … 10^0 in quarter decades, 300 steps from Beale's default
    start: for each optimizer the lowest median value over the last 50 steps
    (``ls.plot.tail_scores``; β = 0.9, β₂ = 0.9 for RMSprop, Adam's β₁ = 0.9,
    β₂ = 0.999, ε = 10⁻⁸). ``tests/scenes`` checks that they still are.
    """

    surface: str = "beale"
    """Registered 2-D surface the four optimizers run on (badly scaled: values from 0 to 10^5)."""
    steps: int = 300
    """Iterations."""
    sgd_lr: float = 0.01778
    """Learning rate of gradient descent (the sweep's best)."""
    momentum_lr: float = 0.05623
    """Learning rate of momentum, β = 0.9 (the sweep's best)."""
    rmsprop_lr: float = 0.01778
    """Learning rate of RMSprop, β₂ = 0.9 (the sweep's best)."""
    adam_lr: float = 1.0
    """Learning rate α of Adam, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸ (the sweep's best)."""

    def construct(self):
        self.space = ls.surfaces.get(self.surface)
        rates = {
            "sgd": self.sgd_lr,
            "momentum": self.momentum_lr,
            "rmsprop": self.rmsprop_lr,
            "adam": self.adam_lr,
        }
        self.optimizers = {name: ls.optim.get(name, lr=rate) for name, rate in rates.items()}
        self.runs = {
            name: ls.trace(self.space, optimizer, self.space.default_start, steps=self.steps, engine="numpy")
            for name, optimizer in self.optimizers.items()
        }
        self.colors = {name: d.optimizer_color(name) for name in self.optimizers}
        self.assemble_equations()
        self.race()
        self.wait(2)

    def assemble_equations(self):
        """The five lines of Adam, each with the idea it comes from."""
        title = d.title("Adam: adaptive moment estimation")
        colors = self.colors
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
        equations = VGroup(*(d.tex(line, size=d.LABEL_SIZE + 2, color=color) for line, _, color in lines))
        equations.arrange(DOWN, aligned_edge=LEFT, buff=0.22).next_to(title, DOWN, buff=0.35)
        equations.align_to(title, LEFT)
        notes = VGroup(
            *(
                d.tex(note, size=d.LABEL_SIZE - 4, color=color).next_to(equation, RIGHT, buff=0.3)
                for equation, (_, note, color) in zip(equations, lines, strict=True)
            )
        )
        defaults = ls.optim.parameters("adam")
        exponent = int(np.round(np.log10(defaults["eps"])))
        self.hyper = (
            d.tex(
                r"&\alpha:\ \text{needs to be tuned}\\",
                rf"&\beta_1 = {defaults['b1']:g}\ (dW),\ \ \beta_2 = {defaults['b2']:g}\ (dW^2),"
                rf"\ \ \varepsilon = 10^{{{exponent}}}\\",
                r"&\varepsilon \text{ outside the root (RMSprop's slide: inside)}",
                size=d.LABEL_SIZE - 2,
                color=d.MUTED,
            )
            .next_to(equations, DOWN, buff=0.3)
            .align_to(equations, LEFT)
        )
        bounds = [[-1.5, 4.5], [-2.0, 2.0]]
        self.ax, self.panel = d.surface_panel(
            self.space, width=6.3, height=4.2, bounds=bounds, x_label="x", y_label="y"
        )
        self.ax.to_corner(DOWN + RIGHT, buff=0.5)
        self.add(title)
        for equation, note in zip(equations, notes, strict=True):
            self.play(Write(equation), Fade(note), run_time=1.2)
        self.play(Fade(self.hyper), Fade(self.panel), run_time=1.2)

    def race(self):
        """The four paths at their tuned rates, the minimum marked, the final values compared."""
        minimum = self.space.minima[0]
        star = d.minimum_marker(self.ax, minimum)
        star_label = (
            d.tex(rf"\text{{minimum }} ({minimum[0]:g}, {minimum[1]:g})", size=d.LABEL_SIZE - 4, color=d.INK)
            .next_to(self.panel[1], UP, buff=0.08)
            .align_to(self.panel[1], RIGHT)
        )
        settings = {
            "sgd": "",
            "momentum": rf",\ \beta = {ls.optim.parameters('momentum')['beta']:g}",
            "rmsprop": rf",\ \beta_2 = {ls.optim.parameters('rmsprop')['beta']:g}",
            "adam": "",
        }
        legend = VGroup(
            *(
                d.tex(
                    rf"\text{{{NAMES[name]}}}\ \ \alpha = {optimizer.spec['params']['lr']:g}{settings[name]}",
                    size=d.LABEL_SIZE - 2,
                    color=self.colors[name],
                )
                for name, optimizer in self.optimizers.items()
            )
        )
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.1).next_to(self.hyper, DOWN, buff=0.35)
        legend.align_to(self.hyper, LEFT)
        caption = d.tex(
            rf"\text{{each }} \alpha \text{{: the best of a sweep, }} 10^{{-4}} \ldots 1"
            rf",\ {self.steps} \text{{ steps}}",
            size=d.LABEL_SIZE - 6,
            color=d.MUTED,
        ).next_to(legend, DOWN, buff=0.15, aligned_edge=LEFT)
        self.play(Fade(legend), Fade(caption), Fade(star), Fade(star_label), run_time=0.8)
        t = ValueTracker(0.0)
        moving = []
        for name, run in self.runs.items():
            points = d.to_scene(self.ax, run.positions[:, 0])
            moving.append(d.growing_path(points, t, color=self.colors[name], width=3, within=self.ax))
            moving.append(d.moving_dots(points, t, color=self.colors[name], within=self.ax))
        self.add(*moving)
        self.add_foreground_mobject(star)
        self.advance(t, self.steps, 10)
        for mobject in moving:
            mobject.clear_updaters()
        finals = VGroup(
            *(
                d.tex(
                    rf"f = {d.scientific(run.values[-1, 0])}", size=d.LABEL_SIZE - 2, color=self.colors[name]
                ).next_to(entry, RIGHT, buff=0.3)
                for entry, (name, run) in zip(legend, self.runs.items(), strict=True)
            )
        )
        for final in finals:  # one column, right of the longest legend entry
            final.set_x(legend.get_right()[0] + 0.3 + final.width / 2)
        self.play(Fade(finals), run_time=1)
