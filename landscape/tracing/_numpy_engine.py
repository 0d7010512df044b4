"""The vectorized numpy engine: one loop over steps, every particle in one array.

It runs any surface, any optimizer (built-in or hand-written) and any noise.
The arrays it owns (positions, records) are updated in place; the optimizer
is called through its pure ``update``.
"""

from __future__ import annotations

import numpy as np

from .. import _random
from ..optim import per_particle
from ._problem import TraceProblem


class _Gradients:
    """What the step loop needs at one position: the (mini-batch) gradient and the records."""

    def __init__(self, problem: TraceProblem):
        self.surface = problem.surface
        self.minibatches = problem.batch_size is not None
        self.steps = problem.steps
        self.steps_per_epoch = problem.steps_per_epoch
        if self.minibatches:
            self.keys = _random.particle_keys(problem.seed, problem.particles, _random.SHUFFLE_STREAM)
            self.m, self.b = self.surface.data_size, problem.batch_size

    def __call__(self, x: np.ndarray, t: int, recording: bool):
        """Return ``(value, full_grad, grad, batch_value)``; records are None when not recording."""
        s = self.surface
        if not self.minibatches:
            if recording:
                value, grad = s._value_and_grad(x)
                return value, grad, grad, None
            return None, None, s._grad(x), None
        value = full_grad = grad = batch_value = None
        if recording:
            value, full_grad = s._value_and_grad(x)
        if t < self.steps:
            epoch, j = divmod(t, self.steps_per_epoch)
            if self.b >= self.m:  # the whole data set: batch gradient descent exactly
                batch_value, grad = (value, full_grad) if recording else s._value_and_grad(x)
            else:
                window = np.arange(j * self.b, min((j + 1) * self.b, self.m))
                indices = _random.shuffled_indices(self.keys, epoch, window, self.m)
                batch_value, grad = s.batch_value_and_grad(x, indices)
        return value, full_grad, grad, batch_value


def _broken(value, full_grad, grad):
    """Particles whose gradient or recorded value is not finite."""
    broken = np.zeros(len(grad if grad is not None else value), dtype=bool)
    for array in (grad, full_grad):
        if array is not None and not np.isfinite(array).all():
            broken |= ~np.isfinite(array).all(axis=1)
    if value is not None and not np.isfinite(value).all():
        broken |= ~np.isfinite(value)
    return broken


def run(problem: TraceProblem) -> dict:
    """Trace all particles; return the recorded arrays (see ``Trajectory``)."""
    optimizer = problem.optimizer
    k, dim, dtype = problem.particles, problem.dim, problem.dtype
    recorded = len(problem.record_steps)
    positions = np.empty((recorded, k, dim), dtype)
    values = np.empty((recorded, k), dtype)
    grad_norms = np.empty((recorded, k), dtype)
    minibatches = problem.batch_size is not None
    batch_values = np.empty((recorded, k), dtype) if minibatches else None
    diverged_step = np.full(k, -1, dtype=np.int64)
    alive = np.ones(k, dtype=bool)
    radius_squared = problem.divergence_radius**2
    evaluate = _Gradients(problem)
    noise_std = None
    if problem.noise is not None:
        noise_std = per_particle(problem.noise.std, problem.x0)
        noise_keys = _random.particle_keys(problem.seed, k, _random.NOISE_STREAM)

    x = previous = problem.x0.copy()
    state = optimizer.init(x)
    is_recorded = np.zeros(problem.steps + 1, dtype=bool)
    is_recorded[problem.record_steps] = True
    row = 0
    batch_value = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(problem.steps + 1):
            value, full_grad, grad, next_batch_value = evaluate(x, t, is_recorded[t])
            broken = _broken(value, full_grad, grad)
            if broken.any():
                if t == 0:
                    raise ValueError(
                        f"x0: the gradient or value is not finite at {int(broken.sum())} starting "
                        "point(s); expected starting points where the surface is defined"
                    )
                diverged_step[broken & alive] = t
                alive &= ~broken
                x = np.where(broken[:, None], previous, x)
                value, full_grad, grad, next_batch_value = evaluate(x, t, is_recorded[t])

            if is_recorded[t]:
                positions[row] = x
                values[row] = value
                grad_norms[row] = np.sqrt(np.einsum("kd,kd->k", full_grad, full_grad))
                if minibatches:
                    batch_values[row] = value if t == 0 else batch_value
                row += 1
            if t == problem.steps:
                break

            grad = grad.astype(dtype, copy=False)
            if noise_std is not None:
                grad = grad + noise_std * _random.normals(noise_keys, t, dim).astype(dtype)
            updates, state = optimizer.update(grad, state, x, epoch=t // problem.steps_per_epoch + 1)
            moved = x + updates.astype(dtype, copy=False)
            escaped = ~(np.einsum("kd,kd->k", moved, moved) <= radius_squared)  # NaN counts
            if escaped.any() or not alive.all():
                diverged_step[escaped & alive] = t + 1
                alive &= ~escaped
                moved = np.where(alive[:, None], moved, x)
            previous, x = x, moved
            batch_value = next_batch_value
    return {
        "positions": positions,
        "values": values,
        "grad_norms": grad_norms,
        "diverged_step": diverged_step,
        "batch_values": batch_values,
    }
