"""Batch, mini-batch and stochastic gradient descent: the notation, the shuffle, then the paths and costs."""

from manim import DOWN, LEFT, RIGHT, UP, Brace, LaggedStart, Square, ValueTracker, VGroup, Write

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class Minibatch(LectureScene):
    """Batch vs mini-batch vs stochastic gradient descent: paths side by side and the cost per iteration."""

    lecture_m: int = 5_000_000
    """Training-set size of the lecture's example."""
    lecture_batch: int = 1000
    """Mini-batch size of the lecture's example."""
    shuffle_m: int = 10
    """Examples of the small data set that is shuffled and cut into mini-batches."""
    shuffle_batch: int = 4
    """Mini-batch size of the shuffling example (10 = 4 + 4 + 2: the last one is smaller)."""
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
        self.heading = d.title("Mini-batch gradient descent")
        self.add(self.heading)
        self.show_notation()
        self.show_shuffle()
        self.show_algorithm()
        self.show_paths()
        self.wait(2)

    def show_notation(self):
        """X and Y cut into mini-batches of 1 000, with the lecture's numbers."""
        b, m = self.lecture_batch, self.lecture_m
        count = ls.noise.minibatch(b, m).steps_per_epoch  # mini-batches per epoch
        rows = VGroup(*(d.tex(_split_matrix(big, small, shape, b, count)) for big, small, shape in DATA))
        rows.arrange(DOWN, buff=0.5, aligned_edge=LEFT).next_to(self.heading, DOWN, buff=0.6)
        rows.align_to(self.heading, LEFT)
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
        self.play(Write(rows), run_time=3)
        self.play(Fade(split), Fade(notation), run_time=1.5)
        self.wait(1.5)
        self.play(Fade(rows, out=True), Fade(split, out=True), Fade(notation, out=True), run_time=0.6)

    def show_shuffle(self):
        """Each epoch the examples are shuffled (as ls.trace does), then cut into consecutive mini-batches."""
        m, size = self.shuffle_m, self.shuffle_batch
        order = ls.noise.minibatch_order(m, epoch=1, seed=self.seed)

        def row(examples):
            return VGroup(
                *(
                    VGroup(
                        Square(
                            0.62,
                            stroke_color=d.MUTED,
                            stroke_width=2,
                            fill_color=d.series_color(5),
                            fill_opacity=0.2,
                        ),
                        d.tex(rf"x^{{({e + 1})}}", size=d.LABEL_SIZE - 2),
                    )
                    for e in examples
                )
            ).arrange(RIGHT, buff=0.12)

        cells = row(range(m)).move_to(1.2 * UP)
        shuffled = row(order).next_to(cells, DOWN, buff=0.55)
        intro = d.tex(
            rf"\text{{Each epoch: shuffle the }} m = {m} \text{{ examples, cut them into mini-batches of }}"
            rf" {size}",
            size=d.FONT_SIZE - 2,
        )
        intro.next_to(self.heading, DOWN, buff=0.45).align_to(self.heading, LEFT)
        self.play(Fade(intro), Fade(cells), run_time=1)
        self.play(LaggedStart(*(Fade(cell) for cell in shuffled), lag_ratio=0.3), run_time=2)
        braces, labels = VGroup(), VGroup()
        starts = range(0, m, size)
        for t, first in enumerate(starts, start=1):
            batch = shuffled[first : first + size]
            brace = Brace(batch, DOWN, buff=0.12, color=d.series_color(2))
            label = d.tex(rf"X^{{\{{{t}\}}}}\ ({len(batch)})", size=d.LABEL_SIZE, color=d.series_color(2))
            braces.add(brace)
            labels.add(label.next_to(brace, DOWN, buff=0.1))
        sizes = " + ".join(str(min(size, m - first)) for first in starts)
        note = d.tex(
            rf"{m} = {sizes}:\ \text{{the last mini-batch, }} X^{{\{{{len(starts)}\}}}},"
            r"\ \text{holds what is left}",
            size=d.LABEL_SIZE + 2,
            color=d.MUTED,
        ).next_to(labels, DOWN, buff=0.45)
        self.play(*(Fade(brace) for brace in braces), *(Fade(label) for label in labels), run_time=1)
        self.play(Fade(note), run_time=1)
        self.wait(2)
        self.play(
            *(Fade(mobject, out=True) for mobject in (intro, cells, shuffled, braces, labels, note)),
            run_time=0.6,
        )

    def show_algorithm(self):
        """One epoch: a step of gradient descent on each mini-batch in turn."""
        b, m = self.lecture_batch, self.lecture_m
        count = ls.noise.minibatch(b, m).steps_per_epoch
        algorithm = d.tex(
            rf"&\text{{for }} t = 1, \dots, {d.thousands(count)}:\\",
            r"&\quad \text{forward prop on } X^{\{t\}}\\",
            rf"&\quad J^{{\{{t\}}}} = \frac{{1}}{{{b}}} \sum_{{i=1}}^{{{b}}}"
            r" \mathcal{L}(\hat y^{(i)}, y^{(i)})"
            rf" + \frac{{\lambda}}{{2 \cdot {b}}} \sum_l \lVert W^{{[l]}} \rVert_F^2\\",
            r"&\quad \text{backprop on } (X^{\{t\}}, Y^{\{t\}}):"
            r"\quad W := W - \alpha\, dW,\ \ b := b - \alpha\, db",
        )
        algorithm.next_to(self.heading, DOWN, buff=0.6).align_to(self.heading, LEFT)
        epoch = d.tex(
            r"\text{1 epoch} = \text{one pass through the training set}"
            rf" = {d.thousands(count)} \text{{ gradient steps}}",
            color=d.series_color(2),
        )
        epoch.next_to(algorithm, DOWN, buff=0.5).align_to(algorithm, LEFT)
        self.play(Write(algorithm), run_time=3)
        self.play(Fade(epoch), run_time=1)
        self.wait(2)
        self.play(Fade(algorithm, out=True), Fade(epoch, out=True), run_time=0.6)

    def show_paths(self):
        """Batch, mini-batch and stochastic gradient descent on one data set: paths and costs."""
        surface = ls.surfaces.get(
            "linear_regression", m=self.m, n=1, seed=self.seed, noise=1.0, feature_scale=2.0
        )
        sizes = {"batch": self.m, "mini-batch": self.batch_size, "stochastic": 1}
        traces = {
            key: ls.trace(
                surface,
                ls.optim.sgd(lr=self.lr),
                surface.default_start,
                steps=self.steps,
                batch_size=size,
                seed=self.seed,
                engine="numpy",
            )
            for key, size in sizes.items()
        }
        colors = {
            "batch": d.series_color(0),
            "mini-batch": d.series_color(2),
            "stochastic": d.series_color(1),
        }
        # the full cost J of batch gradient descent, and the mini-batch costs J^{t} (at step 0 the full cost)
        costs = {"batch": traces["batch"].values[:, 0], "mini-batch": traces["mini-batch"].batch_values[:, 0]}
        per_epoch = traces["mini-batch"].config["steps_per_epoch"]
        ax, charts = self.lay_out_paths(surface, sizes, colors, costs, per_epoch)
        self.grow_paths(traces, colors, costs, ax, charts)

    def lay_out_paths(self, surface, sizes, colors, costs, per_epoch):
        """The cost surface with a legend, and a chart of each cost, faded in; returns the axes and
        the charts (by run)."""
        ax, panel = d.surface_panel(surface, width=5.2, height=4.4, x_label="w", y_label="b")
        ax.to_corner(DOWN + LEFT, buff=0.55).shift(0.4 * RIGHT)
        legend = VGroup(
            *(
                d.tex(
                    rf"\text{{{key}}}\ (B = {size if size < self.m else 'm'})",
                    size=d.LABEL_SIZE,
                    color=colors[key],
                )
                for key, size in sizes.items()
            )
        )
        legend.arrange(RIGHT, buff=0.45).next_to(panel, UP, buff=0.2).align_to(panel, LEFT)

        low, high = d.log_range(costs["batch"], costs["mini-batch"])
        batch_chart = d.chart(
            (0, self.steps), (low, high), width=5.2, height=1.9, y_log=True, x_label=r"\#\,\text{iterations}"
        )
        mini_chart = d.chart(
            (0, self.steps),
            (low, high),
            width=5.2,
            height=1.9,
            y_log=True,
            x_label=r"\text{mini-batch }\#\,t",
        )
        titled = VGroup(
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
                mini_chart,
            ).arrange(DOWN, buff=0.1),
        )
        titled.arrange(DOWN, buff=0.35).to_corner(DOWN + RIGHT, buff=0.4)
        epoch_mark = d.polyline(
            d.to_scene(mini_chart, [per_epoch, per_epoch], [10**low, 10**high]),
            color=d.MUTED,
            width=2,
            within=mini_chart,
        )
        epoch_label = d.tex(r"\text{1 epoch}", size=d.LABEL_SIZE - 4, color=d.MUTED)
        epoch_label.next_to(epoch_mark, RIGHT, buff=0.08).align_to(epoch_mark, UP)
        self.play(Fade(panel), Fade(legend), Fade(titled), Fade(epoch_mark), Fade(epoch_label), run_time=1.5)
        return ax, {"batch": batch_chart, "mini-batch": mini_chart}

    def grow_paths(self, traces, colors, costs, ax, charts):
        """The three paths grow on the surface while the two costs grow on their charts."""
        t = ValueTracker(0.0)
        moving = [
            d.growing_path(
                d.to_scene(ax, traces[key].positions[:, 0]), t, color=colors[key], width=3, within=ax
            )
            for key in ("stochastic", "mini-batch", "batch")
        ]
        iterations = range(self.steps + 1)
        for key, width in (("batch", 3), ("mini-batch", 2)):
            series = d.to_scene(charts[key], iterations, costs[key])
            moving.append(d.growing_path(series, t, color=colors[key], width=width, within=charts[key]))
        self.add(*moving)
        self.advance(t, self.steps, 10)


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
