"""Saddles: particles escape a saddle along its negative curvature; minima grow rare with dimension."""

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    Surface,
    ThreeDAxes,
    ValueTracker,
    VGroup,
)

import landscape as ls
from landscape.rendering import Fade, LectureThreeDScene
from landscape.rendering import drawing as d


class Saddles(LectureThreeDScene):
    """A 3-D saddle that particles escape along its negative curvature; minima grow rare with dimension."""

    particles: int = 40
    """Particles started near the saddle."""
    lr: float = 0.05
    """Learning rate of gradient descent."""
    noise: float = 0.05
    """Standard deviation of the gradient noise."""
    steps: int = 45
    """Iterations shown."""
    dimensions: int = 5
    """Largest dimension of the random Hessians sampled."""
    samples: int = 100_000
    """Random Hessians per dimension."""
    seed: int = 0
    """Seed of the starting points, the noise and the random Hessians."""

    def construct(self):
        surface = ls.surfaces.get("saddle")
        point = ls.analysis.classify(surface, np.zeros(2))
        (x_low, x_high), (y_low, y_high) = surface.bounds
        z_reach = d.value_reach(surface)
        ax = ThreeDAxes(
            x_range=[x_low, x_high, 1],
            y_range=[y_low, y_high, 1],
            z_range=[-z_reach, z_reach, 2],
            x_length=6,
            y_length=6,
            z_length=3.2,
            tips=False,
            axis_config={"color": d.MUTED, "stroke_width": 1.5},
        )

        def lift(xy):
            xy = np.asarray(xy, dtype=float).reshape(-1, 2)
            return np.asarray(ax.c2p(xy[:, 0], xy[:, 1], surface.value(xy)), dtype=float).reshape(3, -1).T

        mesh = Surface(
            lambda u, v: lift([u, v])[0],
            u_range=[x_low, x_high],
            v_range=[y_low, y_high],
            resolution=(20, 20),
            fill_opacity=0.6,
            stroke_width=0.5,
            stroke_color=d.MUTED,
        )
        mesh.set_fill_by_value(axes=ax, colorscale=d.surface_colorscale(-z_reach, z_reach), axis=2)
        self.set_camera_orientation(phi=62 * DEGREES, theta=-50 * DEGREES, zoom=0.9)

        title = d.title("The problem of local optima")
        facts = (
            d.tex(
                r"\nabla f(0, 0) = 0,\quad \text{eigenvalues of the Hessian: }"
                + ",\\ ".join(f"{value:g}" for value in point.eigenvalues)
                + rf"\quad\Rightarrow\ \text{{a {point.kind}}}",
                size=d.LABEL_SIZE + 2,
            )
            .next_to(title, DOWN, buff=0.25)
            .align_to(title, LEFT)
        )
        self.add_fixed_in_frame_mobjects(title)
        self.add(ax, mesh)
        self.add_fixed_in_frame_mobjects(facts)  # before fading in, so it never shows in 3-D
        self.play(Fade(facts), run_time=1)

        # The escape direction: the eigenvector of the negative eigenvalue.
        direction = np.asarray(point.escape_direction, dtype=float)
        escape = VGroup(
            *(
                d.polyline(
                    lift(np.linspace(0, 1.6, 24)[:, None] * sign * direction),
                    color=d.series_color(2),
                    width=6,
                )
                for sign in (1, -1)
            )
        )
        escape_label = d.tex(
            r"\text{escape direction (negative curvature)}", size=d.LABEL_SIZE, color=d.series_color(2)
        )
        escape_label.to_corner(DOWN + LEFT, buff=0.5)
        self.add_fixed_in_frame_mobjects(escape_label)
        self.play(Fade(escape), Fade(escape_label), run_time=1.2)

        rng = np.random.default_rng(self.seed)
        starts = np.column_stack(
            [1.6 + 0.1 * rng.standard_normal(self.particles), 0.03 * rng.standard_normal(self.particles)]
        )
        run = ls.trace(
            surface,
            ls.optim.sgd(lr=self.lr),
            starts,
            steps=self.steps,
            noise=ls.noise.gaussian(self.noise),
            seed=self.seed,
        )
        inside = np.clip(
            run.positions, surface.bounds[:, 0], surface.bounds[:, 1]
        )  # leaving the window: at its edge
        points = lift(inside.reshape(-1, 2)).reshape(inside.shape[0], -1, 3)
        t = ValueTracker(0.0)
        cloud = d.particle_cloud(points[0], radius=0.09, color=d.optimizer_color("sgd"), opacity=1.0)
        cloud.add_updater(lambda m: d.set_cloud(m, d.point_at(points, t.get_value())))
        label = (
            d.tex(
                rf"\text{{gradient descent with noise, {self.particles} particles}}",
                size=d.LABEL_SIZE,
                color=d.optimizer_color("sgd"),
            )
            .next_to(facts, DOWN, buff=0.2)
            .align_to(facts, LEFT)
        )
        self.add_fixed_in_frame_mobjects(label)
        self.play(Fade(label), run_time=0.5)
        self.add(cloud)
        self.advance(t, self.steps, 8)
        cloud.clear_updaters()
        self.wait(1)

        # In n dimensions a critical point is a minimum only if all n eigenvalues are positive.
        dims = np.arange(1, self.dimensions + 1)
        measured = [ls.analysis.minimum_fraction(int(n), samples=self.samples, seed=self.seed) for n in dims]
        fractions = np.array([m.fraction for m in measured])
        errors = np.array([m.stderr for m in measured])
        seen = fractions > 0
        wide = np.linspace(1, self.dimensions + 1, 60)
        law = ls.analysis.goe_positive_definite_probability(
            np.arange(1, self.dimensions + 2), method="asymptotic"
        )
        low = int(np.floor(np.log10(min(fractions[seen].min(), law.min())))) - 1
        chart = d.chart(
            (0, self.dimensions + 1),
            (low, 0),
            width=7.0,
            height=4.0,
            y_log=True,
            x_step=1,
            x_label=r"\text{dimension } n",
            y_label=r"\text{fraction of minima}",
        )
        chart.to_corner(DOWN + RIGHT, buff=0.6)
        # exp(-θ n²) between whole n: straight in log scale from one n to the next
        curve = np.exp(np.interp(wide, np.arange(1, self.dimensions + 2), np.log(law)))
        theory = d.polyline(d.to_scene(chart, wide, curve), color=d.INK, width=2.5)
        dots = d.particle_cloud(
            d.to_scene(chart, dims[seen], fractions[seen]), radius=0.07, color=d.series_color(1)
        )
        bars = VGroup(
            *(
                d.polyline(
                    d.to_scene(chart, [n, n], [max(f - e, 10.0**low), f + e]),
                    color=d.series_color(1),
                    width=3,
                )
                for n, f, e in zip(dims[seen], fractions[seen], errors[seen], strict=True)
            )
        )
        legend = (
            VGroup(
                d.tex(
                    rf"\text{{random Hessians (GOE), }} {d.thousands(self.samples)} \text{{ per }} n",
                    size=d.LABEL_SIZE,
                    color=d.series_color(1),
                ),
                d.tex(
                    r"e^{-(\ln 3/4)\, n^2} \ \ \text{(Dean \& Majumdar 2006)}", size=d.LABEL_SIZE, color=d.INK
                ),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            .next_to(chart, LEFT, buff=0.4)
            .shift(0.5 * DOWN)
        )
        claim = d.tex(
            r"\text{Unlikely to get stuck in a bad local optimum}", size=d.FONT_SIZE, color=d.series_color(2)
        )
        claim.next_to(title, DOWN, buff=0.3).align_to(title, LEFT)
        reason = (
            d.tex(
                r"\text{a critical point in } n \text{ dimensions is a minimum only if all } n"
                r" \text{ eigenvalues are positive}",
                size=d.LABEL_SIZE,
                color=d.MUTED,
            )
            .next_to(claim, DOWN, buff=0.15)
            .align_to(claim, LEFT)
        )
        group = VGroup(chart, theory, dots, bars, legend, claim, reason)
        self.play(
            *(Fade(m, out=True) for m in (mesh, cloud, escape, ax, facts, label, escape_label)), run_time=1
        )
        self.add_fixed_in_frame_mobjects(group)
        self.play(Fade(group), run_time=1.5)
        self.wait(2.5)
