"""Random quadratics ½ xᵀHx + bᵀx with H from a random-matrix ensemble."""

from __future__ import annotations

import numpy as np

from .._linalg import rows_times
from .._validation import check_choice, check_int, check_positive, check_scalar, invalid
from ._base import Surface
from ._registry import register

ENSEMBLES = ("goe", "wishart", "spectrum")
STRUCTURED_ABOVE = 2048  # dims above this use the matrix-free form by default
_DENSE_HESSIAN_LIMIT = 8192


@register("random_quadratic")
class RandomQuadratic(Surface):
    r"""Random quadratic ½ xᵀHx + bᵀx with H from the GOE, Wishart or a chosen spectrum.

    Parameters
    ----------
    dim : int
        Dimension, >= 1.
    ensemble : {"goe", "wishart", "spectrum"}
        ``"goe"``: ``H = scale (A + Aᵀ)/2`` with ``A`` standard normal, the
        generic critical point (a saddle of index about ``dim/2``).
        ``"wishart"``: ``H = scale XᵀX / samples`` with ``X`` of shape
        ``(samples, dim)`` standard normal (positive definite, Marchenko-Pastur
        spectrum). ``"spectrum"``: ``H = Q diag(λ) Qᵀ`` with eigenvalues in
        ``[mu, L]`` (both attained) and a random rotation ``Q``.
    seed : int
        Seed of the draw, >= 0.
    mu, L : float
        Smallest and largest eigenvalue for ``"spectrum"`` (0 < mu <= L).
    spacing : {"linear", "log", "uniform"}
        How the ``"spectrum"`` eigenvalues fill ``[mu, L]``: evenly, evenly on a
        log scale, or uniformly at random (with both ends kept).
    samples : int, optional
        Number of rows of ``X`` for ``"wishart"``, >= dim (default ``2 dim``).
    scale : float
        Multiplies ``H`` for ``"goe"`` and ``"wishart"``.
    linear_scale : float
        Standard deviation of the entries of ``b`` (default 0: the critical
        point is the origin).
    structured : bool, optional
        Use the matrix-free form (default: when ``dim > 2048``).

    Notes
    -----
    The structured form never stores a ``dim x dim`` matrix:
    ``H = Q M Qᵀ`` where ``Q = D₂ C D₁`` is orthogonal (``D`` random signs,
    ``C`` the orthonormal two-dimensional DCT-II of the vector laid out as an
    ``a x b`` array, ``a`` the divisor of ``dim`` nearest ``√dim``), so ``Qv``
    costs ``O(dim log dim)`` in short transforms that share the cores, and
    ``M`` has the exact eigenvalue distribution of the
    ensemble in ``O(dim)`` storage: the Dumitriu-Edelman tridiagonal model for
    the GOE (diagonal ``N(0, 1)``, off-diagonal ``χ_{dim-k} / √2``), the
    bidiagonal Laguerre model ``B Bᵀ / samples`` for Wishart (diagonal
    ``χ_{samples-k+1}``, subdiagonal ``χ_{dim-k}``), and ``diag(λ)`` for a
    chosen spectrum. The eigenvalues follow the ensemble exactly; the
    eigenvectors are those of ``Q``, not Haar-distributed.

    References
    ----------
    .. [1] I. Dumitriu and A. Edelman, "Matrix models for beta ensembles",
       J. Math. Phys. 43 (2002) 5830-5847.
    """

    thread_safe = True

    def __init__(
        self,
        dim=100,
        ensemble="goe",
        seed=0,
        mu=1.0,
        L=100.0,
        spacing="linear",
        samples=None,
        scale=1.0,
        linear_scale=0.0,
        structured=None,
    ):
        dim = check_int("dim", dim, minimum=1)
        self.ensemble = check_choice("ensemble", ensemble, ENSEMBLES)
        seed = check_int("seed", seed, minimum=0)
        mu, L = check_positive("mu", mu), check_positive("L", L)
        if L < mu:
            raise invalid("L", L, f"a number >= mu={mu:g}")
        spacing = check_choice("spacing", spacing, ("linear", "log", "uniform"))
        samples = 2 * dim if samples is None else check_int("samples", samples, minimum=dim)
        scale = check_positive("scale", scale)
        linear_scale = check_scalar("linear_scale", linear_scale, low=0.0)
        if structured is None:
            structured = dim > STRUCTURED_ABOVE
        if not isinstance(structured, bool):
            raise invalid("structured", structured, "True, False or None")
        self.structured, self.samples, self.scale = structured, samples, scale
        self.mu, self.L, self.spacing = mu, L, spacing

        rng = np.random.default_rng(seed)
        if structured:
            self._build_structured(dim, rng)
        else:
            self._build_dense(dim, rng)
        self.linear = linear_scale * rng.standard_normal(dim)
        center = -self._solve(self.linear) if linear_scale > 0 else np.zeros(dim)
        self.center = center  # the unique critical point
        params = {"dim": dim, "ensemble": ensemble, "seed": seed}
        if ensemble == "spectrum":
            params |= {"mu": mu, "L": L, "spacing": spacing}
        elif ensemble == "wishart":
            params |= {"samples": samples}
        if ensemble != "spectrum":
            params["scale"] = scale
        params |= {"linear_scale": linear_scale, "structured": structured}
        super().__init__(
            dim=dim,
            bounds=np.stack([center - 2.0, center + 2.0], axis=1),
            name="random_quadratic",
            params=params,
            default_start=center + 1.0,
            minima=None if ensemble == "goe" else center[None, :],
        )

    # ---- construction ------------------------------------------------------
    def _spectrum(self, dim, rng):
        if dim == 1:
            return np.array([self.mu])
        if self.spacing == "linear":
            return np.linspace(self.mu, self.L, dim)
        if self.spacing == "log":
            return np.geomspace(self.mu, self.L, dim)
        inner = rng.uniform(self.mu, self.L, dim - 2)
        return np.sort(np.concatenate([[self.mu], inner, [self.L]]))

    def _build_dense(self, dim, rng):
        if self.ensemble == "goe":
            a = rng.standard_normal((dim, dim))
            self.matrix = self.scale * 0.5 * (a + a.T)
        elif self.ensemble == "wishart":
            x = rng.standard_normal((self.samples, dim))
            self.matrix = self.scale * (x.T @ x) / self.samples
        else:
            q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
            q *= np.sign(np.diag(r))  # Haar-distributed rotation
            self.matrix = (q * self._spectrum(dim, rng)) @ q.T
        self.matrix = 0.5 * (self.matrix + self.matrix.T)

    def _build_structured(self, dim, rng):
        self.signs = rng.choice([-1.0, 1.0], size=(2, dim))
        rows = _divisor_near_root(dim)
        self.layout = (rows, dim // rows)
        if self.ensemble == "goe":
            self.diagonal = self.scale * rng.standard_normal(dim)
            self.off = self.scale * np.sqrt(rng.chisquare(np.arange(dim - 1, 0, -1)) / 2.0)
        elif self.ensemble == "wishart":
            norm = np.sqrt(self.scale / self.samples)
            self.bidiagonal = norm * np.sqrt(rng.chisquare(self.samples - np.arange(dim)))
            self.subdiagonal = norm * np.sqrt(rng.chisquare(np.arange(dim - 1, 0, -1)))
        else:
            self.eigenvalue_diagonal = self._spectrum(dim, rng)

    # ---- the operator ------------------------------------------------------
    def _rotate(self, v):
        """``Q v`` along the last axis."""
        import scipy.fft  # imported on use: keeps ``import landscape`` (and ``landscape --help``) fast

        grid = _times(self.signs[0], v).reshape(v.shape[:-1] + self.layout)
        grid = scipy.fft.dctn(grid, type=2, norm="ortho", axes=(-2, -1), overwrite_x=True, workers=-1)
        return _times(self.signs[1], grid.reshape(v.shape))

    def _unrotate(self, v):
        """``Qᵀ v`` along the last axis."""
        import scipy.fft

        grid = _times(self.signs[1], v).reshape(v.shape[:-1] + self.layout)
        grid = scipy.fft.idctn(grid, type=2, norm="ortho", axes=(-2, -1), overwrite_x=True, workers=-1)
        return _times(self.signs[0], grid.reshape(v.shape))

    def _core(self, v):
        """``M v`` for the structured core ``M`` along the last axis."""
        if self.ensemble == "spectrum":
            return _times(self.eigenvalue_diagonal, v)
        if self.ensemble == "goe":
            out = _times(self.diagonal, v)
            out[..., :-1] += _times(self.off, v[..., 1:])
            out[..., 1:] += _times(self.off, v[..., :-1])
            return out
        w = _times(self.bidiagonal, v)  # Bᵀ v, with B lower bidiagonal
        w[..., :-1] += _times(self.subdiagonal, v[..., 1:])
        out = _times(self.bidiagonal, w)  # B w
        out[..., 1:] += _times(self.subdiagonal, w[..., :-1])
        return out

    def _matvec(self, v):
        if not self.structured:
            return rows_times(v, self.matrix)
        return self._rotate(self._core(self._unrotate(v)))

    def _core_tridiagonal(self):
        """Diagonal and off-diagonal of the (tri)diagonal core ``M``."""
        if self.ensemble == "spectrum":
            return self.eigenvalue_diagonal, np.zeros(self.eigenvalue_diagonal.size - 1)
        if self.ensemble == "goe":
            return self.diagonal, self.off
        a, b = self.bidiagonal, self.subdiagonal
        return a**2 + np.concatenate([[0.0], b**2]), a[:-1] * b

    def _solve(self, rhs):
        if not self.structured:
            return np.linalg.solve(self.matrix, rhs)
        import scipy.linalg

        diagonal, off = self._core_tridiagonal()
        banded = np.zeros((3, diagonal.size))
        banded[0, 1:], banded[1], banded[2, :-1] = off, diagonal, off
        return self._rotate(scipy.linalg.solve_banded((1, 1), banded, self._unrotate(rhs)))

    def eigenbasis(self) -> tuple[np.ndarray, np.ndarray]:
        """``(λ, Q)`` with ``H = Q diag(λ) Qᵀ``, ``Q`` orthogonal (dense form; computed once)."""
        if self.structured:
            raise ValueError("eigenbasis: the structured form has no dense Q; use eigenvalues()")
        if getattr(self, "_eigenbasis", None) is None:
            self._eigenbasis = np.linalg.eigh(self.matrix)
        return self._eigenbasis

    def eigenvalues(self) -> np.ndarray:
        """All eigenvalues of ``H`` in ascending order (exact, from the stored form)."""
        if not self.structured:
            return np.linalg.eigvalsh(self.matrix)
        diagonal, off = self._core_tridiagonal()
        if self.ensemble == "spectrum":
            return np.sort(diagonal)
        import scipy.linalg

        return scipy.linalg.eigvalsh_tridiagonal(diagonal, off)

    # ---- Surface hooks -----------------------------------------------------
    def _value(self, x):
        return self._value_and_grad(x)[0]

    def _grad(self, x):
        hx = self._matvec(x)  # a new array: add b in place (when there is one)
        if self.params["linear_scale"] > 0:
            hx += self.linear
        return hx

    def _value_and_grad(self, x):
        hx = self._matvec(x)
        return np.einsum("...i,...i->...", x, 0.5 * hx + self.linear), hx + self.linear

    def _hvp(self, x, v):
        product = self._matvec(v)
        shape = np.broadcast_shapes(x.shape, v.shape)
        return product if product.shape == shape else np.broadcast_to(product, shape).copy()

    def _hessian(self, x):
        if self.structured and self.dim > _DENSE_HESSIAN_LIMIT:
            raise ValueError(
                f"hessian: dim={self.dim} is too large for a dense matrix (limit "
                f"{_DENSE_HESSIAN_LIMIT}); use hvp or landscape.analysis.hessian_spectrum"
            )
        matrix = self.matrix if not self.structured else self._matvec(np.eye(self.dim))
        return np.broadcast_to(matrix, x.shape + (self.dim,)).copy()


def _times(a, v):
    """``a * v`` in the precision of ``v``: a float32 product stays float32 (and twice as fast)."""
    return np.multiply(a, v, dtype=np.result_type(v, np.float32))


def _divisor_near_root(n: int) -> int:
    """The largest divisor of ``n`` not above ``√n`` (1 for a prime)."""
    for a in range(int(np.sqrt(n)), 0, -1):
        if n % a == 0:
            return a
    return 1
