"""The random_field surface: derivatives, the covariance it approximates, the registry."""

import numpy as np
import pytest
import scipy.differentiate as sd

import landscape as ls


def _coordinates_first(fun):
    return lambda z: np.moveaxis(np.asarray(fun(np.moveaxis(z, 0, -1))), -1, 0)


@pytest.mark.parametrize("dim", [1, 3, 12])
@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_derivatives_match_finite_differences(dim, shape):
    s = ls.surfaces.get("random_field", dim=dim, features=40, seed=3, confinement=0.2, lengthscale=0.7)
    x = s.sample(int(np.prod(shape, dtype=int)), seed=1).reshape(shape + (dim,))
    value = lambda z: s.value(np.moveaxis(z, 0, -1))  # noqa: E731
    grad_reference = np.moveaxis(sd.jacobian(value, np.moveaxis(x, -1, 0)).df, 0, -1)
    np.testing.assert_allclose(s.grad(x), grad_reference, rtol=1e-8, atol=1e-8)

    hess = sd.jacobian(_coordinates_first(s.grad), np.moveaxis(x, -1, 0)).df  # (i, j, ...)
    hess_reference = np.moveaxis(hess, (0, 1), (-2, -1))
    np.testing.assert_allclose(s.hessian(x), hess_reference, rtol=1e-8, atol=1e-8)

    v = np.random.default_rng(2).standard_normal(x.shape)
    np.testing.assert_allclose(s.hvp(x, v), np.einsum("...ij,...j->...i", hess_reference, v), atol=1e-7)
    values, grads = s.value_and_grad(x)
    np.testing.assert_array_equal(values, s.value(x))
    np.testing.assert_allclose(grads, s.grad(x), rtol=1e-14, atol=1e-14)


def test_value_is_the_written_formula():
    s = ls.surfaces.get("random_field", dim=3, features=5, seed=1, confinement=0.3, amplitude=2.0)
    x = np.array([0.3, -1.0, 2.0])
    field = (
        2.0 * np.sqrt(2 / 5) * sum(np.cos(w @ x + p) for w, p in zip(s.frequencies, s.phases, strict=True))
    )
    assert s.value(x) == pytest.approx(field + 0.15 * x @ x, rel=1e-13)


def test_field_covariance_is_the_squared_exponential_kernel():
    # Over many seeds, f(x) f(y) averages to a² exp(−|x − y|² / (2ℓ²)) (Rahimi & Recht).
    x = np.array([0.2, -0.4])
    offsets = [0.0, 0.5, 1.0, 2.0]
    lengthscale, amplitude, seeds = 0.8, 1.5, 400
    products = np.zeros((seeds, len(offsets)))
    for seed in range(seeds):
        s = ls.surfaces.get(
            "random_field",
            dim=2,
            features=64,
            seed=seed,
            confinement=0.0,
            lengthscale=lengthscale,
            amplitude=amplitude,
        )
        y = x + np.outer(offsets, [1.0, 0.0])
        products[seed] = s.value(x) * s.value(y)
    expected = amplitude**2 * np.exp(-np.square(offsets) / (2 * lengthscale**2))
    stderr = products.std(axis=0, ddof=1) / np.sqrt(seeds)
    assert np.all(np.abs(products.mean(axis=0) - expected) < 4 * stderr + 0.02)


def test_seeded_registered_and_validated():
    a = ls.surfaces.get("random_field", dim=5, seed=7)
    b = ls.surfaces.get("random_field", dim=5, seed=7)
    c = ls.surfaces.get("random_field", dim=5, seed=8)
    x = a.sample(3)
    np.testing.assert_array_equal(a.value(x), b.value(x))
    assert not np.allclose(a.value(x), c.value(x))
    assert "random_field" in ls.surfaces.names()
    assert a.spec["params"]["dim"] == 5 and a.bounds.shape == (5, 2)
    assert isinstance(a, ls.surfaces.RandomField)
    for name, value in [("dim", 0), ("features", 0), ("confinement", -1.0), ("lengthscale", 0.0)]:
        with pytest.raises(ValueError, match=f"{name}="):
            ls.surfaces.get("random_field", **{name: value})
