"""Writing files safely: to a temporary name in the same folder, then renamed."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; move it into place on success.

    The temporary file keeps the suffix of ``path`` (so libraries that choose
    a format by suffix still do). On any exception, including
    ``KeyboardInterrupt``, the temporary file is removed and ``path`` is left
    as it was.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"path={str(path)!r} is not writable: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"path={str(path)!r} is not writable: no permission to write in {str(folder)!r}")
    temporary = folder / f".{path.stem}.{os.getpid()}.partial{path.suffix}"
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
