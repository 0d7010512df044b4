"""Many points of a slice evaluated as blocks of particles: bounded memory, every core.

A slice's points live in the base surface's full dimension, so a 101x101 plane
of a network with 10⁴ parameters is 10⁴ points of 10⁴ coordinates (800 MB at
once). They are evaluated in blocks of points small enough to stay near the
cache (the ``(K, dim)`` arrays of the tracer's numpy engine), on a pool of
threads when the base surface allows it, each block written into its own
rows of the result. The blocks depend only on the number of points and the
dimension, so the same call gives the same numbers to the bit; an
interruption (Ctrl-C) between or inside blocks leaves no partial result
behind, since the caller only sees the array once every block is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .._machine import map_on_threads, one_blas_thread, usable_cores

BLOCK_BYTES = 4 << 20  # of the block's largest array of base-dimension points
MAX_BLOCK = 64  # points: a network's full-data cost takes milliseconds a point, and Ctrl-C waits for a block


def block_points(dim: int, arrays: int = 1) -> int:
    """Points per block: ``arrays`` arrays ``(block, dim)`` in ``BLOCK_BYTES``, at most ``MAX_BLOCK``."""
    return max(1, min(MAX_BLOCK, BLOCK_BYTES // (8 * dim * arrays)))


def run_blocks(
    function: Callable[[int, int], None],
    count: int,
    block: int,
    *,
    thread_safe: bool,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> None:
    """Call ``function(start, stop)`` for consecutive blocks covering ``range(count)``.

    With ``thread_safe``, as many blocks run at once as there are cores
    (BLAS meanwhile on one thread, so the numbers do not depend on the number
    of threads). ``progress`` wraps the iterable of rounds (one block per
    thread in each), e.g. a progress bar.
    """
    starts = list(range(0, count, block))
    threads = min(usable_cores(), len(starts)) if thread_safe else 1
    rounds = [starts[i : i + threads] for i in range(0, len(starts), threads)]

    def one(start):
        function(start, min(start + block, count))

    for chunk in progress(rounds) if progress is not None else rounds:
        if threads > 1:
            with one_blas_thread():
                map_on_threads(one, chunk, threads)
        else:
            for start in chunk:
                one(start)
