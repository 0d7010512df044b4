"""Learning-rate decay: mini-batch noise wanders with a fixed α and settles as α decays per epoch."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DecimalNumber, Integer, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class LrDecay(LectureScene):
    """Mini-batch noise around the minimum with a fixed α and with α = α₀/(1 + decay_rate·epoch_num)."""

    lr0: float = 0.2
    """α₀ (the lecture's 0.2)."""
    decay_rate: float = 1.0
    """decay_rate (the lecture's 1)."""
    fixed_lr: float = 0.1
    """The fixed α compared with (the decayed α of the first epoch)."""
    epochs: int = 10
    """Passes through the data."""
    m: int = 256
    """Examples in the data set (linear regression, one feature)."""
    batch_size: int = 8
    """Mini-batch size."""
    particles: int = 24
    """Particles (each shuffles the data its own way)."""
    seed: int = 0
    """Seed of the data set and of the shuffling."""

    def construct(self):
        self.surface = ls.surfaces.get(
            "linear_regression", m=self.m, n=1, seed=self.seed, noise=2.0, feature_scale=2.0
        )
        self.schedule = ls.schedules.inverse_time(lr0=self.lr0, decay_rate=self.decay_rate)
        minimum = self.surface.minima[0]
        self.window = np.stack([minimum - 1.0, minimum + 1.0], axis=1)
        self.runs = [
            ls.trace(
                self.surface,
                ls.optim.sgd(lr=rate),
                minimum + np.array([-0.8, 0.8]),
                epochs=self.epochs,
                batch_size=self.batch_size,
                particles=self.particles,
                seed=self.seed,
                engine="numpy",
            )
            for rate in (self.fixed_lr, self.schedule)
        ]
        self.colors = [d.series_color(1), d.series_color(2)]
        self.heading = d.title("Learning rate decay")
        self.add(self.heading)
        self.show_formula()
        self.show_panels()
        self.run_epochs()
        self.wait(2)

    def show_formula(self):
        """The lecture's decay, its table for α₀ = 0.2 and decay_rate = 1, and what an epoch is."""
        formula = d.tex(
            r"\alpha = \frac{\alpha_0}{1 + \text{decay\_rate} \cdot \text{epoch\_num}}", size=d.FONT_SIZE - 2
        )
        epoch_note = d.tex(
            r"1 \text{ epoch} = 1 \text{ pass through the data}", size=d.LABEL_SIZE, color=d.MUTED
        )
        table_rates = self.schedule(np.arange(1, 5))
        table = d.tex(
            r"\begin{array}{c|c} \text{Epoch} & \alpha \\ \hline "
            + r" \\ ".join(f"{epoch} & {rate:.2g}" for epoch, rate in enumerate(table_rates, start=1))
            + r" \\ \vdots & \vdots \end{array}",
            size=d.LABEL_SIZE + 2,
        )
        settings = d.tex(
            rf"\alpha_0 = {self.lr0:g},\ \ \text{{decay\_rate}} = {self.decay_rate:g}", size=d.LABEL_SIZE + 2
        )
        right = VGroup(formula, epoch_note, VGroup(table, settings).arrange(DOWN, buff=0.25))
        right.arrange(DOWN, buff=0.35).to_edge(RIGHT, buff=0.45).shift(0.3 * DOWN)
        self.play(Write(formula), Fade(epoch_note), run_time=2)
        self.play(Fade(table), Fade(settings), run_time=1.5)

    def show_panels(self):
        """Two views of the minimum: a fixed α on the left, the decaying one on the right."""
        self.panels = []
        for index, text in enumerate(
            (rf"\text{{fixed }} \alpha = {self.fixed_lr:g}", r"\text{decaying } \alpha")
        ):
            ax, panel = d.surface_panel(
                self.surface, width=3.0, height=3.0, bounds=self.window, x_label="w", y_label="b", levels=10
            )
            label = d.tex(text, size=d.LABEL_SIZE + 2, color=self.colors[index])
            self.panels.append((ax, panel, label))
        axes = VGroup(*(ax for ax, _, _ in self.panels)).arrange(RIGHT, buff=1.1)
        axes.to_corner(DOWN + LEFT, buff=0.6).shift(0.2 * RIGHT + 0.3 * UP)
        for _, panel, label in self.panels:
            label.next_to(panel, UP, buff=0.15)
        self.play(*(Fade(part) for _, panel, label in self.panels for part in (panel, label)), run_time=1)

    def run_epochs(self):
        """Both ensembles step through the epochs; α and the epoch number are read off as they go."""
        per_epoch = self.runs[0].config["steps_per_epoch"]
        steps = self.runs[0].positions.shape[0] - 1
        rates = self.runs[1].learning_rates
        t = ValueTracker(0.0)
        epoch = Integer(1, font_size=d.LABEL_SIZE + 2)
        rate = DecimalNumber(
            float(rates[1]), num_decimal_places=3, font_size=d.LABEL_SIZE + 2, color=self.colors[1]
        )
        reading = VGroup(
            VGroup(d.tex(r"\text{epoch}", size=d.LABEL_SIZE + 2), epoch).arrange(RIGHT, buff=0.15),
            VGroup(d.tex(r"\alpha =", size=d.LABEL_SIZE + 2, color=self.colors[1]), rate).arrange(
                RIGHT, buff=0.15
            ),
        ).arrange(RIGHT, buff=0.7)
        reading.next_to(self.heading, RIGHT, buff=1.0)
        epoch.add_updater(lambda m: m.set_value(min(int(t.get_value()) // per_epoch + 1, self.epochs)))
        rate.add_updater(lambda m: m.set_value(float(rates[max(1, int(t.get_value()))])))
        self.play(Fade(reading), run_time=0.5)
        moving = []
        for (ax, _, _), run, color in zip(self.panels, self.runs, self.colors, strict=True):
            points = d.to_scene(ax, run.positions.reshape(-1, 2)).reshape(run.positions.shape[0], -1, 3)
            moving.append(
                d.growing_path(points[:, 0], t, color=color, width=2, opacity=0.7, trail=per_epoch, within=ax)
            )
            moving.append(d.moving_dots(points, t, radius=0.04, color=color, opacity=0.9, within=ax))
        self.add(*moving)
        self.advance(t, steps, 12)
        for mobject in (*moving, epoch, rate):
            mobject.clear_updaters()
