"""What the machine offers this process: its cores, BLAS's share of them; how often it collects garbage."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, else the CPU count)."""
    with contextlib.suppress(AttributeError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


YOUNG_COLLECTION_THRESHOLD = 10_000  # allocations between two young collections (Python's: 700)


def collect_garbage_less_often() -> None:
    """Collect cyclic garbage less often: for the processes of the command and its workers.

    A scene's construction allocates many small, short-lived Manim objects.
    With Python's thresholds a collection starts every 700 allocations and
    about one in a hundred is a full one, over every object the process
    holds: six lecture scenes rendered in one process spent 3-4 % of their
    time collecting. Never called on import: a user's own process keeps its
    settings.
    """
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


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


_pool_lock = threading.Lock()
_pool = None  # (process id, threads, executor, native ids of its threads)
_pool_thread = threading.local()


def _pool_thread_started(native_ids: list) -> None:
    _pool_thread.inside = True
    native_ids.append(threading.get_native_id())


def _shared_pool(threads: int) -> tuple[ThreadPoolExecutor, list]:
    """The process's pool of at least ``threads`` threads (made anew after a fork), and the native
    ids of the threads it has started so far."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid() or _pool[1] < threads:
            if _pool is not None and _pool[0] == os.getpid():
                _pool[2].shutdown(wait=False)
            native_ids = []
            executor = ThreadPoolExecutor(
                threads, "landscape", initializer=_pool_thread_started, initargs=(native_ids,)
            )
            _pool = (os.getpid(), threads, executor, native_ids)
        return _pool[2], _pool[3]


try:
    _sched_getcpu = ctypes.CDLL(None).sched_getcpu
except (OSError, AttributeError):  # not glibc
    _sched_getcpu = None


def _current_cpu() -> int | None:
    """The CPU this thread runs on, or None where that cannot be asked."""
    return None if _sched_getcpu is None else _sched_getcpu()


@contextlib.contextmanager
def _around_cpu(cpu: int | None, *, on_it: bool):
    """While the block runs, this thread runs on ``cpu`` alone (``on_it``) or on any allowed CPU but it.

    Nothing changes if ``cpu`` is None, where there is no CPU affinity, or where the choice
    would leave no CPU or all of them.
    """
    allowed = set() if cpu is None or not hasattr(os, "sched_getaffinity") else os.sched_getaffinity(0)
    chosen = allowed & {cpu} if on_it else allowed - {cpu}
    if not chosen or chosen == allowed:
        yield
        return
    os.sched_setaffinity(0, chosen)
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


@contextlib.contextmanager
def _kept_off(cpu: int | None, native_ids: list):
    """While the block runs, the threads of ``native_ids`` run on any allowed CPU but ``cpu``.

    Set from outside, before the threads are woken (see ``map_on_threads``).
    Yields the CPUs they may run on otherwise, or None where nothing
    changed. Threads that have ended are skipped; one started meanwhile
    keeps itself off ``cpu`` if asked to (``_around_cpu``). Several callers
    at once may leave a thread where another wanted it: that costs speed,
    never a result.
    """
    allowed = set() if cpu is None or not hasattr(os, "sched_getaffinity") else os.sched_getaffinity(0)
    chosen = allowed - {cpu}
    ids = list(native_ids)
    if not chosen or chosen == allowed or not ids:
        yield None
        return
    for native_id in ids:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(native_id, chosen)
    try:
        yield allowed
    finally:
        for native_id in native_ids:
            with contextlib.suppress(OSError):
                os.sched_setaffinity(native_id, allowed)


def map_on_threads(function, items, threads: int, *, apart: bool = False) -> None:
    """Call ``function(item)`` for every item, on at most ``threads`` threads at once.

    The calling thread takes part; the others come from one pool per process,
    started once: a pool per call would start its threads at every call,
    which costs a short trace (W1 of the engines' bench: 37 ms) about 0.7 ms.
    Items are handed out one at a time, so a thread that finishes early takes
    the next one. Returns when every call has returned and re-raises the
    first error. Called from inside the pool, it runs the items in order
    (the pool's threads never wait on each other).

    The pool's threads are kept off the caller's CPU from before they are
    woken: Linux wakes a thread on the CPU of the thread that woke it, where,
    with that CPU busy running items, it would wait until the caller is
    preempted, or run two to a core until a later load balance. Without
    ``apart`` each lifts that restriction as it starts, so that threads it
    starts do not inherit it. With ``apart``, the calling thread stays on its
    CPU while the items run and the others keep off it: only for functions
    that start no threads or processes, which would inherit the restriction
    (OpenMP, for one, starts its threads at its first parallel region).
    """
    items = list(items)
    threads = min(threads, len(items))
    if threads <= 1 or getattr(_pool_thread, "inside", False):
        for item in items:
            function(item)
        return
    queue = iter(items)
    lock = threading.Lock()
    failed = threading.Event()

    def work():
        while not failed.is_set():
            with lock:
                item = next(queue, queue)  # the iterator itself marks the end
            if item is queue:
                return
            try:
                function(item)
            except BaseException:
                failed.set()
                raise

    cpu = _current_cpu()
    executor, native_ids = _shared_pool(threads - 1)
    with _kept_off(cpu, native_ids) as allowed:

        def help_elsewhere():
            if apart:
                with _around_cpu(cpu, on_it=False):
                    work()
                return
            if allowed is not None:  # woken elsewhere: the threads this one starts run anywhere
                with contextlib.suppress(OSError):
                    os.sched_setaffinity(0, allowed)
            work()

        helpers = [executor.submit(help_elsewhere) for _ in range(threads - 1)]
        try:
            with _around_cpu(cpu if apart else None, on_it=True):
                work()
            wait(helpers)
        except BaseException:  # an error here, or Ctrl-C: the others stop after their current item
            failed.set()
            wait(helpers)
            raise
    for helper in helpers:
        helper.result()
