"""Batch, mini-batch and stochastic gradient descent: the notation, then the paths and costs."""

from manim import DOWN, LEFT, RIGHT, UP, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Minibatch(LectureScene):
    """Batch vs mini-batch vs stochastic gradient descent: paths side by side and the cost per iteration."""

    lecture_m: int = 5_000_000
    """Training-set size of the lecture's example."""
    lecture_batch: int = 1000
    """Mini-batch size of the lecture's example."""
    m: int = 1024
    """Examples in the data set the paths are traced on (linear regression, one feature)."""
    batch_size: int = 64
    """Mini-batch size of the middle path."""
    lr: float = 0.1
    """Learning rate α of all three."""
    steps: int = 60
    """Iterations shown."""
    seed: int = 0
    """Seed of the data set and of the shuffling."""

    def construct(self):
        # ---- the notation, with the lecture's numbers ----------------------------------
        b, m = self.lecture_batch, self.lecture_m
        count = ls.noise.minibatch(b, m).steps_per_epoch  # mini-batches per epoch
        title = d.title("Mini-batch gradient descent")
        rows = VGroup(*(d.tex(_split_matrix(big, small, shape, b, count)) for big, small, shape in DATA))
        rows.arrange(DOWN, buff=0.5, aligned_edge=LEFT).next_to(title, DOWN, buff=0.6).align_to(title, LEFT)
        split = d.tex(
            rf"m = {d.thousands(m)}:\quad {d.thousands(count)} \text{{ mini-batches of }} {d.thousands(b)}"
            r" \text{ examples each}"
        )
        split.next_to(rows, DOWN, buff=0.5).align_to(rows, LEFT)
        notation = d.tex(
            r"x^{(i)}:\ i\text{-th example} \qquad z^{[l]}:\ l\text{-th layer}"
            r" \qquad X^{\{t\}}, Y^{\{t\}}:\ t\text{-th mini-batch}",
            size=d.LABEL_SIZE + 2,
            color=d.MUTED,
        )
        notation.next_to(split, DOWN, buff=0.45).align_to(rows, LEFT)
        self.add(title)
        self.play(Write(rows), run_time=3)
        self.play(Fade(split), Fade(notation), run_time=1.5)
        self.wait(1.5)

        algorithm = d.tex(
            rf"&\text{{for }} t = 1, \dots, {d.thousands(count)}:\\",
            r"&\quad \text{forward prop on } X^{\{t\}}\\",
            rf"&\quad J^{{\{{t\}}}} = \frac{{1}}{{{b}}} \sum_{{i=1}}^{{{b}}}"
            r" \mathcal{L}(\hat y^{(i)}, y^{(i)})"
            rf" + \frac{{\lambda}}{{2 \cdot {b}}} \sum_l \lVert W^{{[l]}} \rVert_F^2\\",
            r"&\quad \text{backprop on } (X^{\{t\}}, Y^{\{t\}}):"
            r"\quad W := W - \alpha\, dW,\ \ b := b - \alpha\, db",
        )
        algorithm.next_to(title, DOWN, buff=0.6).align_to(title, LEFT)
        epoch = d.tex(
            r"\text{1 epoch} = \text{one pass through the training set}"
            rf" = {d.thousands(count)} \text{{ gradient steps}}",
            color=d.series_color(2),
        )
        epoch.next_to(algorithm, DOWN, buff=0.5).align_to(algorithm, LEFT)
        self.play(Fade(rows, out=True), Fade(split, out=True), Fade(notation, out=True), run_time=0.6)
        self.play(Write(algorithm), run_time=3)
        self.play(Fade(epoch), run_time=1)
        self.wait(2)
        self.play(Fade(algorithm, out=True), Fade(epoch, out=True), run_time=0.6)

        # ---- three batch sizes on one data set -------------------------------------------
        surface = ls.surfaces.get(
            "linear_regression", m=self.m, n=1, seed=self.seed, noise=1.0, feature_scale=2.0
        )
        runs = {
            "batch": self.m,
            "mini-batch": self.batch_size,
            "stochastic": 1,
        }
        traces = {
            key: ls.trace(
                surface,
                ls.optim.sgd(lr=self.lr),
                surface.default_start,
                steps=self.steps,
                batch_size=size,
                seed=self.seed,
            )
            for key, size in runs.items()
        }
        colors = {
            "batch": d.series_color(0),
            "mini-batch": d.series_color(2),
            "stochastic": d.series_color(1),
        }
        ax, panel = d.surface_panel(surface, width=5.2, height=4.6, x_label="w", y_label="b")
        ax.to_corner(DOWN + LEFT, buff=0.5).shift(0.4 * RIGHT)
        legend = (
            VGroup(
                *(
                    d.tex(
                        rf"\text{{{key}}}\ (B = {size if size < self.m else 'm'})",
                        size=d.LABEL_SIZE,
                        color=colors[key],
                    )
                    for key, size in runs.items()
                )
            )
            .arrange(RIGHT, buff=0.5)
            .next_to(panel, UP, buff=0.2)
            .align_to(panel, LEFT)
        )

        full = traces["batch"].values[:, 0]
        noisy = traces["mini-batch"].batch_values[:, 0]  # J^{t}; at step 0 the full cost
        low, high = d.log_range(full, noisy)
        iterations = range(0, self.steps + 1)
        batch_chart = d.chart(
            (0, self.steps), (low, high), width=5.2, height=2.0, y_log=True, x_label=r"\#\,\text{iterations}"
        )
        mini_chart = d.chart(
            (0, self.steps),
            (low, high),
            width=5.2,
            height=2.0,
            y_log=True,
            x_label=r"\text{mini-batch }\#\,t",
        )
        per_epoch = traces["mini-batch"].config["steps_per_epoch"]
        epoch_mark = d.polyline(
            d.to_scene(mini_chart, [per_epoch, per_epoch], [10**low, 10**high]), color=d.MUTED, width=2
        )
        epoch_label = d.tex(r"\text{1 epoch}", size=d.LABEL_SIZE - 4, color=d.MUTED).next_to(
            epoch_mark, UP, buff=0.05
        )
        charts = (
            VGroup(
                VGroup(
                    d.tex(r"\text{Batch gradient descent: } J", size=d.LABEL_SIZE, color=colors["batch"]),
                    batch_chart,
                ).arrange(DOWN, buff=0.1),
                VGroup(
                    d.tex(
                        r"\text{Mini-batch: } J^{\{t\}} \text{ on } X^{\{t\}}, Y^{\{t\}}",
                        size=d.LABEL_SIZE,
                        color=colors["mini-batch"],
                    ),
                    VGroup(mini_chart, epoch_mark, epoch_label),
                ).arrange(DOWN, buff=0.1),
            )
            .arrange(DOWN, buff=0.35)
            .to_corner(DOWN + RIGHT, buff=0.4)
        )
        self.play(Fade(panel), Fade(legend), Fade(charts), run_time=1.5)

        t = ValueTracker(0.0)
        moving = [
            d.growing_path(d.to_scene(ax, traces[key].positions[:, 0]), t, color=colors[key], width=3)
            for key in ("stochastic", "mini-batch", "batch")
        ]
        moving.append(
            d.growing_path(d.to_scene(batch_chart, iterations, full), t, color=colors["batch"], width=3)
        )
        moving.append(
            d.growing_path(d.to_scene(mini_chart, iterations, noisy), t, color=colors["mini-batch"], width=2)
        )
        self.add(*moving)
        self.advance(t, self.steps, 10)
        self.wait(2)


DATA = (("X", "x", "n_x"), ("Y", "y", "1"))  # the data matrices, their columns and row counts


def _split_matrix(big: str, small: str, shape: str, batch: int, count: int) -> str:
    """TeX of a data matrix cut into mini-batches: X = [x^(1) ... x^(b) | ... | ... x^(m)]."""
    first = rf"{small}^{{(1)}}\, {small}^{{(2)}} \cdots {small}^{{({batch})}}"
    second = rf"{small}^{{({batch + 1})}} \cdots {small}^{{({2 * batch})}}"
    last = rf"\cdots\ {small}^{{(m)}}"

    def brace(body, t, size=True):
        below = rf"{big}^{{\{{{t}\}}}}" + (rf"\ ({shape},\,{batch})" if size else "")
        return rf"\underbrace{{{body}}}_{{{below}}}"

    blocks = [brace(first, 1), brace(second, 2), r"\cdots", brace(last, d.thousands(count), size=False)]
    return rf"{big} = \big[\, " + r"\ ".join(blocks) + rf" \,\big]\quad ({shape},\, m)"
