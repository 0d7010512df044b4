"""Surfaces defined in the user's own code: ``file.py:ATTRIBUTE`` and ``module:ATTRIBUTE``.

This runs the user's module (it is their code, on their machine), so it is
only used for specs they typed; everything else in the spec grammar is read
without executing anything.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path

from ..surfaces import Surface


def load_surface(target: str, attribute: str, params: dict) -> Surface:
    """The ``Surface`` held by, or returned by calling, ``target:attribute``.

    Parameters
    ----------
    target : str
        A path to a ``.py`` file or an importable module name.
    attribute : str
        A ``Surface`` instance, or a class / function returning a ``Surface``.
    params : dict
        Keyword arguments for a factory (must be empty for an instance).

    Raises
    ------
    ValueError
        If the module cannot be loaded, the attribute is missing, or it does
        not give a ``Surface``.
    """
    module = _load_module(target)
    shown = f"{target}:{attribute}"
    if not hasattr(module, attribute):
        found = [
            name
            for name, value in vars(module).items()
            if not name.startswith("_") and (isinstance(value, Surface) or callable(value))
        ]
        listing = ", ".join(sorted(found)) or "nothing usable"
        raise ValueError(
            f"surface={shown!r} is not accepted; {target!r} has no {attribute!r} (has: {listing})"
        )
    value = getattr(module, attribute)
    if isinstance(value, Surface):
        if params:
            raise ValueError(f"surface={shown!r} is a Surface instance and takes no parameters")
        return value
    if not callable(value):
        raise ValueError(
            f"surface={shown!r} is not accepted; expected a Surface or a factory returning one, "
            f"got {type(value).__name__}"
        )
    try:
        surface = value(**params)
    except ValueError:
        raise
    except Exception as error:  # the user's code: report its failure in one line
        raise ValueError(f"surface={shown!r} failed: {type(error).__name__}: {error}") from None
    if not isinstance(surface, Surface):
        raise ValueError(
            f"surface={shown!r} is not accepted; calling it gave {type(surface).__name__}, "
            "not a Surface"
        )
    return surface


def _load_module(target: str):
    if target.endswith(".py"):
        return _load_file(Path(target))
    try:
        return importlib.import_module(target)
    except ImportError as error:
        raise ValueError(
            f"surface module {target!r} cannot be imported ({error}); expected a registered "
            "surface "
            "name, expr:EXPRESSION, path/to/file.py:ATTRIBUTE or package.module:ATTRIBUTE"
        ) from None
    except Exception as error:
        raise ValueError(
            f"surface module {target!r} failed to import: {type(error).__name__}: {error}"
        ) from None


def _load_file(path: Path):
    path = path.expanduser().resolve()
    if not path.is_file():
        raise ValueError(
            f"surface file {str(path)!r} does not exist; expected path/to/file.py:ATTRIBUTE"
        )
    # One module per file: loading it twice in a session reuses it, like an import.
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    name = f"_landscape_user_{path.stem}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise ValueError(
            f"surface file {str(path)!r} failed to import: {type(error).__name__}: {error}"
        ) from None
    return module
