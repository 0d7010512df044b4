"""Figures opened and checked: size, content, optimizer colours, and the numbers they draw."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import landscape as ls
from landscape.style import FIGURE_SIZE, optimizer_color


@pytest.fixture(scope="module")
def bowl():
    return ls.surfaces.get("elongated_bowl", kappa=25)


@pytest.fixture(scope="module")
def runs(bowl):
    start = bowl.default_start
    return [
        ls.trace(bowl, ls.optim.sgd(lr=0.075), start, steps=40),
        ls.trace(bowl, ls.optim.adam(lr=0.3), start, steps=40),
    ]


def test_contour_draws_each_optimizer_in_its_colour(bowl, runs, pixels, count_color):
    empty = pixels(ls.plot.contour(bowl))
    fig = ls.plot.contour(bowl, runs)
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == FIGURE_SIZE
    image = pixels(fig)
    assert image.std() > 20  # not blank
    for name in ("sgd", "adam"):
        assert count_color(empty, optimizer_color(name)) == 0  # the surface never uses these colours
        assert count_color(image, optimizer_color(name)) > 300  # the path does
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["minimum", "sgd (lr=0.075)", "adam (lr=0.3, b1=0.9, b2=0.999)"]  # every β, even at 0.9


def test_contour_levels_are_log_spaced_above_the_minimum(bowl):
    fig = ls.plot.contour(bowl, levels=10)
    filled = fig.axes[0].collections[0]
    levels = np.asarray(filled.levels)
    steps = np.diff(levels[1:])
    np.testing.assert_allclose(steps[1:] / steps[:-1], steps[1] / steps[0])  # a geometric progression
    assert 0.0 <= levels[0] < 1e-3  # the lowest value on the grid, near the minimum f = 0


def test_contour_summarises_large_ensembles_by_their_median(bowl, pixels, count_color):
    traj = ls.trace(
        bowl,
        ls.optim.momentum(lr=0.05),
        bowl.default_start,
        steps=30,
        particles=200,
        noise=ls.noise.gaussian(2.0),
        seed=0,
    )
    fig = ls.plot.contour(bowl, traj, max_paths=5)
    ax = fig.axes[0]
    median = [line for line in ax.get_lines() if "median of 200" in line.get_label()]
    assert len(median) == 1
    np.testing.assert_allclose(median[0].get_xydata(), np.median(traj.positions, axis=1))
    assert count_color(pixels(fig), optimizer_color("momentum")) > 300


def test_a_repeated_optimizer_gets_a_colour_no_other_run_has_and_a_dash(bowl):
    start = bowl.default_start
    a = ls.trace(bowl, ls.optim.sgd(lr=0.01), start, steps=5)
    b = ls.trace(bowl, ls.optim.sgd(lr=0.02), start, steps=5)
    c = ls.trace(bowl, ls.optim.momentum(lr=0.02), start, steps=5)
    lines = {line.get_label(): line for line in ls.plot.contour(bowl, [a, b, c]).axes[0].get_lines()}
    first, second = lines["sgd (lr=0.01)"], lines["sgd (lr=0.02)"]
    assert first.get_color() == optimizer_color("sgd")
    assert second.get_color() not in (optimizer_color("sgd"), optimizer_color("momentum"))
    assert first.get_linestyle() != second.get_linestyle()


def test_diverged_runs_say_so_in_the_legend(bowl):
    with pytest.warns(ls.DivergenceWarning):
        traj = ls.trace(bowl, ls.optim.sgd(lr=5.0), bowl.default_start, steps=50)
    labels = [t.get_text() for t in ls.plot.contour(bowl, traj).axes[0].get_legend().get_texts()]
    assert any("diverged at step" in label for label in labels)


def test_figures_draw_on_a_given_axes():
    fig = Figure()
    left, right = fig.subplots(1, 2)
    s = ls.surfaces.get("himmelblau")
    assert ls.plot.contour(s, ax=right) is fig
    assert not left.collections and right.collections


def test_surface3d(bowl, runs, pixels, count_color):
    fig = ls.plot.surface3d(bowl, runs)
    assert fig.axes[0].name == "3d"
    image = pixels(fig)
    assert count_color(image, optimizer_color("sgd")) > 200
    with pytest.raises(ValueError, match="ax=.* is not accepted; expected a 3-D axes"):
        ls.plot.surface3d(bowl, ax=Figure().add_subplot())


def test_two_dimensional_figures_refuse_other_dimensions():
    with pytest.raises(ValueError, match="a 2-D surface for a contour plot \\(this one has dim=3\\)"):
        ls.plot.contour(ls.surfaces.get("rosenbrock", dim=3))
    with pytest.raises(ValueError, match="bounds"):
        ls.plot.contour(ls.surfaces.get("himmelblau"), bounds=[[1, 0], [0, 1]])


def test_loss_draws_the_median_and_a_band(bowl, pixels, count_color):
    traj = ls.trace(
        bowl,
        ls.optim.adam(lr=0.1),
        bowl.default_start,
        steps=60,
        particles=50,
        noise=ls.noise.gaussian(1.0),
        seed=1,
    )
    fig = ls.plot.loss(traj, optimum=0.0)
    ax = fig.axes[0]
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), np.median(traj.values, axis=1))
    assert ax.get_yscale() == "log"
    assert len(ax.collections) == 1  # the 10-90th percentile band
    assert count_color(pixels(fig), optimizer_color("adam")) > 300


def test_loss_is_linear_when_values_go_negative():
    s = ls.surfaces.get("six_hump_camel")
    fig = ls.plot.loss(ls.trace(s, ls.optim.sgd(lr=0.01), s.default_start, steps=50))
    assert fig.axes[0].get_yscale() == "linear"


def test_learning_rate_shows_the_lectures_decay_table(bowl):
    schedule = ls.schedules.inverse_time(lr0=0.2, decay_rate=1.0)
    traj = ls.trace(bowl, ls.optim.sgd(lr=schedule), bowl.default_start, steps=4)
    (line,) = ls.plot.learning_rate(traj).axes[0].get_lines()
    steps, rates = line.get_xdata(), line.get_ydata()
    table = dict(zip(steps[1:], rates[1:], strict=True))
    np.testing.assert_allclose([table[1], table[2], table[3], table[4]], [0.1, 0.2 / 3, 0.05, 0.04])


def test_learning_rate_per_particle(bowl):
    traj = ls.trace(
        bowl,
        ls.optim.sgd(lr=np.array([0.01, 0.02, 0.04])),
        bowl.default_start,
        steps=5,
        particles=3,
    )
    lines = ls.plot.learning_rate(traj).axes[0].get_lines()
    assert sorted(line.get_ydata()[-1] for line in lines) == [0.01, 0.02, 0.04]


def test_ewa_temperature_is_the_lectures_plot(pixels):
    theta = ls.london_temperature(seed=3)
    fig = ls.plot.ewa_temperature(theta)
    year, start = fig.axes
    lines = year.get_lines()
    assert len(lines) == 6  # corrected and plain average for each of the three betas
    for index, beta in enumerate((0.5, 0.9, 0.98)):
        corrected, plain = lines[2 * index], lines[2 * index + 1]
        v, expected_plain = 0.0, []
        for value in theta:  # the lecture's recursion, written out
            v = beta * v + (1 - beta) * value
            expected_plain.append(v)
        expected_plain = np.array(expected_plain)
        t = np.arange(1, len(theta) + 1)
        np.testing.assert_allclose(plain.get_ydata(), expected_plain)
        np.testing.assert_allclose(corrected.get_ydata(), expected_plain / (1 - beta**t))
        assert plain.get_linestyle() == "--"
    labels = " ".join(t.get_text() for t in year.get_legend().get_texts())
    assert "≈ 2 days" in labels and "≈ 10 days" in labels and "≈ 50 days" in labels
    assert start.get_xlim()[1] < 70  # the zoom on the start
    assert pixels(fig).std() > 20
