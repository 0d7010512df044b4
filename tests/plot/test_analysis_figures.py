"""Figures of the Hessian analysis, checked against random-matrix results written out here."""

import numpy as np
import pytest

import landscape as ls


def test_goe_spectrum_follows_the_semicircle(pixels):
    dim, scale = 400, 0.5
    s = ls.surfaces.get("random_quadratic", dim=dim, ensemble="goe", scale=scale, seed=2)
    fig = ls.plot.spectrum(s, probes=10, lanczos_steps=60)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    theory = lines["Wigner semicircle"]
    grid = theory.get_xdata()
    radius = scale * np.sqrt(2 * dim)  # H = scale (A + Aᵀ)/2: off-diagonal variance scale²/2
    expected = 2 / (np.pi * radius**2) * np.sqrt(np.clip(radius**2 - grid**2, 0, None))
    np.testing.assert_allclose(theory.get_ydata(), expected, atol=1e-12)
    assert len(ax.patches) > 10  # the exact eigenvalues as a histogram (dim <= 1000)
    slq = next(line for label, line in lines.items() if label.startswith("stochastic Lanczos"))
    # the measured density puts its mass where the semicircle does
    inside = np.abs(slq.get_xdata()) <= radius
    mass = np.trapezoid(slq.get_ydata()[inside], slq.get_xdata()[inside])
    assert mass == pytest.approx(1.0, abs=0.05)
    assert pixels(fig).std() > 20


def test_wishart_spectrum_uses_marchenko_pastur():
    s = ls.surfaces.get("random_quadratic", dim=200, ensemble="wishart", samples=400)
    ax = ls.plot.spectrum(s, probes=5, lanczos_steps=40).axes[0]
    (theory,) = [line for line in ax.get_lines() if line.get_label() == "Marchenko–Pastur"]
    x, y = theory.get_xdata(), theory.get_ydata()
    q = 0.5  # dim / samples
    low, high = (1 - np.sqrt(q)) ** 2, (1 + np.sqrt(q)) ** 2
    expected = np.sqrt(np.clip((high - x) * (x - low), 0, None)) / (2 * np.pi * q * np.where(x > 0, x, 1))
    np.testing.assert_allclose(y, np.where((x > low) & (x < high), expected, 0.0), atol=1e-9)


def test_spectrum_of_other_surfaces_has_no_theory():
    s = ls.surfaces.get("rosenbrock", dim=6)
    labels = [line.get_label() for line in ls.plot.spectrum(s, probes=4, lanczos_steps=6).axes[0].get_lines()]
    assert not any(label in ("Wigner semicircle", "Marchenko–Pastur") for label in labels)


def test_minima_vs_dim_matches_the_exact_goe_probabilities():
    # P(GOE positive definite): 1/2 for N = 1 and (2 - √2)/4 for N = 2 (Dean & Majumdar 2006).
    fig = ls.plot.minima_vs_dim([1, 2, 3], samples=40_000, seed=1)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    (measured,) = [c for c in ax.containers if c.get_label().startswith("measured")]
    dims, fractions = measured.lines[0].get_data()
    np.testing.assert_array_equal(dims, [1, 2, 3])
    stderr = np.sqrt(np.array([0.5, 0.146447, 0.0249]) * (1 - np.array([0.5, 0.146447, 0.0249])) / 40_000)
    np.testing.assert_allclose(fractions[:2], [0.5, (2 - np.sqrt(2)) / 4], atol=4 * stderr[:2].max())
    exact = [line for line in ax.get_lines() if line.get_label().startswith("exact")][0]
    np.testing.assert_allclose(exact.get_ydata()[:2], [0.5, (2 - np.sqrt(2)) / 4], rtol=1e-6)
    asymptotic = [line for line in ax.get_lines() if line.get_label().startswith("large")][0]
    np.testing.assert_allclose(asymptotic.get_ydata(), np.exp(-np.log(3) / 4 * np.array([1, 2, 3]) ** 2))


def test_minima_vs_dim_marks_dimensions_without_a_minimum():
    ax = ls.plot.minima_vs_dim([8], samples=1000).axes[0]
    (bound,) = [c for c in ax.collections if c.get_label().startswith("no minimum drawn")]
    np.testing.assert_allclose(bound.get_offsets(), [[8, 1 / 1000]])


def test_index_vs_loss_on_himmelblau():
    # Himmelblau: four minima at f = 0 (index 0), four saddles (index 1 of 2), one maximum (index 2 of 2).
    ax = ls.plot.index_vs_loss(ls.surfaces.get("himmelblau"), starts=64).axes[0]
    saddles_and_maxima, minima = ax.collections[:2]
    np.testing.assert_allclose(minima.get_offsets(), np.zeros((4, 2)), atol=1e-6)
    others = saddles_and_maxima.get_offsets()
    assert sorted(others[:, 1]) == [0.5, 0.5, 0.5, 0.5, 1.0]
    assert others[np.argmax(others[:, 1]), 0] == pytest.approx(181.617, abs=1e-3)
