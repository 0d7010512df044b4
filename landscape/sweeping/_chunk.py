"""One chunk of a sweep: a block of configurations run as one vectorized ``trace`` call.

A chunk holds consecutive configurations that share the surface and every
grouped key; its ``C`` configurations times ``S`` seeds are ``C * S``
particles (configuration-major). Seed ``r`` of every configuration is
particle ``r`` of the ensemble ``trace(..., particles=S, seed=seed)``: same
starting point, same noise and mini-batches (``particle_ids``), so a
chunk's numbers depend only on its configurations and the seed -- never on
how the grid was cut or where the chunk ran.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .. import optim
from .._resources import allow_large
from ..tracing import DivergenceWarning, trace
from ._grid import LABEL_AXES
from ._metrics import over_seeds, run_metrics


@dataclass(frozen=True)
class Settings:
    """What every chunk of a sweep shares (all but the grid values).

    ``starts[i]`` is the ``(S, dim)`` (or ``(1, dim)`` when all seeds start
    together) array of starting points on surface ``i``; ``optima[i]`` its
    minimum value (``nan`` if unknown).
    """

    optimizers: tuple  # (registered name, parameters) of each optimizer
    seeds: int
    seed: int
    steps: int | None
    epochs: int | None
    batch_size: int | None
    noise: object
    record_every: int
    dtype: type
    divergence_radius: float | None
    tol: float
    starts: tuple
    optima: tuple
    metrics: dict  # your own per-run metrics: name -> function(trajectory) -> (K,)


@dataclass(frozen=True)
class Chunk:
    """Configurations ``start:stop`` of one surface and one optimizer (indices), with their grid values."""

    start: int
    stop: int
    surface: int
    optimizer: int
    fixed: dict  # grouped keys: one value for the whole chunk
    arrays: dict  # vectorized keys: ``(stop - start,)`` values

    @property
    def size(self) -> int:
        return self.stop - self.start


def run_chunk(surface, chunk: Chunk, settings: Settings) -> dict[str, np.ndarray]:
    """Trace one chunk and return its metric columns, each of shape ``(chunk.size,)``."""
    s = settings.seeds
    name, base = settings.optimizers[chunk.optimizer]
    params = base | chunk.fixed | {k: np.repeat(v, s) for k, v in chunk.arrays.items()}
    batch_size = params.pop("batch_size", settings.batch_size)
    starts = settings.starts[chunk.surface]
    x0 = np.broadcast_to(starts, (s, starts.shape[1]))
    # divergence is a measured outcome here; the size was checked (or allowed) by sweep() itself
    with warnings.catch_warnings(), allow_large():
        warnings.simplefilter("ignore", DivergenceWarning)
        trajectory = trace(
            surface,
            optim.get(name, **params),
            np.tile(x0, (chunk.size, 1)),
            settings.steps,
            epochs=settings.epochs,
            batch_size=batch_size,
            noise=settings.noise,
            seed=settings.seed,
            record_every=settings.record_every,
            dtype=settings.dtype,
            divergence_radius=settings.divergence_radius,
            particle_ids=np.tile(np.arange(s), chunk.size),
        )
    per_run = run_metrics(trajectory, settings.optima[chunk.surface], settings.tol, settings.metrics)
    return over_seeds(per_run, s)


def chunks(grid, ranges, chunk_size: int):
    """Chunks covering each ``(start, stop)`` range, cut at group boundaries and at ``chunk_size``."""
    group = grid.group_size
    for start, stop in ranges:
        position = start
        while position < stop:
            end = min(stop, position + chunk_size, (position // group + 1) * group)
            yield _chunk(grid, position, end)
            position = end


def _chunk(grid, start: int, stop: int) -> Chunk:
    first = grid.indices(start, start + 1)[0]
    fixed = {
        k: grid.values[k][first[LABEL_AXES + i]] for i, k in enumerate(grid.keys) if k not in grid.vectorized
    }
    arrays = {k: grid.column(k, start, stop) for k in grid.keys if k in grid.vectorized}
    return Chunk(start, stop, int(first[0]), int(first[1]), fixed, arrays)
