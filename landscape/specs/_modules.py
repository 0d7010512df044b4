"""Surfaces defined in the user's own code: ``file.py:ATTRIBUTE`` and ``module:ATTRIBUTE``.

This runs the user's module (it is their code, on their machine), so it is
only done for specs they typed or passed from Python. A spec read from a
file -- a figure's sidecar, the gallery's manifest, a sweep's results -- is
read inside ``read_from(path, trusted=...)``: there, a spec naming code is
refused unless the user said on the command line that they trust the file
(``--trust``). Everything else in the spec grammar is read without executing
anything.

Errors of the user's own code (an exception while importing their file or
calling their factory) are raised as they are, with their traceback: they
are the user's to fix, not bad input to this package.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import importlib
import importlib.util
import inspect
import sys
from pathlib import Path

from .._validation import InvalidArgument
from ..surfaces import Surface

# The file specs are being read from, while its code may not run (None: specs typed by the user).
_untrusted_source: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "landscape_untrusted_source", default=None
)


@contextlib.contextmanager
def read_from(source, *, trusted: bool = False):
    """Read specs that come from the file ``source``: code they name runs only if ``trusted``.

    Parameters
    ----------
    source : str or Path
        The file the specs were read from (named in the error).
    trusted : bool
        Whether the user said, on the command line, that they trust it.
    """
    token = _untrusted_source.set(None if trusted else str(source))
    try:
        yield
    finally:
        _untrusted_source.reset(token)


_loaded: dict = {}  # module name -> module, for every module a spec loaded (see ``user_modules``)


def user_modules() -> list:
    """The modules of the user's own code that specs have loaded in this process."""
    return list(_loaded.values())


def check_may_run(spec_text: str, target: str) -> None:
    """Refuse a spec naming code when it was read from a file the user has not trusted."""
    source = _untrusted_source.get()
    if source is not None:
        raise InvalidArgument(
            f"surface={spec_text!r} is not accepted from {source!r}: it names code to run "
            f"({target}), and code named by a file runs only if you say so; "
            "expected --trust on the command line if you trust that file"
        )


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
    InvalidArgument
        If the file or module does not exist, the attribute is missing, it
        does not take the parameters given, or it does not give a ``Surface``.
    Exception
        Whatever the user's module or factory raises, unchanged.
    """
    shown = f"{target}:{attribute}"
    check_may_run(shown, target)
    module = _load_module(target)
    if not hasattr(module, attribute):
        found = [
            name
            for name, value in vars(module).items()
            if not name.startswith("_") and (isinstance(value, Surface) or callable(value))
        ]
        listing = ", ".join(sorted(found)) or "nothing usable"
        raise InvalidArgument(
            f"surface={shown!r} is not accepted; {target!r} has no {attribute!r} (has: {listing})"
        )
    value = getattr(module, attribute)
    if isinstance(value, Surface):
        if params:
            raise InvalidArgument(f"surface={shown!r} is a Surface instance and takes no parameters")
        return value
    if not callable(value):
        raise InvalidArgument(
            f"surface={shown!r} is not accepted; expected a Surface or a factory returning one, "
            f"got {type(value).__name__}"
        )
    _check_parameters(value, params, shown)
    surface = value(**params)
    if not isinstance(surface, Surface):
        raise InvalidArgument(
            f"surface={shown!r} is not accepted; calling it gave {type(surface).__name__}, not a Surface"
        )
    return surface


def _check_parameters(factory, params: dict, shown: str) -> None:
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):  # no signature to read (a builtin): the call will tell
        return
    try:
        signature.bind(**params)
    except TypeError as error:
        accepted = [
            p.name
            for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]
        raise InvalidArgument(
            f"surface={shown!r} is not accepted: {error}; its parameters are: {', '.join(accepted) or 'none'}"
        ) from None


def _load_module(target: str):
    if target.endswith(".py"):
        module = _load_file(Path(target))
    else:
        module = _import(target)
    _loaded[module.__name__] = module
    return module


def _import(target: str):
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as error:
        if error.name is None or not (target == error.name or target.startswith(error.name + ".")):
            raise  # the module exists, and something it imports is missing: the user's to fix
        raise InvalidArgument(
            f"surface module {target!r} cannot be imported ({error}); expected a registered surface "
            "name, expr:EXPRESSION, path/to/file.py:ATTRIBUTE or package.module:ATTRIBUTE"
        ) from None


def _load_file(path: Path):
    path = path.expanduser().resolve()
    if not path.is_file():
        raise InvalidArgument(
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
    # no __pycache__ beside the user's file: reading a surface writes nothing in their folder
    previous, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    finally:
        sys.dont_write_bytecode = previous
    return module
