"""Plateaus: gradient descent crawls over a nearly flat region; momentum, RMSprop and Adam cross it sooner."""

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, UR, ValueTracker, VGroup

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Plateaus(LectureScene):
    """A plateau where gradient descent crawls and momentum and Adam cross faster; measured step counts."""

    lr: float = 0.1
    """Learning rate α of gradient descent and of momentum."""
    beta: float = 0.9
    """Momentum β (heavy-ball form v = βv + dW, which builds speed on a steady slope)."""
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
        surface = ls.surfaces.get("plateau_cliff")
        start = surface.default_start
        optimizers = {
            "sgd": ls.optim.sgd(lr=self.lr),
            "momentum": ls.optim.momentum(lr=self.lr, beta=self.beta, style="heavy_ball"),
            "rmsprop": ls.optim.rmsprop(lr=self.adaptive_lr),
            "adam": ls.optim.adam(lr=self.adaptive_lr),
        }
        names = {"sgd": "gradient descent", "momentum": "momentum", "rmsprop": "RMSprop", "adam": "Adam"}
        colors = {name: d.optimizer_color(name) for name in optimizers}
        runs = {name: ls.trace(surface, opt, start, steps=self.steps) for name, opt in optimizers.items()}
        # Crossing the plateau: leaving the ball around the start that reaches the cliff at x = 0.
        radius = float(-start[0])
        escapes = {
            name: ls.analysis.escape_time(
                surface,
                opt,
                start,
                radius,
                steps=self.horizon,
                particles=self.particles,
                noise=ls.noise.gaussian(self.noise),
                seed=self.seed,
            )
            for name, opt in optimizers.items()
        }

        title = d.title("The problem of plateaus")
        claim = d.tex(r"\text{Plateaus can make learning slow}", color=d.series_color(2))
        claim.next_to(title, RIGHT, buff=0.8)
        ax, panel = d.surface_panel(surface, width=6.6, height=3.8, x_label="w_1", y_label="w_2")
        ax.to_corner(DL, buff=0.5).shift(0.3 * RIGHT + 0.5 * UP)
        note = VGroup(
            d.tex(r"\text{nearly flat}", size=d.LABEL_SIZE, color=d.INK).move_to(
                d.to_scene(ax, -2.5, 1.6)[0]
            ),
            d.tex(r"\text{cliff}", size=d.LABEL_SIZE, color=d.INK).move_to(d.to_scene(ax, 0.0, 1.6)[0]),
        )
        values = np.concatenate([run.values[:, 0] for run in runs.values()])
        loss_chart = d.chart(
            (0, self.steps),
            (0, float(values.max()) * 1.05),
            width=4.6,
            height=2.1,
            x_label=r"\text{iteration}",
            y_label="J",
        )
        loss_chart.to_corner(UR, buff=0.5).shift(0.6 * DOWN)
        self.add(title, panel)
        self.play(Fade(claim), Fade(note), Fade(loss_chart), run_time=1.2)

        legend = (
            VGroup(
                *(
                    d.tex(rf"\text{{{names[name]}}}", size=d.LABEL_SIZE, color=colors[name])
                    for name in optimizers
                )
            )
            .arrange(RIGHT, buff=0.35)
            .next_to(panel, UP, buff=0.15)
            .align_to(panel, LEFT)
        )
        self.play(Fade(legend), run_time=0.6)
        t = ValueTracker(0.0)
        moving = []
        for name, run in runs.items():
            inside = np.clip(run.positions[:, 0], surface.bounds[:, 0], surface.bounds[:, 1])
            points = d.to_scene(ax, inside)
            moving.append(d.growing_path(points, t, color=colors[name], width=3))
            moving.append(
                d.growing_path(
                    d.to_scene(loss_chart, np.arange(self.steps + 1), run.values[:, 0]),
                    t,
                    color=colors[name],
                    width=3,
                )
            )
            dot = d.particle_cloud(points[:1], radius=0.08, color=colors[name])
            dot.add_updater(lambda m, p=points: d.set_cloud(m, d.point_at(p, t.get_value())[None]))
            moving.append(dot)
        self.add(*moving)
        self.advance(t, self.steps, 10)
        for mobject in moving:
            mobject.clear_updaters()

        # How many steps each optimizer needs to cross, measured over noisy particles.
        medians = np.array([escapes[name].median for name in optimizers])
        shown = np.where(np.isfinite(medians), medians, self.horizon)
        bar_chart = d.chart(
            (0, 5),
            (0, float(shown.max()) * 1.25),
            width=4.6,
            height=2.0,
            x_step=1,
            y_label=r"\text{steps to cross (median)}",
        )
        bar_chart.x_axis.numbers.set_opacity(0)
        bar_chart.next_to(loss_chart, DOWN, buff=0.7).align_to(loss_chart, LEFT)
        positions = np.arange(1, 5)
        bar_shapes = VGroup(
            *(
                d.bars(bar_chart, [x], [height], width=0.6, color=colors[name])
                for x, height, name in zip(positions, shown, optimizers, strict=True)
            )
        )
        counts = VGroup(
            *(
                d.tex(
                    f"{height:.0f}" if np.isfinite(median) else rf"> {self.horizon}",
                    size=d.LABEL_SIZE - 2,
                    color=colors[name],
                ).next_to(d.to_scene(bar_chart, x, height)[0], UP, buff=0.08)
                for x, height, median, name in zip(positions, shown, medians, optimizers, strict=True)
            )
        )
        caption = d.tex(
            rf"{self.particles} \text{{ particles each, gradient noise }} \sigma = {self.noise:g}",
            size=d.LABEL_SIZE - 4,
            color=d.MUTED,
        ).next_to(bar_chart, DOWN, buff=0.1)
        self.play(Fade(bar_chart), Fade(bar_shapes), Fade(counts), Fade(caption), run_time=1.5)
        self.wait(2.5)
