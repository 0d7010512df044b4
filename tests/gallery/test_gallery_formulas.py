"""Formulas typeset by LaTeX into SVG: cached by content, a bad formula fails alone."""

import pytest

from landscape.gallery import _formulas
from landscape.gallery._formulas import typeset

INK = "#E8EAED"


def test_typeset_and_cache(tmp_path, monkeypatch):
    formulas = typeset([r"\frac{1}{1-\beta}", "v_t"], tmp_path, color=INK)
    assert all(f.error is None for f in formulas.values())
    svg = (tmp_path / formulas["v_t"].path).read_text()
    assert svg.startswith("<?xml") and "<path" in svg and "<text" not in svg  # glyphs as paths, no fonts
    assert "#e8eaed" in svg.lower()
    assert formulas[r"\frac{1}{1-\beta}"].height > formulas["v_t"].height  # a fraction is taller

    def no_latex(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(_formulas, "_compile_batch", no_latex)
    assert typeset(["v_t"], tmp_path, color=INK)["v_t"] == formulas["v_t"]
    assert sorted(p.name for p in (tmp_path / "formulas").iterdir()) == [formulas["v_t"].path.split("/")[1]]


def test_a_bad_formula_fails_alone(tmp_path):
    formulas = typeset(["a + b", r"\nosuchcommand x", r"\frac{1}{2"], tmp_path, color=INK)
    assert formulas["a + b"].path is not None
    assert formulas[r"\nosuchcommand x"].path is None
    assert formulas[r"\nosuchcommand x"].error == "LaTeX: Undefined control sequence."
    assert formulas[r"\frac{1}{2"].error.startswith("LaTeX: ")


def test_without_latex_the_source_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(_formulas.shutil, "which", lambda tool: None)
    formulas = typeset(["a + b"], tmp_path, color=INK)
    assert formulas["a + b"].path is None
    assert formulas["a + b"].error == "latex is not installed (see README: make system)"


@pytest.mark.parametrize("tex", ["x" * 400])
def test_a_long_formula_stays_on_one_line(tmp_path, tex):
    formula = typeset([tex], tmp_path, color=INK)[tex]
    assert formula.width > 20 * formula.height
