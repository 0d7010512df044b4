"""Helpers of the sweep tests: real Dask clusters on 127.0.0.1, and the processes this test run owns."""

import contextlib
import time

import psutil


def children() -> set[int]:
    """Process ids of this process's running descendants.

    Python's multiprocessing resource tracker is left out: started with the
    first spawned process, it belongs to the interpreter and ends with it.
    """
    alive = set()
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            tracker = "multiprocessing.resource_tracker" in " ".join(process.cmdline())
            if process.status() != psutil.STATUS_ZOMBIE and not tracker:
                alive.add(process.pid)
    return alive


def wait_until_gone(pids: set[int], timeout: float = 15.0) -> set[int]:
    """The processes among ``pids`` still running after up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while (left := pids & children()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@contextlib.contextmanager
def local_cluster(workers: int):
    """A LocalCluster of single-threaded worker processes on 127.0.0.1, and a client; closed after."""
    from landscape.sweeping._runner import local_client

    before = children()
    with local_client(workers) as client:
        yield client
    assert not wait_until_gone(children() - before), "worker processes outlived their cluster"
