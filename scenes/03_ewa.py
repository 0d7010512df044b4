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
    """Seed of the synthetic London year (the days the lecture lists take the lecture's values)."""

    def construct(self):
        self.theta = ls.london_temperature(days=self.days, seed=self.seed)
        self.celsius = ls.london_temperature(days=self.days, seed=self.seed, unit="C")
        self.heading = d.title("Exponentially weighted averages")
        self.add(self.heading)
        self.list_temperatures()
        self.show_recursion()
        self.draw_averages()
        self.wait(2)

    def list_temperatures(self):
        """The lecture's days, in °F and °C, over the whole year as dots."""
        shown = [0, 1, 2, 179, 180]

        def day(index: int) -> str:
            text = rf"\theta_{{{index + 1}}} = {self.theta[index]:.0f}^\circ\text{{F}}"
            if index in (0, 1, 179):  # the days the slide gives in °C too
                text += rf"\ ({self.celsius[index]:.1f}^\circ\text{{C}})"
            return text + (r",\ \dots,\ " if index == 2 else r",\ ")

        self.listing = d.tex(*(day(index) for index in shown), r"\dots", size=d.LABEL_SIZE + 2)
        self.listing.next_to(self.heading, DOWN, buff=0.35).align_to(self.heading, LEFT)
        self.chart = d.chart(
            (0, self.days),
            (0, 80),
            width=12.0,
            height=3.1,
            x_step=60,
            y_step=20,
            x_label=r"\text{day}",
            y_label=r"^\circ\text{F}",
        )
        self.chart.to_edge(DOWN, buff=0.5)
        self.day_numbers = np.arange(1, self.days + 1)
        dots = d.particle_cloud(
            d.to_scene(self.chart, self.day_numbers, self.theta),
            radius=0.03,
            color=d.series_color(0),
            within=self.chart,
        )
        self.add(self.chart)
        self.play(Fade(dots), Write(self.listing), run_time=2)

    def show_recursion(self):
        """v₀ = 0, v₁ = 0.9 v₀ + 0.1 θ₁, ...: the lecture's β = 0.9 written out, then in general."""
        beta, weight = 0.9, ls.ewa_weights(0.9, 1)[0]  # the newest value's weight, 1 - β
        steps = d.tex(
            r"v_0 &= 0\\",
            *(rf"v_{{{t}}} &= {beta:g}\, v_{{{t - 1}}} + {weight:g}\, \theta_{{{t}}}\\" for t in (1, 2)),
            rf"v_t &= {beta:g}\, v_{{t-1}} + {weight:g}\, \theta_t",
            size=d.LABEL_SIZE + 2,
        )
        steps.next_to(self.listing, DOWN, buff=0.3).align_to(self.listing, LEFT)
        self.general = d.tex(r"v_t = \beta\, v_{t-1} + (1-\beta)\, \theta_t", size=d.FONT_SIZE + 4)
        self.general.next_to(self.listing, DOWN, buff=0.45).to_edge(RIGHT, buff=1.2)
        self.play(Write(steps), run_time=2.5)
        self.play(Write(self.general), run_time=1.5)
        self.wait(1)

    def draw_averages(self):
        """The averages for β = 0.9, 0.98 and 0.5, each over about 1/(1 − β) days."""
        window = d.tex(
            r"v_t \approx \text{average over the last } \frac{1}{1-\beta} \text{ days}",
            size=d.LABEL_SIZE + 2,
        )
        window.next_to(self.general, DOWN, buff=0.25).align_to(self.general, LEFT)
        betas = [(0.9, d.series_color(1)), (0.98, d.series_color(2)), (0.5, d.series_color(6))]
        labels = VGroup()
        for beta, color in betas:
            days_averaged = ls.effective_window(beta)
            label = d.tex(
                rf"\beta = {beta:g}:\ \approx {days_averaged:.0f} \text{{ days}}",
                size=d.LABEL_SIZE + 2,
                color=color,
            )
            if labels:
                label.next_to(labels[-1], DOWN, buff=0.1, aligned_edge=LEFT)
            else:  # the empty upper left of the chart
                label.move_to(d.to_scene(self.chart, 15, 80)[0], aligned_edge=UP + LEFT)
            labels.add(label)
            t = ValueTracker(0.0)
            averages = ls.ewa(self.theta, beta=beta)
            curve = d.growing_path(
                d.to_scene(self.chart, self.day_numbers, averages),
                t,
                color=color,
                width=3.5,
                within=self.chart,
            )
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
