"""What the machine offers this process: its cores, and BLAS's share of them."""

from __future__ import annotations

import contextlib
import functools
import os
import threading


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, else the CPU count)."""
    with contextlib.suppress(AttributeError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@functools.cache
def _controller():
    # the controller sees the libraries loaded when it is made: numpy's BLAS, and the one
    # numba's compiled code calls, which comes with scipy.linalg.cython_blas
    import scipy.linalg.cython_blas  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


_lock = threading.Lock()
_holders = 0
_limiter = None


@contextlib.contextmanager
def one_blas_thread():
    """BLAS runs on one thread inside this block (it is re-entrant and thread-safe).

    For code that already runs one thread per core, each calling BLAS: a
    multi-threaded BLAS under it would put two threads on every core (a
    dim-100 quadratic, 4 096 particles: 2x slower). The limit is process-wide,
    so it is counted: the first holder sets it, the last one restores it.
    """
    global _holders, _limiter
    with _lock:
        if _holders == 0:
            _limiter = _controller().limit(limits=1, user_api="blas")
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                _limiter.restore_original_limits()
                _limiter = None
