"""Choosing the mini-batch size: the noise of the path and of the cost from B = 1 to B = m."""

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, ValueTracker, VGroup

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d


class BatchSize(LectureScene):
    """Choosing the mini-batch size: path and cost noise for B = 1, 64, 128, 256, 512 and m."""

    m: int = 4096
    """Examples in the data set (linear regression, one feature)."""
    lr: float = 0.1
    """Learning rate α."""
    steps: int = 80
    """Iterations per batch size."""
    particles: int = 32
    """Particles per batch size (each shuffles the data its own way)."""
    small_set: int = 2000
    """Up to this many examples, the lecture says: use batch gradient descent."""
    seed: int = 0
    """Seed of the data set and of the shuffling."""

    def construct(self):
        self.surface = ls.surfaces.get(
            "linear_regression", m=self.m, n=1, seed=self.seed, noise=1.0, feature_scale=2.0
        )
        self.sizes = [1, 64, 128, 256, 512, self.m]
        self.runs = [
            ls.trace(
                self.surface,
                ls.optim.sgd(lr=self.lr),
                self.surface.default_start,
                steps=self.steps,
                particles=self.particles,
                batch_size=size,
                seed=self.seed,
                engine="numpy",
            )
            for size in self.sizes
        ]
        # six sizes, six colours; m takes yellow, not the sky blue that is close to B = 1's blue
        self.colors = [d.series_color(index) for index in (0, 1, 2, 3, 4, 6)]
        self.show_layout()
        self.show_sizes()
        self.show_tradeoff()
        self.wait(2)

    def name(self, size: int) -> str:
        if size == self.m:
            return "m"
        return "1" if size == 1 else rf"{size} = 2^{{{int(np.log2(size))}}}"

    def show_layout(self):
        title = d.title("Choosing your mini-batch size")
        self.ax, self.panel = d.surface_panel(self.surface, width=5.2, height=4.2, x_label="w", y_label="b")
        self.ax.to_corner(DL, buff=0.55).shift(0.4 * RIGHT)
        grid = np.unique(np.geomspace(1, self.m, 200).astype(int))
        self.noise_chart = d.chart(
            (0, np.log10(self.m)), (0, 1), width=5.2, height=1.7, x_log=True, x_label="B", y_step=0.5
        )
        noise_title = d.tex(
            r"\text{gradient noise} \propto \sqrt{\frac{m - B}{B\,(m - 1)}}", size=d.LABEL_SIZE
        )
        noise_line = d.polyline(
            d.to_scene(self.noise_chart, grid, [ls.noise.minibatch(int(b), self.m).std for b in grid]),
            color=d.INK,
            width=2.5,
            within=self.noise_chart,
        )
        costs = np.concatenate([run.batch_values[:, 0] for run in self.runs])
        self.low, self.high = d.log_range(np.percentile(costs, [5, 100]))
        self.cost_chart = d.chart(
            (0, self.steps), (self.low, self.high), width=5.2, height=1.7, y_log=True, x_label="t"
        )
        cost_title = d.tex(r"\text{mini-batch cost } J^{\{t\}}", size=d.LABEL_SIZE)
        self.noise_group = VGroup(noise_title, VGroup(self.noise_chart, noise_line)).arrange(DOWN, buff=0.1)
        self.right = (
            VGroup(self.noise_group, VGroup(cost_title, self.cost_chart).arrange(DOWN, buff=0.1))
            .arrange(DOWN, buff=0.3)
            .to_corner(DOWN + RIGHT, buff=0.4)
        )
        typical = d.tex(
            r"&\text{typical: } 64,\ 128,\ 256,\ 512 \;=\; 2^6,\ 2^7,\ 2^8,\ 2^9\\",
            rf"&m \le {d.thousands(self.small_set)}:\ \text{{batch gradient descent}}\\",
            r"&X^{\{t\}}, Y^{\{t\}} \text{ must fit in CPU/GPU memory}",
            size=d.LABEL_SIZE - 2,
            color=d.MUTED,
        ).to_corner(UP + RIGHT, buff=0.3)
        self.add(title, self.panel, self.right, typical)

    def show_sizes(self):
        """Each size in turn: its cloud and path on the surface, its noise, its mini-batch costs."""
        label = d.tex(r"B", size=d.FONT_SIZE).next_to(self.panel, UP, buff=0.2).align_to(self.panel, LEFT)
        noise = [ls.noise.minibatch(size, self.m).std for size in self.sizes]  # relative to one example's
        marker = d.particle_cloud(
            d.to_scene(self.noise_chart, 1, noise[0]),
            radius=0.08,
            color=self.colors[0],
            within=self.noise_chart,
        )
        self.add(label, marker)
        self.paths, costs = [], []
        for index, (size, run) in enumerate(zip(self.sizes, self.runs, strict=True)):
            color = self.colors[index]
            text = r"m\ (\text{batch: no noise})" if size == self.m else self.name(size)
            if size == 1:
                text += r"\ (\text{stochastic})"
            new_label = d.tex(rf"B = {text}", size=d.FONT_SIZE, color=color).move_to(label, aligned_edge=LEFT)
            spot = d.to_scene(self.noise_chart, size, noise[index])[0]
            self.play(
                Fade(label, out=True),
                Fade(new_label),
                marker.animate.move_to(spot).set_fill(color),
                *(line.animate.set_stroke(opacity=0.4) for line in (*self.paths, *costs)),
                run_time=0.8,
            )
            label = new_label
            t = ValueTracker(0.0)
            positions = run.positions  # (steps + 1, K, 2)
            points = d.to_scene(self.ax, positions.reshape(-1, 2)).reshape(positions.shape[0], -1, 3)
            cloud = d.moving_dots(points, t, radius=0.045, color=color, opacity=0.9, within=self.ax)
            path = d.growing_path(points[:, 0], t, color=color, width=2, within=self.ax)
            shown = np.clip(run.batch_values[:, 0], 10.0**self.low, 10.0**self.high)
            cost = d.growing_path(
                d.to_scene(self.cost_chart, range(self.steps + 1), shown),
                t,
                color=color,
                width=2,
                within=self.cost_chart,
            )
            self.add(path, cost, cloud)
            self.advance(t, self.steps, 2.5)
            for mobject in (path, cost, cloud):
                mobject.clear_updaters()
            self.play(Fade(cloud, out=True), run_time=0.4)
            self.paths.append(path)
            costs.append(cost)
        self.play(Fade(label, out=True), Fade(marker, out=True), run_time=0.5)

    def show_tradeoff(self):
        """The full cost against examples processed: B = 1 stalls at its noise, B = m pays m per step."""
        examples = [np.arange(self.steps + 1) * size for size in self.sizes]
        medians = [np.median(run.values, axis=1) for run in self.runs]
        low, high = d.log_range(*medians)
        chart = d.chart(
            (0, np.ceil(np.log10(examples[-1][-1]))),
            (low, high),
            width=5.2,
            height=1.7,
            x_log=True,
            y_log=True,
            x_label=r"\text{examples processed}",
        )
        heading = d.tex(
            r"\text{cost } J \text{ (median of } " + str(self.particles) + r"\text{)}", size=d.LABEL_SIZE
        )
        group = VGroup(heading, chart).arrange(DOWN, buff=0.1).move_to(self.noise_group, aligned_edge=UP)
        curves = VGroup(
            *(
                d.polyline(
                    d.to_scene(chart, np.maximum(seen[1:], 1), cost[1:]), color=color, width=3, within=chart
                )
                for seen, cost, color in zip(examples, medians, self.colors, strict=True)
            )
        )
        legend = VGroup(
            *(
                d.tex(rf"B = {'m' if size == self.m else size}", size=d.LABEL_SIZE - 2, color=color)
                for size, color in zip(self.sizes, self.colors, strict=True)
            )
        ).arrange(RIGHT, buff=0.28)
        legend.next_to(self.panel, UP, buff=0.2).align_to(self.panel, LEFT)
        self.play(Fade(self.noise_group, out=True), run_time=0.5)
        self.play(
            Fade(group), Fade(curves), Fade(legend), *(p.animate.set_stroke(opacity=0.8) for p in self.paths)
        )
        advice = d.tex(
            r"&\text{In between learns fastest: each step is}\\",
            r"&\text{vectorized over } B \text{ examples, and needs}\\",
            r"&\text{only } B \text{ of the } m \text{ examples (measured: see below)}",
            size=d.LABEL_SIZE,
            color=d.series_color(2),
        )
        advice.next_to(legend, UP, buff=0.25).align_to(legend, LEFT)
        self.play(Fade(advice), run_time=1)
