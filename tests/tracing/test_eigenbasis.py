"""Linear optimizers on dense quadratics run in the eigenbasis: the same runs as the direct loop."""

import numpy as np
import pytest

import landscape as ls
from landscape.tracing import _eigenbasis
from landscape.tracing._problem import build_problem

S = ls.schedules
# runs on GOE saddles and with large rates diverge: the flags are compared, the warnings are expected
pytestmark = pytest.mark.filterwarnings("ignore::landscape.DivergenceWarning")


def _quadratic(ensemble="wishart", linear_scale=0.5, dim=60):
    return ls.surfaces.get("random_quadratic", dim=dim, ensemble=ensemble, linear_scale=linear_scale, seed=7)


def _both(monkeypatch, surface, optimizer, x0, **options):
    """The run in the eigenbasis, then the same run step by step with the matrix."""
    options = {"steps": 40, "record_every": 7, "engine": "numpy"} | options
    rotated = ls.trace(surface, optimizer, x0, **options)
    with monkeypatch.context() as patch:
        patch.setattr(_eigenbasis, "applies", lambda problem: False)
        direct = ls.trace(surface, optimizer, x0, **options)
    return rotated, direct


def _assert_same(rotated, direct, rtol=1e-10):
    np.testing.assert_array_equal(rotated.diverged_step, direct.diverged_step)
    for name in ("positions", "values", "grad_norms", "learning_rates"):
        a, b = getattr(rotated, name), getattr(direct, name)
        scale = np.abs(b).max()
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * scale, err_msg=name)


K = 8
OPTIMIZERS = {
    "the lecture's momentum, bias-corrected, a beta per particle": ls.optim.momentum(
        0.05, beta=np.linspace(0.5, 0.95, K), bias_correction=True
    ),
    "heavy ball with Nesterov and a schedule": ls.optim.momentum(
        S.warmup(5, S.inverse_time(lr0=0.02, decay_rate=0.05)), style="heavy_ball", nesterov=True
    ),
    "sgd with weight decay, a rate per particle": ls.optim.chain(
        ls.optim.add_decayed_weights(0.01), ls.optim.scale_by_learning_rate(np.linspace(0.01, 0.1, K))
    ),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("ensemble", ["wishart", "goe", "spectrum"])
def test_the_eigenbasis_gives_the_direct_run(name, ensemble, monkeypatch):
    s = _quadratic(ensemble)
    x0 = s.default_start + np.random.default_rng(1).standard_normal((K, s.dim))
    _assert_same(*_both(monkeypatch, s, OPTIMIZERS[name], x0))


def test_divergence_is_flagged_at_the_same_step(monkeypatch):
    # eigenvalues in [0.01, 1]: sgd diverges above lr = 2
    s = ls.surfaces.get("random_quadratic", dim=60, ensemble="spectrum", mu=0.01, L=1.0, seed=7)
    rates = np.linspace(0.5, 2.6, K)
    rotated, direct = _both(
        monkeypatch, s, ls.optim.sgd(rates), np.ones((K, s.dim)), divergence_radius=1e3, steps=60
    )
    assert 0 < rotated.diverged.sum() < K
    _assert_same(rotated, direct)


def test_float32_stays_float32(monkeypatch):
    s = _quadratic()
    rotated, direct = _both(monkeypatch, s, ls.optim.momentum(0.05), s.default_start, particles=K,
                            dtype=np.float32)
    assert rotated.positions.dtype == np.float32
    np.testing.assert_allclose(rotated.positions, direct.positions, rtol=1e-4, atol=1e-4)


def test_only_runs_that_commute_with_the_rotation():
    s, x0 = _quadratic(), np.ones((K, 60))

    def applies(optimizer, steps=100, noise=None):
        problem = build_problem(
            s, optimizer, x0, steps, particles=None, batch_size=None, noise=noise, epochs=None, seed=0,
            record_every=1, dtype=np.float64, divergence_radius=None,
        )
        return _eigenbasis.applies(problem)

    assert applies(ls.optim.momentum(0.05))
    assert not applies(ls.optim.adam(0.05))  # elementwise in the original coordinates
    assert not applies(ls.optim.momentum(0.05), noise=ls.noise.gaussian(0.1))
    assert applies(ls.optim.momentum(0.05), steps=1)  # whatever the size of the run
    structured = ls.surfaces.get("random_quadratic", dim=60, structured=True)
    with pytest.raises(ValueError, match="eigenbasis: the structured form"):
        structured.eigenbasis()


def test_a_particle_s_path_does_not_depend_on_the_size_of_the_ensemble():
    s = _quadratic(dim=40)
    x0 = s.sample(500, seed=1)
    optimizer = ls.optim.momentum(0.05, style="heavy_ball")
    alone = ls.trace(s, optimizer, x0[:1], steps=30)
    together = ls.trace(s, optimizer, x0, steps=30)
    np.testing.assert_array_equal(alone.positions[:, 0], together.positions[:, 0])
    np.testing.assert_array_equal(alone.values[:, 0], together.values[:, 0])


def test_the_eigenbasis_is_the_matrix_s_and_is_computed_once():
    s = _quadratic("goe")
    eigenvalues, q = s.eigenbasis()
    np.testing.assert_allclose((q * eigenvalues) @ q.T, s.matrix, atol=1e-12)
    np.testing.assert_allclose(q.T @ q, np.eye(s.dim), atol=1e-12)
    assert s.eigenbasis()[1] is q
