"""Every figure of the manifest builds through the library, and no legend covers data or text hits text."""

import warnings

import pytest

import landscape as ls
from landscape.gallery import load_manifest

FIGURES = [item for item in load_manifest().items if item.kind == "figure"]


@pytest.mark.parametrize("item", FIGURES, ids=[item.name for item in FIGURES])
def test_the_figure_s_layout_has_no_problems(item):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.DivergenceWarning)  # sweeps and tuning curves diverge on purpose
        figure = ls.plot.figure_from_config(item.config)
    assert ls.plot.check_figure(figure) == []
