"""Exponentially weighted averages of a year of London temperatures for β = 0.9, 0.98 and 0.5."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Ewa(LectureScene):
    """The temperature series and its averages for β = 0.9, 0.98 and 0.5, each ≈ 1/(1−β) days."""

    days: int = 365
    """Length of the series."""
    seed: int = 7
    """Seed of the synthetic London year (7 starts at θ₁ ≈ 40 °F, as on the slide)."""

    def construct(self):
        theta = ls.london_temperature(days=self.days, seed=self.seed)
        celsius = ls.london_temperature(days=self.days, seed=self.seed, unit="C")
        betas = [(0.9, d.series_color(1)), (0.98, d.series_color(2)), (0.5, d.series_color(6))]

        title = d.title("Exponentially weighted averages")
        shown = [0, 1, 2, 179, 180]
        listing = (
            d.tex(
                *(
                    rf"\theta_{{{day + 1}}} = {theta[day]:.0f}^\circ\text{{F}}"
                    rf"\ ({celsius[day]:.0f}^\circ\text{{C}})" + (r",\ \dots,\ " if day == 2 else r",\ ")
                    for day in shown
                ),
                r"\dots",
                size=d.LABEL_SIZE + 2,
            )
            .next_to(title, DOWN, buff=0.35)
            .align_to(title, LEFT)
        )
        beta, weight = 0.9, ls.ewa_weights(0.9, 1)[0]  # the newest value's weight, 1 - β
        steps = d.tex(
            r"v_0 &= 0\\",
            *(rf"v_{{{t}}} &= {beta:g}\, v_{{{t - 1}}} + {weight:g}\, \theta_{{{t}}}\\" for t in (1, 2)),
            rf"v_t &= {beta:g}\, v_{{t-1}} + {weight:g}\, \theta_t",
            size=d.LABEL_SIZE + 2,
        )
        general = d.tex(r"v_t = \beta\, v_{t-1} + (1-\beta)\, \theta_t", size=d.FONT_SIZE + 4)
        window = d.tex(
            r"v_t \approx \text{average over} \approx \frac{1}{1-\beta} \text{ days}", size=d.LABEL_SIZE + 2
        )

        chart = d.chart(
            (0, self.days),
            (0, 80),
            width=12.0,
            height=3.1,
            x_step=60,
            y_step=20,
            x_label=r"\text{day}",
            y_label=r"^\circ\text{F}",
        )
        chart.to_edge(DOWN, buff=0.5)
        days = np.arange(1, self.days + 1)
        dots = d.particle_cloud(d.to_scene(chart, days, theta), radius=0.03, color=d.series_color(0))
        steps.next_to(listing, DOWN, buff=0.3).align_to(listing, LEFT)
        general.next_to(listing, DOWN, buff=0.45).to_edge(RIGHT, buff=1.2)
        window.next_to(general, DOWN, buff=0.25).align_to(general, LEFT)

        self.add(title, chart)
        self.play(Fade(dots), Write(listing), run_time=2)
        self.play(Write(steps), run_time=2.5)
        self.play(Write(general), run_time=1.5)
        self.wait(1)

        labels = VGroup()
        for beta, color in betas:
            averages = ls.ewa(theta, beta=beta)
            days_averaged = ls.effective_window(beta)
            label = d.tex(
                rf"\beta = {beta:g}:\ \approx {days_averaged:.0f} \text{{ days}}",
                size=d.LABEL_SIZE + 2,
                color=color,
            )
            if labels:
                label.next_to(labels[-1], DOWN, buff=0.1, aligned_edge=LEFT)
            else:  # the empty upper left of the chart
                label.move_to(d.to_scene(chart, 15, 80)[0], aligned_edge=UP + LEFT)
            labels.add(label)
            t = ValueTracker(0.0)
            curve = d.growing_path(d.to_scene(chart, days, averages), t, color=color, width=3.5)
            self.play(Fade(label), run_time=0.5)
            self.add(curve)
            self.advance(t, self.days - 1, 3.5)
            curve.clear_updaters()
            if beta == 0.9:
                self.play(Fade(window), run_time=1)
        example = d.tex(
            rf"\frac{{1}}{{1 - 0.98}} = {ls.effective_window(0.98):.0f}",
            size=d.LABEL_SIZE + 2,
            color=betas[1][1],
        ).next_to(window, LEFT, buff=1.2)
        self.play(Fade(example), run_time=1)
        self.wait(2)
