"""Convergence theory: closed forms, and rates measured with landscape.trace."""

import math
import warnings

import numpy as np
import pytest

import landscape as ls


def test_quadratic_rates_closed_forms():
    r = ls.analysis.quadratic_rates(2.0, 50.0)  # κ = 25, √κ = 5
    assert r.kappa == 25.0
    assert r.gd_step == pytest.approx(2 / 52) and r.gd_rate == pytest.approx(24 / 26)
    assert r.critical_step == pytest.approx(0.04)
    assert r.heavy_ball_rate == pytest.approx(4 / 6) and r.heavy_ball_beta == pytest.approx(16 / 36)
    assert r.heavy_ball_step == pytest.approx(4 / (math.sqrt(50) + math.sqrt(2)) ** 2)  # = 1/18
    assert r.heavy_ball_step_ewa == pytest.approx((1 / 18) / (1 - 16 / 36))
    assert r.steps_to(1e-6) == math.ceil(math.log(1e-6) / math.log(24 / 26))
    assert r.steps_to(1e-6, "heavy_ball") == math.ceil(math.log(1e-6) / math.log(4 / 6))


def _quadratic(mu=1.0, L=100.0, dim=40):
    return ls.surfaces.get("random_quadratic", dim=dim, ensemble="spectrum", mu=mu, L=L, seed=3)


def test_gradient_descent_contracts_at_the_closed_form_rate():
    s = _quadratic()
    r = ls.analysis.quadratic_rates(1.0, 100.0)
    start = s.sample(3, seed=1)
    traj = ls.trace(s, ls.optim.sgd(lr=r.gd_step), start, steps=1500)
    np.testing.assert_allclose(ls.analysis.measured_rate(traj), r.gd_rate, rtol=2e-4)
    bowl = ls.surfaces.get("elongated_bowl", kappa=10.0, angle=30.0)
    traj = ls.trace(bowl, ls.optim.sgd(lr=0.1), bowl.default_start, steps=300)
    assert ls.analysis.measured_rate(traj)[0] == pytest.approx(0.9, rel=1e-6)  # max |1 − αλ| = 1 − 0.1


def test_heavy_ball_beats_gradient_descent_at_the_closed_form_rate():
    s = _quadratic()
    r = ls.analysis.quadratic_rates(1.0, 100.0)
    opt = ls.optim.momentum(lr=r.heavy_ball_step, beta=r.heavy_ball_beta, style="heavy_ball")
    traj = ls.trace(s, opt, s.sample(3, seed=2), steps=400)
    measured = ls.analysis.measured_rate(traj)
    # at the optimum both ends are critically damped (error ~ t ρ^t): a small upward bias
    assert np.all(measured > r.heavy_ball_rate - 1e-3) and np.all(measured < r.heavy_ball_rate * 1.02)
    # underdamped everywhere (αλ inside ((1 − √β)², (1 + √β)²)): the modulus is exactly √β
    opt = ls.optim.momentum(lr=0.02, beta=0.9, style="heavy_ball")
    traj = ls.trace(s, opt, s.sample(3, seed=3), steps=600)
    np.testing.assert_allclose(ls.analysis.measured_rate(traj), math.sqrt(0.9), rtol=2e-3)
    assert ls.analysis.momentum_rate(0.02, 0.9, s.eigenvalues()) == pytest.approx(math.sqrt(0.9))


def test_ewa_momentum_is_heavy_ball_with_a_scaled_step():
    s = _quadratic(dim=10)
    alpha, beta = 0.01, 0.8
    hb = ls.trace(s, ls.optim.momentum(lr=alpha, beta=beta, style="heavy_ball"), s.default_start, steps=50)
    ewa = ls.trace(s, ls.optim.momentum(lr=alpha / (1 - beta), beta=beta), s.default_start, steps=50)
    np.testing.assert_allclose(ewa.positions, hb.positions, rtol=1e-10, atol=1e-12)
    eigenvalues = s.eigenvalues()
    assert ls.analysis.momentum_rate(alpha / (1 - beta), beta, eigenvalues, style="ewa") == pytest.approx(
        ls.analysis.momentum_rate(alpha, beta, eigenvalues)
    )


