"""critical_points: catalogues of the 2-D surfaces against independent solutions, and an honest verdict."""

import json

import numpy as np
import pytest
import scipy.optimize
import sympy as sp

import landscape as ls

# Textbook counts (minima, maxima, saddles, degenerate) of every built-in 2-D surface on its bounds.
CATALOGUE = {
    "beale": (1, 0, 2, 0),
    "elongated_bowl": (1, 0, 0, 0),
    "himmelblau": (4, 1, 4, 0),
    "linear_regression": (1, 0, 0, 0),
    "logistic_regression": (1, 0, 0, 0),
    "monkey_saddle": (0, 0, 0, 1),
    "plateau_cliff": (1, 0, 0, 0),
    "plateau_well": (1, 0, 0, 0),
    "rastrigin": (121, 100, 220, 0),
    "rosenbrock": (1, 0, 0, 0),
    "saddle": (0, 0, 1, 0),
    "six_hump_camel": (6, 2, 7, 0),
    "styblinski_tang": (4, 1, 4, 0),
}


def _counts(cps):
    c = cps.counts
    return (c["minimum"], c["maximum"], c["saddle"], c["degenerate"])


def _same_points(found, reference, atol=1e-7):
    """Every reference point matches exactly one found point and vice versa."""
    found, reference = np.asarray(found), np.asarray(reference)
    assert found.shape == reference.shape, (found.shape, reference.shape)
    distance = np.linalg.norm(found[:, None, :] - reference[None, :, :], axis=-1)
    assert np.all(distance.min(axis=1) < atol) and np.all(distance.min(axis=0) < atol)


# Proven complete: Bézout's bound Π deg(∂f/∂x_i) met by nondegenerate points (himmelblau 3·3,
# six_hump_camel 5·3, styblinski_tang 3·3), or at most one critical point (quadratic or strictly convex).
PROVEN = {"elongated_bowl", "himmelblau", "linear_regression", "logistic_regression", "saddle",
          "six_hump_camel", "styblinski_tang"}


def test_every_builtin_2d_surface_has_its_textbook_catalogue():
    names = [n for n in ls.surfaces.names() if ls.surfaces.get(n).dim == 2]
    assert set(CATALOGUE) <= set(names)
    for name in CATALOGUE:
        cps = ls.critical_points(ls.surfaces.get(name))
        assert _counts(cps) == CATALOGUE[name], name
        assert cps.complete == (name in PROVEN), name
        if cps.complete:
            assert cps.note == "" and cps.bound == len(cps), name
        else:  # the evidence, stated: nothing new in the last half of the starts, and no proof
            assert cps.new_in_last_half == 0, name
            assert f"over {cps.starts} starts; the last half of the starts added none" in cps.note, name
            assert "none new in the last half" in repr(cps), name


def test_a_bound_not_reached_proves_nothing():
    beale = ls.critical_points("beale")  # Bézout allows 7·7 = 49 points; 3 exist in the window
    assert beale.bound == 49 and not beale.complete and "a bound of 49 isolated points" in beale.note
    monkey = ls.critical_points("monkey_saddle")  # its one point is degenerate: it counts 4 times
    assert monkey.bound == 4 and not monkey.complete
    rastrigin = ls.critical_points("rastrigin")
    assert rastrigin.bound is None and "no bound on their number" in rastrigin.note


def _polynomial_critical_points(expression, bounds):
    """Real solutions of ∇f = 0 by a lex Groebner basis {x − p(y), q(y)} (shape lemma)."""
    x, y = sp.symbols("x y")
    f = expression(x, y)
    basis = sp.groebner([sp.diff(f, x), sp.diff(f, y)], x, y, order="lex").exprs
    assert len(basis) == 2 and sp.Poly(basis[0], x, y).degree(x) == 1
    x_of_y = sp.solve(basis[0], x)[0]
    points = []
    for root in sp.Poly(basis[1], y).real_roots():
        yv = sp.Float(root.evalf(50), 50)
        points.append([float(x_of_y.subs(y, yv)), float(yv)])
    points = np.array(points)
    inside = np.all((points >= bounds[:, 0]) & (points <= bounds[:, 1]), axis=1)
    return points[inside]


