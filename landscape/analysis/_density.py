"""The Hessian's eigenvalue density and trace from random probes (stochastic Lanczos quadrature)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import eigh_tridiagonal

from .._validation import check_int, check_positive, invalid
from ._hessian import check_point, check_surface, hvp_at

MEMORY_BUDGET = 1 << 26  # bytes of Lanczos vectors kept at once (64 MiB)
GRID_POINTS = 1001
_SIGMA_FRACTION = 0.01  # default kernel width, as a fraction of the spectrum's range


@dataclass(frozen=True, eq=False, repr=False)
class SpectralDensity:
    """A smoothed eigenvalue density and the Gauss quadrature behind it.

    Attributes
    ----------
    grid : ndarray, shape (g,)
        Where the density is evaluated.
    density : ndarray, shape (g,)
        The estimate of ``(1/dim) Σ_i N(t; λ_i, σ²)``; integrates to 1.
    nodes : ndarray, shape (probes, steps)
        Gauss quadrature nodes (Ritz values) of each probe, ascending.
    weights : ndarray, shape (probes, steps)
        Their weights; each row sums to 1 (trailing zeros when a probe's
        Krylov space was exhausted early).
    sigma : float
        Width of the Gaussian kernel.
    dim : int
    """

    grid: np.ndarray
    density: np.ndarray
    nodes: np.ndarray
    weights: np.ndarray
    sigma: float
    dim: int

    @property
    def probes(self) -> int:
        return self.nodes.shape[0]

    @property
    def trace(self) -> float:
        """``dim · E[vᵀHv]``: the trace estimate from the same probes."""
        return float(self.dim * np.mean(np.sum(self.weights * self.nodes, axis=1)))

    def moment(self, order: int) -> float:
        """``(1/dim) tr(H^order)`` by the quadrature (unbiased for ``order < 2 · steps``)."""
        order = check_int("order", order, minimum=0)
        return float(np.mean(np.sum(self.weights * self.nodes**order, axis=1)))

    @property
    def extremes(self) -> tuple[float, float]:
        """Smallest and largest node: Lanczos's estimates of the extreme eigenvalues."""
        used = self.weights > 0
        return float(self.nodes[used].min()), float(self.nodes[used].max())

    @property
    def condition_number(self) -> float:
        """``λ_max / λ_min`` from ``extremes`` when both are positive, else NaN (rough)."""
        low, high = self.extremes
        return high / low if low > 0 else float("nan")

    def __repr__(self) -> str:
        low, high = self.extremes
        return (
            f"SpectralDensity(dim={self.dim}, probes={self.probes}, steps={self.nodes.shape[1]}, "
            f"support≈[{low:.6g}, {high:.6g}], sigma={self.sigma:.3g}, trace≈{self.trace:.6g})"
        )


