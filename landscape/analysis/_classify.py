"""Second-order classification of a critical point: minimum, maximum, saddle or degenerate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_scalar, invalid
from ._hessian import (
    DENSE_LIMIT,
    check_point,
    check_surface,
    curvature_scale,
    hessians,
    hvp_at,
    window_length,
)

KINDS = ("minimum", "maximum", "saddle", "degenerate")
RELATIVE_GRADIENT_TOL = 1e-6  # |∇f| / (curvature · length) accepted as a critical point
ANALYTIC_ZERO_TOL = 1e-8  # |λ| / curvature counted as zero, analytic Hessians
NUMERICAL_ZERO_TOL = 1e-6  # ... and numerical ones
FLAT_JUMP = 1e-3  # a Newton step longer than this · length along an eigenvector: its λ counts as zero
FIRST_SMALLEST = 8  # matrix-free: eigenvalues asked at the low end first, doubled while all negative
MAX_SMALLEST = 128  # ... up to this many: a larger index is reported as a lower bound


@dataclass(frozen=True, eq=False, repr=False)
class CriticalPoint:
    """A classified critical point.

    Attributes
    ----------
    position : ndarray, shape (dim,)
    value : float
        ``f(position)``.
    gradient_norm : float
        ``‖∇f(position)‖``.
    eigenvalues : ndarray, shape (dim,) or (k,)
        Hessian eigenvalues in ascending order: all of them up to dimension
        256, where the Hessian is formed; above, the ends Lanczos computed
        from Hessian-vector products (the smallest ones, as many as needed
        to count the negative ones, and the largest).
    eigenvectors : ndarray, shape (dim, dim) or (dim, k)
        Unit eigenvectors as columns, in the order of ``eigenvalues``.
    index : int
        Number of eigenvalues below ``-zero_tolerance``: the number of
        independent directions in which ``f`` decreases.
    kind : {"minimum", "maximum", "saddle", "degenerate"}
    escape_direction : ndarray, shape (dim,), or None
        For a saddle, the unit eigenvector of the most negative eigenvalue
        (sign chosen so that its largest entry is positive): the direction in
        which a particle leaves the saddle fastest. ``None`` otherwise.
    zero_tolerance : float
        Eigenvalues with ``|λ| <= zero_tolerance`` were counted as zero.
    index_exact : bool
        False when the matrix-free count stopped at 128 negative eigenvalues:
        ``index`` is then a lower bound.
    """

    position: np.ndarray
    value: float
    gradient_norm: float
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    index: int
    kind: str
    escape_direction: np.ndarray | None
    zero_tolerance: float
    index_exact: bool = True

    @property
    def dim(self) -> int:
        return self.position.shape[0]

    @property
    def index_fraction(self) -> float:
        """``index / dim``: the fraction of descent directions."""
        return self.index / self.dim

    def to_record(self) -> dict:
        """A JSON-ready dict: position, value, kind, index, eigenvalues."""
        return {
            "position": self.position.tolist(),
            "value": float(self.value),
            "kind": self.kind,
            "index": int(self.index),
            "eigenvalues": self.eigenvalues.tolist(),
        }

    def __repr__(self) -> str:
        fmt = {"float_kind": lambda v: f"{v:.6g}"}
        position = np.array2string(self.position, separator=", ", formatter=fmt, threshold=8)
        eigenvalues = np.array2string(self.eigenvalues, separator=", ", formatter=fmt, threshold=8)
        return (
            f"CriticalPoint(kind={self.kind!r}, index={self.index}, value={self.value:.6g}, "
            f"position={position}, eigenvalues={eigenvalues}, "
            f"gradient_norm={self.gradient_norm:.2g})"
        )


def classify(surface, x, *, tol=None, gradient_tol=None) -> CriticalPoint:
    r"""Classify a critical point by the eigenvalues of its Hessian.

    Parameters
    ----------
    surface : Surface or str
        The surface (or a registered name with default parameters).
    x : array_like, shape (dim,)
        The critical point.
    tol : float, optional
        Relative zero tolerance for eigenvalues: ``|λ|`` counts as zero when it
        is at most ``tol · C + u`` (see Notes). Default ``1e-8`` for an
        analytic Hessian, ``1e-6`` for a numerical one.
    gradient_tol : float, optional
        Largest accepted ``‖∇f(x)‖`` (default ``1e-6 · C · ℓ``).

    Returns
    -------
    CriticalPoint

    Raises
    ------
    ValueError
        If ``‖∇f(x)‖ > gradient_tol``: the point is not a critical point.

    Notes
    -----
    The Hessian is the surface's analytic one, or for a surface without one
    ``scipy.differentiate.hessian`` (adaptive Richardson extrapolation).

    Two scales make the tests relative: the curvature ``C``, the largest
    ``‖∇²f‖₂`` over a probe of ``surface.bounds`` and ``x``, and the length
    ``ℓ``, half the diagonal of ``surface.bounds``.

    A point is never exactly critical, so its eigenvalues are uncertain by
    about how much the Hessian changes between ``x`` and the critical point
    it approximates. That point is estimated by the Newton step
    ``δ = H⁺ ∇f(x)``; by Weyl's inequality every eigenvalue moves by at most
    ``‖H(x) − H(x − δ)‖₂`` between the two. Twice that is ``u``: for a
    degenerate point whose gradient grows quadratically (the monkey saddle)
    the Newton step covers only half the distance. Eigenvalues within
    ``tol · C + u`` of zero are zero. Then, with ``n₋``, ``n₀``, ``n₊``
    negative, zero and positive eigenvalues:

    * ``n₀ = 0``: a minimum (``n₋ = 0``), a maximum (``n₊ = 0``) or a saddle;
    * ``n₀ > 0`` and both ``n₋, n₊ > 0``: still a saddle (there are
      directions of ascent and of descent);
    * otherwise ``degenerate``: the second-order test cannot decide (the
      monkey saddle ``x³ − 3xy²`` at the origin, whose Hessian vanishes).

    Examples
    --------
    >>> import landscape as ls
    >>> cp = ls.analysis.classify(ls.surfaces.get("saddle"), [0.0, 0.0])
    >>> cp.kind, cp.index, cp.escape_direction
    ('saddle', 1, array([0., 1.]))
    >>> ls.analysis.classify(ls.surfaces.get("monkey_saddle"), [0.0, 0.0]).kind
    'degenerate'
    """
    surface = check_surface(surface)
    x = check_point(surface, x)
    tol = zero_tol(surface, tol)
    scale = curvature_scale(surface, surface.bounds, extra=x[None, :])
    length = window_length(surface.bounds)
    if gradient_tol is None:
        gradient_tol = RELATIVE_GRADIENT_TOL * scale * length
    gradient_tol = check_scalar("gradient_tol", gradient_tol, low=0.0)
    gradient_norm = float(np.linalg.norm(surface.grad(x)))
    if not gradient_norm <= gradient_tol:
        raise invalid(
            "x",
            x,
            f"a critical point (|grad f(x)| = {gradient_norm:.3g} exceeds gradient_tol={gradient_tol:.3g})",
        )
    return analyze(surface, x[None, :], scale=scale, tol=tol, length=length)[0]


def zero_tol(surface, tol) -> float:
    """The relative zero tolerance for eigenvalues: ``tol`` checked, or the default for the surface."""
    if tol is None:
        return ANALYTIC_ZERO_TOL if surface.has_analytic_hessian else NUMERICAL_ZERO_TOL
    return check_scalar("tol", tol, low=0.0)


def analyze(surface, points: np.ndarray, *, scale: float, tol: float, length: float) -> list[CriticalPoint]:
    """Classify many points ``(n, dim)`` at once (no gradient check).

    Up to ``DENSE_LIMIT`` dimensions from the dense Hessians; above, from the
    ends of the spectrum that Lanczos finds with Hessian-vector products.
    """
    if surface.dim > DENSE_LIMIT:
        return [_analyze_matrix_free(surface, x, scale=scale, tol=tol, length=length) for x in points]
    values, gradients = surface.value_and_grad(points)
    h = hessians(surface, points, accurate=True)
    eigenvalues, eigenvectors = np.linalg.eigh(h)
    uncertainty = hessian_uncertainty(surface, points, gradients, h, eigenvalues, eigenvectors, length)
    threshold = tol * scale + uncertainty
    kinds, indices = kinds_and_indices(eigenvalues, threshold)
    return [
        _point(points[i], values[i], gradients[i], eigenvalues[i], eigenvectors[i], indices[i], kinds[i],
               threshold[i])
        for i in range(points.shape[0])
    ]


def _point(x, value, gradient, eigenvalues, eigenvectors, index, kind, threshold, index_exact=True):
    escape = None
    if kind == "saddle":
        escape = eigenvectors[:, 0]
        escape = escape * np.sign(escape[np.argmax(np.abs(escape))]) + 0.0  # no -0.
    return CriticalPoint(
        position=np.array(x, dtype=float),
        value=float(value),
        gradient_norm=float(np.linalg.norm(gradient)),
        eigenvalues=eigenvalues,
        eigenvectors=eigenvectors,
        index=int(index),
        kind=str(kind),
        escape_direction=escape,
        zero_tolerance=float(threshold),
        index_exact=index_exact,
    )


def newton_steps(gradients, eigenvalues, eigenvectors, cutoff):
    """``H⁺ g`` for batched eigendecompositions, ignoring ``|λ| <= cutoff``."""
    coefficients = np.einsum("nji,nj->ni", eigenvectors, gradients)
    inverse = np.divide(1.0, eigenvalues, out=np.zeros_like(eigenvalues), where=np.abs(eigenvalues) > cutoff)
    return np.einsum("nij,nj->ni", eigenvectors, inverse * coefficients)


def hessian_uncertainty(surface, points, gradients, h, eigenvalues, eigenvectors, length) -> np.ndarray:
    """How far the eigenvalues may be off, per point.

    ``2 ‖H(x) − H(x − δ)‖₂`` (Weyl) for the Newton step ``δ = H⁺∇f`` towards
    the critical point ``x`` approximates. Along an eigenvector in which that
    step would jump more than ``FLAT_JUMP · length`` the point says nothing
    about the curvature beyond its size (a flat direction, as on the
    continuous families of critical points of networks): the step leaves it
    out and its eigenvalue counts as zero.
    """
    cutoff = np.finfo(float).eps * np.abs(eigenvalues).max(axis=-1, keepdims=True)
    coefficients = np.einsum("nji,nj->ni", eigenvectors, gradients)
    with np.errstate(divide="ignore", invalid="ignore"):
        jump = np.abs(coefficients) / np.abs(eigenvalues)
    flat = (jump > FLAT_JUMP * length) & (np.abs(eigenvalues) > cutoff)
    steps = newton_steps(gradients, np.where(flat, 0.0, eigenvalues), eigenvectors, cutoff)
    moved = np.linalg.norm(steps, axis=-1) > 0
    out = np.zeros(points.shape[0])
    if moved.any():
        with np.errstate(all="ignore"):
            shifted = hessians(surface, points[moved] - steps[moved], accurate=True)
            change = np.linalg.norm(h[moved] - shifted, ord=2, axis=(-2, -1))
        out[moved] = np.where(np.isfinite(change), 2.0 * change, np.inf)
    return np.maximum(out, np.where(flat, np.abs(eigenvalues), 0.0).max(axis=-1))


def _analyze_matrix_free(surface, x, *, scale, tol, length) -> CriticalPoint:
    """Kind and index from the ends of the spectrum (Lanczos on Hessian-vector products).

    The kind needs only the extremes (a minimum: smallest eigenvalue above
    the zero threshold; a saddle: one below and one above). The index is
    counted from the smallest eigenvalues, asking for more while all are
    negative. The uncertainty is ``2 ‖H(x) − H(x − δ)‖₂`` as for dense
    Hessians, with ``δ`` from MINRES (at most ``FLAT_JUMP · length`` long)
    and the norm by power iteration.
    """
    from scipy.sparse.linalg import eigsh

    from ._minres import minres
    from ._spectrum import _operator

    value, gradient = surface.value_and_grad(x)
    operator = _operator(surface, x)
    step = minres(lambda v: np.asarray(operator.matmat(v.T)).T, gradient[None, :], iterations=200)[0][0]
    step *= min(1.0, FLAT_JUMP * length / max(np.linalg.norm(step), np.finfo(float).tiny))
    here, there = hvp_at(surface, x), hvp_at(surface, x - step)
    probe = np.random.default_rng(0).standard_normal(surface.dim)
    change = 0.0
    for _ in range(20):  # power iteration on H(x) - H(x - δ)
        probe /= np.linalg.norm(probe)
        probe = np.reshape(here(probe) - there(probe), -1)
        change = float(np.linalg.norm(probe))
    threshold = tol * scale + 2.0 * change
    start = np.random.default_rng(1).standard_normal(surface.dim)
    count = min(FIRST_SMALLEST, surface.dim - 1)
    while True:
        low, low_vectors = eigsh(operator, k=count, which="SA", tol=1e-10, v0=start)
        if low.max() >= -threshold or count >= min(MAX_SMALLEST, surface.dim - 1):
            break
        count = min(2 * count, MAX_SMALLEST, surface.dim - 1)
    high, high_vectors = eigsh(operator, k=1, which="LA", tol=1e-10, v0=start)
    eigenvalues = np.concatenate([low, high])
    order = np.argsort(eigenvalues)
    vectors = np.column_stack([low_vectors, high_vectors])[:, order]
    eigenvalues = eigenvalues[order]
    kinds, indices = kinds_and_indices(eigenvalues[None, :], np.array([threshold]))
    exact = bool(low.max() >= -threshold)
    return _point(x, value, gradient, eigenvalues, vectors, indices[0], kinds[0], threshold, exact)


def kinds_and_indices(eigenvalues: np.ndarray, threshold: np.ndarray):
    """Kinds and indices ``(n,)`` from eigenvalues ``(n, dim)`` and zero thresholds ``(n,)``."""
    negative = eigenvalues < -threshold[:, None]
    positive = eigenvalues > threshold[:, None]
    has_negative, has_positive = negative.any(axis=-1), positive.any(axis=-1)
    has_zero = ~(negative | positive).all(axis=-1)
    kinds = np.where(
        has_negative & has_positive,
        "saddle",
        np.where(has_zero, "degenerate", np.where(has_negative, "maximum", "minimum")),
    )
    return kinds, negative.sum(axis=-1)
