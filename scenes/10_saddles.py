"""Saddles: particles escape a saddle along its negative curvature; minima grow rare with dimension."""

import numpy as np
from manim import DEGREES, DOWN, LEFT, RIGHT, UP, Surface, ThreeDAxes, ValueTracker, VGroup

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
    dimensions: int = 6
    """Largest dimension of the random Hessians sampled."""
    samples: int = 100_000
    """Random Hessians per dimension."""
    seed: int = 0
    """Seed of the starting points, the noise and the random Hessians."""

    def construct(self):
        self.surface = ls.surfaces.get("saddle")
        self.heading = d.title("The problem of local optima")
        self.add_fixed_in_frame_mobjects(self.heading)
        self.show_saddle()
        self.escape()
        self.count_minima()
        self.wait(2.5)

    def lift(self, xy):
        """Scene points of surface points ``(n, 2)``, at their height ``f``."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        points = self.ax.c2p(xy[:, 0], xy[:, 1], self.surface.value(xy))
        return np.asarray(points, dtype=float).reshape(3, -1).T

    def lift_faces(self, mesh):
        """Lift a mesh laid out in the plane of ``(x, y)`` to the surface's height, in one call.

        As Manim's ``Surface`` does point by point (one call of ``lift`` per
        point: most of the scene's construction): handles pulled close to their
        anchors while the points move, so that faces keep straight edges.
        """
        faces = mesh.family_members_with_points()
        factor = mesh.pre_function_handle_to_anchor_scale_factor
        mesh.scale_handle_to_anchor_distances(factor)
        lifted = self.lift(np.concatenate([face.points[:, :2] for face in faces]))
        ends = np.cumsum([len(face.points) for face in faces])[:-1]
        for face, points in zip(faces, np.split(lifted, ends), strict=True):
            face.set_points(points)
        mesh.scale_handle_to_anchor_distances(1.0 / factor)

    def show_saddle(self):
        """x² − y² in 3-D, its labelled axes, and what its Hessian says."""
        (x_low, x_high), (y_low, y_high) = self.surface.bounds
        z_reach = d.value_reach(self.surface)
        self.ax = ThreeDAxes(
            x_range=[x_low, x_high, 1],
            y_range=[y_low, y_high, 1],
            z_range=[-z_reach, z_reach, 2],
            x_length=6,
            y_length=6,
            z_length=3.2,
            tips=False,
            axis_config={"color": d.MUTED, "stroke_width": 1.5},
        )
        self.mesh = Surface(
            lambda u, v: np.array([u, v, 0.0]),
            u_range=[x_low, x_high],
            v_range=[y_low, y_high],
            resolution=(20, 20),
            fill_opacity=0.6,
            stroke_width=0.5,
            stroke_color=d.MUTED,
        )
        self.lift_faces(self.mesh)
        self.mesh.set_fill_by_value(axes=self.ax, colorscale=d.surface_colorscale(-z_reach, z_reach), axis=2)
        self.set_camera_orientation(phi=62 * DEGREES, theta=-50 * DEGREES, zoom=0.9)
        ends = [self.ax.c2p(x_high, 0, 0), self.ax.c2p(0, y_high, 0), self.ax.c2p(0, 0, z_reach)]
        self.renderer.camera.reset_rotation_matrix()  # the orientation just set, before the first frame
        on_screen = self.renderer.camera.project_points(np.array(ends))
        self.axis_labels = VGroup(
            *(
                d.tex(name, size=d.LABEL_SIZE + 2, color=d.MUTED).move_to(point + 0.3 * shift)
                for name, point, shift in zip(("x", "y", "f"), on_screen, (DOWN, RIGHT, UP), strict=True)
            )
        )
        point = ls.analysis.classify(self.surface, np.zeros(2))
        self.point = point
        self.facts = d.tex(
            r"f = x^2 - y^2:\quad \nabla f(0, 0) = 0,\quad \text{eigenvalues of the Hessian: }"
            + ",\\ ".join(f"{value:g}" for value in point.eigenvalues)
            + rf"\quad\Rightarrow\ \text{{a {point.kind}}}",
            size=d.LABEL_SIZE + 2,
        )
        self.facts.next_to(self.heading, DOWN, buff=0.25).align_to(self.heading, LEFT)
        self.add(self.ax, self.mesh)
        self.add_fixed_in_frame_mobjects(self.axis_labels, self.facts)  # before fading in: never in 3-D
        self.play(Fade(self.facts), Fade(self.axis_labels), run_time=1)

    def escape(self):
        """Noisy gradient descent started near the saddle leaves along the eigenvector of −2."""
        direction = np.asarray(self.point.escape_direction, dtype=float)
        self.escape_lines = VGroup(
            *(
                d.polyline(
                    self.lift(np.linspace(0, 1.6, 24)[:, None] * sign * direction),
                    color=d.series_color(2),
                    width=6,
                    within=self.ax,
                )
                for sign in (1, -1)
            )
        )
        self.escape_label = d.tex(
            r"\text{escape direction (negative curvature)}", size=d.LABEL_SIZE, color=d.series_color(2)
        )
        self.escape_label.to_corner(DOWN + LEFT, buff=0.5)
        self.add_fixed_in_frame_mobjects(self.escape_label)
        self.play(Fade(self.escape_lines), Fade(self.escape_label), run_time=1.2)
        rng = np.random.default_rng(self.seed)
        starts = np.column_stack(
            [1.6 + 0.1 * rng.standard_normal(self.particles), 0.03 * rng.standard_normal(self.particles)]
        )
        run = ls.trace(
            self.surface,
            ls.optim.sgd(lr=self.lr),
            starts,
            steps=self.steps,
            noise=ls.noise.gaussian(self.noise),
            seed=self.seed,
            engine="numpy",
        )
        # a particle that leaves the window is shown at its edge
        inside = np.clip(run.positions, self.surface.bounds[:, 0], self.surface.bounds[:, 1])
        points = self.lift(inside.reshape(-1, 2)).reshape(inside.shape[0], -1, 3)
        t = ValueTracker(0.0)
        self.cloud = d.moving_dots(
            points, t, radius=0.09, color=d.optimizer_color("sgd"), opacity=1.0, within=self.ax
        )
        self.label = d.tex(
            rf"\text{{gradient descent with noise, {self.particles} particles}}",
            size=d.LABEL_SIZE,
            color=d.optimizer_color("sgd"),
        )
        self.label.next_to(self.facts, DOWN, buff=0.2).align_to(self.facts, LEFT)
        self.add_fixed_in_frame_mobjects(self.label)
        self.play(Fade(self.label), run_time=0.5)
        self.add(self.cloud)
        self.advance(t, self.steps, 8)
        self.cloud.clear_updaters()
        self.wait(1)

    def count_minima(self):
        """The chance that a random critical point in n dimensions is a minimum, measured and exact."""
        dims = np.arange(1, self.dimensions + 1)
        measured = [ls.analysis.minimum_fraction(int(n), samples=self.samples, seed=self.seed) for n in dims]
        fractions = np.array([m.fraction for m in measured])
        errors = np.array([m.stderr for m in measured])
        exact = ls.analysis.goe_positive_definite_probability(dims)
        chart, curves = self.minimum_chart(dims, fractions, errors, exact)
        legend = self.minimum_legend(chart, dims, fractions, exact)
        claim = d.tex(
            r"\text{Unlikely to get stuck in a bad local optimum}", size=d.FONT_SIZE, color=d.series_color(2)
        )
        claim.next_to(self.heading, DOWN, buff=0.3).align_to(self.heading, LEFT)
        reason = d.tex(
            r"\text{a critical point in } n \text{ dimensions is a minimum only if all } n"
            r" \text{ eigenvalues are positive}",
            size=d.LABEL_SIZE,
            color=d.MUTED,
        )
        reason.next_to(claim, DOWN, buff=0.15).align_to(claim, LEFT)
        group = VGroup(chart, *curves, legend, claim, reason)
        leaving = (
            self.mesh,
            self.cloud,
            self.escape_lines,
            self.ax,
            self.facts,
            self.label,
            self.escape_label,
        )
        self.play(*(Fade(m, out=True) for m in (*leaving, self.axis_labels)), run_time=1)
        self.add_fixed_in_frame_mobjects(group)
        self.play(Fade(group), run_time=1.5)

    def minimum_chart(self, dims, fractions, errors, exact):
        """P(minimum) against n on a log scale: the exact curve, 2^-n dashed, and the measured
        fractions with their error bars (none where no minimum was seen)."""
        coin = 0.5**dims
        seen = fractions > 0
        low = int(np.floor(np.log10(min(fractions[seen].min(), exact.min())))) - 1
        chart = d.chart(
            (0, self.dimensions + 1),
            (low, 0),
            width=6.0,
            height=3.9,
            y_log=True,
            x_step=1,
            x_label=r"\text{dimension } n",
            y_label=r"P(\text{minimum})",
        )
        chart.to_corner(DOWN + RIGHT, buff=0.55)
        exact_line = d.polyline(d.to_scene(chart, dims, exact), color=d.INK, width=2.5, within=chart)
        coin_line = d.dashed(
            d.polyline(d.to_scene(chart, dims, coin), color=d.series_color(4), width=2.5, within=chart), 24
        )
        dots = d.particle_cloud(
            d.to_scene(chart, dims[seen], fractions[seen]), radius=0.07, color=d.series_color(1), within=chart
        )
        bars = VGroup(
            *(
                d.polyline(
                    d.to_scene(chart, [n, n], [max(f - e, 10.0**low), f + e]),
                    color=d.series_color(1),
                    width=3,
                    within=chart,
                )
                for n, f, e in zip(dims[seen], fractions[seen], errors[seen], strict=True)
            )
        )
        return chart, (exact_line, coin_line, dots, bars)

    def minimum_legend(self, chart, dims, fractions, exact):
        """What each curve is, left of the chart, and below it a note for the first dimension where
        no minimum was seen."""
        legend = VGroup(
            d.tex(
                rf"\text{{random Hessians (GOE), }} {d.thousands(self.samples)} \text{{ per }} n",
                size=d.LABEL_SIZE,
                color=d.series_color(1),
            ),
            d.tex(r"\text{exact (GOE, Mehta's integral)}", size=d.LABEL_SIZE, color=d.INK),
            d.tex(
                r"2^{-n}\text{: if the } n \text{ curvature signs were coin flips}",
                size=d.LABEL_SIZE,
                color=d.series_color(4),
            ),
            d.tex(
                r"\text{large } n\text{: } e^{-\frac{\ln 3}{4} n^2} \text{ (Dean \& Majumdar 2006)}",
                size=d.LABEL_SIZE - 2,
                color=d.MUTED,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        legend.next_to(chart, LEFT, buff=0.35).align_to(chart, UP)
        missing = [int(n) for n in dims[fractions == 0]]
        if missing:
            n = missing[0]
            expected = exact[n - 1] * self.samples
            note = d.tex(
                rf"&n = {n}:\ P = {d.scientific(exact[n - 1])},\ \text{{so}}\ {d.thousands(self.samples)}"
                r"\ \text{samples}\\",
                rf"&\text{{expect}}\ {expected:.2f}\ \text{{minima: none was seen, so there is no dot}}",
                size=d.LABEL_SIZE - 4,
                color=d.MUTED,
            )
            note.next_to(legend, DOWN, buff=0.35, aligned_edge=LEFT)
            legend.add(note)
        return legend
