"""Extreme Hessian eigenvalues without forming the Hessian: Lanczos (ARPACK) on ``hvp``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _display
from .._validation import InvalidArgument, check_choice, check_int, check_scalar
from ._hessian import check_point, check_surface, hessians, hvp_at

DENSE_LIMIT = 256  # up to this dimension the Hessian is formed and diagonalized
WHICH = ("both", "largest", "smallest")
SINGLE_PRECISION_TOL = 1e-4  # from this tol on, Lanczos vectors are float32


@dataclass(frozen=True, eq=False, repr=False)
class HessianSpectrum:
    """Extreme eigenvalues of a Hessian.

    Attributes
    ----------
    smallest : ndarray, shape (k,), or None
        The ``k`` algebraically smallest eigenvalues, ascending (``None`` if
        not requested).
    largest : ndarray, shape (k,), or None
        The ``k`` largest eigenvalues, ascending.
    dim : int
    products : int
        Hessian-vector products used (0 when the Hessian was formed).
    """

    smallest: np.ndarray | None
    largest: np.ndarray | None
    dim: int
    products: int

    @property
    def condition_number(self) -> float:
        """``λ_max / λ_min`` when both ends are known and positive definite, else NaN.

        For an indefinite Hessian the ratio does not govern gradient descent,
        so it is not reported.
        """
        if self.smallest is None or self.largest is None or not self.smallest[0] > 0:
            return float("nan")
        return float(self.largest[-1] / self.smallest[0])

    def __repr__(self) -> str:
        def show(a):
            if a is None:
                return "None"
            number = {"float_kind": lambda x: f"{x:.6g}"}  # one line, six significant digits
            return np.array2string(a, separator=", ", threshold=12, formatter=number, max_line_width=10**6)

        return (
            f"HessianSpectrum(dim={self.dim}, smallest={show(self.smallest)}, "
            f"largest={show(self.largest)}, condition_number={self.condition_number:.6g})"
        )

    def _repr_html_(self) -> str:
        return _display.hessian_spectrum_html(self)


def hessian_operator(surface, x):
    """The Hessian at ``x`` as a ``scipy.sparse.linalg.LinearOperator`` built on ``surface.hvp``.

    Parameters
    ----------
    surface : Surface or str
    x : array_like, shape (dim,)

    Returns
    -------
    LinearOperator
        Symmetric, shape ``(dim, dim)``; ``matvec`` costs one ``hvp`` and
        ``matmat`` one batched ``hvp``. The attribute ``products`` counts the
        Hessian-vector products made so far.

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> op = ls.analysis.hessian_operator(ls.surfaces.get("saddle"), [0.0, 0.0])
    >>> op @ np.array([1.0, 1.0])
    array([ 2., -2.])
    """
    surface = check_surface(surface)
    x = check_point(surface, x)
    return _operator(surface, x)


def _operator(surface, x, dtype=np.float64):
    """The operator on a checked point ``x``; the vectors come from scipy, so they are not checked again."""
    from scipy.sparse.linalg import LinearOperator  # imported here: slow to import

    product = hvp_at(surface, x)

    def matvec(v):
        operator.products += 1
        return np.reshape(product(np.asarray(v, dtype=np.float64).ravel()), -1).astype(dtype, copy=False)

    def matmat(block):
        operator.products += block.shape[1]
        vectors = np.ascontiguousarray(block.T, dtype=np.float64)
        return np.asarray(product(vectors)).T.astype(dtype, copy=False)

    dim = surface.dim
    operator = LinearOperator((dim, dim), matvec=matvec, rmatvec=matvec, matmat=matmat, dtype=dtype)
    operator.products = 0
    return operator


def hessian_spectrum(surface, x, k=10, which="both", *, tol=1e-6, seed=0) -> HessianSpectrum:
    r"""The ``k`` smallest and/or largest Hessian eigenvalues at ``x``, matrix-free.

    Parameters
    ----------
    surface : Surface or str
    x : array_like, shape (dim,)
    k : int
        Number of eigenvalues at each requested end, >= 1 (at most ``dim``).
    which : {"both", "largest", "smallest"}
    tol : float
        Relative accuracy asked of ARPACK: each Ritz pair stops when its
        residual is below ``tol · |θ|``, so every returned eigenvalue is
        within ``tol · |θ|`` of a true eigenvalue. ``0`` asks for machine
        precision.
    seed : int
        Seed of Lanczos's starting vector.

    Returns
    -------
    HessianSpectrum

    Notes
    -----
    In dimensions up to 256 the Hessian is formed (``surface.hessian``) and
    diagonalized exactly. Above, the implicitly restarted Lanczos method
    (``scipy.sparse.linalg.eigsh``, ARPACK) runs on ``hessian_operator``:
    only Hessian-vector products, ``O(dim)`` memory per Lanczos vector.
    Lanczos converges fastest to well separated extreme eigenvalues: any
    Krylov method needs about ``1/√g`` products to separate eigenvalues a
    relative gap ``g`` apart. At the packed edge of a large random spectrum
    (``g ≈ 1e-5`` at dim 10⁶) a looser ``tol`` is much cheaper: each value is
    then within ``tol · |θ|`` of an eigenvalue, though in a cluster not
    necessarily of the one of the same rank (the dim-10⁶ benchmark: ``tol =
    1e-3``, about 370-660 products, rank-wise error 2e-3). With ``tol >=
    1e-4`` the Lanczos vectors are kept in single precision (its rounding,
    6e-8, is far below ``tol``): ARPACK's own work on them, as costly as a
    structured product at dim 10⁶, halves.

    References
    ----------
    .. [1] R. B. Lehoucq, D. C. Sorensen and C. Yang, ARPACK Users' Guide,
       SIAM, 1998.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("random_quadratic", dim=5000, ensemble="spectrum", mu=1, L=50)
    >>> spectrum = ls.analysis.hessian_spectrum(s, s.center, k=2)
    >>> spectrum.largest.round(4), round(spectrum.condition_number, 3)
    (array([49.9902, 50.    ]), 50.0)
    """
    surface = check_surface(surface)
    x = check_point(surface, x)
    which = check_choice("which", which, WHICH)
    k = check_int("k", k, minimum=1)
    if k > surface.dim:
        raise InvalidArgument(f"k={k} is not accepted; expected an integer between 1 and dim={surface.dim}")
    tol = check_scalar("tol", tol, low=0.0)
    seed = check_int("seed", seed, minimum=0)
    want_small, want_large = which in ("both", "smallest"), which in ("both", "largest")

    if surface.dim <= DENSE_LIMIT or k >= surface.dim - 1:
        eigenvalues = np.linalg.eigvalsh(hessians(surface, x[None, :])[0])
        return HessianSpectrum(
            eigenvalues[:k] if want_small else None,
            eigenvalues[-k:] if want_large else None,
            surface.dim,
            0,
        )

    from scipy.sparse.linalg import eigsh

    # Lanczos vectors in single precision where that is far below the accuracy asked:
    # ARPACK's own work, which streams them through memory, then takes half the time
    dtype = np.float32 if tol >= SINGLE_PRECISION_TOL else np.float64
    operator = _operator(surface, x, dtype)
    start = np.random.default_rng(seed).standard_normal(surface.dim).astype(dtype)

    def ends(mode):
        values = eigsh(operator, k=k, which=mode, tol=tol, v0=start, return_eigenvectors=False)
        return np.sort(values.astype(np.float64))

    smallest = ends("SA") if want_small else None
    largest = ends("LA") if want_large else None
    return HessianSpectrum(smallest, largest, surface.dim, operator.products)


def condition_number(surface, x, *, tol=1e-6, seed=0) -> float:
    """``λ_max / λ_min`` of the Hessian at ``x`` (NaN unless positive definite).

    The two extreme eigenvalues come from ``hessian_spectrum(surface, x, k=1)``.

    Examples
    --------
    >>> import landscape as ls
    >>> ls.analysis.condition_number(ls.surfaces.get("elongated_bowl", kappa=25), [0.0, 0.0])
    25.0
    """
    return hessian_spectrum(surface, x, k=1, which="both", tol=tol, seed=seed).condition_number
