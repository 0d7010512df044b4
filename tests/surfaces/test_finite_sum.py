"""Finite-sum surfaces: the lecture's cost on the full data and on mini-batches."""

import numpy as np
import pytest
import scipy.differentiate as sd

import landscape as ls


def lecture_cost(surface, theta, rows):
    """J = (1/|B|) Σ ℓ + λ/(2|B|) ‖w‖², written out from the notes for one point."""
    w, b = theta[:-1], theta[-1]
    x, y = surface.features[rows], surface.targets[rows]
    z = x @ w + b
    if isinstance(surface, ls.surfaces.LogisticRegression):
        yhat = 1.0 / (1.0 + np.exp(-z))
        loss = -y * np.log(yhat) - (1 - y) * np.log(1 - yhat)
    else:
        loss = 0.5 * (z - y) ** 2
    return loss.mean() + surface.regularization / (2 * len(rows)) * w @ w


@pytest.mark.parametrize("name", ["linear_regression", "logistic_regression"])
def test_full_cost_is_the_lecture_formula(name):
    s = ls.surfaces.get(name, m=200, n=3, regularization=1.5, seed=4)
    for theta in s.sample(5, seed=1):
        assert s.value(theta) == pytest.approx(lecture_cost(s, theta, np.arange(200)), rel=1e-9)


@pytest.mark.parametrize("name", ["linear_regression", "logistic_regression"])
def test_minibatch_gradients_per_particle(name):
    s = ls.surfaces.get(name, m=100, n=2, regularization=0.7, seed=1)
    theta = s.sample(3, seed=2)
    rows = np.random.default_rng(0).integers(0, 100, size=(3, 8))
    values, grads = s.batch_value_and_grad(theta, rows)
    for k in range(3):
        assert values[k] == pytest.approx(lecture_cost(s, theta[k], rows[k]), rel=1e-9)
        reference = sd.jacobian(
            lambda t, k=k: np.apply_along_axis(lambda c: lecture_cost(s, c, rows[k]), 0, t),
            theta[k],
        ).df
        np.testing.assert_allclose(grads[k], reference, rtol=1e-8, atol=1e-10)


def test_whole_data_as_one_batch_is_the_full_cost():
    s = ls.surfaces.get("logistic_regression", m=64, n=2, regularization=0.3)
    theta = s.sample(4, seed=9)
    values, grads = s.batch_value_and_grad(theta, np.tile(np.arange(64), (4, 1)))
    np.testing.assert_allclose(values, s.value(theta), rtol=1e-13)
    np.testing.assert_allclose(grads, s.grad(theta), rtol=1e-12, atol=1e-15)


def test_badly_scaled_features_make_an_elongated_bowl():
    round_bowl = ls.surfaces.get("linear_regression", m=2000, n=1, feature_scale=1.0)
    elongated = ls.surfaces.get("linear_regression", m=2000, n=1, feature_scale=10.0)
    kappa = [np.linalg.cond(s.hessian(s.minima[0])) for s in (round_bowl, elongated)]
    assert kappa[0] < 1.3 and 80 < kappa[1] < 125


def test_minimizer_is_exact_and_near_the_truth():
    s = ls.surfaces.get("linear_regression", m=5000, n=2, noise=0.1)
    assert np.linalg.norm(s.grad(s.minima[0])) < 1e-12
    np.testing.assert_allclose(s.minima[0], s.true_parameters, atol=0.02)


def test_data_set_is_seeded():
    a = ls.surfaces.get("logistic_regression", m=30, seed=5)
    b = ls.surfaces.get("logistic_regression", m=30, seed=5)
    np.testing.assert_array_equal(a.features, b.features)
    np.testing.assert_array_equal(a.targets, b.targets)
    assert set(np.unique(a.targets)) <= {0.0, 1.0}
