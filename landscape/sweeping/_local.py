"""The sweep's local Dask cluster: worker processes on 127.0.0.1 that leave Ctrl-C to the sweep.

A terminal sends Ctrl-C to every process of the command, so each worker
process of a ``LocalCluster`` would stop with a traceback of its own, and the
cluster, closed half-started or mid-task, would log dozens of lines more. So:

* the workers ignore SIGINT (``landscape.sweeping._worker_preload``, a Dask
  preload) and only the sweep's process stops, closing the cluster;
* while the workers start (before the preload has run), they write to a
  log file instead of the terminal: a worker that starts inherits the
  standard error it was started with;
* a cluster interrupted while it starts is closed, and Ctrl-C silences
  Dask's, tornado's and asyncio's loggers before Dask sees it.

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

PRELOAD = "landscape.sweeping._worker_preload"
_LOGGERS = ("distributed", "asyncio", "tornado")  # what an interrupted cluster logs through


@contextlib.contextmanager
def local_client(workers: int):
    """A client of a LocalCluster of ``workers`` single-threaded processes on 127.0.0.1; closed after."""
    from distributed import Client, LocalCluster
    from distributed.deploy.spec import SpecCluster

    with silent_once_interrupted():
        before = set(SpecCluster._instances)
        try:
            with _standard_error_to_log():
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    # the scheduler's HTTP endpoints on a free loopback port, not on 8787 of every interface
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                    preload=[PRELOAD],
                )
        except BaseException:
            for started in set(SpecCluster._instances) - before:  # half-started: close it now, not at exit
                with contextlib.suppress(Exception):
                    started.close(timeout=10)
                # A close that fails on a worker still starting leaves the cluster "closing", and
                # Dask's own close at exit would wait its full 10 s for that to end.
                started.shutdown_on_close = False
            raise
        with cluster, Client(cluster) as client:
            yield client


@contextlib.contextmanager
def silent_once_interrupted():
    """While the block runs, Ctrl-C first silences Dask's, tornado's and asyncio's loggers.

    Silenced before the interruption reaches Dask (whose own handling of it,
    in its event loop's thread, logs at once) and for the rest of the
    process: the pieces of an interrupted cluster log as they are collected.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def interrupted(signum, frame):
        for name in _LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            raise KeyboardInterrupt

    if previous == signal.SIG_IGN or previous is None:
        yield
        return
    signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
