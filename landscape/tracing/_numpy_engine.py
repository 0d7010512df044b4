"""The vectorized numpy engine: one loop over steps, particles in whole arrays.

It runs any surface, any optimizer (built-in or hand-written) and any noise.
Particles go through the step loop in blocks whose arrays stay small (about
1 MiB, half of a 2 MiB L2 cache): they live in cache and their temporaries
are recycled by the allocator instead of being mapped afresh at every step,
which for large ensembles is faster than one array of every particle, while
each numpy call still does enough work to hide its own overhead (128 KiB
blocks made W1 of ``bench/bench_core.py`` 0.84x of plain numpy; 1 MiB, 0.98x).

Blocks are independent, and numpy lets go of the GIL inside each call on
arrays this large, so on a surface that allows it (``Surface.thread_safe``)
several blocks run at once on a pool of threads, one per core (and BLAS,
which some surfaces call, on one thread meanwhile). Block boundaries depend
only on the run, never on the number of threads, and each particle's random
stream depends only on the seed and its index, so the numbers are the same
to the bit on any number of threads. On two cores W1 went from 1.0x to 1.7x
of plain numpy, W3 (mini-batches of 256 particles) from 1.6x to 2.4x.
"""

from __future__ import annotations

import os

import numpy as np

from .. import _random
from .._machine import map_on_threads, one_blas_thread, usable_cores
from .._validation import InvalidArgument
from ..optim import per_particle
from . import _eigenbasis
from ._problem import TraceProblem

BLOCK_BYTES = 1 << 20
MIN_BLOCK = 128  # particles: enough work in each numpy call to hide its overhead


def block_size(problem: TraceProblem) -> int:
    """Particles per block: all of them for hand-written optimizers (no spec to slice).

    Otherwise about ``BLOCK_BYTES`` of each particle's largest per-step array
    (its coordinates, or its mini-batch of examples), at least ``MIN_BLOCK``
    particles, evened out so that the blocks are of equal size (the threads
    then finish together).
    """
    k = problem.particles
    if problem.optimizer.spec is None:
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
    }
    noise_keys = _random.particle_keys(problem.seed, problem.particle_ids, _random.NOISE_STREAM)
    shuffle_keys = _random.particle_keys(problem.seed, problem.particle_ids, _random.SHUFFLE_STREAM)
    size = block_size(problem)

    def run_part(start):
        part = slice(start, min(start + size, k))
        views = {name: None if a is None else a[..., part] if a.ndim == 1 else a[:, part]
                 for name, a in out.items()}
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


class _Gradients:
    """What the step loop needs at one position: the (mini-batch) gradient and the records."""

    SHUFFLE_CHUNK = 1 << 16  # example indices drawn per call, to spread the call overhead

    def __init__(self, problem: TraceProblem, shuffle_keys: np.ndarray):
        self.surface = problem.surface
        self.minibatches = problem.batch_size is not None
        self.steps = problem.steps
        self.steps_per_epoch = problem.steps_per_epoch
        self.keys = shuffle_keys
        if self.minibatches:
            self.m, self.b = self.surface.data_size, problem.batch_size
            self.batches_per_draw = max(1, self.SHUFFLE_CHUNK // (len(shuffle_keys) * self.b))
            self.drawn = (-1, -1, None)  # (epoch, first batch, indices)

    def __call__(self, x: np.ndarray, t: int, recording: bool, batch_value_needed: bool):
        """Return ``(value, full_grad, grad, batch_value)``; records are None when not needed."""
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


def _broken(value, full_grad, grad):
    """Particles whose gradient or recorded value is not finite."""
    broken = np.zeros(len(grad if grad is not None else value), dtype=bool)
    for array in (grad, full_grad):
        if array is not None and not np.isfinite(array).all():
            broken |= ~np.isfinite(array).all(axis=1)
    if value is not None and not np.isfinite(value).all():
        broken |= ~np.isfinite(value)
    return broken


def _run_block(problem: TraceProblem, noise_keys, shuffle_keys, out: dict) -> None:
    """The step loop for one block of particles, writing into views of the records."""
    optimizer, dim, dtype = problem.optimizer, problem.dim, problem.dtype
    diverged_step = out["diverged_step"]
    alive = np.ones(problem.particles, dtype=bool)
    all_alive = True
    radius = problem.divergence_radius
    # |x|_inf <= radius / sqrt(dim) guarantees |x|_2 <= radius: one cheap test per step
    coordinate_bound = radius / np.sqrt(dim)
    evaluate = _Gradients(problem, shuffle_keys)
    noise_std = None if problem.noise is None else per_particle(problem.noise.std, problem.x0)

    x = previous = problem.x0.copy()
    state = optimizer.init(x)
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
                broken = _broken(value, full_grad, grad)
                if broken.any():
                    if t == 0:
                        raise InvalidArgument(
                            f"x0: the gradient or value is not finite at {int(broken.sum())} starting "
                            "point(s); expected starting points where the surface is defined"
                        )
                    diverged_step[broken & alive] = t
                    alive &= ~broken
                    all_alive = False
                    x = np.where(broken[:, None], previous, x)
                    value, full_grad, grad, next_batch_value = evaluate(x, t, recording, batch_value_needed)
                out["positions"][row] = x
                out["values"][row] = value
                out["grad_norms"][row] = np.sqrt(np.einsum("kd,kd->k", full_grad, full_grad))
                if out["batch_values"] is not None:
                    out["batch_values"][row] = value if t == 0 else batch_value
                row += 1
            if t == problem.steps:
                break

            if grad.dtype != dtype:
                grad = grad.astype(dtype)
            if noise_std is not None:
                grad = grad + noise_std * _random.normals(noise_keys, t, dim).astype(dtype)
            updates, state = optimizer.update(grad, state, x, epoch=t // steps_per_epoch + 1)
            moved = np.add(x, updates, dtype=dtype)
            # two reductions and no temporary; NaN fails both comparisons
            inside = moved.max() <= coordinate_bound and moved.min() >= -coordinate_bound
            if not inside or not all_alive:
                escaped = ~(np.einsum("kd,kd->k", moved, moved) <= np.float64(radius) ** 2) & alive
                # a non-finite gradient means x itself is a bad point: go back one step
                bad_point = escaped & ~np.isfinite(grad).all(axis=1)
                diverged_step[escaped] = np.where(bad_point[escaped], t, t + 1)
                alive &= ~escaped
                all_alive = bool(alive.all())
                moved = np.where(alive[:, None], moved, np.where(bad_point[:, None], previous, x))
            previous, x = x, moved
            batch_value = next_batch_value
