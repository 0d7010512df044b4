"""Every surface's gradient, Hessian and Hessian-vector product against scipy.differentiate."""

import numpy as np
import pytest
import scipy.differentiate as sd

import landscape as ls

CASES = [(name, {}) for name in ls.surfaces.names()] + [
    ("elongated_bowl", {"kappa": 50.0, "angle": 30.0}),
    ("rosenbrock", {"dim": 4}),
    ("rastrigin", {"dim": 3}),
    ("styblinski_tang", {"dim": 3}),
    ("random_quadratic", {"dim": 6, "ensemble": "goe", "linear_scale": 1.0}),
    ("random_quadratic", {"dim": 6, "ensemble": "wishart", "structured": True}),
    ("random_quadratic", {"dim": 6, "ensemble": "spectrum", "structured": True, "spacing": "log"}),
    ("random_quadratic", {"dim": 6, "ensemble": "goe", "structured": True, "linear_scale": 0.5}),
    ("linear_regression", {"m": 50, "n": 3, "regularization": 2.0, "feature_scale": 5.0}),
    ("logistic_regression", {"m": 50, "n": 2, "regularization": 1.0}),
    ("plateau_cliff", {"steepness": 3.0}),
]
IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in p.items())}" for n, p in CASES]


def _surface(name, params):
    if name == "random_quadratic" and not params:
        params = {"dim": 5}
    if name == "mlp" and not params:  # smooth (ReLU's kinks break finite differences), small
        params = {"layers": [2, 3, 1], "activation": "tanh", "m": 60, "lambd": 0.5}
    return ls.surfaces.get(name, **params)


def _points(surface, shape, seed=0):
    rng = np.random.default_rng(seed)
    low, high = surface.bounds[:, 0], surface.bounds[:, 1]
    return low + (high - low) * rng.random(shape + (surface.dim,))


def _coordinates_first(fun):
    """Adapt a (..., dim) function to scipy.differentiate's coordinates-first convention."""
    return lambda z: np.moveaxis(np.asarray(fun(np.moveaxis(z, 0, -1))), -1, 0)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
@pytest.mark.parametrize("shape", [(), (7,), (2, 3)])
def test_gradient_matches_finite_differences(name, params, shape):
    s = _surface(name, params)
    x = _points(s, shape)
    value = lambda z: s.value(np.moveaxis(z, 0, -1))  # noqa: E731
    reference = np.moveaxis(sd.jacobian(value, np.moveaxis(x, -1, 0)).df, 0, -1)
    scale = 1.0 + np.abs(reference).max()
    np.testing.assert_allclose(s.grad(x), reference, rtol=1e-7, atol=1e-7 * scale)
    v, g = s.value_and_grad(x)
    np.testing.assert_array_equal(v, s.value(x))
    np.testing.assert_allclose(g, s.grad(x), rtol=1e-14, atol=1e-14 * scale)
    assert s.value(x).shape == shape


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
@pytest.mark.parametrize("shape", [(), (5,)])
def test_hessian_and_hvp_match_finite_differences(name, params, shape):
    s = _surface(name, params)
    x = _points(s, shape, seed=1)
    jac = sd.jacobian(_coordinates_first(s.grad), np.moveaxis(x, -1, 0)).df  # (i, j, ...)
    reference = np.moveaxis(jac, (0, 1), (-2, -1))
    scale = 1.0 + np.abs(reference).max()
    hessian = s.hessian(x)
    assert hessian.shape == shape + (s.dim, s.dim)
    np.testing.assert_allclose(hessian, reference, rtol=1e-6, atol=1e-6 * scale)
    np.testing.assert_allclose(hessian, np.swapaxes(hessian, -1, -2), atol=1e-9 * scale)
    v = np.random.default_rng(2).standard_normal(shape + (s.dim,))
    np.testing.assert_allclose(
        s.hvp(x, v), np.einsum("...ij,...j->...i", reference, v), rtol=1e-6, atol=1e-6 * scale
    )


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_known_minima_are_stationary_and_lowest(name, params):
    s = _surface(name, params)
    if len(s.minima) == 0:
        pytest.skip("no known minimizer")
    g = s.grad(s.minima)
    assert np.abs(g).max() < 1e-6 * (1 + np.abs(s.hessian(s.minima)).max())
    others = _points(s, (500,), seed=3)
    assert s.value(s.minima).max() <= s.value(others).min() + 1e-9


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_window_and_start_are_consistent(name, params):
    s = _surface(name, params)
    assert s.bounds.shape == (s.dim, 2)
    assert np.all(s.bounds[:, 0] <= s.default_start) and np.all(s.default_start <= s.bounds[:, 1])
    assert np.isfinite(s.value(s.default_start))
