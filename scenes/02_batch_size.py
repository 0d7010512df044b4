"""Choosing the mini-batch size: the noise of the path and of the cost from B = 1 to B = m."""

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, Transform, ValueTracker, VGroup

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
        surface = ls.surfaces.get(
            "linear_regression", m=self.m, n=1, seed=self.seed, noise=1.0, feature_scale=2.0
        )
        sizes = [1, 64, 128, 256, 512, self.m]
        runs = [
            ls.trace(
                surface,
                ls.optim.sgd(lr=self.lr),
                surface.default_start,
                steps=self.steps,
                particles=self.particles,
                batch_size=size,
                seed=self.seed,
            )
            for size in sizes
        ]
        noise = [ls.noise.minibatch(size, self.m).std for size in sizes]  # relative to one example's

        title = d.title("Choosing your mini-batch size")
        ax, panel = d.surface_panel(surface, width=5.2, height=4.3, x_label="w", y_label="b")
        ax.to_corner(DL, buff=0.5).shift(0.4 * RIGHT)
        grid = np.geomspace(1, self.m, 200)
        curve = [ls.noise.minibatch(int(size), self.m).std for size in np.unique(grid.astype(int))]
        noise_chart = d.chart(
            (0, np.log10(self.m)), (0, 1), width=5.2, height=1.8, x_log=True, x_label="B", y_step=0.5
        )
        noise_title = d.tex(
            r"\text{gradient noise} \propto \sqrt{\frac{m - B}{B\,(m - 1)}}", size=d.LABEL_SIZE
        )
        noise_line = d.polyline(
            d.to_scene(noise_chart, np.unique(grid.astype(int)), curve), color=d.INK, width=2.5
        )
        costs = np.concatenate([run.batch_values[:, 0] for run in runs])
        low, high = d.log_range(np.percentile(costs, [5, 100]))
        cost_chart = d.chart((0, self.steps), (low, high), width=5.2, height=1.8, y_log=True, x_label="t")
        cost_title = d.tex(r"\text{mini-batch cost } J^{\{t\}}", size=d.LABEL_SIZE)
        right = (
            VGroup(
                VGroup(noise_title, VGroup(noise_chart, noise_line)).arrange(DOWN, buff=0.1),
                VGroup(cost_title, cost_chart).arrange(DOWN, buff=0.1),
            )
            .arrange(DOWN, buff=0.3)
            .to_corner(DOWN + RIGHT, buff=0.4)
        )
        typical = d.tex(
            r"\text{typical: } 64,\ 128,\ 256,\ 512 \;=\; 2^6,\ 2^7,\ 2^8,\ 2^9",
            size=d.LABEL_SIZE,
            color=d.MUTED,
        ).next_to(title, RIGHT, buff=0.8)
        self.add(title, panel, right, typical)

        label = d.tex(r"B", size=d.FONT_SIZE).next_to(panel, UP, buff=0.2).align_to(panel, LEFT)
        marker = d.particle_cloud(d.to_scene(noise_chart, 1, noise[0]), radius=0.08, color=d.series_color(1))
        self.add(label, marker)
        previous = []
        for index, (size, run) in enumerate(zip(sizes, runs, strict=True)):
            color = d.series_color(index)
            name = (
                "m"
                if size == self.m
                else (r"1 \ (\text{stochastic})" if size == 1 else rf"{size} = 2^{{{int(np.log2(size))}}}")
            )
            new_label = d.tex(rf"B = {name}", size=d.FONT_SIZE, color=color).move_to(label, aligned_edge=LEFT)
            if size == self.m:
                new_label = d.tex(r"B = m\ (\text{batch: no noise})", size=d.FONT_SIZE, color=color).move_to(
                    label, aligned_edge=LEFT
                )
            spot = d.to_scene(noise_chart, size, noise[index])
            self.play(
                Transform(label, new_label),
                marker.animate.move_to(spot[0]).set_fill(color),
                *(line.animate.set_stroke(opacity=0.45) for line in previous),
                run_time=0.8,
            )
            t = ValueTracker(0.0)
            positions = run.positions  # (steps + 1, K, 2)
            points = d.to_scene(ax, positions.reshape(-1, 2)).reshape(positions.shape[0], -1, 3)
            cloud = d.particle_cloud(points[0], radius=0.045, color=color)
            cloud.add_updater(lambda m, p=points, t=t: d.set_cloud(m, d.point_at(p, t.get_value())))
            path = d.growing_path(points[:, 0], t, color=color, width=2)
            shown = np.clip(run.batch_values[:, 0], 10.0**low, 10.0**high)
            cost = d.growing_path(
                d.to_scene(cost_chart, range(self.steps + 1), shown), t, color=color, width=2
            )
            self.add(path, cost, cloud)
            self.advance(t, self.steps, 2.5)
            for mobject in (path, cost, cloud):
                mobject.clear_updaters()
            self.play(Fade(cloud, out=True), Fade(path, out=True), run_time=0.4)
            previous.append(cost)

        advice = (
            VGroup(
                d.tex(
                    rf"\text{{small training set }} (m \le {d.thousands(self.small_set)}):"
                    r"\ \text{use batch gradient descent}",
                    size=d.LABEL_SIZE,
                ),
                d.tex(
                    r"\text{make sure a mini-batch } X^{\{t\}}, Y^{\{t\}} \text{ fits in CPU/GPU memory}",
                    size=d.LABEL_SIZE,
                ),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            .next_to(panel, UP, buff=0.15)
            .align_to(panel, LEFT)
        )
        self.play(Fade(label, out=True), Fade(advice), run_time=1)
        self.wait(2)
