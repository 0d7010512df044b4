"""check_figure finds a legend over the data and texts on texts, and nothing in a clean figure."""

import numpy as np

import landscape as ls
from landscape.plot._axes import new_axes


def test_a_clean_figure_has_no_problems():
    fig, ax = new_axes()
    ax.plot([0, 1, 2], [0, 1, 4], label="data")
    ax.legend(loc="upper left")
    assert ls.plot.check_figure(fig) == []


def test_a_legend_over_the_data_is_found():
    fig, ax = new_axes()
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.full_like(x, 0.98), label="a line along the top")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    (problem,) = ls.plot.check_figure(fig)
    assert "covers" in problem


def test_overlapping_texts_are_found():
    fig, ax = new_axes()
    ax.text(0.5, 0.5, "one text")
    ax.text(0.52, 0.5, "another text")
    problems = ls.plot.check_figure(fig)
    assert problems == ["text 'one text' overlaps 'another text'"]
