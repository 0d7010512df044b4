"""The speed-of-light reference: a hand-written, single-purpose fused numba kernel.

Adam on 2-D Rosenbrock and nothing else: blocks of 1 024 particles spread
over threads with ``prange``, the step loop inside each block, an inner loop
over particles that the compiler vectorizes, fast math. No recording, no
divergence check, no noise, no schedules: the least work a trace can do, so
the library's compiled engine is measured against it.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

BLOCK = 1024
# bytes between the block's rows modulo 4 KiB: rows a whole page apart (as separate arrays of
# 1 024 float32 numbers often were) make loads wait on stores to other rows, and the kernel's speed
# changed from process to process by up to a third
GAP = 384
FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}


@njit(parallel=True, fastmath=FAST, cache=True)
def adam_rosenbrock(x, steps, lr, b1, b2, eps):
    """Run Adam on ``x`` of shape ``(2, K)`` in place (rows: coordinates)."""
    k = x.shape[1]
    for block in prange((k + BLOCK - 1) // BLOCK):
        lo = block * BLOCK
        hi = min(k, lo + BLOCK)
        n = hi - lo
        rows = np.zeros((6, BLOCK + GAP // 8))
        x0, x1, m0, m1, v0, v1 = rows[0, :n], rows[1, :n], rows[2, :n], rows[3, :n], rows[4, :n], rows[5, :n]
        x0[:] = x[0, lo:hi]
        x1[:] = x[1, lo:hi]
        for t in range(1, steps + 1):
            c1 = 1.0 / (1.0 - b1**t)
            c2 = 1.0 / (1.0 - b2**t)
            for i in range(n):
                a, b = x0[i], x1[i]
                inner = b - a * a
                g0 = -2.0 * (1.0 - a) - 400.0 * a * inner
                g1 = 200.0 * inner
                m0[i] = b1 * m0[i] + (1.0 - b1) * g0
                m1[i] = b1 * m1[i] + (1.0 - b1) * g1
                v0[i] = b2 * v0[i] + (1.0 - b2) * g0 * g0
                v1[i] = b2 * v1[i] + (1.0 - b2) * g1 * g1
                x0[i] = a - lr * (m0[i] * c1) / (np.sqrt(v0[i] * c2) + eps)
                x1[i] = b - lr * (m1[i] * c1) / (np.sqrt(v1[i] * c2) + eps)
        x[0, lo:hi] = x0
        x[1, lo:hi] = x1


F = np.float32


@njit(parallel=True, fastmath=FAST, cache=True)
def adam_rosenbrock_single(x, steps, lr, b1, b2, eps):
    """``adam_rosenbrock`` in float32 throughout: ``x`` and the hyperparameters float32,
    every constant written as float32, as JAX and torch compute a float32 run."""
    k = x.shape[1]
    one, two = F(1.0), F(2.0)
    for block in prange((k + BLOCK - 1) // BLOCK):
        lo = block * BLOCK
        hi = min(k, lo + BLOCK)
        n = hi - lo
        rows = np.zeros((6, BLOCK + GAP // 4), F)
        x0, x1, m0, m1, v0, v1 = rows[0, :n], rows[1, :n], rows[2, :n], rows[3, :n], rows[4, :n], rows[5, :n]
        x0[:] = x[0, lo:hi]
        x1[:] = x[1, lo:hi]
        for t in range(1, steps + 1):
            c1 = one / (one - b1 ** F(t))
            c2 = one / (one - b2 ** F(t))
            for i in range(n):
                a, b = x0[i], x1[i]
                inner = b - a * a
                g0 = -two * (one - a) - F(400.0) * a * inner
                g1 = F(200.0) * inner
                m0[i] = b1 * m0[i] + (one - b1) * g0
                m1[i] = b1 * m1[i] + (one - b1) * g1
                v0[i] = b2 * v0[i] + (one - b2) * g0 * g0
                v1[i] = b2 * v1[i] + (one - b2) * g1 * g1
                x0[i] = a - lr * (m0[i] * c1) / (np.sqrt(v0[i] * c2) + eps)
                x1[i] = b - lr * (m1[i] * c1) / (np.sqrt(v1[i] * c2) + eps)
        x[0, lo:hi] = x0
        x[1, lo:hi] = x1


@njit(parallel=True, fastmath=FAST, cache=True)
def sqrt_divide_bound(x, steps, eps):
    """Only the two square roots and two divisions a 2-D Adam step needs, on ``x`` of shape ``(4, K)``.

    Adam's direction is ``m / (sqrt(s) + eps)`` per coordinate; nothing
    else in a step needs the one unit that does both operations. This loop
    does just those four per particle and step (on values that stay in
    cache), so its rate bounds any float64 Adam on this machine from above.
    """
    k = x.shape[1]
    for block in prange((k + BLOCK - 1) // BLOCK):
        lo = block * BLOCK
        hi = min(k, lo + BLOCK)
        m0, m1 = x[0, lo:hi].copy(), x[1, lo:hi].copy()
        s0, s1 = x[2, lo:hi].copy(), x[3, lo:hi].copy()
        for _ in range(steps):
            for i in range(hi - lo):
                m0[i] = m0[i] / (np.sqrt(s0[i]) + eps)
                m1[i] = m1[i] / (np.sqrt(s1[i]) + eps)
        x[0, lo:hi] = m0
        x[1, lo:hi] = m1
