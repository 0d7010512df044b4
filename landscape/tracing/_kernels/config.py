"""Compiler flags and places of the compiled engine, in one module.

Every kernel is compiled with the flags below; tests and users switch them
with environment variables read at import time:

``LANDSCAPE_NUMBA_FASTMATH=0``
    Strict IEEE arithmetic instead of ``FASTMATH``.
``LANDSCAPE_NUMBA_CACHE=0``
    Do not cache compiled kernels on disk.
``LANDSCAPE_NUMBA_PARALLEL=0``
    One thread. Otherwise blocks of particles are shared among
    ``numba.get_num_threads()`` threads (``NUMBA_NUM_THREADS``).
``LANDSCAPE_CACHE_DIR``
    Where generated kernels and their compiled code live (default
    ``$XDG_CACHE_HOME/landscape`` or ``~/.cache/landscape``). The
    ``KEEP_DRIVERS`` most recently used modules (drivers and the surface
    loops they link) are kept.

``FASTMATH`` is fast math *without* ``nnan`` and ``ninf``: the tracer must
see a non-finite position to freeze a diverging particle, and with those two
flags the compiler may assume ``x <= radius`` is never false for NaN.
"""

from __future__ import annotations

import os
from pathlib import Path

import numba

FAST_FLAGS = frozenset({"nsz", "arcp", "contract", "afn", "reassoc"})
BLOCK = 1024  # particles per block: one thread runs a block through all steps
FUSED_MAX_DIM = 16  # up to this dimension, one particle's coordinates stay in registers
KEEP_DRIVERS = 400  # generated modules kept on disk (at most about 100 MiB), the most recently used


def _switch(name: str) -> bool:
    return os.environ.get(name, "1").strip().lower() not in ("0", "false", "no", "off")


FASTMATH = FAST_FLAGS if _switch("LANDSCAPE_NUMBA_FASTMATH") else frozenset()
CACHE = _switch("LANDSCAPE_NUMBA_CACHE")
PARALLEL = _switch("LANDSCAPE_NUMBA_PARALLEL")


def _compile(function, cached: bool, **options):
    """``numba.njit(**options)(function)``, cached on disk when ``cached`` and ``CACHE`` allow."""
    if cached and CACHE:
        try:
            return numba.njit(cache=True, **options)(function)
        except RuntimeError:  # numba finds no writable place for a cache (read-only package and home)
            pass
    return numba.njit(**options)(function)


def kernel(function):
    """Compile a building block; drivers link it.

    It is also cached on disk on its own, so that a new driver links it
    instead of compiling it again (0.05 to 0.2 s each, 1 s for the block
    kernel of a quadratic). Numba renews that cache when the block's own
    file changes, not when another one does: a block that calls blocks of
    another file uses ``uncached_kernel``.
    """
    return _compile(function, True, fastmath=set(FASTMATH), error_model="numpy")


def uncached_kernel(function):
    """Compile a building block with each driver: one that calls blocks of other files, or
    a user's point function (which may have no file, e.g. from a notebook)."""
    return _compile(function, False, fastmath=set(FASTMATH), error_model="numpy")


def inlined(function):
    """Compile an optimizer's rule, which drivers inline before numba types them.

    Inlined, the rule is optimized as part of the driver's loop over
    particles; linked as a function optimized on its own (as ``kernel``
    does), it gave that loop more instructions and slower steps. Inlining
    costs a little compile time per new driver.
    """
    return _compile(function, False, fastmath=set(FASTMATH), error_model="numpy", inline="always")


def driver(function, cached: bool = True):
    """Compile a generated driver (the function that owns the loops); it releases the GIL."""
    return _compile(function, cached, fastmath=set(FASTMATH), error_model="numpy", nogil=True)


def signature() -> str:
    """What, besides the source, makes compiled code differ (part of each kernel's key)."""
    return (
        f"numba={numba.__version__} fastmath={sorted(FASTMATH)} cache={CACHE} block={BLOCK}"
    )


def threads() -> int:
    """Number of threads that share the blocks of a run."""
    return numba.get_num_threads() if PARALLEL else 1


def cache_dir() -> Path:
    """Directory of generated kernels (created on demand)."""
    root = os.environ.get("LANDSCAPE_CACHE_DIR")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        root = Path(base) / "landscape"
    return Path(root) / "kernels"
