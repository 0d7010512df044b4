"""Writing files safely: checked before any work, written to a temporary name, then renamed."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import threading
from pathlib import Path

import numpy as np

from ._validation import InvalidArgument


def unwritable(path) -> str | None:
    """Why a file cannot be written at ``path`` (``None`` if it can), without leaving anything behind.

    Catches what a look at the names cannot: a folder in the way, a file
    where a folder should be, a missing folder, and folders that refuse new
    files (``/proc``, ``/sys``, read-only file systems, permissions) -- the
    last by creating and removing an empty file there, since permission bits
    do not tell (``root`` passes every ``os.access`` check).
    """
    path = Path(path)
    try:
        if path.is_dir():
            return "it is a folder, expected a file name"
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            above = folder
            while not above.exists() and above != above.parent:
                above = above.parent
            if above.exists() and not above.is_dir():
                return f"{str(above)!r} is a file, not a folder"
            return f"folder {str(folder)!r} does not exist"
    except OSError as error:  # a name the system refuses: too long, ...
        return f"the system refuses this name ({error.strerror})"
    probe = _temporary(path)  # the name atomic_path writes first
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as error:
        return f"folder {str(folder)!r} refuses new files ({error.strerror})"
    finally:  # also when a Ctrl-C lands just after the probe is made
        with contextlib.suppress(OSError):
            os.unlink(probe)
    return None


def _temporary(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    return folder / f".{path.stem}.{os.getpid()}.partial{path.suffix}"


def check_writable(name: str, path) -> Path:
    """``path`` as a ``Path`` if a file can be written there; else ``InvalidArgument`` naming ``name``."""
    reason = unwritable(path)
    if reason is not None:
        raise InvalidArgument(f"{name}={str(path)!r} is not accepted; {reason}")
    return Path(path)


# (process id, temporary file) of the ``atomic_path`` blocks that have not ended. A Ctrl-C that
# lands while a ``with`` statement enters the block, after the file is made but before the
# statement holds the block's exit, skips that exit: what is left of them goes when the process
# exits (a forked child's own, not those of the blocks its parent has open).
_UNFINISHED: set[tuple[int, Path]] = set()


@atexit.register
def _remove_unfinished() -> None:
    for process, temporary in list(_UNFINISHED):
        if process == os.getpid():
            with contextlib.suppress(OSError):
                temporary.unlink()


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; move it into place on success.

    The temporary file keeps the suffix of ``path`` (so libraries that choose
    a format by suffix still do) and exists, empty, when the block starts: a
    place that cannot be written fails here with ``InvalidArgument``, before
    the block does its work. On any exception, including
    ``KeyboardInterrupt``, the temporary file is removed and ``path`` is left
    as it was.
    """
    path = Path(path)
    temporary = _temporary(path)
    unfinished = (os.getpid(), temporary)
    _UNFINISHED.add(unfinished)
    # one try from before the file exists: a Ctrl-C that lands just after it is made removes it too
    try:
        try:
            reason = "it is a folder, expected a file name" if path.is_dir() else None
            if reason is None:
                os.close(os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o666))
        except OSError as error:
            reason = unwritable(path) or error.strerror
        if reason is not None:
            raise InvalidArgument(f"path={str(path)!r} is not writable: {reason}")
        yield temporary
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):  # gone, or never made (a place that cannot be written)
            temporary.unlink()
        _UNFINISHED.discard(unfinished)


def save_npz(path, arrays: dict) -> None:
    """Write ``arrays`` to the ``.npz`` file ``path`` through ``atomic_path``.

    A Ctrl-C that comes during the write is raised once the file is in
    place, with a note that says so: zipfile, under ``np.savez``, cleans up
    in ``finally`` blocks that raise an error of their own over an interrupt
    landing as an entry opens ("Can't close the ZIP file ..."), and its
    finalizer reports another.
    """
    with ctrl_c_held(f"{path} was written in full"), atomic_path(path) as temporary:
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)


@contextlib.contextmanager
def ctrl_c_held(note: str):
    """Inside the block, Ctrl-C is only noted; after it, the handler in place before receives it
    (a ``KeyboardInterrupt`` it raises then carries ``note``, since the block ran to its end)."""
    handler = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(handler):
        yield
        return
    came = []
    signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
    if came:
        try:
            handler(signal.SIGINT, None)
        except KeyboardInterrupt as interrupt:
            interrupt.add_note(note)
            raise