def test_gd_rate_is_the_largest_factor():
    eigenvalues = np.array([1.0, 3.0, 10.0])
    for alpha in (0.01, 0.1, 0.25):
        expected = np.max(np.abs(1 - alpha * eigenvalues))
        assert ls.analysis.momentum_rate(alpha, 0.0, eigenvalues) == pytest.approx(expected)


def test_stability_region_matches_traced_runs():
    # one trace runs a whole (α, β) grid side by side, one particle per pair
    bowl = ls.surfaces.get("elongated_bowl", kappa=10.0)
    alpha, beta = np.meshgrid(np.linspace(0.01, 0.6, 25), np.linspace(0.0, 0.95, 20))
    alpha, beta = alpha.ravel(), beta.ravel()
    theory = ls.analysis.heavy_ball_stable(alpha, beta, [1.0, 10.0])
    rate = ls.analysis.momentum_rate(alpha, beta, [1.0, 10.0])
    clear = np.abs(rate - 1) > 0.02  # leave out the pairs too close to the boundary to decide quickly
    opt = ls.optim.momentum(lr=alpha, beta=beta, style="heavy_ball")
    start = np.tile([1.0, 1.0], (alpha.size, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.DivergenceWarning)
        traj = ls.trace(bowl, opt, start, steps=600)
    shrunk = np.linalg.norm(traj.final_positions, axis=1) < 1e-3
    np.testing.assert_array_equal(shrunk[clear], theory[clear])
    assert theory.any() and (~theory).any()
    ewa = ls.analysis.heavy_ball_stable(alpha / (1 - beta), beta, [1.0, 10.0], style="ewa")
    np.testing.assert_array_equal(ewa, theory)


def test_max_stable_step_is_the_boundary():
    for beta, style in [(0.0, "heavy_ball"), (0.5, "heavy_ball"), (0.9, "ewa")]:
        limit = ls.analysis.max_stable_step(10.0, beta, style=style)
        assert ls.analysis.heavy_ball_stable(0.999 * limit, beta, [1.0, 10.0], style=style)
        assert not ls.analysis.heavy_ball_stable(1.001 * limit, beta, [1.0, 10.0], style=style)
    assert ls.analysis.max_stable_step(10.0) == 0.2
    assert not ls.analysis.heavy_ball_stable(0.01, 0.5, [-1.0, 10.0])  # a saddle direction grows


def test_critical_damping_gives_a_double_root():
    alpha = np.array([0.001, 0.01, 0.05, 0.3, 0.5])  # αλ = 0.01 ... 5: over- and under-shooting steps
    lam = 10.0
    beta = ls.analysis.critical_damping(alpha, lam)
    assert beta[0] == pytest.approx((1 - math.sqrt(0.01)) ** 2)
    discriminant = (1 + beta - alpha * lam) ** 2 - 4 * beta
    np.testing.assert_allclose(discriminant[:4], 0.0, atol=1e-12)
    assert np.all(beta[:4] < 1) and np.isnan(beta[4])  # beyond αλ = 4 no β < 1 damps critically
    beta_ewa = ls.analysis.critical_damping(alpha, lam, style="ewa")
    step = alpha * (1 - beta_ewa)
    np.testing.assert_allclose((1 + beta_ewa - step * lam) ** 2 - 4 * beta_ewa, 0.0, atol=1e-12)


def test_measured_rate_defaults_and_errors():
    bowl = ls.surfaces.get("elongated_bowl", kappa=4.0)
    traj = ls.trace(bowl, ls.optim.sgd(lr=0.2), bowl.default_start, steps=200)
    np.testing.assert_allclose(ls.analysis.measured_rate(traj), ls.analysis.measured_rate(traj, [0.0, 0.0]))
    goe = ls.surfaces.get("random_quadratic", dim=4, ensemble="goe")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.DivergenceWarning)
        traj = ls.trace(goe, ls.optim.sgd(lr=0.01), goe.default_start, steps=5)
    with pytest.raises(ValueError, match="minimum=None"):
        ls.analysis.measured_rate(traj)
    with pytest.raises(ValueError, match="trajectory="):
        ls.analysis.measured_rate(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="L=1"):
        ls.analysis.quadratic_rates(2.0, 1.0)
    with pytest.raises(ValueError, match="style='nesterov'"):
        ls.analysis.heavy_ball_stable(0.1, 0.5, [1.0], style="nesterov")
