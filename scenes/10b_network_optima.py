"""Local optima in neural networks: a bumpy 2-D picture against a network seen through its slices."""

import numpy as np
from manim import DOWN, LEFT, UP, ValueTracker, VGroup

import landscape as ls
from landscape.rendering import Fade, LectureScene
from landscape.rendering import drawing as d

KIND_COLORS = {"minimum": d.series_color(2), "saddle": d.series_color(1), "maximum": d.INK}
PANEL_WIDTH, PANEL_HEIGHT = 3.8, 2.3
LEFT_COLUMN, MIDDLE_COLUMN, TEXT_COLUMN = (
    -4.45,
    0.55,
    3.0,
)  # x of the panels' centres, of the texts' left edge


class LocalOptimaInNetworks(LectureScene):
    """A 2-D function full of local minima beside a network seen on its filter-normalized and PCA planes."""

    hidden: int = 3
    """Hidden tanh units of the network (2 inputs, 1 sigmoid output)."""
    examples: int = 64
    """Examples of the moons data set."""
    lambd: float = 0.1
    """Weight penalty λ of the cost (keeps the critical points isolated)."""
    lr: float = 0.1
    """Learning rate of Adam."""
    batch_size: int = 32
    """Mini-batch size (16 would leave it on the saddles' plateau: λ/(2·16) weighs 4x on a batch)."""
    epochs: int = 150
    """Passes over the data."""
    starts: int = 128
    """Starts of the search for the network's critical points."""
    field_seed: int = 13
    """Seed of the random 2-D function (13: eight local minima)."""
    seed: int = 0
    """Seed of the initial weights, the mini-batches, the random plane and the search."""

    def construct(self):
        self.compute()
        self.add(d.title("Local optima in neural networks"))
        self.show_low_dimension()
        self.show_filter_plane()
        self.show_pca_path()
        self.show_critical_points()

    def compute(self):
        """The 2-D function's critical points; the network, its training, its planes and critical points."""
        self.field = ls.surfaces.get("random_field", dim=2, seed=self.field_seed)
        self.field_points = ls.critical_points(self.field, seed=self.seed)
        self.net = ls.surfaces.mlp(
            layers=(2, self.hidden, 1), activation="tanh", data="moons", m=self.examples, lambd=self.lambd
        )
        start = self.net.init(1, scheme="xavier", seed=self.seed)
        self.training = ls.trace(
            self.net,
            ls.optim.adam(lr=self.lr),
            start,
            epochs=self.epochs,
            batch_size=self.batch_size,
            seed=self.seed,
            engine="numpy",
        )
        trained = self.training.positions[-1, 0]
        self.filter_plane = ls.slices.random_slice(self.net, trained, seed=self.seed, resolution=120)
        self.pca_plane = ls.slices.pca_slice(self.net, self.training, resolution=120)
        window = np.tile([-2.0, 2.0], (self.net.dim, 1))  # where the search for critical points starts
        self.found = ls.analysis.index_vs_value(self.net, starts=self.starts, seed=self.seed, bounds=window)

    def show_low_dimension(self):
        """The picture from low dimension: a bumpy function with many local minima."""
        field_ax, field_panel = d.surface_panel(
            self.field, width=PANEL_WIDTH, height=PANEL_HEIGHT, x_label="w_1", y_label="w_2"
        )
        field_ax.move_to(np.array([LEFT_COLUMN, 1.35, 0.0]))
        field_heading = _heading(r"\text{low dimension: a random function of 2 weights}", field_panel)
        points = self.field_points
        markers = VGroup(
            *(
                d.particle_cloud(
                    d.to_scene(field_ax, points.of_kind(kind).positions), radius=0.07, color=color
                )
                for kind, color in KIND_COLORS.items()
                if len(points.of_kind(kind))
            )
        )
        counts = points.counts
        self.facts = (
            VGroup(
                d.tex(
                    rf"\text{{{counts['minimum']} local minima}}",
                    size=d.LABEL_SIZE,
                    color=KIND_COLORS["minimum"],
                ),
                d.tex(
                    rf"\text{{{counts['saddle']} saddle points}}",
                    size=d.LABEL_SIZE,
                    color=KIND_COLORS["saddle"],
                ),
                d.tex(
                    rf"\text{{{counts['maximum']} maxima}}", size=d.LABEL_SIZE, color=KIND_COLORS["maximum"]
                ),
                d.tex(r"\text{gradient descent stops in}", size=d.LABEL_SIZE - 2, color=d.MUTED),
                d.tex(r"\text{the basin where it starts}", size=d.LABEL_SIZE - 2, color=d.MUTED),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.14)
            .move_to(np.array([MIDDLE_COLUMN, 1.35, 0.0]))
        )
        self.play(Fade(field_panel), Fade(field_heading), run_time=1.2)
        self.play(Fade(markers), Fade(self.facts), run_time=1.2)
        self.wait(1.5)

    def show_filter_plane(self):
        """A network: a random filter-normalized plane through its trained weights."""
        net_ax, net_panel = d.surface_panel(
            self.filter_plane, width=PANEL_WIDTH, height=PANEL_HEIGHT, x_label=r"\alpha", y_label=r"\beta"
        )
        net_ax.move_to(np.array([MIDDLE_COLUMN, 1.35, 0.0]))
        net_heading = _heading(
            rf"\text{{a network (2-{self.hidden}-1, {self.net.dim} weights): filter-normalized plane}}",
            net_panel,
        )
        center = d.particle_cloud(
            d.to_scene(net_ax, [[0.0, 0.0]]), radius=0.08, color=d.optimizer_color("adam")
        )
        self.play(Fade(self.facts, out=True), Fade(net_panel), Fade(net_heading), run_time=1.2)
        self.play(Fade(center), run_time=0.6)

    def show_pca_path(self):
        """The plane the path actually moves in: its two principal directions."""
        ratios = self.pca_plane.how["explained_variance_ratio"]
        pca_ax, pca_panel = d.surface_panel(
            self.pca_plane,
            width=PANEL_WIDTH,
            height=PANEL_HEIGHT,
            x_label=r"\text{PC}_1",
            y_label=r"\text{PC}_2",
        )
        pca_ax.move_to(np.array([LEFT_COLUMN, -2.2, 0.0]))
        pca_heading = _heading(
            rf"\text{{mini-batch Adam on the PCA plane of its path ({100 * ratios[0]:.0f}\% + "
            rf"{100 * ratios[1]:.0f}\%)}}",
            pca_panel,
        )
        seen = self.pca_plane.project(self.training)
        inside = np.clip(seen.coordinates[:, 0], self.pca_plane.bounds[:, 0], self.pca_plane.bounds[:, 1])
        path_points = d.to_scene(pca_ax, inside)
        t = ValueTracker(0.0)
        color = d.optimizer_color("adam")
        path = d.growing_path(path_points, t, color=color, width=3)
        dot = d.moving_dots(path_points, t, color=color, radius=0.08, opacity=0.9)
        run = self.training
        accuracy = run.metrics["accuracy"][-1, 0]
        training = (
            VGroup(
                d.tex(rf"\text{{{run.steps[-1]} steps, batch size {self.batch_size}}}", size=d.LABEL_SIZE),
                d.tex(
                    rf"\text{{cost }} J = {run.values[0, 0]:.2f} \to {run.values[-1, 0]:.2f}",
                    size=d.LABEL_SIZE,
                ),
                d.tex(rf"\text{{accuracy {100 * accuracy:.0f}\%}}", size=d.LABEL_SIZE),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.14)
            .move_to(np.array([TEXT_COLUMN + 1.6, 1.15, 0.0]))
            .align_to(np.array([TEXT_COLUMN, 0, 0]), LEFT)
        )
        self.play(Fade(pca_panel), Fade(pca_heading), Fade(training), run_time=1.2)
        self.add(path, dot)
        self.advance(t, len(path_points) - 1, 4)
        path.clear_updaters()
        dot.clear_updaters()

    def show_critical_points(self):
        """The high-dimensional fact: the network's critical points are mostly saddles."""
        values, fractions, kinds = self.found.values, self.found.index_fraction, self.found.kinds
        chart = d.chart(
            (float(values.min()) * 0.9, float(values.max()) * 1.05),
            (0.0, max(0.3, float(fractions.max()) * 1.15)),
            width=PANEL_WIDTH,
            height=PANEL_HEIGHT - 0.3,
            x_label=r"J",
            y_label=r"\text{share of descent directions}",
        )
        chart.move_to(np.array([MIDDLE_COLUMN, -2.15, 0.0]))
        dots = VGroup(
            *(
                d.particle_cloud(
                    d.to_scene(chart, values[kinds == kind], fractions[kinds == kind]),
                    radius=0.06,
                    color=color,
                )
                for kind, color in (("saddle", KIND_COLORS["saddle"]), ("minimum", KIND_COLORS["minimum"]))
                if np.any(kinds == kind)
            )
        )
        verdict = _verdict(values, kinds)
        claim = (
            VGroup(
                d.tex(r"\text{Unlikely to get stuck}", size=d.LABEL_SIZE + 2, color=d.series_color(2)),
                d.tex(r"\text{in a bad local optimum}", size=d.LABEL_SIZE + 2, color=d.series_color(2)),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.14)
            .next_to(verdict, DOWN, buff=0.35)
            .align_to(verdict, LEFT)
        )
        self.play(Fade(chart), run_time=1.0)
        self.play(Fade(dots), Fade(verdict), run_time=1.2)
        self.play(Fade(claim), run_time=1.0)
        self.wait(2.5)


