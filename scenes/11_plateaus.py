"""Plateaus: gradient descent crawls over a nearly flat region; heavy-ball momentum, RMSprop, Adam cross."""

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, UR, ValueTracker, VGroup

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d

NAMES = {  # TeX
    "sgd": r"\text{gradient descent}",
    "momentum": r"\text{momentum, }(1-\beta)\,dW",
    "heavy_ball": r"\text{momentum, } dW",
    "rmsprop": r"\text{RMSprop}",
    "adam": r"\text{Adam}",
}


class Plateaus(LectureScene):
    """A plateau where gradient descent crawls; two forms of momentum, RMSprop, Adam; measured step counts."""

    lr: float = 0.1
    """Learning rate α of gradient descent and of both forms of momentum."""
    beta: float = 0.9
    """Momentum β."""
    adaptive_lr: float = 0.05
    """Learning rate α of RMSprop and Adam."""
    steps: int = 300
    """Iterations shown."""
    particles: int = 32
    """Particles per optimizer for the step counts."""
    noise: float = 0.01
    """Standard deviation of the gradient noise for the step counts."""
    horizon: int = 1500
    """Most steps counted."""
    seed: int = 0
    """Seed of the gradient noise."""

    def construct(self):
        self.surface = ls.surfaces.get("plateau_cliff")
        self.start = self.surface.default_start
        self.optimizers = {
            "sgd": ls.optim.sgd(lr=self.lr),
            "momentum": ls.optim.momentum(lr=self.lr, beta=self.beta),
            "heavy_ball": ls.optim.momentum(lr=self.lr, beta=self.beta, style="heavy_ball"),
            "rmsprop": ls.optim.rmsprop(lr=self.adaptive_lr),
            "adam": ls.optim.adam(lr=self.adaptive_lr),
        }
        self.colors = {name: d.optimizer_color(name) for name in self.optimizers}
        self.colors["heavy_ball"] = d.series_color(5)
        self.runs = {
            name: ls.trace(self.surface, optimizer, self.start, steps=self.steps, engine="numpy")
            for name, optimizer in self.optimizers.items()
        }
        self.heading = d.title("The problem of plateaus")
        self.add(self.heading)
        self.show_plateau()
        self.race()
        self.count_steps()
        self.wait(2.5)

    def show_plateau(self):
        claim = d.tex(r"\text{Plateaus can make learning slow}", color=d.series_color(2))
        claim.next_to(self.heading, RIGHT, buff=0.8)
        self.ax, self.panel = d.surface_panel(
            self.surface,
            width=6.4,
            height=3.3,
            bounds=[[-4.0, 4.0], [-2.0, 2.0]],
            x_label="w_1",
            y_label="w_2",
        )
        self.ax.to_corner(DL, buff=0.5).shift(0.35 * RIGHT + 0.3 * UP)
        marks = VGroup(
            d.tex(r"\text{nearly flat}", size=d.LABEL_SIZE, color=d.INK).move_to(
                d.to_scene(self.ax, -2.5, 1.6)[0]
            ),
            d.tex(r"\text{cliff}", size=d.LABEL_SIZE, color=d.INK).move_to(d.to_scene(self.ax, 0.0, 1.6)[0]),
        )
        values = np.concatenate([run.values[:, 0] for run in self.runs.values()])
        self.loss_chart = d.chart(
            (0, self.steps),
            (0, float(values.max()) * 1.05),
            width=4.6,
            height=1.9,
            x_label=r"\text{iteration}",
            y_label="J",
        )
        self.loss_chart.to_corner(UR, buff=0.5).shift(0.55 * DOWN)
        self.add(self.panel)
        self.play(Fade(claim), Fade(marks), Fade(self.loss_chart), run_time=1.2)

    def race(self):
        legend = VGroup(
            *(d.tex(NAMES[name], size=d.LABEL_SIZE - 2, color=self.colors[name]) for name in self.optimizers)
        )
        legend.arrange_in_grid(rows=2, buff=(0.35, 0.1), flow_order="rd", col_alignments="lll")
        legend.next_to(self.panel, UP, buff=0.15).align_to(self.panel, LEFT)
        why = d.tex(
            r"&\text{On a steady slope the lecture's }"
            r" v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW \to dW\text{:}\\",
            r"&\text{no faster than gradient descent at the same } \alpha.\\",
            rf"&\text{{Without }} (1-\beta)\text{{: }} v_{{dW}} \to dW/(1-\beta)"
            rf" = {1 / (1 - self.beta):g}\, dW"
            r"\text{, as with } \alpha/(1-\beta)",
            size=d.LABEL_SIZE - 4,
            color=d.MUTED,
        )
        why.next_to(self.heading, DOWN, buff=0.25).align_to(self.heading, LEFT)
        self.play(Fade(legend), Fade(why), run_time=0.6)
        t = ValueTracker(0.0)
        moving = []
        for name, run in self.runs.items():
            points = d.to_scene(self.ax, run.positions[:, 0])
            color = self.colors[name]
            moving.append(d.growing_path(points, t, color=color, width=3, within=self.ax))
            losses = d.to_scene(self.loss_chart, np.arange(self.steps + 1), run.values[:, 0])
            moving.append(d.growing_path(losses, t, color=color, width=3, within=self.loss_chart))
            moving.append(d.moving_dots(points, t, color=color, radius=0.08, within=self.ax))
        self.add(*moving)
        self.advance(t, self.steps, 10)
        for mobject in moving:
            mobject.clear_updaters()

    def count_steps(self):
        """How many steps each optimizer needs to cross, measured over noisy particles."""
        radius = float(-self.start[0])  # leaving the ball around the start that reaches the cliff at x = 0
        medians = np.array(
            [
                ls.analysis.escape_time(
                    self.surface,
                    optimizer,
                    self.start,
                    radius,
                    steps=self.horizon,
                    particles=self.particles,
                    noise=ls.noise.gaussian(self.noise),
                    seed=self.seed,
                ).median
                for optimizer in self.optimizers.values()
            ]
        )
        shown = np.where(np.isfinite(medians), medians, self.horizon)
        chart = d.chart(
            (0, self.horizon * 1.15),
            (0, len(shown) + 1),
            width=3.2,
            height=2.3,
            y_step=1,
            x_step=500,
            x_label=r"\text{steps to cross (median)}",
        )
        chart.y_axis.numbers.set_opacity(0)
        chart.next_to(self.loss_chart, DOWN, buff=0.7).align_to(self.loss_chart, RIGHT)
        places = np.arange(len(shown), 0, -1)  # the first optimizer on top
        shapes = VGroup(
            *(
                d.bars(chart, [y], [length], width=0.6, color=self.colors[name], horizontal=True)
                for y, length, name in zip(places, shown, self.optimizers, strict=True)
            )
        )
        names = VGroup(
            *(
                d.tex(
                    NAMES[name],
                    size=d.LABEL_SIZE - 6,
                    color=self.colors[name],
                ).next_to(d.to_scene(chart, 0, y)[0], LEFT, buff=0.15)
                for y, name in zip(places, self.optimizers, strict=True)
            )
        )
        counts = VGroup(
            *(
                d.tex(
                    f"{length:.0f}" if np.isfinite(median) else rf"> {self.horizon}",
                    size=d.LABEL_SIZE - 6,
                    color=self.colors[name],
                ).next_to(d.to_scene(chart, length, y)[0], RIGHT, buff=0.08)
                for y, length, median, name in zip(places, shown, medians, self.optimizers, strict=True)
            )
        )
        caption = (
            d.tex(
                rf"{self.particles} \text{{ particles each, gradient noise }} \sigma = {self.noise:g}",
                size=d.LABEL_SIZE - 6,
                color=d.MUTED,
            )
            .next_to(chart, UP, buff=0.15)
            .align_to(chart, RIGHT)
        )
        self.play(Fade(chart), Fade(shapes), Fade(names), Fade(counts), Fade(caption), run_time=1.5)
