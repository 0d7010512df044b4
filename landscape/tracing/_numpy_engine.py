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


def run(problem: TraceProblem) -> dict:
    """Trace all particles; return the recorded arrays (see ``Trajectory``)."""
    surface, optimizer = problem.surface, problem.optimizer
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

    noise_std = None
    if problem.noise is not None:
        noise_std = per_particle(problem.noise.std, problem.x0)
        noise_keys = _random.particle_keys(problem.seed, k, _random.NOISE_STREAM)
    if minibatches:
        shuffle_keys = _random.particle_keys(problem.seed, k, _random.SHUFFLE_STREAM)
        m, b = surface.data_size, problem.batch_size

    x = problem.x0.copy()
    state = optimizer.init(x)
    is_recorded = np.zeros(problem.steps + 1, dtype=bool)
    is_recorded[problem.record_steps] = True
    row = 0
    batch_value = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(problem.steps + 1):
            if minibatches:
                if is_recorded[t]:
                    value, full_grad = surface._value_and_grad(x)
                    if t == 0:
                        batch_value = value
                if t < problem.steps:
                    epoch, j = divmod(t, problem.steps_per_epoch)
                    if b >= m:  # the whole data set: batch gradient descent exactly
                        next_batch_value, grad = surface._value_and_grad(x)
                    else:
                        window = np.arange(j * b, min((j + 1) * b, m))
                        indices = _random.shuffled_indices(shuffle_keys, epoch, window, m)
                        next_batch_value, grad = surface.batch_value_and_grad(x, indices)
            elif is_recorded[t]:
                value, grad = surface._value_and_grad(x)
                full_grad = grad
            else:
                grad = surface._grad(x)

            if is_recorded[t]:
                positions[row] = x
                values[row] = value
                grad_norms[row] = np.sqrt(np.einsum("kd,kd->k", full_grad, full_grad))
                if minibatches:
                    batch_values[row] = batch_value
                row += 1
            if t == problem.steps:
                break

            grad = grad.astype(dtype, copy=False)
            if noise_std is not None:
                grad = grad + noise_std * _random.normals(noise_keys, t, dim).astype(dtype)
            epoch_number = t // problem.steps_per_epoch + 1
            updates, state = optimizer.update(grad, state, x, epoch=epoch_number)
            moved = x + updates.astype(dtype, copy=False)
            escaped = ~(np.einsum("kd,kd->k", moved, moved) <= radius_squared)  # NaN counts
            if escaped.any() or not alive.all():
                newly = escaped & alive
                diverged_step[newly] = t + 1
                alive &= ~escaped
                moved = np.where(alive[:, None], moved, x)
            x = moved
            if minibatches:
                batch_value = next_batch_value
    return {
        "positions": positions,
        "values": values,
        "grad_norms": grad_norms,
        "diverged_step": diverged_step,
        "batch_values": batch_values,
    }
