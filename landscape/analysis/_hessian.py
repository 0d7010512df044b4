"""Dense Hessians at a few points, and the scales that make "small" relative.

Every zero test in the analysis is relative to two scales of a surface on a
window: a *curvature* (the largest Hessian norm seen on the window) and a
*length* (half the window's diagonal). A gradient is small when it is small
next to ``curvature · length``; an eigenvalue is zero when it is small next to
``curvature``.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_points, invalid
from ..surfaces import Surface

SCALE_SAMPLES = 64  # points of the window probed for the curvature scale
DENSE_LIMIT = 256  # above this dimension curvatures come from Hessian-vector products only
POWER_STEPS = 30  # power iterations for the largest curvature above DENSE_LIMIT
_CHUNK_ELEMENTS = 1 << 22  # bound on points * dim * dim per batched Hessian


def check_surface(surface) -> Surface:
    """A ``Surface`` (or a registered name, built with its defaults)."""
    if isinstance(surface, str):
        from ..surfaces import get

        return get(surface)
    if not isinstance(surface, Surface):
        raise invalid("surface", surface, "a Surface or a registered surface name")
    return surface


def check_bounds(surface: Surface, bounds) -> np.ndarray:
    """A ``(dim, 2)`` window with low < high; ``None`` means ``surface.bounds``."""
    if bounds is None:
        return surface.bounds
    try:
        bounds = np.asarray(bounds, dtype=float)
    except (TypeError, ValueError):
        raise invalid("bounds", bounds, f"an array of shape ({surface.dim}, 2)") from None
    if bounds.shape != (surface.dim, 2) or not np.all(bounds[:, 0] < bounds[:, 1]):
        raise invalid("bounds", bounds, f"an array of shape ({surface.dim}, 2) with low < high")
    if not np.isfinite(bounds).all():
        raise invalid("bounds", bounds, "finite numbers")
    return bounds


def check_point(surface: Surface, x, name: str = "x") -> np.ndarray:
    """One finite point of shape ``(dim,)``."""
    x = check_points(name, x, surface.dim)
    if x.ndim != 1:
        raise ValueError(f"{name} has shape {x.shape}; expected one point of shape ({surface.dim},)")
    if not np.isfinite(x).all():
        raise invalid(name, x, "a finite point")
    return np.array(x, dtype=float)


def hessians(surface: Surface, points: np.ndarray, *, accurate: bool = False) -> np.ndarray:
    """Hessians ``(n, dim, dim)`` at ``points`` ``(n, dim)``, in bounded-memory chunks.

    The analytic Hessian where the surface has one. Otherwise the surface's
    own finite differences, or with ``accurate=True`` adaptive Richardson
    extrapolation by ``scipy.differentiate.hessian`` (slower, about twice as
    many correct digits as a fixed stencil on values).
    """
    dim = surface.dim
    if accurate and not surface.has_analytic_hessian:
        return _scipy_hessians(surface, points)
    size = max(1, _CHUNK_ELEMENTS // (dim * dim))
    out = np.empty((points.shape[0], dim, dim))
    for start in range(0, points.shape[0], size):
        out[start : start + size] = surface.hessian(points[start : start + size])
    return out


def _scipy_hessians(surface: Surface, points: np.ndarray) -> np.ndarray:
    from scipy.differentiate import hessian as numerical_hessian

    def value(z):  # scipy puts coordinates first: z has shape (dim, ...)
        return surface.value(np.moveaxis(z, 0, -1))

    result = numerical_hessian(value, points.T)
    out = np.moveaxis(result.ddf, -1, 0)  # (n, dim, dim)
    return 0.5 * (out + np.swapaxes(out, -1, -2))


def hvp_at(surface: Surface, x: np.ndarray):
    """``v ↦ H(x) v`` for checked points ``x`` ``(dim,)`` or ``(P, dim)``: the surface's own
    ``hvp_operator`` where it has one (a model keeps its passes at ``x`` between products)."""
    operator = getattr(surface, "hvp_operator", None)
    if callable(operator):
        return operator(x)
    return lambda v: surface._hvp(x, v)


def window_length(bounds: np.ndarray) -> float:
    """Half the diagonal of the window: the length unit of relative tests."""
    return 0.5 * float(np.linalg.norm(bounds[:, 1] - bounds[:, 0]))


def curvature_scale(surface: Surface, bounds: np.ndarray, extra=None, seed: int = 0) -> float:
    """The largest spectral norm of the Hessian over a probe of the window.

    The probe is the window's centre and up to ``SCALE_SAMPLES`` seeded
    uniform points of the window, plus the points ``extra`` ``(n, dim)``.
    It is the unit of curvature in zero tests: an eigenvalue is zero when it
    is tiny next to the strongest curvature the surface shows on the window.
    """
    rng = np.random.default_rng(seed)
    low, high = bounds[:, 0], bounds[:, 1]
    count = max(2, min(SCALE_SAMPLES, _CHUNK_ELEMENTS // surface.dim**2))
    probe = np.vstack([0.5 * (low + high), low + (high - low) * rng.random((count, surface.dim))])
    if extra is not None:
        probe = np.vstack([probe, np.reshape(extra, (-1, surface.dim))])
    scale = largest_curvature(surface, probe)
    return scale if scale > 0 else 1.0


def largest_curvature(surface: Surface, points: np.ndarray) -> float:
    """``max ‖∇²f(x)‖₂`` over ``points`` ``(n, dim)`` (0 for none; non-finite Hessians skipped).

    Above ``DENSE_LIMIT`` dimensions, ``POWER_STEPS`` power iterations on
    ``hvp`` estimate each norm (from below, to within a few percent for a
    spectrum whose top is not crowded): it is a unit, not a result.
    """
    if len(points) == 0:
        return 0.0
    if surface.dim > DENSE_LIMIT:
        norms = _power_iteration(surface, points)
    else:
        norms = np.abs(np.linalg.eigvalsh(hessians(surface, points))).max(axis=-1)
    norms = norms[np.isfinite(norms)]
    return float(norms.max()) if norms.size else 0.0


def _power_iteration(surface: Surface, points: np.ndarray) -> np.ndarray:
    """``‖∇²f‖₂`` at each point by power iteration on batched Hessian-vector products."""
    v = np.random.default_rng(0).standard_normal(points.shape)
    norms = np.zeros(len(points))
    with np.errstate(all="ignore"):
        for _ in range(POWER_STEPS):
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            v = surface.hvp(points, v)
            norms = np.linalg.norm(v, axis=1)
    return norms
