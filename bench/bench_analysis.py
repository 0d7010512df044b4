"""Analysis benchmarks (issue: Hessian analysis).

  A1  critical_points on every built-in 2-D surface: seconds, points, whether the
      search reports itself complete; next to the alternative a user would write,
      scipy.optimize.root (MINPACK's hybrid method) in a Python loop over a 32 x 32
      grid of starts, with the points it finds.
  A2  the 10 largest Hessian eigenvalues of a dim-10^6 structured random_quadratic
      (matrix-free Lanczos on hvp): seconds, Hessian-vector products and the largest
      relative error against the exact eigenvalues of the stored tridiagonal core.
  A3  spectral_density (stochastic Lanczos quadrature) at dim 10^4: seconds and L1
      error against the smoothed exact density and against the limiting law; next to
      numpy.linalg.eigvalsh of a dense dim-4 000 Hessian, the exact alternative.
  A4  the fraction of GOE Hessians that are positive definite (random critical points
      that are minima) by Monte Carlo, next to the exact value and Dean & Majumdar's
      exp(-(ln 3 / 4) N^2).
  A5  index against loss on a dim-100 random_field (Dauphin et al.'s experiment).

At dim 10^6, A2 asks for 1e-3 relative accuracy: the top of a random spectrum is packed
(relative gaps ~1e-5), and Lanczos needs ~1/sqrt(gap) products to resolve it further.

Run: python bench/bench_analysis.py [--quick]   (--quick: dim 10^5 in A2, a smaller dense case)
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import scipy.linalg
import scipy.optimize
from _timing import machine_line

import landscape as ls


def seconds(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


# ---------------------------------------------------------------- A1: critical points in 2-D
def minpack_catalogue(surface, per_axis=32):
    """Distinct in-window roots of ∇f found by scipy.optimize.root from a grid of starts."""
    axes = [np.linspace(lo, hi, per_axis + 2)[1:-1] for lo, hi in surface.bounds]
    starts = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 2)
    found = []
    for start in starts:
        solution = scipy.optimize.root(surface.grad, start, jac=surface.hessian, method="hybr")
        x = solution.x
        inside = np.all((x >= surface.bounds[:, 0]) & (x <= surface.bounds[:, 1]))
        if solution.success and inside and not any(np.linalg.norm(x - f) < 1e-6 for f in found):
            found.append(x)
    return len(found)


def a1():
    print("\nA1  critical_points on the built-in 2-D surfaces (default parameters)")
    print(
        f"  {'surface':<20} {'seconds':>8} {'points':>7} {'min/max/saddle/degen':>21} {'complete':>9}"
        f"   {'MINPACK loop s':>14} {'points':>7} {'ratio':>7}"
    )
    total = 0.0
    for name in ls.surfaces.names():
        surface = ls.surfaces.get(name)
        if surface.dim != 2:
            continue
        elapsed, cps = seconds(lambda s=surface: ls.critical_points(s))
        total += elapsed
        c = cps.counts
        kinds = f"{c['minimum']}/{c['maximum']}/{c['saddle']}/{c['degenerate']}"
        other, count = seconds(lambda s=surface: minpack_catalogue(s))
        print(
            f"  {name:<20} {elapsed:8.2f} {len(cps):7d} {kinds:>21} {str(cps.complete):>9}"
            f"   {other:14.2f} {count:7d} {other / elapsed:6.1f}x"
        )
    print(f"  all surfaces: {total:.1f} s")


# ---------------------------------------------------------------- A2: top eigenvalues at dim 10^6
def exact_top(surface, k):
    diagonal, off = surface._core_tridiagonal()  # H = Q M Qᵀ: the eigenvalues of M, exactly
    if surface.ensemble == "spectrum":
        return np.sort(diagonal)[-k:]
    n = surface.dim
    return scipy.linalg.eigvalsh_tridiagonal(diagonal, off, select="i", select_range=(n - k, n - 1))


def a2(dim, tolerances):
    print(f"\nA2  10 largest eigenvalues of a dim-{dim:.0e} structured random_quadratic (matrix-free)")
    header = f"{'ensemble':<9} {'tol':>6} {'seconds':>8} {'hvp products':>13} {'s per hvp':>10}"
    print(f"  {header} {'max rel. error':>15}")
    for ensemble in ("wishart", "goe"):
        surface = ls.surfaces.get("random_quadratic", dim=dim, ensemble=ensemble, seed=0)
        exact = exact_top(surface, 10)
        for tol in tolerances:
            elapsed, spectrum = seconds(
                lambda s=surface, t=tol: ls.analysis.hessian_spectrum(
                    s, np.zeros(dim), k=10, which="largest", tol=t
                )
            )
            error = np.max(np.abs(spectrum.largest - exact) / np.abs(exact))
            per = elapsed / spectrum.products
            print(
                f"  {ensemble:<9} {tol:6.0e} {elapsed:8.1f} {spectrum.products:13d} {per:10.3f} {error:15.1e}"
            )


# ---------------------------------------------------------------- A3: SLQ density at dim 10^4
def smoothed(eigenvalues, grid, sigma):
    return ls.analysis.gaussian_smoothing(
        eigenvalues[None, :], np.full((1, eigenvalues.size), 1 / eigenvalues.size), grid, sigma
    )


def theory_smoothed(theory, grid, sigma):
    fine = np.linspace(grid[0], grid[-1], 8001)
    return ls.analysis.gaussian_smoothing(
        fine[None, :], theory(fine)[None, :] * (fine[1] - fine[0]), grid, sigma
    )


def a3(dim, dense_dim):
    print(f"\nA3  spectral density by stochastic Lanczos quadrature at dim {dim} (16 probes x 80 steps)")
    print(f"  {'ensemble':<9} {'seconds':>8} {'L1 vs exact':>12} {'L1 vs theory':>13}")
    laws = {
        "goe": lambda x: ls.analysis.semicircle_density(x, dim),
        "wishart": lambda x: ls.analysis.marchenko_pastur_density(x, ratio=0.5),
    }
    for ensemble, law in laws.items():
        surface = ls.surfaces.get("random_quadratic", dim=dim, ensemble=ensemble, seed=0)
        elapsed, d = seconds(lambda s=surface: ls.analysis.spectral_density(s, np.zeros(dim), probes=16))
        diagonal, off = surface._core_tridiagonal()
        exact = scipy.linalg.eigvalsh_tridiagonal(diagonal, off)
        l1_exact = np.trapezoid(np.abs(d.density - smoothed(exact, d.grid, d.sigma)), d.grid)
        l1_theory = np.trapezoid(np.abs(d.density - theory_smoothed(law, d.grid, d.sigma)), d.grid)
        print(f"  {ensemble:<9} {elapsed:8.2f} {l1_exact:12.3f} {l1_theory:13.3f}")
    dense = ls.surfaces.get("random_quadratic", dim=dense_dim, ensemble="goe", seed=0, structured=False)
    slq, _ = seconds(lambda: ls.analysis.spectral_density(dense, np.zeros(dense_dim), probes=16))
    full, _ = seconds(lambda: np.linalg.eigvalsh(dense.hessian(np.zeros(dense_dim))))
    print(f"  dense dim {dense_dim}: SLQ {slq:.2f} s, numpy.linalg.eigvalsh {full:.2f} s ({full / slq:.1f}x)")


# ---------------------------------------------------------------- A4: how rare minima are
def a4(samples):
    print(f"\nA4  fraction of GOE matrices that are positive definite ({samples} samples per size)")
    print(f"  {'N':>3} {'measured':>10} {'stderr':>9} {'exact':>10} {'exp(-θN²)':>10} {'seconds':>8}")
    for n in range(1, 7):
        elapsed, r = seconds(lambda n=n: ls.analysis.minimum_fraction(n, samples=samples, seed=n))
        exact = ls.analysis.goe_positive_definite_probability(n)
        asymptotic = ls.analysis.goe_positive_definite_probability(n, method="asymptotic")
        print(f"  {n:3d} {r.fraction:10.2e} {r.stderr:9.1e} {exact:10.2e} {asymptotic:10.2e} {elapsed:8.2f}")


# ---------------------------------------------------------------- A5: index against loss
def a5(dim):
    surface = ls.surfaces.get("random_field", dim=dim, confinement=0.01, seed=0)
    elapsed, r = seconds(lambda: ls.analysis.index_vs_value(surface, starts=256, descent_fraction=0.75))
    print(f"\nA5  index against loss on a dim-{dim} random_field: {len(r.values)} critical points")
    print(f"    in {elapsed:.1f} s, Spearman correlation {r.correlation:.3f}")
    centers, mean, stderr, counts = r.binned(6)
    for c, m, e, k in zip(centers, mean, stderr, counts, strict=True):
        print(f"    loss {c:8.2f}: index fraction {m:.3f} ± {e:.3f} ({k} points)")
    lowest = r.kinds[: len(r.kinds) // 4]
    print(f"    minima among the lowest quarter: {np.mean(lowest == 'minimum'):.0%}")


def main():
    quick = "--quick" in sys.argv
    print(machine_line(), f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    a1()
    a2(10**5, (1e-3, 1e-6)) if quick else a2(10**6, (1e-3,))
    a3(10**4, 1000 if quick else 4000)
    a4(10**5 if quick else 10**6)
    a5(30 if quick else 100)


if __name__ == "__main__":
    main()
