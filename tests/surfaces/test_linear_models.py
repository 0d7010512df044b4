"""Linear and logistic regression: matrix-free curvature, separable data, one copy of each loss."""

import warnings

import numpy as np
import pytest
from scipy.special import expit

import landscape as ls
from landscape.surfaces import _losses
from landscape.surfaces._linear_models import _separating_program


@pytest.mark.parametrize("name", ["linear_regression", "logistic_regression"])
def test_matrix_free_products_are_the_dense_hessian(name):
    s = ls.surfaces.get(name, m=300, n=6, regularization=0.8, seed=2)
    x = s.sample(3, seed=1)
    v = np.random.default_rng(0).standard_normal(x.shape)
    np.testing.assert_allclose(s.hvp(x, v), np.einsum("kij,kj->ki", s.hessian(x), v), rtol=1e-12, atol=1e-14)
    design = np.column_stack([s.features, np.ones(300)])
    z = design @ x[0]
    curvature = np.ones(300) if name == "linear_regression" else expit(z) * (1 - expit(z))
    written_out = design.T @ (curvature * (design @ v[0])) / 300 + 0.8 / 300 * np.append(v[0, :-1], 0.0)
    np.testing.assert_allclose(s.hvp(x[0], v[0]), written_out, rtol=1e-12)
    rows = np.random.default_rng(3).integers(0, 300, size=(3, 9))  # a mini-batch's own curvature
    h = 1e-6
    slope = (s.batch_grad(x + h * v, rows) - s.batch_grad(x - h * v, rows)) / (2 * h)
    np.testing.assert_allclose(s.batch_hvp(x, v, rows), slope, rtol=1e-6, atol=1e-9)


def test_separable_classes_have_no_minimizer_and_say_so():
    with pytest.warns(ls.surfaces.NoMinimizerWarning, match=r"m=2000, n=200.*linearly separable"):
        s = ls.surfaces.get("logistic_regression", m=2000, n=200)
    assert s.separable and s.minima.shape == (0, 201)
    theta = _separating_program_direction(s)
    assert s.value(2 * theta) < s.value(theta) < s.value(0 * theta)  # the cost falls without end
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        regularized = ls.surfaces.get("logistic_regression", m=2000, n=200, regularization=1e-3)
        overlapping = ls.surfaces.get("logistic_regression", m=500, n=2)
    assert not overlapping.separable and np.linalg.norm(overlapping.grad(overlapping.minima[0])) < 1e-9
    assert np.linalg.norm(regularized.grad(regularized.minima[0])) < 1e-9


def _separating_program_direction(s):
    """A separating (w, b) found independently: the batch perceptron, which stops only when it separates."""
    signed = np.column_stack([s.features, np.ones(s.data_size)]) * (2 * s.targets - 1)[:, None]
    theta = np.zeros(s.dim)
    for _ in range(1000):
        wrong = signed @ theta <= 0
        if not wrong.any():
            return theta
        theta += signed[wrong].sum(axis=0)
    raise AssertionError("the perceptron found no separating line")


def test_separability_program_on_known_sets():
    xor = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    assert not _separating_program(xor, np.array([0.0, 0.0, 1.0, 1.0]))
    assert _separating_program(xor, np.array([0.0, 1.0, 1.0, 1.0]))  # one corner off by a line


def test_builds_fast_enough_to_be_interactive():
    """No timing asserted: m=2000, n=500 is built by a few Newton steps on a 501 x 501 Hessian."""
    with pytest.warns(ls.surfaces.NoMinimizerWarning):
        s = ls.surfaces.get("logistic_regression", m=2000, n=500)
    assert s.separable and s.minima.shape == (0, 501)
    assert ls.surfaces.get("logistic_regression", m=50, n=2, regularization=0.1).critical_point_bound == 1


def test_losses_are_stable_and_match_scipy():
    z = np.array([-800.0, -30.0, -1.0, 0.0, 2.0, 40.0, 800.0])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    value, slope = _losses.logistic_loss(z, y, True)
    np.testing.assert_allclose(value, np.logaddexp(0, z) - y * z, rtol=1e-15)
    np.testing.assert_allclose(slope, expit(z) - y, rtol=1e-15, atol=1e-300)
    curvature = _losses.logistic_curvature(z, y)
    np.testing.assert_allclose(curvature, expit(z) * expit(-z), rtol=1e-14, atol=1e-300)
    assert np.all(_losses.logistic_loss(z, y, False)[0] == 0)
    value, slope = _losses.squared_loss(z, y, True)
    np.testing.assert_array_equal(value, 0.5 * (z - y) ** 2)


def test_the_compiled_engine_runs_the_same_loss_functions():
    pytest.importorskip("numba")
    from landscape.tracing._kernels import data

    assert data.logistic_loss.py_func is _losses.logistic_loss
    assert data.squared_loss.py_func is _losses.squared_loss
    s = ls.surfaces.get("logistic_regression", m=64, n=2)
    runs = [ls.trace(s, ls.optim.sgd(0.5), s.default_start, epochs=2, batch_size=16, particles=3, engine=e)
            for e in ("numpy", "numba")]
    np.testing.assert_allclose(runs[0].positions, runs[1].positions, rtol=1e-12, atol=1e-14)


def test_parameter_groups_name_the_weights_and_the_unregularized_bias():
    s = ls.surfaces.get("linear_regression", m=30, n=3, regularization=2.0)
    w, b = s.parameter_groups()
    assert (w.name, w.start, w.shape, w.role) == ("w", 0, (1, 3), "weight")
    assert (b.name, b.start, b.shape, b.role) == ("b", 3, (1,), "bias")
    # the penalty λ/(2m)‖w‖² moves the weights' gradient only: the bias entry is the last one
    plain = ls.surfaces.get("linear_regression", m=30, n=3, regularization=0.0)
    x = np.array([0.5, -1.0, 2.0, 0.3])
    difference = s.grad(x) - plain.grad(x)
    np.testing.assert_allclose(difference[:3], 2.0 / 30 * x[:3], rtol=1e-12)
    assert difference[3] == 0.0
