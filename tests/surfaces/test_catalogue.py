"""Textbook facts about the built-in surfaces, and the registry."""

import numpy as np
import pytest

import landscape as ls


@pytest.mark.parametrize(
    ("name", "point", "value"),
    [
        ("himmelblau", [3.0, 2.0], 0.0),
        ("himmelblau", [-0.270845, -0.923039], 181.617),
        ("six_hump_camel", [0.0898, -0.7126], -1.0316),
        ("beale", [3.0, 0.5], 0.0),
        ("rosenbrock", [1.0, 1.0], 0.0),
        ("rastrigin", [0.0, 0.0], 0.0),
        ("styblinski_tang", [-2.903534, -2.903534], -78.33234),
        ("monkey_saddle", [1.0, 1.0], -2.0),
        ("saddle", [1.0, 2.0], -3.0),
    ],
)
def test_textbook_values(name, point, value):
    assert ls.surfaces.get(name).value(point) == pytest.approx(value, abs=1e-3)


def test_elongated_bowl_is_the_lecture_quadratic():
    s = ls.surfaces.get("elongated_bowl", kappa=25.0)
    x = np.array([[1.0, 2.0], [-3.0, 0.5]])
    np.testing.assert_allclose(s.value(x), 0.5 * (x[:, 0] ** 2 + 25.0 * x[:, 1] ** 2))
    rotated = ls.surfaces.get("elongated_bowl", kappa=25.0, angle=90.0)
    np.testing.assert_allclose(rotated.value([[0.0, 1.0]]), [0.5], atol=1e-12)
    np.testing.assert_allclose(np.linalg.eigvalsh(rotated.hessian([0.0, 0.0])), [1.0, 25.0])


def test_monkey_saddle_hessian_vanishes_at_origin():
    assert np.all(ls.surfaces.get("monkey_saddle").hessian([0.0, 0.0]) == 0.0)


def test_plateau_well_gradient_is_tiny_far_out():
    s = ls.surfaces.get("plateau_well")
    assert np.linalg.norm(s.grad([3.5, 0.0])) < 0.01
    assert s.value([3.5, 0.0]) > 0.99


def test_plateau_cliff_has_a_plateau_a_cliff_and_one_minimum():
    s = ls.surfaces.get("plateau_cliff")
    plateau = np.linalg.norm(s.grad([[-3.0, 0.0]]), axis=-1)
    cliff = np.linalg.norm(s.grad([[0.0, 0.0]]), axis=-1)
    assert cliff > 20 * plateau
    x = np.linspace(-4, 3, 2001)
    dx = s.grad(np.stack([x, np.zeros_like(x)], -1))[:, 0]
    assert np.count_nonzero(np.diff(np.sign(dx))) == 1


def test_registry_lists_and_rejects_with_the_names():
    assert {"rosenbrock", "elongated_bowl", "random_quadratic", "logistic_regression"} <= set(
        ls.surfaces.names()
    )
    with pytest.raises(ValueError, match="surface='nope'.*rosenbrock"):
        ls.surfaces.get("nope")
    with pytest.raises(ValueError, match="no parameter 'kapa'.*kappa, angle"):
        ls.surfaces.get("elongated_bowl", kapa=3)
    with pytest.raises(ValueError, match="kappa=-1"):
        ls.surfaces.get("elongated_bowl", kappa=-1)
    assert "Rosenbrock" in ls.surfaces.describe("rosenbrock")
    assert ls.surfaces.parameters("rastrigin") == {"dim": 2}


def test_user_surface_registers_without_editing_the_package():
    def cone(height=1.0):
        """A cone with a rounded tip."""
        return ls.surfaces.from_functions(
            lambda p: height * np.sqrt(1.0 + np.sum(p**2, axis=-1)), bounds=[[-1, 1], [-1, 1]]
        )

    ls.surfaces.register("test_cone", cone, replace=True)
    s = ls.surfaces.get("test_cone", height=2.0)
    assert s.name == "test_cone" and s.spec == {"name": "test_cone", "params": {"height": 2.0}}
    with pytest.raises(ValueError, match="already registered"):
        ls.surfaces.register("test_cone", lambda: s)


class Quartic(ls.surfaces.Surface):
    """A subclass that only writes its value."""

    def __init__(self):
        super().__init__(dim=2, bounds=[[-2, 2], [-2, 2]], name="quartic")

    def _value(self, x):
        return x[..., 0] ** 4 + x[..., 0] * x[..., 1] + np.exp(x[..., 1])


def test_numerical_derivatives_meet_their_documented_accuracy():
    s = Quartic()
    x = s.sample(50, seed=4)
    u, v = x[:, 0], x[:, 1]
    grad = np.stack([4 * u**3 + v, u + np.exp(v)], -1)
    hess = np.stack(
        [np.stack([12 * u**2, np.ones_like(u)], -1), np.stack([np.ones_like(u), np.exp(v)], -1)], -2
    )
    scale = np.abs(s.value(x)).max() + 1
    assert np.abs(s.grad(x) - grad).max() < 1e-10 * scale * 10
    assert np.abs(s.hessian(x) - hess).max() < 1e-6 * scale
    direction = np.ones_like(x)
    assert np.abs(s.hvp(x, direction) - hess @ np.ones(2)).max() < 1e-6 * scale
    analytic = ls.surfaces.from_functions(
        s._value,
        lambda p: np.stack([4 * p[..., 0] ** 3 + p[..., 1], p[..., 0] + np.exp(p[..., 1])], -1),
        bounds=s.bounds,
    )
    assert np.abs(analytic.hessian(x) - hess).max() < 1e-9 * scale


def test_points_are_checked():
    s = ls.surfaces.get("himmelblau")
    with pytest.raises(ValueError, match=r"x has shape \(3,\); expected points of shape \(\.\.\., 2\)"):
        s.value([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="non-finite"):
        s.grad([np.nan, 0.0])


def test_sample_is_seeded_and_inside_bounds():
    s = ls.surfaces.get("six_hump_camel")
    a, b = s.sample(100, seed=7), s.sample(100, seed=7)
    np.testing.assert_array_equal(a, b)
    assert np.all((a >= s.bounds[:, 0]) & (a <= s.bounds[:, 1]))


def test_a_surface_without_layout_is_one_group_covering_every_coordinate():
    for name in ls.surfaces.names():
        s = ls.surfaces.get(name)
        groups = s.parameter_groups()
        if isinstance(s, ls.surfaces.MLP | ls.surfaces.LinearModel):  # a model: its arrays, end to end
            assert [g.start for g in groups] == [0] + [g.start + g.size for g in groups[:-1]]
            assert groups[-1].start + groups[-1].size == s.dim
            continue
        (group,) = groups
        assert group.slice == slice(0, s.dim) and group.shape == (s.dim,)


def test_the_repr_gives_the_parameters_and_the_dimension_once():
    assert repr(ls.surfaces.get("rosenbrock")) == "<Surface rosenbrock(dim=2, a=1.0, b=100.0)>"
    assert repr(ls.surfaces.get("himmelblau")) == "<Surface himmelblau() dim=2>"
