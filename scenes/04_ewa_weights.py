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
        self.theta = ls.london_temperature(days=self.day, seed=self.seed)
        self.heading = d.title("Understanding exponentially weighted averages")
        self.add(self.heading)
        self.unroll(self.beta)
        self.show_weights()
        self.show_one_over_e()
        self.morph_to(self.second_beta)
        self.wait(2)

    def equations(self, beta: float) -> VGroup:
        """The recursion for v_t, v_{t-1}, v_{t-2}, its unrolled sum and the average it gives."""
        t, newest = self.day, ls.ewa_weights(beta, 1)[0]
        recursion = d.tex(
            *(
                rf"v_{{{t - k}}} &= {beta:g}\, v_{{{t - k - 1}}} + {newest:g}\, \theta_{{{t - k}}}\\"
                for k in range(3)
            ),
            r"&\ \ \vdots",
            size=d.LABEL_SIZE + 2,
        )
        recursion.next_to(self.heading, DOWN, buff=0.35).align_to(self.heading, LEFT)
        terms = [rf"{newest:g}\, \theta_{{{t}}}"] + [
            rf"{newest:g} \cdot {beta:g}{'' if k == 1 else f'^{{{k}}}'}\, \theta_{{{t - k}}}"
            for k in range(1, 5)
        ]
        unrolled = d.tex(rf"v_{{{t}}} = " + " + ".join(terms) + r" + \cdots", size=d.LABEL_SIZE + 4)
        unrolled.next_to(recursion, DOWN, buff=0.3).align_to(recursion, LEFT)
        average = ls.ewa(self.theta, beta=beta)[-1]
        total = d.tex(
            rf"v_{{{t}}} = \sum_k {newest:g}\cdot{beta:g}^k\, \theta_{{{t}-k}}"
            rf" = {average:.1f}^\circ\text{{F}}",
            size=d.LABEL_SIZE + 2,
        )
        return VGroup(recursion, unrolled, total)

    def unroll(self, beta: float):
        self.shown = self.equations(beta)
        recursion, unrolled, _ = self.shown
        self.play(Write(recursion), run_time=2.5)
        self.play(Write(unrolled), run_time=3)

    def show_weights(self):
        """The last 100 temperatures and the weight each gets in v₁₀₀ (relative to the newest)."""
        t = self.day
        days = np.arange(1, t + 1)
        self.temperature_chart = d.chart(
            (0, t + 1),
            (30, 70),
            width=5.6,
            height=1.9,
            x_step=20,
            y_step=10,
            x_label=r"\text{day}",
            y_label=r"\theta\ (^\circ\text{F})",
        )
        self.weight_chart = d.chart(
            (0, t + 1),
            (0, 1.1),
            width=5.6,
            height=1.9,
            x_step=20,
            y_step=0.5,
            x_label=r"\text{day}",
            y_label=r"\text{weight} / \text{newest weight}",
        )
        VGroup(self.temperature_chart, self.weight_chart).arrange(RIGHT, buff=1.0).to_edge(DOWN, buff=0.45)
        dots = d.particle_cloud(
            d.to_scene(self.temperature_chart, days, self.theta),
            radius=0.035,
            color=d.series_color(0),
            within=self.temperature_chart,
        )
        weights = ls.ewa_weights(self.beta, t)  # of θ_t, θ_{t-1}, ..., θ_1
        self.bars = d.bars(
            self.weight_chart, days, weights[::-1] / weights[0], width=0.8, color=d.series_color(1)
        )
        total = self.shown[2].next_to(self.temperature_chart, UP, buff=0.45)
        self.play(Fade(self.temperature_chart), Fade(dots), Fade(self.weight_chart), run_time=1)
        self.play(Fade(self.bars), run_time=1.5)
        self.play(Fade(total), run_time=1)
        self.b = ValueTracker(self.beta)
        label = d.tex(r"\text{sum of the weights} = 1 - \beta^{" + str(t) + "} =", size=d.LABEL_SIZE)
        weight_sum = DecimalNumber(weights.sum(), num_decimal_places=3, font_size=d.LABEL_SIZE)
        weight_sum.add_updater(lambda m: m.set_value(ls.ewa_weights(self.b.get_value(), t).sum()))
        self.sums = VGroup(label, weight_sum).arrange(RIGHT, buff=0.15)
        self.sums.next_to(self.shown[0], RIGHT, buff=1.5).align_to(self.shown[0], UP)
        self.play(Fade(self.sums), run_time=0.8)

    def show_one_over_e(self):
        """After 1/(1 − β) days the weight has fallen to about 1/e of the newest one."""
        t, chart = self.day, self.weight_chart
        window = lambda: ls.effective_window(self.b.get_value())  # noqa: E731
        level = d.polyline(
            d.to_scene(chart, [0, t + 1], [1 / np.e] * 2), color=d.MUTED, width=2, within=chart
        )
        marker = d.polyline(
            d.to_scene(chart, [t + 1 - window()] * 2, [0, 1.05]),
            color=d.series_color(2),
            width=3,
            within=chart,
        )

        def follow(mobject):
            weights = ls.ewa_weights(self.b.get_value(), t)
            d.set_bars(self.bars, weights[::-1] / weights[0])
            d.set_polyline(marker, d.to_scene(chart, [t + 1 - window()] * 2, [0, 1.05]))

        self.bars.add_updater(follow)
        self.fact = self.one_over_e(self.beta)
        self.play(Fade(level), Fade(marker), Fade(self.fact), run_time=1.5)
        self.wait(1.5)

    def one_over_e(self, beta: float):
        window = ls.effective_window(beta)
        drop = ls.ewa_weights(beta, int(round(window)) + 1)
        if beta == self.beta:
            text = rf"{beta:g}^{{{window:.0f}}} \approx {drop[-1] / drop[0]:.2f} \approx \frac{{1}}{{e}}"
            text += rf"\qquad \text{{about }} \frac{{1}}{{1-\beta}} = {window:.0f} \text{{ days}}"
        else:  # ε = 1 − β and (1 − ε)^(1/ε) ≈ 1/e
            text = (
                rf"\varepsilon = {1 - beta:g}:\ (1-\varepsilon)^{{1/\varepsilon}} = {beta:g}^{{{window:.0f}}}"
                rf" \approx {drop[-1] / drop[0]:.2f} \approx \frac{{1}}{{e}}"
            )
        return d.tex(text, size=d.LABEL_SIZE + 2, color=d.series_color(2)).next_to(
            self.weight_chart, UP, buff=0.45
        )

    def morph_to(self, beta: float):
        """β = 0.98: the equations, the weights, their sum and the 1/e point, all for the new β."""
        new = self.equations(beta)
        new[2].move_to(self.shown[2])
        self.play(*(Fade(old, out=True) for old in self.shown), *(Fade(part) for part in new), run_time=1)
        self.shown = new
        self.advance(self.b, beta, 4, Fade(self.fact, out=True))
        self.fact = self.one_over_e(beta)
        self.play(Fade(self.fact), run_time=1)
        self.bars.clear_updaters()
        self.sums[1].clear_updaters()
