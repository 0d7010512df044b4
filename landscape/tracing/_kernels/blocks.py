"""Setting up a block of particles in fresh arrays; the finiteness test.

A driver works on its block's own arrays: fresh arrays that cannot
overlap, so the compiler vectorizes the loops over particles. Rows are
``width`` long, a little more than the block, so that the rows of a block's
arrays start far apart modulo 4 KiB (see ``row_width``).
"""

from __future__ import annotations

import numpy as np

from .config import kernel

PAGE = 4096  # bytes; loads and stores whose addresses agree modulo a page look alike to the CPU
LINE = 64  # bytes of a cache line and of the widest vector
MAX_GAP_LINES = 16  # lines a row may grow by
FEW = 64  # particles: shorter rows are not padded
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
def row_width(n, rows, itemsize):
    """Length of the rows of a block's array of ``rows`` rows for ``n`` particles.

    A loop over particles stores into some rows while it loads from others.
    A load whose address agrees in its 12 low bits (modulo 4 KiB) with a
    store still in flight waits as if it depended on that store; rows that
    start close together modulo 4 KiB (a page apart, or a page and a line or
    two) meet such loads every few iterations. So rows are made up to
    ``MAX_GAP_LINES`` cache lines longer than the block, choosing the length
    whose multiples (the distances between any two rows) stay farthest from
    a multiple of 4 KiB: 384 bytes for ten rows. Rows 64 lines apart meet
    whatever the length and are left out of the choice. A few particles (a
    block of a very high-dimensional run) keep rows of ``n``.
    """
    if n < FEW:
        return n
    lines = -(-n * itemsize // LINE)
    best, farthest = lines, -1
    for candidate in range(lines, lines + MAX_GAP_LINES + 1):
        nearest = PAGE
        for k in range(1, min(rows, PAGE // LINE)):
            offset = k * candidate * LINE % PAGE
            nearest = min(nearest, offset, PAGE - offset)
        if nearest > farthest:
            best, farthest = candidate, nearest
    return best * LINE // itemsize


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

    ``work`` has rows of ``row_width`` (at least ``hi - lo``); the copy is
    returned as a view.
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
