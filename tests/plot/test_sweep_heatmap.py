"""The sweep heatmap: cells where the data put them, divergence marked, the boundary where theory puts it."""

import numpy as np
import pytest
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

import landscape as ls
from landscape.style import OKABE_ITO

BOWL = "elongated_bowl:kappa=10"  # Hessian eigenvalues 1 and 10
LRS = np.geomspace(0.01, 2.0, 16).tolist()
BETAS = [0.0, 0.3, 0.6, 0.9]


@pytest.fixture(scope="module")
def result():
    grid = {"lr": LRS, "beta": BETAS, "style": ["ewa", "heavy_ball"]}
    return ls.sweep(BOWL, "momentum", grid, steps=300, workers=0)


def boundary_vertices(fig):
    sets = [c for c in fig.axes[0].collections if isinstance(c, ContourSet)]
    assert len(sets) == 1
    return np.concatenate([path.vertices for path in sets[0].get_paths()])


@pytest.mark.parametrize("style", ["ewa", "heavy_ball"])
def test_the_boundary_is_drawn_where_theory_puts_it(result, style):
    fig = ls.plot.sweep_heatmap(result, where={"style": style})
    lr, beta = boundary_vertices(fig).T
    assert beta.min() < 0.05 and beta.max() > 0.8  # (ewa leaves the window at lr = 2.4, beta = 0.84)
    largest_stable = 2 * (1 + beta) / 10 / ((1 - beta) if style == "ewa" else 1)
    np.testing.assert_allclose(lr, largest_stable, rtol=0.02)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(label.startswith("theory: ") for label in labels)
    assert ("(1-\\beta)" in " ".join(labels)) == (style == "ewa")


@pytest.mark.parametrize("style", ["ewa", "heavy_ball"])
def test_a_star_marks_polyaks_fastest_step_and_momentum(result, style):
    fig = ls.plot.sweep_heatmap(result, where={"style": style})
    stars = [line for line in fig.axes[0].get_lines() if line.get_marker() == "*"]
    assert len(stars) == 1
    root_kappa = np.sqrt(10.0)
    beta = ((root_kappa - 1) / (root_kappa + 1)) ** 2  # Polyak: mu = 1, L = 10
    step = 4 / (np.sqrt(10.0) + 1) ** 2
    expected = (step / (1 - beta) if style == "ewa" else step, beta)
    np.testing.assert_allclose([stars[0].get_xdata()[0], stars[0].get_ydata()[0]], expected, rtol=1e-12)


def test_cells_diverge_beyond_the_boundary_and_are_hatched(result, pixels, count_color):
    fig = ls.plot.sweep_heatmap(result, where={"style": "heavy_ball"})
    assert isinstance(fig, Figure)
    image = pixels(fig)
    assert image.std() > 20
    assert count_color(image, OKABE_ITO["vermillion"], tolerance=30) > 2000  # the hatching
    assert count_color(image, OKABE_ITO["sky_blue"], tolerance=30) > 200  # the boundary
    xs, ys, table = result.pivot("final_value_median", "lr", "beta", where={"style": "heavy_ball"})
    mesh = fig.axes[0].collections[0]
    np.testing.assert_array_equal(
        np.ma.getdata(mesh.get_array()).reshape(table.shape)[np.isfinite(table)], table[np.isfinite(table)]
    )
    assert fig.axes[0].get_xscale() == "log" and fig.axes[0].get_yscale() == "linear"
    assert fig.axes[0].get_xlabel() == "learning rate α" and fig.axes[0].get_ylabel() == "momentum β"


def test_no_boundary_where_the_theory_does_not_apply():
    for surface, optimizer in [("rosenbrock", "momentum"), (BOWL, "adam"), (BOWL, "momentum:nesterov=true")]:
        grid = {"lr": [0.01, 0.1], "b1" if optimizer == "adam" else "beta": [0.0, 0.5]}
        fig = ls.plot.sweep_heatmap(ls.sweep(surface, optimizer, grid, steps=5, workers=0))
        assert not [c for c in fig.axes[0].collections if isinstance(c, ContourSet)], (surface, optimizer)


def test_other_axes_names_and_an_existing_axes(result, tmp_path):
    from matplotlib.figure import Figure as NewFigure

    fig = NewFigure()
    ax = fig.add_subplot()
    assert (
        ls.plot.sweep_heatmap(result, "steps_to_tol", x="style", y="beta", where={"lr": LRS[3]}, ax=ax) is fig
    )
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ewa", "heavy_ball"]
    assert ax.collections[0].colorbar.ax.get_ylabel() == "steps to tolerance"
    path = result.save(tmp_path / "r.csv")
    ls.plot.sweep_heatmap(path, "diverged_fraction", where={"style": "ewa"})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric": "loss"}, "metric='loss' is not accepted; expected one of final_value_median"),
        ({"metric": "lr"}, "metric='lr' is not accepted"),
        ({}, "leaves style varying"),
        ({"x": "lr", "y": "lr", "where": {"style": "ewa"}}, "y='lr' .*a column other than x"),
        (
            {"where": {"style": "ewa", "lr": LRS[0], "beta": 0.0}},
            "where=.* leaves nothing to draw; expected two",
        ),
        ({"where": {"style": "ewa", "beta": 0.0}}, "where=.* leaves lr to draw; .*varies lr, beta, style"),
    ],
)
def test_bad_requests_name_what_is_accepted(result, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ls.plot.sweep_heatmap(result, **kwargs)


def test_several_optimizers_are_drawn_side_by_side_on_one_colour_scale():
    grid = {"lr": LRS[:8], "beta": [0.0, 0.5, 0.9]}
    result = ls.sweep(BOWL, ["momentum:style=heavy_ball", "momentum:style=ewa"], grid, steps=100, workers=0)
    fig = ls.plot.sweep_heatmap(result)
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert [ax.get_title() for ax in panels] == ["momentum", "momentum:style=heavy_ball"]
    assert fig.get_suptitle() == BOWL
    meshes = [ax.collections[0] for ax in panels]
    assert meshes[0].norm is meshes[1].norm  # one scale, one colour bar
    for ax, style in zip(panels, ["ewa", "heavy_ball"], strict=True):
        single = ls.plot.sweep_heatmap(
            result, where={"optimizer": f"momentum:style={style}".replace(":style=ewa", "")}
        )
        np.testing.assert_array_equal(
            ax.collections[0].get_array(), single.axes[0].collections[0].get_array()
        )
    with pytest.raises(ls.InvalidArgument, match="ax=.* compares 2 optimizers"):
        ls.plot.sweep_heatmap(result, ax=Figure().add_subplot())
