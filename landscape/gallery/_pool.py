"""Worker processes that build items side by side, each failure confined to its own item.

Unlike a ``ProcessPoolExecutor``, whose every pending task fails when one
worker dies, each worker here has its own pipe: a worker that crashes (a
segmentation fault, the out-of-memory killer) fails only the item it was
building, and a new worker takes over the rest.

Interruption: a worker turns its first SIGINT into ``KeyboardInterrupt`` --
so files being written are removed by their ``atomic_path`` -- and ignores
any further one. It then stops without reporting its task, even when the
task caught that exception and returned an error of its own (Manim's
encoder reports anything raised while it writes as ``RuntimeError``).
On Linux a worker also receives SIGINT when the build process dies, even
by SIGKILL, so it never outlives the build.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from .._machine import collect_garbage_less_often

STOP_TIMEOUT = 20.0  # seconds a worker gets to clean up after an interruption
_PR_SET_PDEATHSIG = 1


def run(function: Callable, tasks: Iterable, jobs: int) -> Iterator[tuple[object, dict]]:
    """Yield ``(task, function(task))`` as tasks finish, in ``jobs`` worker processes.

    ``function`` must be importable (a module-level function) and return a
    dict. A task whose worker dies yields ``{"ok": False, "error": ...}``.
    Closing the iterator (or an exception in it, such as
    ``KeyboardInterrupt``) interrupts running tasks and stops every worker.
    """
    context = multiprocessing.get_context("spawn")
    pending = deque(tasks)
    workers: list[_Worker] = []
    try:
        while pending or any(w.task is not None for w in workers):
            for worker in [w for w in workers if w.task is None and not w.process.is_alive()]:
                workers.remove(worker)  # an idle worker died (the out-of-memory killer, ...)
                worker.connection.close()
            for worker in workers:
                if worker.task is None and pending:
                    worker.give(pending.popleft())
            while pending and len(workers) < jobs:
                worker = _Worker(context, function)
                workers.append(worker)
                worker.give(pending.popleft())
            busy = [w for w in workers if w.task is not None]
            ready = multiprocessing.connection.wait(
                [w.connection for w in busy] + [w.process.sentinel for w in busy]
            )
            for worker in busy:
                if worker.connection in ready or worker.process.sentinel in ready:
                    task, result = worker.collect()
                    if result is not None:
                        yield task, result
                    # a worker still holding its task (it was dying as collect() looked) stays
                    # until the next round reports it, so that no task goes unreported
                    if worker.task is None and not worker.process.is_alive():
                        workers.remove(worker)
                        worker.connection.close()
    finally:
        _stop(workers)


class _Worker:
    def __init__(self, context, function: Callable):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, function, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.task = None

    def give(self, task) -> None:
        self.task = task
        with contextlib.suppress(OSError):  # a worker that just died is reported by collect()
            self.connection.send(task)

    def collect(self):
        """The task and its result, or ``(task, None)`` if nothing was ready after all."""
        task = self.task
        try:
            if not self.connection.poll():
                if self.process.is_alive():
                    return task, None
                raise EOFError
            result = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(5)
            result = {"ok": False, "seconds": 0.0, "error": _death(self.process.exitcode), "log": ""}
        self.task = None
        return task, result


def _stop(workers: list[_Worker]) -> None:
    """Stop idle workers, interrupt busy ones, and wait for all of them."""
    for worker in workers:
        with contextlib.suppress(OSError, ValueError):
            if worker.task is None:
                worker.connection.send(None)
            elif worker.process.is_alive():
                os.kill(worker.process.pid, signal.SIGINT)
    for worker in workers:
        worker.process.join(STOP_TIMEOUT)
        if worker.process.is_alive():
            worker.process.terminate()
            worker.process.join()
        worker.connection.close()


def _death(code) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"the worker process was killed by {signal.Signals(-code).name}"
    return f"the worker process exited (status {code}) before it finished the item"


def _serve(connection, function: Callable, parent: int) -> None:
    """A worker's loop: receive a task, send back ``function(task)``, until ``None`` or SIGINT."""
    signal.signal(signal.SIGINT, _interrupt_once)
    _die_with(parent)
    collect_garbage_less_often()
    try:
        while (task := connection.recv()) is not None:
            result = function(task)
            if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # interrupted, whatever the task said
                raise KeyboardInterrupt
            connection.send(result)
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        sys.exit(130)


def _interrupt_once(signum, frame):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _die_with(parent: int) -> None:
    """Ask Linux to send this process SIGINT when the build process dies."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGINT)
    if os.getppid() != parent:  # the parent died before the request took effect
        sys.exit(130)
