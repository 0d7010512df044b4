"""Copying a block of particles in and out of the ensemble's arrays; the finiteness test.

A driver works on copies of its block's columns: fresh arrays that cannot
overlap, so the compiler vectorizes the loops over particles. Rows are
``width`` long, a little more than the block, so that rows of the block
arrays do not start at multiples of 4 KiB from each other (those would evict
each other from the cache in loops that read several rows at once).
"""

from __future__ import annotations

import numpy as np

from .config import kernel

PAD = 24
LARGEST = float(np.finfo(np.float64).max)


@kernel
def finite(x):
    """Whether ``x`` is finite.

    ``numpy.isfinite`` compiles to ``x - x == x - x``, which the ``reassoc``
    and ``nsz`` fast-math flags fold to true; an ordered comparison survives
    every flag but ``nnan`` and ``ninf``.
    """
    return abs(x) <= LARGEST


@kernel
def take(array, lo, hi):
    """Columns ``lo:hi`` of a ``(rows, K)`` array, in rows of ``hi - lo + PAD``."""
    rows, n = array.shape[0], hi - lo
    block = np.empty((rows, n + PAD), array.dtype)
    for r in range(rows):
        for i in range(n):
            block[r, i] = array[r, lo + i]
    return block


@kernel
def put(block, array, lo, hi):
    """Write a block taken by ``take`` back to columns ``lo:hi``."""
    for r in range(array.shape[0]):
        for i in range(hi - lo):
            array[r, lo + i] = block[r, i]
