"""Stochastic Lanczos quadrature and Hutchinson's trace against exact spectra and theory."""

import numpy as np
import pytest

import landscape as ls
from landscape.analysis._density import _probe_generator


def _smoothed(eigenvalues, grid, sigma):
    """The exact density convolved with the Gaussian kernel, written out directly."""
    z = (grid[:, None] - eigenvalues[None, :]) / sigma
    return np.exp(-0.5 * z**2).sum(axis=1) / (len(eigenvalues) * sigma * np.sqrt(2 * np.pi))


def test_slq_matches_the_exact_density_of_a_dense_matrix():
    s = ls.surfaces.get("random_quadratic", dim=500, ensemble="goe", seed=3)
    exact = np.linalg.eigvalsh(s.matrix)
    d = ls.analysis.spectral_density(s, np.zeros(500), probes=64, lanczos_steps=80, seed=1)
    reference = _smoothed(exact, d.grid, d.sigma)
    l1 = np.trapezoid(np.abs(d.density - reference), d.grid)
    assert l1 < 0.05
    assert np.trapezoid(d.density, d.grid) == pytest.approx(1.0, abs=1e-6)
    low, high = d.extremes  # Lanczos finds the ends of the spectrum first
    assert low == pytest.approx(exact[0], rel=1e-6) and high == pytest.approx(exact[-1], rel=1e-6)


def test_quadrature_moments_estimate_normalized_traces():
    s = ls.surfaces.get("random_quadratic", dim=300, ensemble="wishart", seed=0)
    h = s.matrix
    d = ls.analysis.spectral_density(s, np.zeros(300), probes=64, lanczos_steps=10, seed=2)
    assert d.nodes.shape == d.weights.shape == (64, 10)
    np.testing.assert_allclose(d.weights.sum(axis=1), 1.0, rtol=1e-12)
    for order, power in [(1, h), (2, h @ h), (3, h @ h @ h)]:
        exact = np.trace(power) / 300
        assert d.moment(order) == pytest.approx(exact, rel=0.02), order
    assert d.trace == pytest.approx(np.trace(h), rel=0.02)


def test_quadrature_is_exact_for_low_degree_polynomials_of_one_probe():
    # m Lanczos steps from v give Σ τ_j θ_j^k = vᵀ H^k v for k < 2m (Gauss quadrature)
    s = ls.surfaces.get("random_quadratic", dim=80, ensemble="goe", seed=5)
    d = ls.analysis.spectral_density(s, np.zeros(80), probes=1, lanczos_steps=4, seed=9)
    v = _probe_generator(9).choice([-1.0, 1.0], size=(1, 80))[0] / np.sqrt(80)
    for k in range(8):
        exact = v @ np.linalg.matrix_power(s.matrix, k) @ v
        assert np.sum(d.weights[0] * d.nodes[0] ** k) == pytest.approx(exact, rel=1e-9, abs=1e-12)


def test_small_krylov_space_is_exhausted_cleanly():
    d = ls.analysis.spectral_density("elongated_bowl", [0.0, 0.0], probes=4, lanczos_steps=50)
    assert d.nodes.shape == (4, 2)
    used = d.weights > 1e-12
    np.testing.assert_allclose(np.unique(d.nodes[used].round(9)), [1.0, 10.0])
    assert d.condition_number == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("ensemble", "theory"),
    [
        ("goe", lambda x, dim: ls.analysis.semicircle_density(x, dim)),
        ("wishart", lambda x, dim: ls.analysis.marchenko_pastur_density(x, ratio=0.5)),
    ],
)
def test_slq_at_dim_ten_thousand_follows_the_limiting_law(ensemble, theory):
    dim = 10_000
    s = ls.surfaces.get("random_quadratic", dim=dim, ensemble=ensemble, seed=1)
    d = ls.analysis.spectral_density(s, np.zeros(dim), probes=8, lanczos_steps=60, seed=0)
    # compare smoothed with smoothed: the theory density convolved with the same kernel
    fine = np.linspace(d.grid[0], d.grid[-1], 4001)
    z = (d.grid[:, None] - fine[None, :]) / d.sigma
    kernel = np.exp(-0.5 * z**2) / (d.sigma * np.sqrt(2 * np.pi))
    reference = kernel @ theory(fine, dim) * (fine[1] - fine[0])
    assert np.trapezoid(np.abs(d.density - reference), d.grid) < 0.06


def test_hutchinson_trace():
    exact_diagonal = ls.analysis.hessian_trace("rastrigin", [0.3, -1.2], probes=4)
    second = lambda x: 2 + 40 * np.pi**2 * np.cos(2 * np.pi * x)  # noqa: E731
    assert exact_diagonal.estimate == pytest.approx(second(0.3) + second(-1.2), rel=1e-12)
    assert exact_diagonal.stderr == pytest.approx(0.0, abs=1e-9)
    s = ls.surfaces.get("random_quadratic", dim=400, ensemble="goe", seed=4)
    t = ls.analysis.hessian_trace(s, np.zeros(400), probes=200, seed=1)
    assert abs(t.estimate - np.trace(s.matrix)) < 4 * t.stderr
    assert float(t) == t.estimate and t.probes == 200


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"probes": 0}, "probes=0"),
        ({"lanczos_steps": 0}, "lanczos_steps=0"),
        ({"sigma": -1.0}, "sigma=-1"),
        ({"grid": [1.0, 0.0]}, "grid="),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ls.analysis.spectral_density("saddle", [0.0, 0.0], **kwargs)
