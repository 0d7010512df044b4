"""Bias correction: the start-up of an average with and without dividing by 1 − βᵗ."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DecimalNumber, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class BiasCorrection(LectureScene):
    """The start-up of the average with and without dividing by 1 − βᵗ (β = 0.98)."""

    beta: float = 0.98
    """β of the average (the lecture's 0.98)."""
    days: int = 365
    """Days shown (a year: 1 − βᵗ climbs from 0.02 to 0.9994, so the correction is seen fading)."""
    seed: int = 7
    """Seed of the synthetic London year."""

    def construct(self):
        self.theta = ls.london_temperature(seed=self.seed)[: self.days]
        self.day_numbers = np.arange(1, self.days + 1)
        self.purple, self.green = d.series_color(3), d.series_color(2)
        self.heading = d.title("Bias correction in exponentially weighted averages")
        self.add(self.heading)
        self.show_start_up()
        self.draw_plain()
        self.show_correction()
        self.draw_corrected()
        self.wait(2)

    def show_start_up(self):
        """From v₀ = 0: v₂ = 0.0196 θ₁ + 0.02 θ₂, far below the temperatures."""
        beta = self.beta
        weight = ls.ewa_weights(beta, 1)[0]  # 1 - β
        self.first, self.second = ls.ewa([1.0, 0.0], beta=beta)[1], ls.ewa([0.0, 1.0], beta=beta)[1]
        self.start = (
            d.tex(
                r"v_t &= \beta\, v_{t-1} + (1-\beta)\, \theta_t\\",
                r"v_0 &= 0\\",
                rf"v_1 &= {beta:g}\, v_0 + {weight:g}\, \theta_1\\",
                rf"v_2 &= {beta:g}\, v_1 + {weight:g}\, \theta_2\\",
                rf"&= {beta:g} \times {weight:g}\, \theta_1 + {weight:g}\, \theta_2\\",
                rf"&= {self.first:.4g}\, \theta_1 + {self.second:.4g}\, \theta_2",
                size=d.LABEL_SIZE + 2,
            )
            .next_to(self.heading, DOWN, buff=0.35)
            .align_to(self.heading, LEFT)
        )
        self.chart = d.chart(
            (0, self.days),
            (0, 80),
            width=11.5,
            height=2.8,
            x_step=60,
            y_step=20,
            x_label=r"\text{day } t",
            y_label=r"^\circ\text{F}",
        ).to_edge(DOWN, buff=0.45)
        dots = d.particle_cloud(
            d.to_scene(self.chart, self.day_numbers, self.theta),
            radius=0.03,
            color=d.series_color(0),
            within=self.chart,
        )
        self.play(Write(self.start), run_time=4)
        self.play(Fade(self.chart), Fade(dots), run_time=1)

    def draw_plain(self):
        plain = ls.ewa(self.theta, beta=self.beta)
        t = ValueTracker(1.0)
        biased = d.growing_path(
            d.to_scene(self.chart, self.day_numbers, plain),
            t,
            color=self.purple,
            width=3.5,
            within=self.chart,
        )
        label = d.tex(r"v_t\ \text{(starts low)}", size=d.LABEL_SIZE, color=self.purple)
        day = 30
        label.next_to(d.to_scene(self.chart, day, plain[day - 1])[0], DOWN + RIGHT, buff=0.15)
        self.add(biased)
        self.advance(t, self.days, 4, Fade(label))
        biased.clear_updaters()

    def show_correction(self):
        total = ls.ewa(np.ones(2), beta=self.beta)[1]  # 1 - β²: what the weights of v₂ add up to
        fix = (
            d.tex(
                r"&\frac{v_t}{1 - \beta^t}\\",
                rf"&t = 2:\ 1 - \beta^t = 1 - ({self.beta:g})^2 = {total:.4g}\\",
                rf"&\frac{{v_2}}{{{total:.4g}}}"
                rf" = \frac{{{self.first:.4g}\, \theta_1 + {self.second:.4g}\, \theta_2}}{{{total:.4g}}}",
                size=d.LABEL_SIZE + 2,
                color=self.green,
            )
            .next_to(self.start, RIGHT, buff=1.2)
            .align_to(self.start, UP)
        )
        self.play(Write(fix), run_time=3)

    def draw_corrected(self):
        """The corrected average, with 1 − βᵗ read off as it climbs towards 1."""
        corrected = ls.ewa(self.theta, beta=self.beta, bias_correction=True)
        s = ValueTracker(1.0)
        fixed = d.growing_path(
            d.to_scene(self.chart, self.day_numbers, corrected),
            s,
            color=self.green,
            width=3.5,
            within=self.chart,
        )
        ones = ls.ewa(np.ones(self.days), beta=self.beta)  # 1 - β^t for t = 1..days
        factor_label = d.tex(r"1 - \beta^t =", size=d.LABEL_SIZE, color=self.green)
        factor = DecimalNumber(ones[0], num_decimal_places=4, font_size=d.LABEL_SIZE, color=self.green)
        factor.add_updater(lambda m: m.set_value(d.point_at(ones, s.get_value() - 1)))
        reading = VGroup(factor_label, factor).arrange(RIGHT, buff=0.12)
        reading.next_to(self.chart, UP, buff=0.1).align_to(self.chart, RIGHT)
        note = d.tex(r"t \gg 1:\ 1 - \beta^t \approx 1", size=d.LABEL_SIZE, color=d.MUTED)
        note.next_to(reading, LEFT, buff=0.6)
        self.play(Fade(reading), run_time=0.5)
        self.add(fixed)
        self.advance(s, self.days, 6)
        fixed.clear_updaters()
        factor.clear_updaters()
        self.play(Fade(note), run_time=1)