def spectral_density(
    surface, x, *, probes=16, lanczos_steps=80, grid=None, sigma=None, seed=0
) -> SpectralDensity:
    r"""Eigenvalue density of the Hessian at ``x`` by stochastic Lanczos quadrature.

    Parameters
    ----------
    surface : Surface or str
    x : array_like, shape (dim,)
    probes : int
        Number of random probe vectors (Hutchinson), >= 1.
    lanczos_steps : int
        Lanczos steps per probe, >= 1 (at most ``dim`` are used).
    grid : array_like, shape (g,), optional
        Where to evaluate the density (default: 1001 points covering the
        nodes and four kernel widths either side).
    sigma : float, optional
        Width of the Gaussian kernel (default: 1% of the range of the nodes).
    seed : int
        Seed of the probes.

    Returns
    -------
    SpectralDensity

    Notes
    -----
    The spectral density ``φ(t) = (1/n) Σ δ(t − λ_i)`` smoothed by a Gaussian
    of width σ satisfies ``φ_σ(t) = E_v[vᵀ g_σ(t − H) v]`` for random unit
    ``v`` with ``E[v vᵀ] = I/n`` (Rademacher entries ``±1/√n`` here). For each
    probe, ``m`` Lanczos steps from ``v`` give a tridiagonal ``T_m``; with its
    eigenpairs ``(θ_j, u_j)``, ``vᵀ g(H) v ≈ Σ_j u_{1j}² g(θ_j)``, the
    ``m``-point Gauss quadrature of the probe's spectral measure (exact for
    polynomials of degree below ``2m``). Averaging over probes gives

    .. math:: φ_σ(t) ≈ \frac{1}{P} \sum_{p=1}^{P} \sum_{j=1}^{m}
              τ^{(p)}_j \, \frac{e^{-(t-θ^{(p)}_j)^2 / 2σ^2}}{\sqrt{2π}σ}.

    Two errors remain: the quadrature resolves structure no finer than about
    ``(λ_max − λ_min) / lanczos_steps`` (so ``sigma`` should not be smaller),
    and the probes' noise falls like ``1/√probes`` (a dense dim-500 GOE
    matrix: L1 error of the smoothed density about 0.035 with 64 probes of 80
    steps, 0.025 with 128).

    All probes advance together, one batched ``hvp`` per step, with full
    reorthogonalization against the stored Lanczos vectors (probes are
    processed in groups so that at most 64 MiB of vectors are kept).

    References
    ----------
    .. [1] L. Lin, Y. Saad and C. Yang, "Approximating spectral densities of
       large matrices", SIAM Review 58 (2016) 34-65.
    .. [2] Z. Yao, A. Gholami, K. Keutzer and M. Mahoney, "PyHessian: Neural
       networks through the lens of the Hessian", IEEE BigData 2020.

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("random_quadratic", dim=400, ensemble="goe")
    >>> d = ls.analysis.spectral_density(s, np.zeros(400), probes=8, lanczos_steps=40)
    >>> round(float(np.trapezoid(d.density, d.grid)), 6)
    1.0
    """
    surface = check_surface(surface)
    x = check_point(surface, x)
    probes = check_int("probes", probes, minimum=1)
    steps = min(check_int("lanczos_steps", lanczos_steps, minimum=1), surface.dim)
    seed = check_int("seed", seed, minimum=0)
    rng = _probe_generator(seed)
    vectors = rng.choice([-1.0, 1.0], size=(probes, surface.dim)) / np.sqrt(surface.dim)

    group = max(1, MEMORY_BUDGET // (8 * (steps + 2) * surface.dim))
    parts = [_lanczos(surface, x, vectors[i : i + group], steps) for i in range(0, probes, group)]
    alphas = np.concatenate([a for a, _ in parts])
    betas = np.concatenate([b for _, b in parts])
    nodes, weights = _gauss_quadrature(alphas, betas)

    used = weights > 0
    low, high = nodes[used].min(), nodes[used].max()
    if sigma is None:
        sigma = _SIGMA_FRACTION * (high - low) if high > low else 1e-3 * max(1.0, abs(high))
    sigma = check_positive("sigma", sigma)
    if grid is None:
        grid = np.linspace(low - 4 * sigma, high + 4 * sigma, GRID_POINTS)
    grid = _check_grid(grid)
    return SpectralDensity(
        grid, gaussian_smoothing(nodes, weights, grid, sigma), nodes, weights, sigma, surface.dim
    )


def gaussian_smoothing(nodes, weights, grid, sigma) -> np.ndarray:
    """``(1/P) Σ_p Σ_j w_pj N(t; θ_pj, σ²)`` on ``grid``, for any nodes and weights.

    With one row of exact eigenvalues and weights ``1/n`` it is the smoothed
    exact density that ``spectral_density`` estimates.
    """
    nodes, weights = np.atleast_2d(nodes), np.atleast_2d(weights)
    flat_nodes, flat_weights = nodes.ravel(), weights.ravel() / nodes.shape[0]
    out = np.zeros(np.shape(grid))
    chunk = max(1, (1 << 22) // max(1, np.size(grid)))
    for start in range(0, flat_nodes.size, chunk):
        z = (grid[:, None] - flat_nodes[None, start : start + chunk]) / sigma
        out += np.exp(-0.5 * z * z) @ flat_weights[start : start + chunk]
    return out / (np.sqrt(2.0 * np.pi) * sigma)


def _check_grid(grid) -> np.ndarray:
    try:
        grid = np.asarray(grid, dtype=float)
    except (TypeError, ValueError):
        raise invalid("grid", grid, "a 1-D array of increasing numbers") from None
    if grid.ndim != 1 or grid.size < 2 or not np.all(np.diff(grid) > 0) or not np.isfinite(grid).all():
        raise invalid("grid", grid, "a 1-D array of at least two increasing finite numbers")
    return grid


def _lanczos(surface, x, start, steps):
    """Lanczos for a group of unit starts ``(P, dim)``: the three-term recurrence, then one
    Gram-Schmidt pass against all stored vectors (full reorthogonalization).

    Returns the diagonals ``(P, steps)`` and off-diagonals ``(P, steps - 1)``
    of the tridiagonal matrices; a probe whose Krylov space is exhausted
    after ``j`` steps has zero off-diagonal ``j`` and repeats its last
    diagonal entry (that part carries no weight).
    """
    p, dim = start.shape
    basis = np.empty((p, steps, dim))  # each probe's Lanczos vectors as rows
    alpha, beta = np.zeros((p, steps)), np.zeros((p, max(steps - 1, 0)))
    alive = np.ones(p, dtype=bool)
    q, product = start, hvp_at(surface, x)
    for j in range(steps):
        basis[:, j] = q
        w = np.array(product(q))
        if j > 0:
            w -= beta[:, j - 1, None] * basis[:, j - 1]
        alpha[:, j] = np.einsum("pd,pd->p", q, w)
        w -= alpha[:, j, None] * q
        kept = basis[:, : j + 1]  # full reorthogonalization; batched matrix products run on BLAS
        w -= (np.swapaxes(kept, 1, 2) @ (kept @ w[:, :, None]))[:, :, 0]
        if j == steps - 1:
            break
        norm = np.linalg.norm(w, axis=1)
        scale = np.maximum(np.abs(alpha[:, : j + 1]).max(axis=1), 1e-300)
        alive &= norm > 1e-10 * scale
        beta[:, j] = np.where(alive, norm, 0.0)
        q = np.where(alive[:, None], w / np.where(alive, norm, 1.0)[:, None], 0.0)
    return alpha, beta


def _gauss_quadrature(alphas, betas):
    """Nodes and weights ``(P, m)`` from tridiagonal matrices, one per probe."""
    p, m = alphas.shape
    nodes, weights = np.zeros((p, m)), np.zeros((p, m))
    for i in range(p):  # m x m tridiagonal problems: small, one per probe
        size = m
        if m > 1 and np.any(betas[i] == 0):
            size = int(np.argmax(betas[i] == 0)) + 1
        if size == 1:
            theta, vectors = alphas[i, :1], np.ones((1, 1))
        else:
            theta, vectors = eigh_tridiagonal(alphas[i, :size], betas[i, : size - 1])
        nodes[i, :size], weights[i, :size] = theta, vectors[0] ** 2
        nodes[i, size:] = theta[-1]
    return nodes, weights


@dataclass(frozen=True)
class HessianTrace:
    """Hutchinson's estimate of ``tr H``.

    Attributes
    ----------
    estimate : float
        Mean of ``zᵀHz`` over Rademacher probes ``z``.
    stderr : float
        Standard error of the mean.
    probes : int
    """

    estimate: float
    stderr: float
    probes: int

    def __float__(self) -> float:
        return self.estimate


def hessian_trace(surface, x, probes=64, seed=0) -> HessianTrace:
    r"""Hutchinson's stochastic estimate of the Hessian's trace, from ``hvp`` alone.

    Parameters
    ----------
    surface : Surface or str
    x : array_like, shape (dim,)
    probes : int
        Number of Rademacher probes ``z`` (entries ±1), >= 2.
    seed : int

    Returns
    -------
    HessianTrace

    Notes
    -----
    ``E[zᵀHz] = tr H`` because ``E[z zᵀ] = I``; the variance of one probe is
    ``2 Σ_{i≠j} H_ij²``, so the estimate is exact for a diagonal Hessian.
    Probes are applied in batches of bounded memory.

    References
    ----------
    .. [1] M. F. Hutchinson, "A stochastic estimator of the trace of the
       influence matrix for Laplacian smoothing splines", Commun. Stat.
       Simul. Comput. 19 (1990) 433-450.

    Examples
    --------
    >>> import landscape as ls
    >>> t = ls.analysis.hessian_trace(ls.surfaces.get("elongated_bowl", kappa=25), [1.0, 1.0])
    >>> t.estimate, t.stderr
    (26.0, 0.0)
    """
    surface = check_surface(surface)
    x = check_point(surface, x)
    probes = check_int("probes", probes, minimum=2)
    rng = _probe_generator(check_int("seed", seed, minimum=0))
    group = max(1, MEMORY_BUDGET // (8 * 3 * surface.dim))
    samples = []
    for start in range(0, probes, group):
        z = rng.choice([-1.0, 1.0], size=(min(group, probes - start), surface.dim))
        samples.append(np.einsum("pd,pd->p", z, surface.hvp(np.broadcast_to(x, z.shape), z)))
    samples = np.concatenate(samples)
    return HessianTrace(float(samples.mean()), float(samples.std(ddof=1) / np.sqrt(probes)), probes)


def _probe_generator(seed: int) -> np.random.Generator:
    """The probes' generator: a stream of its own, not ``default_rng(seed)``.

    A surface drawn with ``default_rng(seed)`` and probes drawn the same way
    would share their first numbers: with the same seed (0 by default), a
    structured random quadratic's random signs came back as probes, and such
    a probe sees one eigenvector instead of all.
    """
    return np.random.default_rng([seed, 0x510E])
