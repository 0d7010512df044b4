"""Random quadratics: the ensembles' definitions, the structured form, large dimensions."""

import numpy as np
import pytest
from scipy import stats

import landscape as ls


def rq(**params):
    return ls.surfaces.get("random_quadratic", **params)


def test_dense_goe_is_the_symmetrized_gaussian_matrix():
    s = rq(dim=4, ensemble="goe", seed=3)
    a = np.random.default_rng(3).standard_normal((4, 4))
    np.testing.assert_allclose(s.hessian(np.zeros(4)), (a + a.T) / 2)


def test_dense_wishart_is_the_sample_covariance():
    s = rq(dim=3, ensemble="wishart", samples=5, seed=2)
    x = np.random.default_rng(2).standard_normal((5, 3))
    np.testing.assert_allclose(s.hessian(np.zeros(3)), x.T @ x / 5)


@pytest.mark.parametrize("structured", [False, True])
@pytest.mark.parametrize("spacing", ["linear", "log", "uniform"])
def test_spectrum_ensemble_has_exactly_the_chosen_range(structured, spacing):
    s = rq(dim=50, ensemble="spectrum", mu=0.5, L=200.0, spacing=spacing, structured=structured)
    eigenvalues = np.linalg.eigvalsh(s.hessian(np.zeros(50)))
    assert eigenvalues[0] == pytest.approx(0.5, rel=1e-9)
    assert eigenvalues[-1] == pytest.approx(200.0, rel=1e-9)
    np.testing.assert_allclose(np.sort(s.eigenvalues()), eigenvalues, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("ensemble", ["goe", "wishart"])
def test_structured_eigenvalues_follow_the_dense_ensemble(ensemble):
    """Two-sample KS test: the matrix-free models draw the same spectrum as the dense matrices."""
    dense = np.concatenate([rq(dim=200, ensemble=ensemble, seed=s).eigenvalues() for s in range(5)])
    structured = np.concatenate(
        [rq(dim=200, ensemble=ensemble, seed=s, structured=True).eigenvalues() for s in range(5, 10)]
    )
    assert stats.ks_2samp(dense, structured).pvalue > 0.01


def test_structured_operator_is_symmetric_and_matches_its_eigenvalues():
    s = rq(dim=64, ensemble="wishart", structured=True, seed=5)
    h = s.hessian(np.zeros(64))
    np.testing.assert_allclose(h, h.T, atol=1e-12)
    np.testing.assert_allclose(np.linalg.eigvalsh(h), s.eigenvalues(), atol=1e-10)


@pytest.mark.parametrize("ensemble", ["goe", "wishart", "spectrum"])
def test_critical_point_solves_the_gradient(ensemble):
    for structured in (False, True):
        s = rq(dim=40, ensemble=ensemble, linear_scale=1.0, structured=structured, seed=1)
        assert np.linalg.norm(s.grad(s.center)) < 1e-8 * np.linalg.norm(s.linear)


def test_large_structured_quadratic_never_builds_a_dense_matrix():
    s = rq(dim=200_000, ensemble="goe", seed=0)
    assert s.structured
    x = np.ones((2, 200_000))
    assert s.hvp(x, x).shape == (2, 200_000)
    with pytest.raises(ValueError, match="too large for a dense matrix"):
        s.hessian(np.zeros(200_000))


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="ensemble='gue'"):
        rq(ensemble="gue")
    with pytest.raises(ValueError, match="L=0.5 .*>= mu=1"):
        rq(ensemble="spectrum", mu=1.0, L=0.5)
    with pytest.raises(ValueError, match="samples=3"):
        rq(dim=5, ensemble="wishart", samples=3)
