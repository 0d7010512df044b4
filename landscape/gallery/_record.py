"""The build record ``DIR/gallery.json``: which item was built from which inputs, into which files.

The record is rewritten (atomically) after every item, so an interrupted
build loses at most the items that were still running; an item counts as
built only when its entry has the current key and every file it lists
exists. A lock file keeps two builds out of the same folder.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from .._io import atomic_path
from .._validation import InvalidArgument

RECORD_NAME = "gallery.json"
RECORD_VERSION = 1
LOCK_NAME = ".lock"


class Record:
    """The entries of built items and of failed ones, by item name.

    ``built[name]`` holds ``key``, ``kind``, ``outputs`` (role → path
    relative to the folder), ``command``, ``parameters``, ``seconds`` and
    details of the files; ``failed[name]`` holds ``key``, ``error`` and ``log``.
    """

    def __init__(self, folder: Path, built: dict | None = None, failed: dict | None = None):
        self.folder = Path(folder)
        self.built = dict(built or {})
        self.failed = dict(failed or {})

    @classmethod
    def load(cls, folder) -> Record:
        """The record in ``folder`` (empty if missing or unreadable: everything is rebuilt)."""
        folder = Path(folder)
        try:
            document = json.loads((folder / RECORD_NAME).read_text())
        except (OSError, ValueError):
            return cls(folder)
        if not isinstance(document, dict) or document.get("landscape_gallery") != RECORD_VERSION:
            return cls(folder)
        return cls(folder, document.get("built"), document.get("failed"))

    def save(self) -> None:
        document = {"landscape_gallery": RECORD_VERSION, "built": self.built, "failed": self.failed}
        with atomic_path(self.folder / RECORD_NAME) as temporary:
            temporary.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")

    def complete(self, name: str) -> bool:
        """Whether every file of ``name``'s entry exists."""
        entry = self.built.get(name)
        return entry is not None and all((self.folder / p).is_file() for p in entry["outputs"].values())

    def current(self, name: str, key: str) -> bool:
        """Whether ``name`` was built from inputs with digest ``key`` and its files are all there."""
        return self.complete(name) and self.built[name]["key"] == key

    def remove(self, name: str) -> None:
        """Forget ``name`` and delete its files."""
        entry = self.built.pop(name, None)
        self.failed.pop(name, None)
        for relative in (entry or {}).get("outputs", {}).values():
            with contextlib.suppress(FileNotFoundError):
                (self.folder / relative).unlink()


@contextlib.contextmanager
def locked(folder: Path):
    """Hold ``DIR/.lock`` for the duration of a build; ``InvalidArgument`` if another build holds it.

    The lock is an ``flock`` on the file, which the system releases when the
    process ends, however it ends: a ``.lock`` left by a process that died
    holds nothing and is taken over. The file names the holder's process id
    and is removed when the build ends. A build that opened the file just
    before its holder removed it locks a file no longer in the folder; it
    notices (the path then names another file, or none) and tries again.
    """
    try:
        import fcntl
    except ImportError:  # no flock on this system: builds are not guarded
        yield
        return
    path = folder / LOCK_NAME
    while True:
        handle = open(path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise InvalidArgument(
                f"output={str(folder)!r} is not accepted; another 'landscape gallery' (process {holder}) "
                "is building it"
            ) from None
        if _same_file(handle, path):
            break
        handle.close()
    try:
        handle.seek(0)
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # while still holding the lock, so no other build holds this file
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _same_file(handle, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except FileNotFoundError:
        return False


def remove_partial_files(folder: Path) -> list[Path]:
    """Delete the temporary files interrupted writes left in ``folder`` (safe under the lock)."""
    removed = []
    for path in folder.glob(".*.partial*"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed
