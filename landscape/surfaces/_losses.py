r"""Per-example losses of a score ``z`` against a target ``y``, written once.

Each function is elementwise: numpy calls it on whole arrays of scores, and
the compiled engine compiles the very same function (``numba.njit``) and
calls it on one example at a time (``landscape.tracing._kernels.data``).
So they use only operations that mean the same on arrays and on scalars
(``np.exp``, ``np.abs``, ``np.where``, ``np.log1p``, ``np.maximum``).

``*_loss(z, y, want_value)`` returns ``(ℓ, dℓ/dz)``; the value is ``0`` when
``want_value`` is false (a gradient-only step skips its logarithm).
``*_curvature(z, y)`` returns ``d²ℓ/dz²`` (Hessian-vector products).

* squared error: ``ℓ = ½ (z − y)²``;
* logistic (cross-entropy of ``ŷ = σ(z)``): ``ℓ = −y log ŷ − (1 − y) log(1 − ŷ)
  = log(1 + e^z) − y z``, computed from one exponential ``e^{−|z|}`` as
  ``max(z, 0) + log1p(e^{−|z|}) − y z`` (no overflow for any ``z``), with
  ``σ(z) = 1 / (1 + e^{−|z|})`` for ``z ≥ 0`` and ``e^{−|z|} / (1 + e^{−|z|})``
  below, both without cancellation.

The softmax cross-entropy couples the outputs of one example, so it is not
elementwise: ``softmax_loss`` works on the last axis of arrays only.
"""

from __future__ import annotations

import numpy as np


def squared_loss(z, y, want_value):
    """``(½ (z − y)², z − y)``."""
    residual = z - y
    value = 0.5 * (residual * residual) if want_value else 0.0 * residual
    return value, residual


def squared_curvature(z, y):
    """``1``."""
    return 1.0 + 0.0 * z


def logistic_loss(z, y, want_value):
    """``(log(1 + e^z) − y z, σ(z) − y)``."""
    decay = np.exp(-np.abs(z))
    slope = np.where(z >= 0.0, 1.0, decay) / (1.0 + decay) - y
    value = np.maximum(z, 0.0) + np.log1p(decay) - y * z if want_value else 0.0 * z
    return value, slope


def logistic_curvature(z, y):
    """``σ(z) (1 − σ(z)) = e^{−|z|} / (1 + e^{−|z|})²``."""
    decay = np.exp(-np.abs(z))
    return decay / ((1.0 + decay) * (1.0 + decay))


def softmax_loss(z, y, want_value):
    """``(logsumexp(z) − y·z, softmax(z) − y)`` over the last axis (``y`` sums to 1)."""
    shifted = z - z.max(axis=-1, keepdims=True)
    exponentials = np.exp(shifted)
    total = exponentials.sum(axis=-1, keepdims=True)
    slope = exponentials / total - y
    if not want_value:
        return np.zeros(z.shape[:-1]), slope
    return np.log(total[..., 0]) - np.einsum("...j,...j->...", y, shifted), slope


def softmax_curvature_product(z, direction):
    """``(diag(p) − p pᵀ) u`` over the last axis, ``p = softmax(z)``: the Hessian of the loss times ``u``."""
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    return p * (direction - np.einsum("...j,...j->...", p, direction)[..., None])
