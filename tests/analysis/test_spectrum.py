"""hessian_spectrum and hessian_operator against exact eigenvalues."""

import numpy as np
import pytest
import scipy.linalg

import landscape as ls


def test_operator_applies_the_hessian():
    s = ls.surfaces.get("rosenbrock", dim=5)
    x = s.sample(1, seed=3)[0]
    op = ls.analysis.hessian_operator(s, x)
    v = np.random.default_rng(0).standard_normal((5, 3))
    np.testing.assert_allclose(op @ v[:, 0], s.hessian(x) @ v[:, 0], rtol=1e-12)
    np.testing.assert_allclose(op @ v, s.hessian(x) @ v, rtol=1e-12)
    assert op.shape == (5, 5) and op.products == 4


@pytest.mark.parametrize("dim", [60, 600])  # dense path and Lanczos path
def test_extremes_of_a_dense_goe_quadratic(dim):
    s = ls.surfaces.get("random_quadratic", dim=dim, ensemble="goe", seed=1)
    exact = np.linalg.eigvalsh(s.matrix)
    spectrum = ls.analysis.hessian_spectrum(s, np.zeros(dim), k=5, tol=0)
    np.testing.assert_allclose(spectrum.smallest, exact[:5], rtol=1e-9)
    np.testing.assert_allclose(spectrum.largest, exact[-5:], rtol=1e-9)
    assert np.isnan(spectrum.condition_number)  # indefinite
    assert (spectrum.products == 0) == (dim <= 256)


def test_structured_quadratic_matrix_free():
    dim = 20_000
    s = ls.surfaces.get("random_quadratic", dim=dim, ensemble="wishart", seed=2)
    assert s.structured
    a, b = s.bidiagonal, s.subdiagonal  # M = B Bᵀ with B lower bidiagonal, H = Q M Qᵀ
    top = scipy.linalg.eigvalsh_tridiagonal(
        a**2 + np.concatenate([[0.0], b**2]), a[:-1] * b, select="i", select_range=(dim - 3, dim - 1)
    )
    spectrum = ls.analysis.hessian_spectrum(s, np.zeros(dim), k=3, which="largest", tol=1e-10)
    np.testing.assert_allclose(spectrum.largest, top, rtol=1e-8)
    assert spectrum.smallest is None and 0 < spectrum.products < 5000


def test_loose_tolerance_keeps_its_promise_in_single_precision():
    # tol >= 1e-4 runs Lanczos on float32 vectors: every value within tol·|θ| of an eigenvalue
    s = ls.surfaces.get("random_quadratic", dim=5000, ensemble="goe", seed=4)
    exact = s.eigenvalues()
    for tol in (1e-3, 1e-4):
        spectrum = ls.analysis.hessian_spectrum(s, np.zeros(5000), k=4, tol=tol)
        for theta in np.concatenate([spectrum.smallest, spectrum.largest]):
            assert np.min(np.abs(exact - theta)) <= tol * abs(theta)
        assert spectrum.largest.dtype == np.float64


def test_condition_number_of_a_chosen_spectrum():
    s = ls.surfaces.get("random_quadratic", dim=400, ensemble="spectrum", mu=2.0, L=50.0, seed=0)
    spectrum = ls.analysis.hessian_spectrum(s, s.center, k=2, tol=1e-10)
    assert spectrum.smallest[0] == pytest.approx(2.0, rel=1e-8)
    assert spectrum.largest[-1] == pytest.approx(50.0, rel=1e-8)
    assert spectrum.condition_number == pytest.approx(25.0, rel=1e-7)
    assert ls.analysis.condition_number(ls.surfaces.get("elongated_bowl", kappa=25.0), [1.0, 1.0]) == 25.0
    assert "condition_number=25" in repr(spectrum)
    assert repr(spectrum).startswith("HessianSpectrum(dim=400, smallest=[2, ") and "\n" not in repr(spectrum)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"k": 0}, "k=0"),
        ({"k": 3}, "k=3"),
        ({"which": "top"}, "which='top'"),
        ({"k": 1, "tol": -1}, "tol=-1"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ls.analysis.hessian_spectrum("saddle", [0.0, 0.0], **kwargs)
