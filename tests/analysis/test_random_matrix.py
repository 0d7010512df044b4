"""Random-matrix theory: limiting densities, the chance of a minimum, Monte Carlo statistics."""

import math

import numpy as np
import pytest
import scipy.integrate

import landscape as ls


def _goe(rng, count, n):
    a = rng.standard_normal((count, n, n))
    return (a + np.swapaxes(a, 1, 2)) / 2


def test_semicircle_is_normalized_and_matches_sampled_goe():
    dim = 300
    x = np.linspace(-40, 40, 40001)
    rho = ls.analysis.semicircle_density(x, dim)
    assert np.trapezoid(rho, x) == pytest.approx(1.0, abs=1e-5)
    assert np.trapezoid(x**2 * rho, x) == pytest.approx(dim / 2, rel=1e-4)  # R²/4 with R = √(2N)
    eigenvalues = np.linalg.eigvalsh(_goe(np.random.default_rng(0), 20, dim)).ravel()
    edges = np.linspace(-25, 25, 26)
    histogram, _ = np.histogram(eigenvalues, edges, density=True)
    centers = (edges[1:] + edges[:-1]) / 2
    np.testing.assert_allclose(histogram, ls.analysis.semicircle_density(centers, dim), atol=0.004)
    scaled = ls.analysis.semicircle_density(2.0 * x, dim, scale=2.0)
    np.testing.assert_allclose(scaled, rho / 2.0)


def test_marchenko_pastur_is_normalized_and_matches_sampled_wishart():
    q = 0.25
    x = np.linspace(0, 3, 300001)
    rho = ls.analysis.marchenko_pastur_density(x, q)
    assert np.trapezoid(rho, x) == pytest.approx(1.0, abs=1e-4)
    assert np.trapezoid(x * rho, x) == pytest.approx(1.0, abs=1e-4)  # mean eigenvalue σ²
    assert np.trapezoid((x - 1) ** 2 * rho, x) == pytest.approx(q, abs=1e-4)  # variance q σ⁴
    dim, samples = 200, 800
    rng = np.random.default_rng(1)
    x_data = rng.standard_normal((10, samples, dim))
    eigenvalues = np.linalg.eigvalsh(np.swapaxes(x_data, 1, 2) @ x_data / samples).ravel()
    edges = np.linspace(0.3, 2.2, 20)
    histogram, _ = np.histogram(eigenvalues, edges, density=True)
    centers = (edges[1:] + edges[:-1]) / 2
    np.testing.assert_allclose(histogram, ls.analysis.marchenko_pastur_density(centers, q), atol=0.05)
    wide = np.linspace(0, 20, 200001)
    assert np.trapezoid(ls.analysis.marchenko_pastur_density(wide, 4.0), wide) == pytest.approx(
        0.25, abs=1e-3
    )


def test_exact_positive_definite_probability_small_n():
    p = ls.analysis.goe_positive_definite_probability
    assert p(1) == 0.5
    assert p(2) == pytest.approx((2 - math.sqrt(2)) / 4, rel=1e-14)  # polar coordinates, by hand
    np.testing.assert_allclose(p([1, 2]), [0.5, (2 - math.sqrt(2)) / 4], rtol=1e-14)
    rng = np.random.default_rng(7)
    for n in (3, 4):  # Monte Carlo written out independently
        samples = 200_000
        positive = 0
        for _ in range(samples // 50_000):
            positive += np.count_nonzero(np.linalg.eigvalsh(_goe(rng, 50_000, n))[:, 0] > 0)
        fraction = positive / samples
        stderr = math.sqrt(fraction * (1 - fraction) / samples)
        assert abs(fraction - p(n)) < 4 * stderr, n


def test_exact_probability_for_three_by_three_against_a_triple_integral():
    # 3! ∫_{0<a<b<c} (b−a)(c−a)(c−b) e^{−(a²+b²+c²)/2} / Z₃, Z₃ from Mehta's integral
    def density(c, b, a):
        return (b - a) * (c - a) * (c - b) * np.exp(-(a * a + b * b + c * c) / 2)

    ordered, _ = scipy.integrate.tplquad(
        density, 0, np.inf, lambda a: a, lambda a: np.inf, lambda a, b: b, lambda a, b: np.inf, epsrel=1e-10
    )
    normalization = (2 * math.pi) ** 1.5 * math.prod(
        math.gamma(1 + j / 2) / math.gamma(1.5) for j in (1, 2, 3)
    )
    assert ls.analysis.goe_positive_definite_probability(3) == pytest.approx(
        6 * ordered / normalization, rel=1e-8
    )


def test_dean_majumdar_asymptotics():
    p = ls.analysis.goe_positive_definite_probability
    theta = math.log(3) / 4
    assert ls.analysis.DEAN_MAJUMDAR_THETA == pytest.approx(0.274653, abs=1e-6)
    assert p(10, method="asymptotic") == pytest.approx(math.exp(-100 * theta))
    sizes = np.array([5, 10, 20, 40])
    exponent = -np.log(p(sizes)) / sizes**2  # approaches θ from above as n grows
    assert np.all(np.diff(exponent) < 0) and np.all(exponent > theta)
    assert exponent[-1] - theta < 0.011


def test_minimum_fraction_agrees_with_exact_values():
    for dim in (1, 2, 3):
        r = ls.analysis.minimum_fraction(dim, samples=40_000, seed=dim)
        assert r.dim == dim and r.samples == 40_000 and r.ensemble == "goe"
        assert abs(r.fraction - ls.analysis.goe_positive_definite_probability(dim)) < 4 * r.stderr
    assert ls.analysis.minimum_fraction(5, "wishart", samples=100).fraction == 1.0
    assert ls.analysis.minimum_fraction(3, samples=2000, shift=50.0).fraction == 1.0


def test_index_distribution():
    d = ls.analysis.index_distribution(2, samples=50_000, seed=1)
    assert d.counts.shape == (3,) and d.counts.sum() == 50_000
    p2 = (2 - math.sqrt(2)) / 4
    expected = np.array([p2, 1 - 2 * p2, p2])  # index 0 and 2 by symmetry of the GOE
    assert np.all(np.abs(d.fraction - expected) < 4 * d.stderr)
    big = ls.analysis.index_distribution(20, samples=3000, seed=2)
    assert big.mean_index_fraction == pytest.approx(0.5, abs=0.01)
    np.testing.assert_allclose(big.fraction, big.fraction[::-1], atol=6 * big.stderr.max())
    again = ls.analysis.index_distribution(20, samples=3000, seed=2)
    np.testing.assert_array_equal(again.counts, big.counts)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ls.analysis.semicircle_density(0.0, 0), "dim=0"),
        (lambda: ls.analysis.marchenko_pastur_density(0.0, -1.0), "ratio=-1"),
        (lambda: ls.analysis.goe_positive_definite_probability(0), "n=0"),
        (lambda: ls.analysis.goe_positive_definite_probability(2.5), "n=2.5"),
        (lambda: ls.analysis.goe_positive_definite_probability(41), "n=41"),
        (lambda: ls.analysis.minimum_fraction(3, "gue"), "ensemble='gue'"),
        (lambda: ls.analysis.index_distribution(3, samples=0), "samples=0"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