@pytest.mark.parametrize(
    ("name", "expression"),
    [
        ("himmelblau", lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2),
        (
            "beale",
            lambda x, y: (
                (sp.Rational(3, 2) - x + x * y) ** 2
                + (sp.Rational(9, 4) - x + x * y**2) ** 2
                + (sp.Rational(21, 8) - x + x * y**3) ** 2
            ),
        ),
        (
            "six_hump_camel",
            lambda x, y: (4 - sp.Rational(21, 10) * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
        ),
    ],
)
def test_polynomial_surfaces_match_exact_algebra(name, expression):
    s = ls.surfaces.get(name)
    cps = ls.critical_points(s)
    _same_points(cps.positions, _polynomial_critical_points(expression, s.bounds))


def test_himmelblau_values_and_kinds():
    cps = ls.critical_points("himmelblau")
    np.testing.assert_allclose(cps.values[:4], 0.0, atol=1e-20)
    assert list(cps.kinds[:4]) == ["minimum"] * 4
    assert cps[-1].kind == "maximum" and cps[-1].value == pytest.approx(181.616522, rel=1e-7)
    assert all(p.escape_direction is not None for p in cps.of_kind("saddle"))


def _roots_1d(derivative, second, low, high):
    """Roots of a 1-D derivative by bracketing sign changes on a fine grid, with their curvature."""
    grid = np.linspace(low, high, 20000)  # no grid point on a root
    signs = np.sign(derivative(grid))
    roots = [
        scipy.optimize.brentq(derivative, a, b, xtol=1e-15)
        for a, b, sa, sb in zip(grid[:-1], grid[1:], signs[:-1], signs[1:], strict=True)
        if sa * sb < 0
    ]
    roots = np.array(roots)
    return roots, second(roots) > 0


@pytest.mark.parametrize(
    ("name", "derivative", "second"),
    [
        (
            "rastrigin",
            lambda x: 2 * x + 20 * np.pi * np.sin(2 * np.pi * x),
            lambda x: 2 + 40 * np.pi**2 * np.cos(2 * np.pi * x),
        ),
        ("styblinski_tang", lambda x: 2 * x**3 - 16 * x + 2.5, lambda x: 6 * x**2 - 16),
    ],
)
def test_separable_surfaces_are_products_of_1d_roots(name, derivative, second):
    s = ls.surfaces.get(name)
    roots, convex = _roots_1d(derivative, second, *s.bounds[0])
    u, v = np.meshgrid(np.arange(len(roots)), np.arange(len(roots)), indexing="ij")
    reference = np.stack([roots[u.ravel()], roots[v.ravel()]], axis=1)
    both = convex[u.ravel()].astype(int) + convex[v.ravel()].astype(int)
    expected_kinds = np.array(["maximum", "saddle", "minimum"])[both]
    cps = ls.critical_points(s)
    _same_points(cps.positions, reference)
    match = np.argmin(np.linalg.norm(cps.positions[:, None] - reference[None], axis=-1), axis=1)
    np.testing.assert_array_equal(cps.kinds, expected_kinds[match])


def test_random_field_catalogue_matches_an_independent_solver():
    s = ls.surfaces.get("random_field", seed=4)
    cps = ls.critical_points(s)
    assert not cps.complete and cps.new_in_last_half == 0 and len(cps) > 10
    axes = [np.linspace(lo, hi, 50) for lo, hi in s.bounds]
    starts = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 2)
    reference = []
    for start in starts:  # MINPACK's hybrid method, one start at a time
        solution = scipy.optimize.root(s.grad, start, jac=s.hessian, method="hybr", tol=1e-13)
        inside = np.all((solution.x >= s.bounds[:, 0]) & (solution.x <= s.bounds[:, 1]))
        if solution.success and inside and np.linalg.norm(s.grad(solution.x)) < 1e-9:
            if not any(np.linalg.norm(solution.x - r) < 1e-6 for r in reference):
                reference.append(solution.x)
    _same_points(cps.positions, reference, atol=1e-6)
    hessians = s.hessian(cps.positions)
    np.testing.assert_array_equal(cps.indices, (np.linalg.eigvalsh(hessians) < 0).sum(axis=1))


def test_sequence_interface_and_records():
    cps = ls.critical_points("himmelblau")
    assert len(cps) == 9 and len(list(cps)) == 9
    assert np.all(np.diff(cps.values) >= 0)
    assert cps.positions.shape == (9, 2) and cps.values.shape == cps.kinds.shape == cps.indices.shape == (9,)
    assert isinstance(cps[0], ls.analysis.CriticalPoint)
    assert len(cps[:3]) == 3 and len(cps[cps.kinds == "saddle"]) == 4
    assert len(cps.of_kind("maximum")) == 1
    records = json.loads(json.dumps(cps.to_records()))
    assert records[-1]["kind"] == "maximum" and len(records[0]["eigenvalues"]) == 2
    assert repr(cps) == "CriticalPoints(9 points: 4 minima, 1 maximum, 4 saddles; complete)"


def test_search_in_higher_dimension_and_custom_bounds():
    s = ls.surfaces.get("styblinski_tang", dim=3)
    cps = ls.critical_points(s)
    assert len(cps) == 27 and cps.counts["minimum"] == 8 and cps.counts["maximum"] == 1
    quadrant = ls.critical_points("himmelblau", bounds=[[0, 5], [0, 5]])
    assert _counts(quadrant) == (1, 0, 2, 0)  # the minimum (3, 2), saddles near (0.09, 2.88), (3.39, 0.07)
    q = ls.surfaces.get("random_quadratic", dim=8, ensemble="goe", linear_scale=1.0, seed=2)
    found = ls.critical_points(q)
    assert len(found) == 1 and found.complete  # a quadratic: Bézout's bound is 1
    np.testing.assert_allclose(found[0].position, np.linalg.solve(q.matrix, -q.linear), atol=1e-10)
    assert found[0].index == np.count_nonzero(np.linalg.eigvalsh(q.matrix) < 0)


def test_reports_an_incomplete_search():
    one = ls.critical_points("rastrigin", starts=[[0.0, 0.45]], max_starts=1)
    assert len(one) == 1 and one[0].kind == "saddle" and not one.complete
    assert "max_starts=1" in one.note and "winding number" in one.note
    assert "likely incomplete" in repr(one)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"bounds": [[0, 1]]}, "bounds="),
        ({"bounds": [[1, 0], [0, 1]]}, "bounds="),
        ({"starts": [[0.0, 0.0, 0.0]]}, "starts="),
        ({"starts": 0}, "starts=0"),
        ({"starts": 64, "max_starts": 10}, "max_starts=10"),
        ({"seed": -1}, "seed=-1"),
        ({"method": "bfgs"}, "method='bfgs'"),
        ({"progress": 3}, "progress=3"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ls.critical_points("himmelblau", **kwargs)
