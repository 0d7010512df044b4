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
        beta = self.beta
        theta = ls.london_temperature(seed=self.seed)[: self.days]
        plain = ls.ewa(theta, beta=beta)
        corrected = ls.ewa(theta, beta=beta, bias_correction=True)
        weight = ls.ewa_weights(beta, 1)[0]  # 1 - β
        first, second = ls.ewa([1.0, 0.0], beta=beta)[1], ls.ewa([0.0, 1.0], beta=beta)[1]  # v₂'s weights
        total = ls.ewa(np.ones(2), beta=beta)[1]  # 1 - β²: what the weights of v₂ add up to
        purple, green = d.series_color(3), d.series_color(2)

        title = d.title("Bias correction in exponentially weighted averages")
        start = (
            d.tex(
                r"v_t &= \beta\, v_{t-1} + (1-\beta)\, \theta_t\\",
                r"v_0 &= 0\\",
                rf"v_1 &= {beta:g}\, v_0 + {weight:g}\, \theta_1\\",
                rf"v_2 &= {beta:g}\, v_1 + {weight:g}\, \theta_2\\",
                rf"&= {beta:g} \times {weight:g}\, \theta_1 + {weight:g}\, \theta_2\\",
                rf"&= {first:.4g}\, \theta_1 + {second:.4g}\, \theta_2",
                size=d.LABEL_SIZE + 2,
            )
            .next_to(title, DOWN, buff=0.35)
            .align_to(title, LEFT)
        )
        fix = (
            d.tex(
                r"&\frac{v_t}{1 - \beta^t}\\",
                rf"&t = 2:\ 1 - \beta^t = 1 - ({beta:g})^2 = {total:.4g}\\",
                rf"&\frac{{v_2}}{{{total:.4g}}}"
                rf" = \frac{{{first:.4g}\, \theta_1 + {second:.4g}\, \theta_2}}{{{total:.4g}}}",
                size=d.LABEL_SIZE + 2,
                color=green,
            )
            .next_to(start, RIGHT, buff=1.2)
            .align_to(start, UP)
        )
        chart = d.chart(
            (0, self.days),
            (0, 60),
            width=7.8,
            height=3.2,
            x_step=60,
            y_step=20,
            x_label=r"\text{day } t",
            y_label=r"^\circ\text{F}",
        ).to_corner(DOWN + RIGHT, buff=0.45)
        days = np.arange(1, self.days + 1)
        dots = d.particle_cloud(d.to_scene(chart, days, theta), radius=0.035, color=d.series_color(0))

        self.add(title)
        self.play(Write(start), run_time=4)
        self.play(Fade(chart), Fade(dots), run_time=1)
        t = ValueTracker(1.0)
        biased = d.growing_path(d.to_scene(chart, days, plain), t, color=purple, width=3.5)
        middle = self.days // 2
        label_biased = d.tex(r"v_t\ \text{(starts low)}", size=d.LABEL_SIZE, color=purple)
        label_biased.next_to(d.to_scene(chart, middle, plain[middle - 1])[0], DOWN + RIGHT, buff=0.1)
        self.add(biased)
        self.advance(t, self.days, 4, Fade(label_biased))
        biased.clear_updaters()

        self.play(Write(fix), run_time=3)
        s = ValueTracker(1.0)
        fixed = d.growing_path(d.to_scene(chart, days, corrected), s, color=green, width=3.5)
        factor_label = d.tex(r"1 - \beta^t =", size=d.LABEL_SIZE, color=green)
        factor = DecimalNumber(
            ls.ewa(np.ones(1), beta=beta)[0], num_decimal_places=3, font_size=d.LABEL_SIZE, color=green
        )
        ones = ls.ewa(np.ones(self.days), beta=beta)  # 1 - β^t for t = 1..days
        factor.add_updater(lambda m: m.set_value(d.point_at(ones, s.get_value() - 1)))
        reading = (
            VGroup(factor_label, factor)
            .arrange(RIGHT, buff=0.12)
            .next_to(chart, UP, buff=0.1)
            .align_to(chart, LEFT)
            .shift(0.8 * RIGHT)
        )
        note = d.tex(r"t \gg 1:\ 1 - \beta^t \approx 1", size=d.LABEL_SIZE, color=d.MUTED).next_to(
            reading, RIGHT, buff=0.6
        )
        self.play(Fade(reading), run_time=0.5)
        self.add(fixed)
        self.advance(s, self.days, 5)
        fixed.clear_updaters()
        factor.clear_updaters()
        self.play(Fade(note), run_time=1)
        self.wait(2)
