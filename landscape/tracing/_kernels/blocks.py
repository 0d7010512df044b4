"""Setting up a block of particles in fresh arrays; the finiteness test.

A driver works on its block's own arrays: fresh arrays that cannot
overlap, so the compiler vectorizes the loops over particles. Rows are
``width`` long, a little more than the block, so that rows of the block
arrays do not start at multiples of 4 KiB from each other (those would evict
each other from the cache in loops that read several rows at once).
"""

from __future__ import annotations

import numpy as np

from .config import kernel

PAD = 24
# the blocked driver computes values and gradients in float64 whatever the run's precision
FLOAT64_LARGEST = float(np.finfo(np.float64).max)


@kernel
def start(x0, lo, hi, work):
    """A block's ring of positions and its zeroed optimizer state, in ``work``.

    Rows ``0:3 dim`` hold particles ``lo:hi`` of ``x0`` (shape ``(K, dim)``)
    three times (the ring of positions: x_t, x_{t+1} and x_{t-1}), the
    remaining rows zeros. Returns the two views.
    """
    dim = x0.shape[1]
    for d in range(dim):
        for i in range(hi - lo):
            work[d, i] = work[dim + d, i] = work[2 * dim + d, i] = x0[lo + i, d]
    work[3 * dim :] = 0.0
    return work[: 3 * dim], work[3 * dim :]


@kernel
def row_width(n):
    """Length of a block array's rows for ``n`` particles: ``n + PAD``, or ``n`` for a few
    particles (a block of a very high-dimensional run), whose rows are short anyway."""
    return n + PAD if n >= 64 else n


@kernel
def finite(x, largest):
    """Whether ``x`` is finite; ``largest`` is the largest finite number of its type.

    ``numpy.isfinite`` compiles to ``x - x == x - x``, which the ``reassoc``
    and ``nsz`` fast-math flags fold to true; an ordered comparison survives
    every flag but ``nnan`` and ``ninf``. Compared in the type of ``x``, a
    loop of float32 numbers needs no conversions to float64.
    """
    return abs(x) <= largest


@kernel
def take(array, lo, hi, work, first):
    """Columns ``lo:hi`` of a ``(rows, K)`` array, copied to rows ``first:first + rows`` of ``work``.

    ``work`` has rows of ``row_width(hi - lo)``; the copy is returned as a view.
    One ``work`` array holds all of a block's copies, so their rows lie at
    known distances from each other.
    """
    rows = array.shape[0]
    for r in range(rows):
        for i in range(hi - lo):
            work[first + r, i] = array[r, lo + i]
    return work[first : first + rows]


@kernel
def count_escaped(ring, ahead, status, distance, n, radius_squared):
    """How many moving particles rows ``ahead:ahead + dim`` of ``ring`` put outside the radius.

    Fills ``distance[:n]`` with each particle's squared distance. ``status``
    is 1 for a moving particle and 0 for a frozen one. No loop has a branch:
    they vectorize.
    """
    dim = ring.shape[0] // 3
    for i in range(n):
        distance[i] = 0.0
    for d in range(dim):
        for i in range(n):
            distance[i] += ring[ahead + d, i] * ring[ahead + d, i]
    escaped = 0.0
    for i in range(n):
        escaped += status[i] * (0.0 if distance[i] <= radius_squared else 1.0)
    return escaped


@kernel
def carry_over(ring, here, ahead, n):
    """Rows ``here:here + dim`` of ``ring`` copied to rows ``ahead:ahead + dim``: a block whose
    particles have all stopped keeps its positions for the next step."""
    dim = ring.shape[0] // 3
    for d in range(dim):
        for i in range(n):
            ring[ahead + d, i] = ring[here + d, i]


@kernel
def record_positions(ring, here, positions, row, lo, n):
    """Copy particles ``lo:lo + n`` from rows ``here:here + dim`` of ``ring`` into
    ``positions[row]``. The record interleaves coordinates, so this copy is kept apart from
    the loops whose stores should have unit stride."""
    dim = positions.shape[2]
    for i in range(n):
        for d in range(dim):
            positions[row, lo + i, d] = ring[here + d, i]


@kernel
def record_state(state, state_records, row, lo, n):
    """Copy the optimizer state of particles ``lo:lo + n`` into ``state_records[:, row]``."""
    dim = state_records.shape[3]
    for slot in range(state_records.shape[0]):
        for i in range(n):
            for d in range(dim):
                state_records[slot, row, lo + i, d] = state[slot * dim + d, i]
