"""Surfaces and settings sent to Dask workers by value: the user's own code travels with them.

Pickled by reference, a surface from ``my_surfaces.py`` (loaded under a name
no worker knows) or from a module only the user's machine has fails on every
worker. ``ship`` pickles with cloudpickle and registers the user's own
modules -- those specs loaded, and those defining a surface's class or a
metric -- to be pickled by value; ``unship`` reads it back on the worker.
"""

from __future__ import annotations

import functools
import os
import pickle
import sys
import sysconfig
from pathlib import Path
from types import FunctionType


def ship(value) -> bytes:
    """``value`` pickled by cloudpickle, with the user's own modules pickled by value."""
    import cloudpickle

    registered = set(cloudpickle.list_registry_pickle_by_value())
    modules = [m for m in _own_modules(value) if m.__name__ not in registered]
    for module in modules:
        cloudpickle.register_pickle_by_value(module)
    try:
        return cloudpickle.dumps(value)
    finally:
        for module in modules:
            cloudpickle.unregister_pickle_by_value(module)


@functools.lru_cache(maxsize=16)
def unship(payload: bytes):
    """What ``ship`` pickled (kept for the next chunks of the same sweep on this worker)."""
    return pickle.loads(payload)


def _own_modules(value) -> list:
    """The user's modules ``value`` may need: those specs loaded, and those defining its parts."""
    from ..specs import user_modules

    found = dict.fromkeys(user_modules())
    parts = [value, *getattr(value, "metrics", {}).values()]
    for part in parts:
        name = part.__module__ if isinstance(part, FunctionType) else type(part).__module__
        module = sys.modules.get(name)
        if module is not None and _is_users(module):
            found[module] = None
    return list(found)


def _is_users(module) -> bool:
    """Whether a module is the user's own code: not this package, not installed, not the standard library."""
    path = getattr(module, "__file__", None)
    if path is None or module.__name__ == "__main__":  # cloudpickle sends __main__ by value anyway
        return False
    installed = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    installed.add(str(Path(__file__).resolve().parents[1]))  # landscape itself
    resolved = str(Path(path).resolve())
    return not any(resolved.startswith(str(Path(place).resolve()) + os.sep) for place in installed)
