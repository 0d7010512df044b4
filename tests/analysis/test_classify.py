"""classify: second-order test against closed forms and textbook points."""

import json

import numpy as np
import pytest

import landscape as ls


def _eigenvalues_2x2(a, b, d):
    """Eigenvalues of [[a, b], [b, d]] by the quadratic formula, ascending."""
    mean, radius = (a + d) / 2, np.hypot((a - d) / 2, b)
    return np.array([mean - radius, mean + radius])


def test_saddle_origin_is_index_one_with_escape_along_y():
    cp = ls.classify(ls.surfaces.get("saddle"), [0.0, 0.0])
    assert (cp.kind, cp.index) == ("saddle", 1)
    np.testing.assert_allclose(cp.eigenvalues, [-2.0, 2.0])
    np.testing.assert_allclose(cp.escape_direction, [0.0, 1.0])
    assert cp.value == 0.0 and cp.gradient_norm == 0.0
    assert cp.index_fraction == 0.5


def test_monkey_saddle_origin_is_degenerate():
    cp = ls.classify("monkey_saddle", [0.0, 0.0])
    assert cp.kind == "degenerate" and cp.escape_direction is None
    # a point next to the origin is only approximately critical: still undecidable
    assert ls.classify("monkey_saddle", [1e-3, 0.0]).kind == "degenerate"


def test_rosenbrock_minimum_eigenvalues_are_the_closed_form():
    # H(1, 1) = [[2 + 1200 - 400, -400], [-400, 200]] for a = 1, b = 100
    cp = ls.classify("rosenbrock", [1.0, 1.0])
    assert cp.kind == "minimum" and cp.index == 0 and cp.escape_direction is None
    np.testing.assert_allclose(cp.eigenvalues, _eigenvalues_2x2(802.0, -400.0, 200.0), rtol=1e-12)
    # eigenvectors are orthonormal columns with H v = λ v
    h = np.array([[802.0, -400.0], [-400.0, 200.0]])
    np.testing.assert_allclose(h @ cp.eigenvectors, cp.eigenvectors * cp.eigenvalues, atol=1e-9)


@pytest.mark.parametrize(
    ("point", "kind"),
    [
        ([3.0, 2.0], "minimum"),
        ([-2.805118, 3.131312], "minimum"),  # textbook digits: |∇f| ~ 1e-5, still accepted
        ([-0.270845, -0.923039], "maximum"),
    ],
)
def test_himmelblau_textbook_points(point, kind):
    assert ls.classify("himmelblau", point).kind == kind


def test_maximum_and_saddle_in_three_dimensions():
    # f = -(x² + y² + z²): a maximum of index 3; f = x² - y² + z³: a saddle despite a zero eigenvalue
    bowl = ls.surfaces.from_functions(lambda p: -np.sum(p**2, axis=-1), dim=3, bounds=[[-1, 1]] * 3)
    cp = ls.classify(bowl, [0.0, 0.0, 0.0])
    assert (cp.kind, cp.index) == ("maximum", 3)
    mixed = ls.surfaces.from_functions(
        lambda p: p[..., 0] ** 2 - p[..., 1] ** 2 + p[..., 2] ** 3, dim=3, bounds=[[-1, 1]] * 3
    )
    cp = ls.classify(mixed, [0.0, 0.0, 0.0])
    assert (cp.kind, cp.index) == ("saddle", 1)
    assert np.count_nonzero(np.abs(cp.eigenvalues) <= cp.zero_tolerance) == 1
    np.testing.assert_allclose(np.abs(cp.escape_direction), [0.0, 1.0, 0.0], atol=1e-6)


def test_semidefinite_hessian_is_degenerate():
    # x² - y⁴: Hessian diag(2, 0) at the origin; the second-order test cannot decide
    f = ls.surfaces.from_functions(lambda p: p[..., 0] ** 2 - p[..., 1] ** 4, bounds=[[-1, 1], [-1, 1]])
    assert ls.classify(f, [0.0, 0.0]).kind == "degenerate"


def test_numerical_hessian_agrees_with_analytic():
    h = ls.surfaces.get("himmelblau")
    numerical = ls.surfaces.from_functions(h.value, bounds=h.bounds)
    assert not numerical.has_analytic_hessian
    point = [3.584428340330492, -1.848126526964404]
    a, b = ls.classify(h, point), ls.classify(numerical, point)
    assert a.kind == b.kind == "minimum"
    np.testing.assert_allclose(b.eigenvalues, a.eigenvalues, rtol=1e-6)


def test_refuses_points_that_are_not_critical():
    with pytest.raises(ValueError, match=r"x=\[0, 0\].*critical point.*gradient_tol"):
        ls.classify("himmelblau", [0.0, 0.0])
    cp = ls.classify("himmelblau", [3.0, 2.0001], gradient_tol=1.0)  # a looser tolerance accepts it
    assert cp.kind == "minimum"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x": [0.0, 0.0, 0.0]}, r"x has shape \(3,\)"),
        ({"x": [[0.0, 0.0]]}, r"x has shape \(1, 2\)"),
        ({"x": [np.nan, 0.0]}, "x has non-finite|x=.*finite"),
        ({"x": [0.0, 0.0], "tol": -1.0}, "tol=-1"),
        ({"surface": "nope", "x": [0.0, 0.0]}, "surface='nope'"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, match):
    args = {"surface": "saddle"} | kwargs
    with pytest.raises(ValueError, match=match):
        ls.classify(args.pop("surface"), args.pop("x"), **args)


def test_repr_and_record():
    cp = ls.classify("saddle", [0.0, 0.0])
    text = repr(cp)
    assert "kind='saddle'" in text and "index=1" in text and "eigenvalues=[-2, 2]" in text
    record = json.loads(json.dumps(cp.to_record()))
    assert record == {
        "position": [0.0, 0.0],
        "value": 0.0,
        "kind": "saddle",
        "index": 1,
        "eigenvalues": [-2.0, 2.0],
    }
