"""Random-matrix theory for random critical points: densities, the chance of a minimum, Monte Carlo.

Conventions are those of ``random_quadratic``: the GOE matrix is
``scale · (A + Aᵀ)/2`` with ``A`` standard normal (diagonal variance
``scale²``, off-diagonal ``scale²/2``), the Wishart matrix
``scale · XᵀX / samples`` with ``X`` of shape ``(samples, dim)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from .._resources import check, dense_matrix_cost, random_hessians_seconds
from .._validation import check_choice, check_int, check_positive, check_scalar, invalid

ENSEMBLES = ("goe", "wishart")
DEAN_MAJUMDAR_THETA = math.log(3.0) / 4.0  # P(GOE_N positive definite) ≈ exp(−θ N²)
EXACT_LIMIT = 40  # largest n for the exact positive-definite probability
_CHUNK_ELEMENTS = 1 << 22  # matrices * dim * dim per Monte Carlo batch


# ---- limiting densities ----------------------------------------------------
def semicircle_density(x, dim, scale=1.0) -> np.ndarray:
    r"""Wigner's semicircle: the eigenvalue density of a large GOE matrix.

    Parameters
    ----------
    x : array_like
        Where to evaluate.
    dim : int
        Matrix size ``N``.
    scale : float
        The ``scale`` of ``random_quadratic`` (``H = scale · (A + Aᵀ)/2``).

    Returns
    -------
    ndarray
        ``ρ(x) = 2 √(R² − x²) / (π R²)`` inside ``[−R, R]``, 0 outside, with
        radius ``R = √(2N) · scale``; it integrates to 1.

    Notes
    -----
    Off-diagonal entries of ``(A + Aᵀ)/2`` have variance ``1/2``, so the
    semicircle of a Wigner matrix with off-diagonal variance ``σ²`` and
    radius ``2σ√N`` has ``R = √(2N)``.

    References
    ----------
    .. [1] E. P. Wigner, "On the distribution of the roots of certain
       symmetric matrices", Ann. Math. 67 (1958) 325-327.

    Examples
    --------
    >>> import landscape as ls
    >>> round(float(ls.analysis.semicircle_density(0.0, dim=50)), 6)  # 2 / (π R), R = 10
    0.063662
    """
    dim = check_int("dim", dim, minimum=1)
    radius = math.sqrt(2.0 * dim) * check_positive("scale", scale)
    x = np.asarray(x, dtype=float)
    inside = np.clip(radius**2 - x**2, 0.0, None)
    return 2.0 * np.sqrt(inside) / (np.pi * radius**2)


def marchenko_pastur_density(x, ratio, scale=1.0) -> np.ndarray:
    r"""Marchenko-Pastur law: eigenvalue density of a large Wishart ``scale · XᵀX / samples``.

    Parameters
    ----------
    x : array_like
        Where to evaluate.
    ratio : float
        ``q = dim / samples > 0``.
    scale : float
        Variance scale ``σ²``.

    Returns
    -------
    ndarray
        ``ρ(x) = √((b − x)(x − a)) / (2π q σ² x)`` on ``[a, b]``,
        ``a, b = σ² (1 ∓ √q)²``, 0 elsewhere. For ``q <= 1`` it integrates to
        1; for ``q > 1`` to ``1/q``, the rest being an atom of mass
        ``1 − 1/q`` at zero that this function does not return.

    References
    ----------
    .. [1] V. A. Marchenko and L. A. Pastur, "Distribution of eigenvalues for
       some sets of random matrices", Math. USSR Sb. 1 (1967) 457-483.

    Examples
    --------
    >>> import landscape as ls
    >>> round(float(ls.analysis.marchenko_pastur_density(1.0, ratio=0.5)), 6)
    0.421084
    """
    q = check_positive("ratio", ratio)
    s = check_positive("scale", scale)
    low, high = s * (1 - math.sqrt(q)) ** 2, s * (1 + math.sqrt(q)) ** 2
    x = np.asarray(x, dtype=float)
    inside = np.clip((high - x) * (x - low), 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.sqrt(inside) / (2.0 * np.pi * q * s * x)
    return np.where((x > low) & (x < high), density, 0.0)


# ---- the chance that a random critical point is a minimum ---------------------
def goe_positive_definite_probability(n, *, method="exact"):
    r"""Probability that an ``n × n`` GOE matrix is positive definite: the chance of a minimum.

    Parameters
    ----------
    n : int or array_like of int
        Matrix size(s), >= 1 (at most 40 for ``method="exact"``).
    method : {"exact", "asymptotic"}
        ``"exact"``: the value for this ``n`` (see Notes). ``"asymptotic"``:
        Dean & Majumdar's large-``n`` law ``exp(−θ n²)``, ``θ = ln(3)/4``.

    Returns
    -------
    float or ndarray

    Notes
    -----
    With weight ``w(λ) = e^{−λ²/2}`` the GOE eigenvalues have density
    ``∝ Π_{i<j} |λ_i − λ_j| Π w(λ_i)``, and Mehta's integral gives the
    normalization ``Z_n = (2π)^{n/2} Π_{j=1}^{n} Γ(1 + j/2) / Γ(3/2)``. The
    probability that all eigenvalues are positive is
    ``P_n = n! I_n / Z_n`` with ``I_n`` the integral over the ordered
    positive cone ``0 < λ_1 < … < λ_n``, which de Bruijn's formula turns
    into a Pfaffian: ``I_n = Pf(M)`` with
    ``M_ij = ∫∫_{x, y > 0} sign(y − x) x^i y^j w(x) w(y) dx dy``
    (bordered by ``∫ x^i w`` for odd ``n``). The entries are
    one-dimensional integrals of incomplete gamma functions, computed with
    mpmath at a working precision that grows with ``n²``, since ``P_n`` is
    exponentially small; ``Pf(M) = √det M``, the sign being that of the
    positive integral. For ``n = 1, 2``: ``P_1 = 1/2`` and, integrating the
    two-eigenvalue density in polar coordinates,
    ``P_2 = (2 − √2)/4 ≈ 0.146447``.

    The probability is scale-free (it does not depend on ``scale``).

    References
    ----------
    .. [1] D. S. Dean and S. N. Majumdar, "Large deviations of extreme
       eigenvalues of random matrices", Phys. Rev. Lett. 97 (2006) 160201.
    .. [2] N. G. de Bruijn, "On some multiple integrals involving
       determinants", J. Indian Math. Soc. 19 (1955) 133-151.
    .. [3] M. L. Mehta, Random Matrices, 3rd ed., Elsevier, 2004, ch. 17.

    Examples
    --------
    >>> import landscape as ls
    >>> round(ls.analysis.goe_positive_definite_probability(2), 6)
    0.146447
    """
    method = check_choice("method", method, ("exact", "asymptotic"))
    sizes = np.asarray(n)
    if sizes.dtype.kind not in "iu" or np.any(sizes < 1):
        raise invalid("n", n, "an integer >= 1 or an array of them")
    if method == "asymptotic":
        result = np.exp(-DEAN_MAJUMDAR_THETA * sizes.astype(float) ** 2)
    else:
        if np.any(sizes > EXACT_LIMIT):
            raise invalid("n", n, f"sizes <= {EXACT_LIMIT} for method='exact' (or method='asymptotic')")
        result = np.array([_exact_positive_probability(int(size)) for size in sizes.ravel()]).reshape(
            sizes.shape
        )
    return float(result) if result.ndim == 0 else result


@cache
def _exact_positive_probability(n: int) -> float:
    import mpmath

    with mpmath.workdps(30 + n * n // 2):
        half = mpmath.mpf(1) / 2
        # M_j = ∫_0^∞ x^j w, K_m = ∫_0^∞ x^m w², J_ij = ∫_0^∞ x^i w(x) T_j(x) dx with the
        # tail T_j(x) = ∫_x^∞ y^j w = x^{j-1} w(x) + (j - 1) T_{j-2}(x) (by parts), so
        # J_ij = K_{i+j-1} + (j - 1) J_{i,j-2}; J_i1 = K_i; J_i0 = M_i M_0 − J_0i (by parts).
        mass = [mpmath.power(2, (j - 1) * half) * mpmath.gamma((j + 1) * half) for j in range(n)]
        square = [mpmath.gamma((m + 1) * half) / 2 for m in range(2 * n)]
        j_table = []
        for i in range(n):  # row 0 first: the other rows start from it
            first = mass[0] ** 2 / 2 if i == 0 else mass[i] * mass[0] - j_table[0][i]
            row = [first, square[i]][:n]
            for j in range(2, n):
                row.append(square[i + j - 1] + (j - 1) * row[j - 2])
            j_table.append(row)
        size = n + (n % 2)
        m = mpmath.zeros(size, size)
        for i in range(n):
            for j in range(n):
                m[i, j] = 2 * j_table[i][j] - mass[i] * mass[j]  # ∫∫ sign(y − x) x^i y^j w w
        if n % 2:
            for i in range(n):
                m[i, n], m[n, i] = mass[i], -mass[i]
        ordered = mpmath.sqrt(mpmath.det(m))
        normalization = mpmath.power(2 * mpmath.pi, n * half) * mpmath.fprod(
            mpmath.gamma(1 + j * half) / mpmath.gamma(3 * half) for j in range(1, n + 1)
        )
        return float(mpmath.factorial(n) * ordered / normalization)


# ---- Monte Carlo ----------------------------------------------------------
@dataclass(frozen=True)
class MinimumFraction:
    """Fraction of random Hessians that are positive definite.

    Attributes
    ----------
    fraction : float
    stderr : float
        Binomial standard error ``√(p (1 − p) / samples)``.
    samples : int
    dim : int
    ensemble : str
    """

    fraction: float
    stderr: float
    samples: int
    dim: int
    ensemble: str


@dataclass(frozen=True, eq=False)
class IndexDistribution:
    """Distribution of the index (number of negative eigenvalues) of random Hessians.

    Attributes
    ----------
    counts : ndarray of int, shape (dim + 1,)
        ``counts[i]``: samples with index ``i``.
    fraction : ndarray, shape (dim + 1,)
        ``counts / samples``.
    stderr : ndarray, shape (dim + 1,)
        Binomial standard errors of ``fraction``.
    samples : int
    dim : int
    ensemble : str
    """

    counts: np.ndarray
    fraction: np.ndarray
    stderr: np.ndarray
    samples: int
    dim: int
    ensemble: str

    @property
    def mean_index_fraction(self) -> float:
        """Mean of ``index / dim``."""
        return float(np.arange(self.dim + 1) @ self.fraction / self.dim)


def index_distribution(
    dim, ensemble="goe", samples=10_000, seed=0, *, shift=0.0, ratio=0.5
) -> IndexDistribution:
    r"""Monte Carlo distribution of the index of random Hessians.

    Parameters
    ----------
    dim : int
        Matrix size, >= 1.
    ensemble : {"goe", "wishart"}
        As in ``random_quadratic`` (``scale = 1``).
    samples : int
        Number of matrices, >= 1.
    seed : int
    shift : float
        Added to the diagonal: ``H + shift · I``. A positive shift models a
        critical point low on a random landscape, where the Hessian's
        spectrum is pushed up (Bray & Dean).
    ratio : float
        ``dim / samples_per_matrix`` for ``"wishart"``, in ``(0, 1]``.

    Returns
    -------
    IndexDistribution

    Notes
    -----
    Matrices are drawn and diagonalized (``numpy.linalg.eigvalsh``) in
    batches of bounded memory (about 32 MiB), so memory does not grow with
    ``samples``. Draws are taken batch by batch from one seeded generator.

    Examples
    --------
    >>> import landscape as ls
    >>> d = ls.analysis.index_distribution(2, samples=20_000)
    >>> d.counts.shape, bool(abs(d.fraction[0] - (2 - 2**0.5) / 4) < 4 * d.stderr[0])
    ((3,), True)
    """
    dim = check_int("dim", dim, minimum=1)
    ensemble = check_choice("ensemble", ensemble, ENSEMBLES)
    samples = check_int("samples", samples, minimum=1)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    shift = check_scalar("shift", shift)
    ratio = check_scalar("ratio", ratio, low=0.0, high=1.0, low_open=True)
    what = f"{samples} random {dim} x {dim} Hessians"
    check("dim", dim, memory=dense_matrix_cost(dim), what=what, advice="a smaller dim")
    seconds = random_hessians_seconds(samples, [dim])
    check("samples", samples, seconds=seconds, what=what, advice="fewer samples")
    counts = np.zeros(dim + 1, dtype=np.int64)
    batch = max(1, _CHUNK_ELEMENTS // (dim * dim))
    for start in range(0, samples, batch):
        size = min(batch, samples - start)
        eigenvalues = np.linalg.eigvalsh(_draw(rng, ensemble, size, dim, ratio)) + shift
        counts += np.bincount((eigenvalues < 0).sum(axis=1), minlength=dim + 1)
    fraction = counts / samples
    stderr = np.sqrt(fraction * (1 - fraction) / samples)
    return IndexDistribution(counts, fraction, stderr, samples, dim, ensemble)


def minimum_fraction(
    dim, ensemble="goe", samples=100_000, seed=0, *, shift=0.0, ratio=0.5
) -> MinimumFraction:
    r"""Monte Carlo fraction of random Hessians that are positive definite (minima).

    Parameters
    ----------
    dim, ensemble, samples, seed, shift, ratio
        As in ``index_distribution``.

    Returns
    -------
    MinimumFraction

    Notes
    -----
    For the GOE the exact value is ``goe_positive_definite_probability(dim)``;
    it decays like ``exp(−(ln 3/4) dim²)`` (Dean & Majumdar 2006), so beyond
    ``dim ≈ 6`` no feasible number of samples sees a single minimum: in high
    dimension a random critical point is a saddle.

    Examples
    --------
    >>> import landscape as ls
    >>> r = ls.analysis.minimum_fraction(1, samples=10_000)
    >>> abs(r.fraction - 0.5) < 4 * r.stderr
    True
    """
    d = index_distribution(dim, ensemble, samples, seed, shift=shift, ratio=ratio)
    return MinimumFraction(float(d.fraction[0]), float(d.stderr[0]), samples, dim, ensemble)


def _draw(rng, ensemble, size, dim, ratio) -> np.ndarray:
    if ensemble == "goe":
        a = rng.standard_normal((size, dim, dim))
        return 0.5 * (a + np.swapaxes(a, -1, -2))
    rows = max(dim, int(round(dim / ratio)))
    x = rng.standard_normal((size, rows, dim))
    return np.swapaxes(x, -1, -2) @ x / rows
