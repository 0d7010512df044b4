"""``landscape analyze`` against textbook catalogues of critical points."""

import json

import numpy as np
import pytest

# Himmelblau's function: four minima (f = 0), one maximum and four saddles (textbook values).
HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
HIMMELBLAU_MAXIMUM = ((-0.270845, -0.923039), 181.617)


def test_himmelblau_table(run):
    result = run("analyze", "himmelblau")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "himmelblau in [-5, 5] x [-5, 5]: 4 minima, 1 maximum, 4 saddles (search complete)"
    assert lines[1].split() == ["#", "kind", "index", "value", "position", "eigenvalues"]
    assert len(lines) == 2 + 9
    assert [line.split()[1] for line in lines[2:]] == ["minimum"] * 4 + ["saddle"] * 4 + ["maximum"]


def test_himmelblau_json(run):
    result = run("analyze", "himmelblau", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["surface"] == "himmelblau" and document["complete"] is True
    points = document["critical_points"]
    minima = sorted(tuple(p["position"]) for p in points if p["kind"] == "minimum")
    np.testing.assert_allclose(minima, sorted(HIMMELBLAU_MINIMA), atol=1e-5)
    (maximum,) = [p for p in points if p["kind"] == "maximum"]
    np.testing.assert_allclose(maximum["position"], HIMMELBLAU_MAXIMUM[0], atol=1e-5)
    assert maximum["value"] == pytest.approx(HIMMELBLAU_MAXIMUM[1], abs=1e-3)
    assert maximum["index"] == 2 and all(e < 0 for e in maximum["eigenvalues"])
    assert [p["index"] for p in points if p["kind"] == "saddle"] == [1, 1, 1, 1]


def test_saddle_and_monkey_saddle(run):
    (point,) = json.loads(run("analyze", "saddle", "--json").stdout)["critical_points"]
    assert point["kind"] == "saddle" and point["index"] == 1
    np.testing.assert_allclose(sorted(point["eigenvalues"]), [-2.0, 2.0])
    (point,) = json.loads(run("analyze", "monkey_saddle", "--json").stdout)["critical_points"]
    assert point["kind"] == "degenerate"  # the Hessian vanishes at the origin


def test_a_formula_and_a_window(run):
    # f = x^3 - 3x + y^2 has a minimum at (1, 0) and a saddle at (-1, 0); the window keeps the minimum.
    result = run("analyze", "expr:x**3 - 3*x + y**2", "--bounds", "0,2,-1,1", "--json")
    assert result.exit_code == 0, result.output
    (point,) = json.loads(result.stdout)["critical_points"]
    assert point["kind"] == "minimum"
    np.testing.assert_allclose(point["position"], [1.0, 0.0], atol=1e-8)
    np.testing.assert_allclose(sorted(point["eigenvalues"]), [2.0, 6.0], atol=1e-8)


def test_long_positions_are_cut(run):
    result = run("analyze", "random_quadratic:dim=6,seed=3")
    assert result.exit_code == 0, result.output
    assert " x ...:" in result.stdout.splitlines()[0] and ", ...)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "himmelblau", "--bounds", "0,1,2"], "expected 4 \\(LOW,HIGH for each of the 2"),
        (["analyze", "himmelblo"], "surface='himmelblo' is not accepted"),
        (["analyze", "himmelblau", "--starts", "0"], "0 is not in the range x>=1"),
    ],
)
def test_bad_input(run, args, message):
    import re

    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and re.search(message, result.stderr), result.stderr
