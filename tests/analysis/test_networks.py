"""Analysis of models: Newton-MINRES critical points, matrix-free classification, the index-loss trend."""

import numpy as np
import pytest

import landscape as ls
from landscape.analysis._bound import critical_point_bound
from landscape.analysis._minres import minres


@pytest.fixture(scope="module")
def net():
    # λ > 0: the minima are isolated (without a penalty the weights of a separating net grow without end)
    return ls.surfaces.mlp(layers=(2, 3, 1), activation="tanh", data="moons", m=80, noise=0.3, lambd=0.1)


def test_minres_solves_indefinite_and_singular_systems():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 12, 12))
    a = a + np.swapaxes(a, 1, 2)  # symmetric, indefinite
    b = rng.standard_normal((4, 12))
    s, residual = minres(lambda v: np.einsum("nij,nj->ni", a, v), b, iterations=40)
    np.testing.assert_allclose(s, np.linalg.solve(a, b[..., None])[..., 0], rtol=1e-8, atol=1e-9)
    assert np.all(residual < 1e-9 * np.linalg.norm(b, axis=1))
    q = np.linalg.qr(rng.standard_normal((12, 12)))[0]
    singular = (q * np.r_[0.0, 0.0, rng.standard_normal(10)]) @ q.T
    rhs = singular @ rng.standard_normal(12)  # consistent: MINRES finds the minimum-norm solution
    s, _ = minres(lambda v: v @ singular.T, rhs[None], iterations=40)
    np.testing.assert_allclose(s[0], np.linalg.pinv(singular) @ rhs, rtol=1e-8, atol=1e-9)


def test_critical_points_of_a_network(net):
    lines = []
    cps = ls.critical_points(net, starts=48, seed=1, progress=lines.append)
    assert len(cps) >= 10 and not cps.complete and cps.bound is None
    assert "no bound on their number" in cps.note and f"over {cps.starts} starts" in cps.note
    assert any("Newton step" in line for line in lines) and any("round 1 done" in line for line in lines)
    assert np.all(np.linalg.norm(net.grad(cps.positions), axis=1) < 1e-6)
    np.testing.assert_allclose(cps.values, net.value(cps.positions))
    kinds = set(cps.kinds)
    assert "saddle" in kinds and ("minimum" in kinds or "degenerate" in kinds)
    canonical = net.canonical(cps.positions)
    np.testing.assert_array_equal(canonical, cps.positions)  # one representative per symmetric orbit
    for point in cps[:5]:
        if point.kind in ("minimum", "saddle", "maximum"):  # nondegenerate: the dense Hessian's own count
            eigenvalues = np.linalg.eigvalsh(net.hessian(point.position))
            assert point.index == np.sum(eigenvalues < -point.zero_tolerance)


def test_newton_minres_finds_a_2d_catalogue_too():
    cps = ls.critical_points("himmelblau", method="newton-minres", starts=256, max_starts=1024)
    assert cps.counts["minimum"] == 4 and cps.complete


def test_index_rises_with_the_loss_of_a_network(net):
    result = ls.analysis.index_vs_value(net, starts=96, seed=0)
    assert len(result.values) >= 5 and result.degenerate is not None
    assert np.all(np.linalg.norm(net.grad(result.positions), axis=1) < 1e-6)
    assert result.correlation > 0
    quarter = max(1, len(result.values) // 4)
    assert result.index_fraction[:quarter].mean() < result.index_fraction[-quarter:].mean()
    text = result.summary()
    assert "Spearman correlation of loss and index" in text and "supports the claim" in text


def test_matrix_free_classification_counts_a_small_index():
    """dim 400 (above the dense limit): the kind from the extremes, the index from the low end."""
    eigenvalues = np.r_[-np.linspace(1.0, 3.0, 11), np.linspace(0.5, 4.0, 389)]

    class Diagonal(ls.surfaces.Surface):
        def __init__(self):
            super().__init__(dim=400, bounds=np.tile([-1.0, 1.0], (400, 1)), name="diagonal")

        def _value(self, x):
            return 0.5 * np.einsum("...i,i,...i->...", x, eigenvalues, x)

        def _grad(self, x):
            return eigenvalues * x

        def _hvp(self, x, v):
            return eigenvalues * v

    point = ls.analysis.classify(Diagonal(), np.zeros(400))
    assert point.kind == "saddle" and point.index == 11 and point.index_exact
    assert point.eigenvalues.size < 400 and point.eigenvalues[0] == pytest.approx(-3.0)
    assert point.escape_direction.shape == (400,) and abs(point.escape_direction[10]) == pytest.approx(1.0)


def test_hessian_spectrum_and_density_of_a_network_run_matrix_free():
    big = ls.surfaces.mlp(layers=(2, 16, 16, 1), activation="tanh", data="spirals", m=100, lambd=0.1)
    x = big.init(1, "xavier", seed=0)[0]
    assert big.dim == 337
    dense = np.linalg.eigvalsh(big.hessian(x))
    spectrum = ls.analysis.hessian_spectrum(big, x, k=3, tol=1e-10)
    assert spectrum.products > 0  # above dim 256: Lanczos on Hessian-vector products
    np.testing.assert_allclose(spectrum.largest, dense[-3:], rtol=1e-7)
    np.testing.assert_allclose(spectrum.smallest, dense[:3], rtol=1e-6, atol=1e-9)
    density = ls.analysis.spectral_density(big, x, probes=8, lanczos_steps=60)
    assert density.extremes == pytest.approx((dense[0], dense[-1]), rel=1e-4)


@pytest.mark.parametrize(
    ("text", "bound"),
    [("x**3 - 3*x*y**2", 4), ("x**2 + 3*y**2 - x*y", 1), ("sin(x) + y**2", None), ("x**4 + y**4 - x*y", 9)],
)
def test_bezout_bound_of_a_formula(text, bound):
    assert critical_point_bound(ls.surfaces.expression(text)) == bound
