"""The sweep's local Dask cluster: worker processes on 127.0.0.1 that leave Ctrl-C to the sweep.

A terminal sends Ctrl-C to every process of the command, so each worker
process of a ``LocalCluster`` would stop with a traceback of its own, and the
cluster, closed half-started or mid-task, would log dozens of lines more. So:

* the cluster starts with SIGINT blocked: its threads, and the worker
  processes they start, inherit it blocked and never see Ctrl-C. A Ctrl-C
  that comes while it starts is raised once it has started, and closes it;
  a cluster interrupted half-started would leave worker processes starting
  as this process exits, each with a traceback to print;
* the workers write to a log file instead of the terminal (a worker
  inherits the standard error it was started with): closed mid-task, they
  log the tasks they cancel;
* Ctrl-C silences Dask's, tornado's and asyncio's loggers before Dask sees it,
  and is recorded: Python drops an exception raised inside a finalizer, and
  a Dask future's ``__del__`` runs at every chunk, so a Ctrl-C whose handler
  runs there would be lost. The sweep checks the record between chunks, and
  Python's "Exception ignored" report of the drop is left out.

The command line then prints its one line about what was kept.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import tempfile
import threading

_LOGGERS = ("distributed", "asyncio", "tornado")  # what an interrupted cluster logs through


@contextlib.contextmanager
def local_client(workers: int):
    """A client of a LocalCluster of ``workers`` single-threaded processes on 127.0.0.1; closed after.

    Use it inside ``silent_once_interrupted``.
    """
    from distributed import Client

    with _standard_error_to_log():
        cluster = _started_with_ctrl_c_held_back(workers)
    with cluster, Client(cluster) as client:
        yield client


def _started_with_ctrl_c_held_back(workers: int):
    """A started LocalCluster; a Ctrl-C that came while it started is raised after, and closes it."""
    from multiprocessing import resource_tracker

    from distributed import LocalCluster

    # Started here rather than by a thread of the cluster, as starting it unblocks SIGINT in its thread.
    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # the scheduler's HTTP endpoints on a free loopback port, not on 8787 of every interface
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # raises the Ctrl-C held back
    except BaseException:
        cluster.close()
        raise
    return cluster


class CtrlC:
    """Whether Ctrl-C came while ``silent_once_interrupted`` was on."""

    def __init__(self):
        self.came = False

    def raise_if_came(self) -> None:
        """Raise ``KeyboardInterrupt`` if Ctrl-C came (even where its first one was lost)."""
        if self.came:
            raise KeyboardInterrupt


@contextlib.contextmanager
def silent_once_interrupted():
    """While the block runs, Ctrl-C first silences Dask's, tornado's and asyncio's loggers.

    Silenced before the interruption reaches Dask (whose own handling of it,
    in its event loop's thread, logs at once) and for the rest of the
    process: the pieces of an interrupted cluster log as they are collected.
    Yields a ``CtrlC`` that records it.
    """
    ctrl_c = CtrlC()
    if threading.current_thread() is not threading.main_thread():
        yield ctrl_c
        return
    previous = signal.getsignal(signal.SIGINT)

    def interrupted(signum, frame):
        ctrl_c.came = True
        _silence_cluster_loggers()
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            raise KeyboardInterrupt

    if previous == signal.SIG_IGN or previous is None:
        yield ctrl_c
        return
    report = sys.unraisablehook

    def report_unless_ours(unraisable):
        if not (ctrl_c.came and isinstance(unraisable.exc_value, KeyboardInterrupt)):
            report(unraisable)

    signal.signal(signal.SIGINT, interrupted)
    sys.unraisablehook = report_unless_ours
    try:
        yield ctrl_c
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = report


def _silence_cluster_loggers() -> None:
    """Silence Dask's, tornado's and asyncio's loggers, with their children that have levels of their own.

    Dask's configuration gives some children a level (``tornado.application``
    logs at ERROR while ``tornado`` is at CRITICAL), so silencing the parent
    alone leaves them talking.
    """
    known = list(logging.root.manager.loggerDict)  # one copy: other threads may add loggers meanwhile
    children = [name for name in known if name.split(".")[0] in _LOGGERS]
    for name in {*_LOGGERS, *children}:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


@contextlib.contextmanager
def _standard_error_to_log():
    """Point this process's standard error (file descriptor 2) at a log file while the block runs.

    Worker processes started inside inherit it; this process gets its own back
    at the end, whatever happens.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no standard error to point elsewhere
        yield
        return
    with tempfile.TemporaryFile(prefix="landscape-sweep-workers-") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
