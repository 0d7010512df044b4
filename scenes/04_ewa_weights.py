"""v₁₀₀ unrolled: the weights (1−β)βᵏ of past temperatures and their 1/e point near 1/(1−β) days."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DecimalNumber, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class EwaWeights(LectureScene):
    """v₁₀₀ unrolled: the decaying weights 0.1·0.9ᵏ and the 1/e point near 1/(1−β)."""

    day: int = 100
    """The day t whose average v_t is unrolled."""
    beta: float = 0.9
    """The first β (the lecture's 0.9)."""
    second_beta: float = 0.98
    """The β the weights then morph to (the lecture's 0.98)."""
    seed: int = 7
    """Seed of the synthetic London year."""

    def construct(self):
        t, beta = self.day, self.beta
        theta = ls.london_temperature(days=t, seed=self.seed)
        weights = ls.ewa_weights(beta, t)  # weights of θ_t, θ_{t-1}, ..., θ_1
        newest = weights[0]

        title = d.title("Understanding exponentially weighted averages")
        recursion = (
            d.tex(
                *(
                    rf"v_{{{t - k}}} &= {beta:g}\, v_{{{t - k - 1}}} + {newest:g}\, \theta_{{{t - k}}}\\"
                    for k in range(3)
                ),
                r"&\ \ \vdots",
                size=d.LABEL_SIZE + 2,
            )
            .next_to(title, DOWN, buff=0.35)
            .align_to(title, LEFT)
        )
        terms = [rf"{newest:g}\, \theta_{{{t}}}"] + [
            rf"{newest:g} \cdot {beta:g}{'' if k == 1 else f'^{{{k}}}'}\, \theta_{{{t - k}}}"
            for k in range(1, 5)
        ]
        unrolled = d.tex(rf"v_{{{t}}} = " + " + ".join(terms) + r" + \cdots", size=d.LABEL_SIZE + 4)
        unrolled.next_to(recursion, DOWN, buff=0.3).align_to(recursion, LEFT)

        days = np.arange(1, t + 1)
        temperature_chart = d.chart(
            (0, t),
            (30, 60),
            width=5.6,
            height=2.4,
            x_step=20,
            y_step=10,
            x_label=r"\text{day}",
            y_label=r"\theta\ (^\circ\text{F})",
        )
        weight_chart = d.chart(
            (0, t),
            (0, 1.1),
            width=5.6,
            height=2.4,
            x_step=20,
            y_step=0.5,
            x_label=r"\text{day}",
            y_label=r"\text{weight} / \text{newest weight}",
        )
        VGroup(temperature_chart, weight_chart).arrange(RIGHT, buff=1.0).to_edge(DOWN, buff=0.45)
        dots = d.particle_cloud(
            d.to_scene(temperature_chart, days, theta), radius=0.035, color=d.series_color(0)
        )
        weight_bars = d.bars(weight_chart, days, weights[::-1] / newest, width=0.8, color=d.series_color(1))

        self.add(title)
        self.play(Write(recursion), run_time=2.5)
        self.play(Write(unrolled), run_time=3)
        self.play(Fade(temperature_chart), Fade(dots), Fade(weight_chart), run_time=1)
        self.play(Fade(weight_bars), run_time=1.5)

        average = ls.ewa(theta, beta=beta)[-1]
        total = d.tex(
            rf"v_{{{t}}} = \sum_k {newest:g}\cdot{beta:g}^k\, \theta_{{{t}-k}}"
            rf" = {average:.1f}^\circ\text{{F}}",
            size=d.LABEL_SIZE + 2,
        ).next_to(temperature_chart, UP, buff=0.2)
        self.play(Fade(total), run_time=1)

        # The 1/e point: after 1/(1-β) days the weight has fallen to about 1/e of the newest one.
        b = ValueTracker(beta)
        window = lambda: ls.effective_window(b.get_value())  # noqa: E731
        level = d.polyline(d.to_scene(weight_chart, [0, t], [1 / np.e] * 2), color=d.MUTED, width=2)
        marker = d.polyline(
            d.to_scene(weight_chart, [t - window()] * 2, [0, 1.05]), color=d.series_color(2), width=3
        )

        def follow(mobject):
            w = ls.ewa_weights(b.get_value(), t)
            d.set_bars(weight_bars, w[::-1] / w[0])
            d.set_polyline(marker, d.to_scene(weight_chart, [t - window()] * 2, [0, 1.05]))

        weight_bars.add_updater(follow)
        drop = ls.ewa_weights(beta, int(round(window())) + 1)
        fact = d.tex(
            rf"{beta:g}^{{{window():.0f}}} \approx {drop[-1] / drop[0]:.2f} \approx \frac{{1}}{{e}}"
            rf"\qquad \text{{about }} \frac{{1}}{{1-\beta}} = {window():.0f} \text{{ days}}",
            size=d.LABEL_SIZE + 2,
            color=d.series_color(2),
        ).next_to(weight_chart, UP, buff=0.2)
        self.play(Fade(level), Fade(marker), Fade(fact), run_time=1.5)
        self.wait(1.5)

        # β = 0.98: ε = 0.02 and (1 - ε)^(1/ε) ≈ 1/e, so about 50 days.
        second = self.second_beta
        window_2 = ls.effective_window(second)
        drop_2 = ls.ewa_weights(second, int(round(window_2)) + 1)
        fact_2 = d.tex(
            rf"\varepsilon = {1 - second:g}:\ (1-\varepsilon)^{{1/\varepsilon}}"
            rf" = {second:g}^{{{window_2:.0f}}}"
            rf" \approx {drop_2[-1] / drop_2[0]:.2f} \approx \frac{{1}}{{e}}",
            size=d.LABEL_SIZE + 2,
            color=d.series_color(2),
        ).move_to(fact)
        sum_label = d.tex(r"\text{sum of the weights} = 1 - \beta^{" + str(t) + "} =", size=d.LABEL_SIZE)
        weight_sum = DecimalNumber(weights.sum(), num_decimal_places=3, font_size=d.LABEL_SIZE)
        weight_sum.add_updater(lambda m: m.set_value(ls.ewa_weights(b.get_value(), t).sum()))
        sums = (
            VGroup(sum_label, weight_sum)
            .arrange(RIGHT, buff=0.15)
            .next_to(recursion, RIGHT, buff=1.5)
            .align_to(recursion, UP)
        )
        self.play(Fade(sums), run_time=0.8)
        self.advance(b, second, 4, Fade(fact, out=True))
        self.play(Fade(fact_2), run_time=1)
        weight_bars.clear_updaters()
        weight_sum.clear_updaters()
        self.wait(2)
