"""Memory and time a piece of work needs, estimated from its arguments before it starts.

Every entry point that can be asked for more than a machine has -- ``trace``,
``surfaces.get``, the critical-point search, random Hessians, ``sweep`` --
estimates its work here first and refuses, with ``InvalidArgument``, what
would need more than half of the machine's memory or at least an hour: one
line naming the parameter, the estimate and the machine's memory, before
anything is allocated. A user who knows better says so: ``--force`` on the
command line, ``with landscape.allow_large():`` in Python.

The estimates are deliberately simple: the bytes of the arrays the work
holds at once, and a lower bound on its time from a rate faster than this
package reaches on any machine it was measured on, so that a refusal is
never a false alarm by much.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os

import numpy as np

from ._text import counted
from ._validation import invalid

MEMORY_SHARE = 0.5  # refuse work that needs more than this share of the machine's memory
LONGEST_SECONDS = 3600.0  # ... or that takes at least this long
# Rates above any this package was measured at, so that times are lower bounds: the compiled engine
# made about 2e9 coordinate updates per second on two cores; a random Hessian drawn and
# diagonalized took at least 1.2 microseconds; dense factorizations run below 1e11 flop/s.
COORDINATE_UPDATES_PER_SECOND = 4e9
SECONDS_PER_SMALL_PROBLEM = 1e-6
FLOPS_PER_SECOND = 1e11
FLOAT = 8  # bytes of a float64

_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("landscape_allow_large", default=False)


@contextlib.contextmanager
def allow_large():
    """Inside this block, work estimated to be too large for this machine runs anyway.

    Outside it, ``trace``, ``surfaces.get``, the analyses and ``sweep``
    refuse work estimated to need more than half of the machine's memory or
    at least an hour (``InvalidArgument``, with the estimate). ``--force``
    does the same on the command line.

    Notes
    -----
    The setting is a context variable: it holds in this thread (and tasks
    started from it), not in other processes.

    Examples
    --------
    >>> import landscape as ls
    >>> with ls.allow_large():
    ...     s = ls.surfaces.get("rastrigin", dim=10**6)
    """
    token = _allowed.set(True)
    try:
        yield
    finally:
        _allowed.reset(token)


@functools.cache
def machine_memory() -> int:
    """Bytes of physical memory (0 if the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def check(name: str, value, *, memory: float = 0.0, seconds: float = 0.0, what: str, advice: str) -> None:
    """Refuse work needing more than ``MEMORY_SHARE`` of the memory or at least ``LONGEST_SECONDS``.

    Parameters
    ----------
    name, value
        The parameter to name, and its value.
    memory : float
        Bytes the work holds at once.
    seconds : float
        A lower bound on its time.
    what : str
        The work, for the message ("this trace").
    advice : str
        What would make it smaller ("fewer particles").
    """
    if _allowed.get():
        return
    total = machine_memory()
    override = "--force on the command line, or landscape.allow_large() in Python, to run it anyway"
    if total and memory > MEMORY_SHARE * total:
        raise invalid(
            name,
            value,
            f"{advice}: {what} needs about {_bytes(memory)} of memory, more than half of this "
            f"machine's {_bytes(total)} ({override})",
        )
    if seconds > LONGEST_SECONDS:
        raise invalid(
            name, value, f"{advice}: {what} takes at least {_duration(seconds)} on this machine ({override})"
        )


def trace_cost(
    particles: int, dim: int, steps: int, recorded: int, itemsize: int, record_width=None
) -> tuple[float, float]:
    """Bytes and seconds of a trace: its records, and the state of every particle.

    The state -- positions, gradients, up to two optimizer slots and the
    engine's scratch -- is about eight ``(K, dim)`` arrays; each record holds
    ``record_width`` numbers (default: the position) and four more per particle.
    """
    k, d = float(particles), float(dim)
    memory = itemsize * (recorded * k * ((record_width or d) + 4) + 8 * k * d)
    return memory, float(steps) * k * d / COORDINATE_UPDATES_PER_SECOND


def check_trace(
    particles: int, dim: int, steps: int, record_every: int, itemsize: int, *, epochs=None, record_width=None
):
    """Refuse a trace too large for this machine, naming what makes it large.

    ``record_width`` is the numbers recorded per particle and step besides
    the four diagnostics (default ``dim``, the position; more when the
    optimizer's state is recorded too).
    """
    recorded = steps // record_every + 2
    memory, seconds = trace_cost(particles, dim, steps, recorded, itemsize, record_width)
    what = f"a trace of {counted(particles, 'particle')}" + (f" x {counted(steps, 'step')}" if steps else "")
    what += f" in dimension {dim}"
    length = ("steps", steps) if epochs is None else ("epochs", epochs)
    records = itemsize * recorded * particles * ((record_width or dim) + 4)
    if records * 2 >= memory and recorded > particles:  # long records, not many particles
        check(*length, memory=memory, what=what, advice=f"fewer {length[0]} or a larger record_every")
    else:
        check("particles", particles, memory=memory, what=what, advice="fewer particles")
    if steps >= particles * dim:
        check(*length, seconds=seconds, what=what, advice=f"fewer {length[0]}")
    else:
        check("particles", particles, seconds=seconds, what=what, advice="fewer particles")


def surface_cost(dim: int) -> float:
    """Bytes of a surface of dimension ``dim``: its window, start and a few vectors of that length."""
    return 16.0 * FLOAT * float(dim)


def dense_matrix_cost(rows: int, columns: int | None = None, copies: int = 3) -> float:
    """Bytes of a dense matrix and the copies made while building and factorizing it."""
    return copies * FLOAT * float(rows) * float(rows if columns is None else columns)


def critical_points_cost(starts: int, dim: int) -> tuple[float, float]:
    """Bytes and seconds of a round of Levenberg-Marquardt starts with dense Hessians.

    Each start holds about four ``dim x dim`` matrices (Hessian, damped copy,
    factor, scratch) and a few vectors, and factorizes ``dim³/3`` flops per
    iteration, for some twenty iterations.
    """
    n, d = float(starts), float(dim)
    memory = FLOAT * n * (4 * d * d + 16 * d)
    return memory, 20 * n * d**3 / 3 / FLOPS_PER_SECOND


def random_hessians_seconds(samples: int, dims) -> float:
    """Seconds to draw and diagonalize ``samples`` random Hessians of each dimension in ``dims``."""
    dims = np.asarray(dims, dtype=float)
    return float(samples) * float(np.sum(SECONDS_PER_SMALL_PROBLEM + dims**3 / FLOPS_PER_SECOND))


def _bytes(count: float) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count / 2**10:.3g} KiB"


def _duration(seconds: float) -> str:
    for unit, size in (("years", 365.25 * 86400), ("days", 86400), ("hours", 3600)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds / 60:.3g} minutes"
