"""Linear optimizers on a dense quadratic, run in the eigenbasis of its Hessian.

Gradient descent and momentum on ``f(x) = ½ xᵀHx + bᵀx`` are linear maps
with scalar coefficients, so they commute with the rotation ``H = Q Λ Qᵀ``:
in the coordinates ``y = Qᵀx`` every direction moves on its own (the
lecture's picture of why an elongated bowl makes gradient descent slow), and
the gradient ``Λy + Qᵀb`` is elementwise. One eigendecomposition, cached on
the surface, then replaces a matrix product per step by one per recorded
step. Values, gradient norms and distances from the origin do not change
under the rotation, so records and divergence flags are those of the
direct run, to rounding.

Only for what commutes with the rotation: the building blocks in
``LINEAR_BLOCKS`` (any schedule, per-particle values) and no gradient noise,
whose draws belong to the original coordinates. Whether a run takes this
path depends on the surface and the optimizer only, never on the number of
particles, so a particle's path is the same in any ensemble.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .._linalg import rows_times
from ..surfaces import RandomQuadratic, Surface
from ._problem import TraceProblem

LINEAR_BLOCKS = frozenset({"scale_by_momentum", "scale_by_learning_rate", "add_decayed_weights"})


class _DiagonalQuadratic(Surface):
    """``½ Σ λ_i y_i² + c·y``: the quadratic in its eigenbasis."""

    thread_safe = True

    def __init__(self, eigenvalues, linear):
        self.eigenvalues, self.linear = eigenvalues, linear
        dim = eigenvalues.size
        super().__init__(dim=dim, bounds=np.tile([-1.0, 1.0], (dim, 1)), name="eigenbasis")

    def _grad(self, y):
        g = np.multiply(y, self.eigenvalues)
        if self.linear is not None:
            g += self.linear
        return g

    def _value_and_grad(self, y):
        g = self._grad(y)
        half = np.multiply(y, 0.5 * self.eigenvalues)
        if self.linear is not None:
            half += self.linear
        return np.einsum("...i,...i->...", y, half), g

    def _value(self, y):
        return self._value_and_grad(y)[0]


def applies(problem: TraceProblem) -> bool:
    """Whether ``problem`` runs in the eigenbasis."""
    surface = problem.surface
    return (
        type(surface) is RandomQuadratic
        and not surface.structured
        and problem.noise is None
        and problem.batch_size is None
        and None not in problem.optimizer.parts
        and all(part.name in LINEAR_BLOCKS for part in problem.optimizer.parts)
    )


def rotated(problem: TraceProblem) -> tuple[TraceProblem, np.ndarray]:
    """The same run in the coordinates ``y = Qᵀx``, and ``Q``."""
    surface = problem.surface
    eigenvalues, q = surface.eigenbasis()
    linear = q.T @ surface.linear if surface.params["linear_scale"] > 0 else None
    x0 = rows_times(problem.x0, q).astype(problem.dtype)
    return dataclasses.replace(problem, surface=_DiagonalQuadratic(eigenvalues, linear), x0=x0), q


def back(records: dict, q: np.ndarray) -> dict:
    """Recorded positions (and optimizer state) in the original coordinates, ``x = Q y``."""
    records["positions"] = _unrotated(records["positions"], q)
    if records["state"] is not None:
        records["state"] = {name: _unrotated(a, q) for name, a in records["state"].items()}
    return records


def _unrotated(array: np.ndarray, q: np.ndarray) -> np.ndarray:
    # one product over all records' rows, rather than one BLAS call per record
    flat = rows_times(array.reshape(-1, array.shape[-1]), q.T)
    return flat.astype(array.dtype, copy=False).reshape(array.shape)
