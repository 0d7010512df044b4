"""A user's own model: finite_sum, and from_functions with value_and_grad."""

import numpy as np
import pytest

import landscape as ls

REFERENCE = ls.surfaces.get("linear_regression", m=40, n=2, regularization=0.5, seed=3)


def _least_squares(x, rows):
    """The lecture's J on the rows: (1/2b) Σ (w·x + b - y)² + λ/(2b) ‖w‖², written out."""
    inputs, targets, count = REFERENCE.features[rows], REFERENCE.targets[rows], rows.shape[-1]
    residual = np.einsum("kbn,kn->kb", inputs, x[:, :-1]) + x[:, -1:] - targets
    w = x[:, :-1]
    values = 0.5 * np.mean(residual**2, axis=1) + 0.5 / (2 * count) * np.sum(w**2, axis=1)
    grads = np.column_stack([np.einsum("kb,kbn->kn", residual, inputs) / count + 0.5 / count * w,
                             residual.mean(axis=1)])
    return values, grads


def _least_squares_hvp(x, v, rows):
    inputs, count = REFERENCE.features[rows], rows.shape[-1]
    u = np.einsum("kbn,kn->kb", inputs, v[:, :-1]) + v[:, -1:]
    return np.column_stack([np.einsum("kb,kbn->kn", u, inputs) / count + 0.5 / count * v[:, :-1],
                            u.mean(axis=1)])


def test_a_users_model_is_a_finite_sum_like_the_built_in_ones():
    s = ls.surfaces.finite_sum(_least_squares, dim=3, data_size=40, hvp=_least_squares_hvp,
                               parameter_groups=[("w", 2), ("b", 1, "bias")], thread_safe=True)
    x = REFERENCE.sample(4, seed=0)
    np.testing.assert_allclose(s.value(x), REFERENCE.value(x), rtol=1e-12)
    np.testing.assert_allclose(s.grad(x), REFERENCE.grad(x), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(s.hessian(x[0]), REFERENCE.hessian(x[0]), rtol=1e-12, atol=1e-14)
    rows = np.random.default_rng(0).integers(0, 40, size=(4, 5))
    for a, b in zip(s.batch_value_and_grad(x, rows), REFERENCE.batch_value_and_grad(x, rows), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    assert [(g.name, g.start, g.shape, g.role) for g in s.parameter_groups()] == [
        ("w", 0, (2,), "weight"), ("b", 2, (1,), "bias")]
    assert s.has_analytic_hessian and s.thread_safe
    runs = [ls.trace(surface, ls.optim.adam(0.1), REFERENCE.default_start, epochs=3, batch_size=8,
                     particles=3, engine="numpy") for surface in (s, REFERENCE)]
    np.testing.assert_allclose(runs[0].positions, runs[1].positions, rtol=1e-10)
    full = ls.trace(s, ls.optim.sgd(0.1), REFERENCE.default_start, steps=10, particles=2)
    batches = ls.trace(s, ls.optim.sgd(0.1), REFERENCE.default_start, steps=10, particles=2, batch_size=40)
    np.testing.assert_array_equal(batches.positions, full.positions)


def test_without_hvp_the_curvature_comes_from_differences_of_the_gradient():
    s = ls.surfaces.finite_sum(_least_squares, dim=3, data_size=40)
    assert not s.has_analytic_hessian
    x = REFERENCE.sample(2, seed=5)
    np.testing.assert_allclose(s.hessian(x), REFERENCE.hessian(x), rtol=1e-7, atol=1e-8)
    spectrum = ls.analysis.hessian_spectrum(s, x[0], k=1)
    np.testing.assert_allclose(spectrum.largest, np.linalg.eigvalsh(REFERENCE.hessian(x[0]))[-1:], rtol=1e-6)


def test_one_particle_at_a_time_works_and_says_once_that_it_is_slower():
    def one(theta, rows):
        values, grads = _least_squares(theta[None, :], rows[None, :])
        return values[0], grads[0]

    with pytest.warns(UserWarning, match="once per particle"):
        s = ls.surfaces.finite_sum(one, dim=3, data_size=40, vectorized=False,
                                   hvp=lambda t, v, r: _least_squares_hvp(t[None], v[None], r[None])[0])
    x = REFERENCE.sample(3, seed=2)
    np.testing.assert_allclose(s.grad(x), REFERENCE.grad(x), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(s.hvp(x, x), REFERENCE.hvp(x, x), rtol=1e-12, atol=1e-14)


def test_metrics_are_recorded_by_trace():
    s = ls.surfaces.finite_sum(_least_squares, dim=3, data_size=40,
                               metrics=lambda x: {"weight_norm": np.linalg.norm(x[..., :-1], axis=-1)})
    traj = ls.trace(s, ls.optim.sgd(0.1), REFERENCE.default_start, steps=5, particles=2)
    np.testing.assert_allclose(traj.metrics["weight_norm"], np.linalg.norm(traj.positions[..., :-1], axis=-1))
    assert ls.trace(REFERENCE, ls.optim.sgd(0.1), REFERENCE.default_start, steps=2).metrics is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"value_and_grad": 3}, "value_and_grad=3"),
        ({"hvp": "no"}, "hvp='no'"),
        ({"dim": 0}, "dim=0"),
        ({"data_size": 0}, "data_size=0"),
        ({"parameter_groups": [("w", 2)]}, "covering dim=3"),
        ({"parameter_groups": [("w", 2, "kernel"), ("b", 1)]}, "parameter_groups="),
    ],
)
def test_bad_input_names_the_parameter(kwargs, match):
    options = {"value_and_grad": _least_squares, "dim": 3, "data_size": 40} | kwargs
    with pytest.raises(ValueError, match=match):
        ls.surfaces.finite_sum(**options)


def test_bad_mini_batches_are_refused():
    s = ls.surfaces.finite_sum(_least_squares, dim=3, data_size=40)
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match="expected integers of shape \\(2, b\\)"):
        s.batch_grad(x, np.zeros((3, 4), dtype=int))
    with pytest.raises(ValueError, match="indices=.*in \\[0, 40\\)"):
        s.batch_grad(x, np.full((2, 4), 40))


def test_from_functions_takes_one_pass_for_value_and_gradient():
    calls = []

    def value_and_grad(p):
        calls.append(p.shape)
        return p[..., 0] ** 2 + 3 * p[..., 1] ** 2, np.stack([2 * p[..., 0], 6 * p[..., 1]], axis=-1)

    s = ls.surfaces.from_functions(lambda p: p[..., 0] ** 2 + 3 * p[..., 1] ** 2,
                                   value_and_grad=value_and_grad, bounds=[[-1, 1], [-1, 1]], thread_safe=True)
    assert s.thread_safe
    assert not ls.surfaces.from_functions(lambda p: p[..., 0], bounds=[[-1, 1]], dim=1).thread_safe
    np.testing.assert_array_equal(s.grad([1.0, 1.0]), [2.0, 6.0])  # no grad given: value_and_grad serves it
    calls.clear()
    ls.trace(s, ls.optim.sgd(0.1), [1.0, 1.0], steps=4, particles=3)
    assert len(calls) == 5  # one call per step: no separate value pass at the recorded steps
    with pytest.raises(ValueError, match="value_and_grad=3"):
        ls.surfaces.from_functions(lambda p: p[..., 0], value_and_grad=3, bounds=[[-1, 1]], dim=1)
