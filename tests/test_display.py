"""Rich display in Jupyter: each result's ``_repr_html_`` says what its plain repr says, and more."""

import base64
import html
import io
import re
import subprocess
import sys

import numpy as np
import pytest

import landscape as ls
from landscape import _display


def text_of(markup: str) -> str:
    """The visible text of an HTML fragment, tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def images(markup: str) -> list[np.ndarray]:
    """Every inline PNG of the fragment, decoded to an RGBA array."""
    from matplotlib.image import imread

    found = re.findall(r'src="data:image/png;base64,([^"]+)"', markup)
    return [imread(io.BytesIO(base64.b64decode(data)), format="png") for data in found]


@pytest.fixture(scope="module")
def bowl():
    return ls.surfaces.get("elongated_bowl", kappa=25)


@pytest.fixture(scope="module")
def run(bowl):
    optimizer = ls.optim.momentum(lr=0.05, beta=0.9)
    return ls.trace(bowl, optimizer, bowl.default_start, steps=40, particles=8, noise=ls.noise.gaussian(0.5))


def test_a_trajectory_shows_its_run_its_final_values_and_its_loss_curve(run):
    markup = run._repr_html_()
    text = " ".join(text_of(markup).split())
    assert text.startswith("Trajectory")
    assert "elongated_bowl(kappa=25, angle=0)" in text
    assert "momentum(lr=0.05, beta=0.9, style=ewa" in text
    assert "gaussian(sigma=0.5)" in text
    assert "8 × 2" in text and "40 (41 recorded)" in text
    low, median, high = np.percentile(run.final_values, [0, 50, 100])
    assert f"min {low:.4g}, median {median:.4g}, max {high:.4g}" in text
    assert "0 of 8" in text
    (plot,) = images(markup)
    width, height = _display.PLOT_PIXELS
    assert plot.shape[:2] == (height, width)
    assert plot[..., :3].std() > 0.05  # drawn, not blank


def test_the_plain_repr_is_unchanged(run):
    assert repr(run) == (
        f"Trajectory(surface='elongated_bowl', optimizer='momentum', particles=8, dim=2, steps=40, "
        f"recorded=41, diverged=0, engine={run.config['engine']!r})"
    )


def test_diverged_particles_are_counted(bowl):
    rates = np.array([0.01, 0.5, 0.01])  # 0.5 > 2 / 25: the steep direction blows up
    with pytest.warns(ls.DivergenceWarning):
        run = ls.trace(bowl, ls.optim.sgd(lr=rates), bowl.default_start, steps=200, particles=3)
    assert "1 of 3" in text_of(run._repr_html_())


def test_a_2d_surface_shows_its_parameters_window_minima_and_contours(bowl):
    markup = bowl._repr_html_()
    text = " ".join(text_of(markup).split())
    assert text.startswith("ElongatedBowl")
    assert "kappa 25" in text and "angle 0" in text
    assert "[-4, 4] × [-2, 2]" in text and "global minima [0, 0]" in text
    assert "Hessian analytic" in text
    (plot,) = images(markup)
    assert plot[..., :3].std() > 0.05


def test_a_high_dimensional_surface_has_no_plot_and_no_long_window():
    markup = ls.surfaces.get("random_quadratic", dim=50)._repr_html_()
    assert images(markup) == []
    assert "bounds" not in text_of(markup) and "dim 50" in " ".join(text_of(markup).split())


def test_text_from_users_is_escaped():
    surface = ls.surfaces.from_functions(lambda p: (p**2).sum(-1), bounds=[[-1, 1]] * 2, name="<b>bowl")
    markup = surface._repr_html_()
    assert "<b>bowl" not in markup and "&lt;b&gt;bowl" in markup


def test_critical_points_list_every_point_by_value_with_the_verdict():
    points = ls.critical_points("himmelblau")
    markup = points._repr_html_()
    text = " ".join(text_of(markup).split())
    assert "9: 4 minima, 1 maximum, 4 saddles" in text
    assert "complete" in text
    assert markup.count("<tr>") == 2 + 1 + len(points)  # points and search; the header, each point
    top = points[len(points) - 1]
    assert f"{top.value:.4g} maximum 2" in text


def test_a_long_list_of_critical_points_is_cut():
    points = ls.critical_points("six_hump_camel")
    text = " ".join(text_of(points._repr_html_()).split())
    assert len(points) == 15
    assert f"… and {15 - _display.MAX_ROWS} more" in text


def test_a_hessian_spectrum_shows_its_extreme_eigenvalues():
    spectrum = ls.analysis.hessian_spectrum("rosenbrock", [1.0, 1.0], k=1)
    exact = np.linalg.eigvalsh(ls.surfaces.get("rosenbrock").hessian([1.0, 1.0]))
    text = " ".join(text_of(spectrum._repr_html_()).split())
    assert f"smallest [{exact[0]:.4g}]" in text and f"largest [{exact[1]:.4g}]" in text
    assert f"condition number {exact[1] / exact[0]:.4g}" in text


def test_a_sweep_shows_its_grid_seeds_and_first_rows():
    result = ls.sweep(
        "elongated_bowl", "momentum:style=heavy_ball", {"lr": [0.01, 0.1], "beta": [0.0, 0.9]},
        seeds=2, steps=30, workers=0,
    )  # fmt: skip
    markup = result._repr_html_()
    text = " ".join(text_of(markup).split())
    assert "configurations 4" in text
    assert "lr 2 values: 0.01, 0.1" in text and "beta 2 values: 0, 0.9" in text
    assert "seeds, steps 2, 30" in text
    assert markup.count("<tr>") == 5 + 1 + len(result)
    assert f"{result.columns['final_value_median'][0]:.4g}" in text


def test_a_video_is_embedded_as_a_data_url():
    data = bytes(range(256))
    markup = _display.video_html(data, "video/mp4", width=768, alt="a<b")
    assert markup.startswith("<video controls") and 'width="768"' in markup
    assert f"data:video/mp4;base64,{base64.b64encode(data).decode()}" in markup
    assert 'title="a&lt;b"' in markup


def test_importing_landscape_loads_neither_matplotlib_nor_manim():
    code = (
        "import sys, landscape as ls; ls.render; ls.rendering.show; "
        "print('matplotlib' in sys.modules, 'manim' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
