"""Figures of slices: the plane's values, paths projected in their colours, and what the labels say."""

import numpy as np
import pytest

import landscape as ls
from landscape.style import optimizer_color


def _bowl(dim):
    """Σ w_i x_i² with weights 1 .. dim: diagonal, so gradient descent from a point of the (x₁, x₂)
    plane never leaves it."""
    weights = np.arange(1.0, dim + 1)
    return ls.surfaces.from_functions(
        lambda x: (weights * x**2).sum(-1), lambda x: 2 * weights * x, dim=dim, bounds=[[-3, 3]] * dim
    )


@pytest.fixture(scope="module")
def rosenbrock_runs():
    s = ls.surfaces.get("rosenbrock", dim=20)
    runs = [
        ls.trace(s, ls.optim.adam(lr=0.02), s.default_start, steps=150, engine="numpy"),
        ls.trace(s, ls.optim.sgd(lr=0.0002), s.default_start, steps=150, engine="numpy"),
    ]
    return s, runs


def test_a_random_plane_draws_projected_paths_in_their_colours_and_says_how_far_off(
    rosenbrock_runs, pixels, count_color
):
    s, runs = rosenbrock_runs
    plane = ls.slices.random_slice(s, runs[0].final_positions[0], seed=0, resolution=41)
    empty = pixels(ls.plot.contour(plane))
    fig = ls.plot.contour(plane, runs)
    image = pixels(fig)
    for name in ("adam", "sgd"):
        assert count_color(empty, optimizer_color(name)) == 0
        assert count_color(image, optimizer_color(name)) > 300
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert all(label.endswith("% off the plane") for label in labels)
    notes = [t.get_text() for t in ax.texts]
    assert any(note.startswith("paths projected") for note in notes)
    assert ax.get_title().splitlines() == ["rosenbrock (dim=20)", "filter-normalized random plane (seed 0)"]
    assert ax.get_xlabel() == "α (along d₁)"
    # the drawn path is the projection of the run
    drawn = [line for line in ax.get_lines() if line.get_label().startswith("adam")][0]
    np.testing.assert_allclose(drawn.get_xydata(), plane.project(runs[0]).coordinates[:, 0])


def test_the_contours_are_the_values_of_the_plane(pixels):
    s = _bowl(12)
    plane = ls.slices.plane(s, np.zeros(12), np.eye(12)[0], np.eye(12)[1], span=(-2, 2), resolution=31)
    fig = ls.plot.contour(plane)
    filled = fig.axes[0].collections[0]
    grid = plane.grid()
    x, y = np.meshgrid(*grid.axes)
    np.testing.assert_allclose(grid.values, x**2 + 2 * y**2, rtol=1e-14, atol=1e-14)
    assert filled.levels[0] == pytest.approx(0.0, abs=1e-12)  # the lowest value of the plane, at the minimum


def test_a_path_in_its_pca_plane_is_drawn_as_lying_in_it():
    s = _bowl(10)
    start = np.zeros(10)
    start[:2] = [2.5, 1.5]
    traj = ls.trace(s, ls.optim.sgd(lr=0.02), start, steps=80, engine="numpy")
    plane = ls.slices.pca_slice(s, traj, resolution=21)
    fig = ls.plot.contour(plane, traj)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[-1] == "sgd (lr=0.02), in the plane"
    assert fig.axes[0].get_xlabel().startswith("PC 1 (")


def test_surface3d_of_a_plane(rosenbrock_runs, pixels, count_color):
    s, runs = rosenbrock_runs
    plane = ls.slices.pca_slice(s, runs[0], resolution=25)
    fig = ls.plot.surface3d(plane, runs[:1])
    assert fig.axes[0].name == "3d"
    assert count_color(pixels(fig), optimizer_color("adam")) > 100


def test_line_slice_draws_the_values_along_the_line_and_the_paths(rosenbrock_runs, pixels, count_color):
    s, runs = rosenbrock_runs
    path = ls.slices.line(s, s.default_start, runs[0].final_positions[0], resolution=51)
    fig = ls.plot.line_slice(path, runs[0])
    ax = fig.axes[0]
    curve = [line for line in ax.get_lines() if line.get_label() == "f along the line"][0]
    np.testing.assert_array_equal(curve.get_ydata(), path.grid().values)
    drawn = [line for line in ax.get_lines() if line.get_label().startswith("adam")][0]
    np.testing.assert_allclose(drawn.get_ydata(), runs[0].values[:, 0])  # each point at its own value
    assert count_color(pixels(fig), optimizer_color("adam")) > 200
    assert [t.get_text() for t in ax.texts if t.get_text() in "ab"] == ["a", "b"]


def test_slice_figures_refuse_what_they_cannot_draw(rosenbrock_runs):
    s, runs = rosenbrock_runs
    plane = ls.slices.random_slice(s, np.ones(20), seed=0, resolution=11)
    other = ls.trace(
        ls.surfaces.get("rosenbrock", dim=3), ls.optim.sgd(lr=0.01), np.zeros(3), steps=3, engine="numpy"
    )
    with pytest.raises(
        ValueError, match="runs='a path of dim 3' is not accepted; expected paths of rosenbrock"
    ):
        ls.plot.contour(
            ls.slices.random_slice(s, np.ones(20), seed=0, resolution=11, span=(-1, 1)), [other, runs[0]]
        )
    with pytest.raises(ValueError, match="expected a line slice"):
        ls.plot.line_slice(plane)
    with pytest.raises(ValueError, match="a 2-D surface for a contour plot"):
        ls.plot.contour(ls.slices.line(s, np.zeros(20), np.ones(20)))
