"""Where chunks run: in this process, or on a Dask ``distributed`` cluster.

``open_runner`` picks the place: an existing ``Client``, a scheduler address
(``tcp://host:port``), or a ``LocalCluster`` of worker processes on
127.0.0.1 (one single-threaded worker per core unless ``workers`` says how
many; ``workers=0`` runs in this process without Dask). A runner yields
``(chunk, columns)`` as chunks finish, in any order; the caller stores them.

On a cluster, at most a few chunks per worker thread are submitted ahead, so
a grid of millions of configurations never floods the scheduler; the
surfaces and shared settings are sent once per worker as tasks of their own,
so a worker that dies is replaced and its chunks rerun elsewhere (Dask
retries them) without losing what they need.

Surfaces and settings travel by value (see ``_ship``), so a worker needs
only this package, not the user's files. A local cluster leaves Ctrl-C to
the sweep (see ``_local``).
"""

from __future__ import annotations

import contextlib
import itertools

from .._machine import usable_cores
from .._validation import check_int, invalid
from ._chunk import run_chunk
from ._local import CtrlC, local_client, silent_once_interrupted
from ._ship import ship, unship

AHEAD_PER_THREAD = 4  # chunks submitted ahead per worker thread


class Completed:
    """An iterator over finished chunks with a length, for progress bars.

    ``close()`` stops a runner mid-way (its pending tasks are cancelled); call
    it before the cluster closes, as ``with contextlib.closing(...)`` does.
    """

    def __init__(self, iterator, length: int):
        self._iterator, self._length = iterator, length

    def __iter__(self):
        return self._iterator

    def __len__(self) -> int:
        return self._length

    def close(self) -> None:
        self._iterator.close()


class InProcess:
    """Run chunks one after another in this process."""

    workers = 0

    def run(self, chunks, surfaces, settings):
        for chunk in chunks:
            yield chunk, run_chunk(surfaces[chunk.surface], chunk, settings)


class OnCluster:
    """Run chunks as tasks on a Dask cluster through ``client``; between chunks, raise
    ``KeyboardInterrupt`` if ``ctrl_c`` (a ``CtrlC``) says Ctrl-C came."""

    def __init__(self, client, name: str, ctrl_c=None):
        self.client, self.name = client, name
        self.ctrl_c = CtrlC() if ctrl_c is None else ctrl_c

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info(n_workers=-1)["workers"])

    def run(self, chunks, surfaces, settings):
        from distributed import as_completed

        client = self.client
        shared = [
            client.submit(_same, ship(value), key=f"{self.name}-{label}", pure=False)
            for label, value in [
                *((f"surface-{i}", s) for i, s in enumerate(surfaces)),
                ("settings", settings),
            ]
        ]
        remote_surfaces, remote_settings = shared[:-1], shared[-1]
        threads = max(1, sum(client.nthreads().values()))
        pending = iter(chunks)
        submitted = {}
        queue = as_completed()

        def submit(chunk):
            future = client.submit(
                _run_shipped,
                remote_surfaces[chunk.surface],
                chunk,
                remote_settings,
                key=f"{self.name}-chunk-{chunk.start}-{chunk.stop}",
                pure=False,
            )
            submitted[future.key] = chunk
            queue.add(future)

        try:
            for chunk in itertools.islice(pending, AHEAD_PER_THREAD * threads):
                submit(chunk)
            for future in queue:
                self.ctrl_c.raise_if_came()
                chunk = submitted.pop(future.key)
                columns = future.result()
                future.release()
                following = next(pending, None)
                if following is not None:
                    submit(following)
                yield chunk, columns
            self.ctrl_c.raise_if_came()
        finally:
            for future in [*queue.futures, *shared]:
                future.cancel()


def _same(value):
    return value


def _run_shipped(surface: bytes, chunk, settings: bytes):
    return run_chunk(unship(surface), chunk, unship(settings))


@contextlib.contextmanager
def open_runner(*, workers=None, scheduler=None, client=None, name="landscape-sweep"):
    """Yield a runner (see the module docstring); clusters and clients it made are closed after.

    Parameters
    ----------
    workers : int, optional
        Worker processes of a new LocalCluster on 127.0.0.1 (default: one per
        core); ``0`` runs in this process.
    scheduler : str, optional
        Address of a running Dask scheduler, such as ``tcp://10.0.0.5:8786``.
    client : distributed.Client, optional
        A client to use as it is (left open).
    name : str
        Prefix of the task keys (shown on the Dask dashboard).
    """
    check_place(workers=workers, scheduler=scheduler, client=client)
    if client is not None:
        yield OnCluster(client, name)
        return
    if scheduler is not None:
        with silent_once_interrupted() as ctrl_c, _connect(scheduler) as connected:
            yield OnCluster(connected, name, ctrl_c)
        return
    count = usable_cores() if workers is None else workers
    if count == 0:
        yield InProcess()
        return
    with silent_once_interrupted() as ctrl_c, local_client(count) as local:
        yield OnCluster(local, name, ctrl_c)


def check_place(*, workers=None, scheduler=None, client=None) -> None:
    """Refuse contradictory or malformed choices of where to run (before any work)."""
    choices = {"workers": workers, "scheduler": scheduler, "client": client}
    given = [name for name, value in choices.items() if value is not None]
    if len(given) > 1:
        raise invalid(given[1], choices[given[1]], f"nothing when {given[0]} is given (choose one)")
    if workers is not None:
        check_int("workers", workers, minimum=0)
    if scheduler is not None and (not isinstance(scheduler, str) or ":" not in scheduler):
        raise invalid("scheduler", scheduler, "an address such as tcp://127.0.0.1:8786")


@contextlib.contextmanager
def _connect(address):
    from distributed import Client

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        reason = " ".join(str(error).split())[:160]
        raise invalid("scheduler", address, f"the address of a running Dask scheduler ({reason})") from None
    with client:
        yield client