def _verdict(values: np.ndarray, kinds: np.ndarray) -> VGroup:
    """How many critical points, saddles, minima (and how high) and degenerate points were found."""
    minima, saddles = int(np.sum(kinds == "minimum")), int(np.sum(kinds == "saddle"))
    lines = [
        d.tex(rf"\text{{{len(values)} critical points of the network:}}", size=d.LABEL_SIZE),
        d.tex(rf"\text{{{_count(saddles, 'saddle')}}}", size=d.LABEL_SIZE, color=KIND_COLORS["saddle"]),
    ]
    if minima:
        highest = values[kinds == "minimum"].max()
        lines.append(
            d.tex(
                rf"\text{{{_count(minima, 'minimum', 'minima')}, }} J \le {highest:.2f}",
                size=d.LABEL_SIZE,
                color=KIND_COLORS["minimum"],
            )
        )
    degenerate = len(values) - minima - saddles
    if degenerate:
        lines.append(d.tex(rf"\text{{{degenerate} degenerate}}", size=d.LABEL_SIZE, color=d.MUTED))
    return (
        VGroup(*lines)
        .arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        .move_to(np.array([TEXT_COLUMN + 1.6, -1.7, 0.0]))
        .align_to(np.array([TEXT_COLUMN, 0, 0]), LEFT)
    )


def _count(number: int, one: str, many: str | None = None) -> str:
    """``1 saddle``, ``7 saddles``."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def _heading(text: str, panel) -> VGroup:
    """A line of small text above a panel, as wide as the panel at most."""
    heading = d.tex(text, size=d.LABEL_SIZE - 4, color=d.MUTED)
    if heading.width > panel[1].width:
        heading.scale_to_fit_width(panel[1].width)
    return heading.next_to(panel[1], UP, buff=0.12).align_to(panel[1], LEFT)
