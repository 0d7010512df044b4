"""The vectorized numpy engine: one loop over steps, particles in whole arrays.

It runs any surface, any optimizer (its building blocks' rules on whole
arrays, or the ``update`` of a transformation written by hand) and any
noise. Particles go through the step loop in blocks of about ``BLOCK_BYTES``
per array, small enough to stay in cache. Blocks are independent, and on a
surface that allows it (``Surface.thread_safe``) several run at once on a
pool of threads, one per core (with BLAS on one thread meanwhile). Block
boundaries depend only on the run, and each particle's random streams only
on the seed and its index, so the numbers are the same to the bit on any
number of threads.
"""

from __future__ import annotations

import os

import numpy as np

from .. import _random
from .._machine import map_on_threads, one_blas_thread, usable_cores
from .._validation import InvalidArgument
from ..optim import per_particle
from . import _divergence, _eigenbasis
from ._divergence import BAD_POINT, FROZEN, MOVING
from ._problem import TraceProblem, squared_radius

BLOCK_BYTES = 1 << 20
MIN_BLOCK = 128  # particles: enough work in each numpy call to hide its overhead


def block_size(problem: TraceProblem) -> int:
    """Particles per block: all of them for hand-written optimizers (their state cannot be cut).

    Otherwise about ``BLOCK_BYTES`` of each particle's largest per-step array
    (its coordinates, or its mini-batch of examples), at least ``MIN_BLOCK``
    particles, evened out so that the blocks are of equal size (the threads
    then finish together).
    """
    k = problem.particles
    if None in problem.optimizer.parts:
        return k
    row = np.dtype(problem.dtype).itemsize * problem.dim * (problem.batch_size or 1)
    largest = max(MIN_BLOCK, BLOCK_BYTES // row)
    blocks = -(-k // largest)
    return -(-k // blocks)


def threads() -> int:
    """Threads that run blocks at once: the cores this process may use
    (``LANDSCAPE_NUMPY_THREADS`` overrides)."""
    setting = os.environ.get("LANDSCAPE_NUMPY_THREADS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return usable_cores()


def state_names(problem: TraceProblem) -> list[str]:
    """``"<block>.<state>"`` for every state array of the optimizer, in order."""
    return [f"{part.name}.{name}" for part in problem.optimizer.parts for name in part.state]


def run(problem: TraceProblem) -> dict:
    """Trace all particles; return the recorded arrays (see ``Trajectory``)."""
    if _eigenbasis.applies(problem):
        inner, q = _eigenbasis.rotated(problem)
        return _eigenbasis.back(run(inner), q)
    k, dim, dtype = problem.particles, problem.dim, problem.dtype
    recorded = len(problem.record_steps)
    out = {
        "positions": np.empty((recorded, k, dim), dtype),
        "values": np.empty((recorded, k), dtype),
        "grad_norms": np.empty((recorded, k), dtype),
        "diverged_step": np.full(k, -1, dtype=np.int64),
        "batch_values": np.empty((recorded, k), dtype) if problem.batch_size is not None else None,
        "state": None,
    }
    if problem.record_state:
        out["state"] = {name: np.empty((recorded, k, dim), dtype) for name in state_names(problem)}
    noise_keys = _random.particle_keys(problem.seed, problem.streams, _random.NOISE_STREAM)
    shuffle_keys = _random.particle_keys(problem.seed, problem.streams, _random.SHUFFLE_STREAM)
    size = block_size(problem)

    def run_part(start):
        part = slice(start, min(start + size, k))
        views = {name: _view(array, part) for name, array in out.items()}
        _run_block(problem.block(part.start, part.stop), noise_keys[part], shuffle_keys[part], views)

    starts = range(0, k, size)
    if len(starts) == 1:
        run_part(0)
        return out
    workers = threads() if problem.surface.thread_safe else 1
    # BLAS on one thread whatever the number of workers: its results (to the bit) depend on
    # how it splits a product, so they stay the same on any number of workers
    with one_blas_thread():
        map_on_threads(run_part, starts, workers)
    return out


def _view(array, part: slice):
    """The particles ``part`` of a record array (particles on axis 1, or 0 for 1-D arrays)."""
    if array is None:
        return None
    if isinstance(array, dict):
        return {name: _view(a, part) for name, a in array.items()}
    return array[part] if array.ndim == 1 else array[:, part]


class _Gradients:
    """What the step loop needs at one position: the (mini-batch) gradient and the records."""

    SHUFFLE_CHUNK = 1 << 16  # example indices drawn per call, to spread the call overhead

    def __init__(self, problem: TraceProblem, shuffle_keys: np.ndarray):
        self.surface = problem.surface
        self.minibatches = problem.batch_size is not None
        self.steps = problem.steps
        self.steps_per_epoch = problem.steps_per_epoch
        self.keys = shuffle_keys
        self.compute_dtype = problem.compute_dtype
        if self.minibatches:
            self.m, self.b = self.surface.data_size, problem.batch_size
            self.batches_per_draw = max(1, self.SHUFFLE_CHUNK // (len(shuffle_keys) * self.b))
            self.drawn = (-1, -1, None)  # (epoch, first batch, indices)

    def __call__(self, x: np.ndarray, t: int, recording: bool, batch_value_needed: bool):
        """Return ``(value, full_grad, grad, batch_value)``; records are None when not needed."""
        s = self.surface
        x = x.astype(self.compute_dtype, copy=False)
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
            elif batch_value_needed:
                batch_value, grad = s.batch_value_and_grad(x, self._indices(epoch, j))
            else:
                grad = s.batch_grad(x, self._indices(epoch, j))
        return value, full_grad, grad, batch_value

    def _indices(self, epoch: int, j: int) -> np.ndarray:
        """Example indices of batch ``j`` of ``epoch`` for every particle, drawn a few batches ahead."""
        drawn_epoch, first, indices = self.drawn
        if drawn_epoch != epoch or not first <= j < first + self.batches_per_draw:
            stop = min((j + self.batches_per_draw) * self.b, self.m)
            indices = _random.shuffled_indices(self.keys, epoch, np.arange(j * self.b, stop), self.m)
            self.drawn = (epoch, first := j, indices)
        offset = (j - first) * self.b
        return indices[:, offset : offset + self.b]


class _Optimizer:
    """The optimizer of one block of particles, with the state the engine owns.

    Building blocks run their rules on the block's arrays (schedules at the
    update's epoch, per-particle values already cut to the block); a
    transformation written by hand runs through its own ``update``.
    """

    def __init__(self, problem: TraceProblem, x: np.ndarray):
        optimizer = problem.optimizer
        self.compute_dtype = problem.compute_dtype
        self.blocks = None if None in optimizer.parts else optimizer.parts
        if self.blocks is None:
            self.transform, self.state = optimizer, optimizer.init(x)
        else:
            self.state = [tuple(np.zeros_like(x) for _ in block.state) for block in self.blocks]

    def update(self, grad, x, t: int, epoch: int):
        """The update of step ``t`` (0-based) at ``epoch``; the new state is kept."""
        if self.blocks is None:
            updates, self.state = self.transform.update(grad, self.state, x, epoch=epoch)
            return updates
        u, storage = grad.astype(self.compute_dtype, copy=False), x.dtype
        x = x.astype(self.compute_dtype, copy=False)
        for i, block in enumerate(self.blocks):
            state = tuple(a.astype(self.compute_dtype, copy=False) for a in self.state[i])
            u, state = block.apply(u, x, t + 1, state, block.values(epoch, t + 1, u))
            self.state[i] = tuple(a.astype(storage, copy=False) for a in state)
        return u

    def arrays(self):
        """The state arrays, in the order of ``state_names``."""
        return [a for arrays in self.state for a in arrays]


def _run_block(problem: TraceProblem, noise_keys, shuffle_keys, out: dict) -> None:
    """The step loop for one block of particles, writing into views of the records."""
    dim, dtype = problem.dim, problem.dtype
    diverged_step = out["diverged_step"]
    status = np.full(problem.particles, MOVING)
    all_moving = True
    radius = problem.divergence_radius
    radius_squared = squared_radius(problem)
    # |x|_inf <= radius / sqrt(dim) guarantees |x|_2 <= radius: one cheap test per step
    coordinate_bound = radius / np.sqrt(dim)
    evaluate = _Gradients(problem, shuffle_keys)
    noise_std = None if problem.noise_std is None else per_particle(problem.noise_std, problem.x0)

    x = previous = problem.x0.copy()
    optimizer = _Optimizer(problem, x)
    is_recorded = np.zeros(problem.steps + 1, dtype=bool)
    is_recorded[problem.record_steps] = True
    steps_per_epoch = problem.steps_per_epoch
    row = 0
    batch_value = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(problem.steps + 1):
            recording = is_recorded[t]
            batch_value_needed = t < problem.steps and is_recorded[t + 1]
            value, full_grad, grad, next_batch_value = evaluate(x, t, recording, batch_value_needed)
            if recording:  # between records, a bad gradient shows up in the next position
                finite = _finite(value, full_grad, grad)
                if not finite.all():
                    if t == 0:
                        raise InvalidArgument(
                            f"x0: the gradient or value is not finite at {int((~finite).sum())} starting "
                            "point(s); expected starting points where the surface is defined"
                        )
                    code = _divergence.at_record(status, finite)
                    bad = code == BAD_POINT
                    diverged_step[bad] = t
                    status = np.maximum(code, FROZEN)
                    all_moving = False
                    x = np.where(bad[:, None], previous, x)
                    value, full_grad, grad, next_batch_value = evaluate(x, t, recording, batch_value_needed)
                _record(out, row, x, value, full_grad, None if t == 0 else batch_value, optimizer)
                row += 1
            if t == problem.steps:
                break

            if noise_std is not None:
                grad = grad + noise_std * _random.normals(noise_keys, t, dim).astype(grad.dtype)
            updates = optimizer.update(grad, x, t, t // steps_per_epoch + 1)
            moved = np.add(x, updates, dtype=dtype)
            # two reductions and no temporary; NaN fails both comparisons
            inside = moved.max() <= coordinate_bound and moved.min() >= -coordinate_bound
            if not inside or not all_moving:
                inside = np.einsum("kd,kd->k", moved, moved) <= radius_squared
                code = _divergence.after_step(status, inside, np.isfinite(grad).all(axis=1))
                stopped = code < FROZEN
                diverged_step[stopped] = _divergence.stop_step(code[stopped], t)
                status = np.maximum(code, FROZEN)
                all_moving = bool((status == MOVING).all())
                keep = np.where((code == BAD_POINT)[:, None], previous, x)
                moved = np.where((status == MOVING)[:, None], moved, keep)
            previous, x = x, moved
            batch_value = next_batch_value


def _finite(value, full_grad, grad) -> np.ndarray:
    """Particles whose recorded value and gradients are all finite."""
    finite = np.isfinite(value)
    for array in (grad, full_grad):
        if array is not None:
            finite &= np.isfinite(array).all(axis=1)
    return finite


def _record(out, row, x, value, full_grad, batch_value, optimizer) -> None:
    """Write record ``row``: positions, values, gradient norms, mini-batch values, state."""
    out["positions"][row] = x
    out["values"][row] = value
    out["grad_norms"][row] = np.sqrt(np.einsum("kd,kd->k", full_grad, full_grad))
    if out["batch_values"] is not None:
        out["batch_values"][row] = value if batch_value is None else batch_value
    if out["state"] is not None:
        for array, state in zip(out["state"].values(), optimizer.arrays(), strict=True):
            array[row] = state
