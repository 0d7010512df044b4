"""Resumable storage: one file per finished chunk plus a manifest, each written atomically.

A store is a folder::

    results.sweep/
        manifest.json                     what sweep this is, and the chunks done
        chunk-00000000-00000400.npz       metric columns of configurations 0..399
        chunk-00000400-00000800.npz       ...

Chunk files are the truth: a chunk is done exactly when its file exists (it
appears under its name only once complete). The manifest names the sweep (its
description and a hash of it) and lists the chunks; it is written before
the first chunk, rewritten after every chunk, and rebuilt from the files when
a run was killed or interrupted between the two writes. Reopening a store
therefore loses nothing that finished and runs nothing twice; a store of
another sweep is refused.
"""

from __future__ import annotations

import contextlib
import json
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .._io import atomic_path, save_npz, unwritable
from .._validation import invalid

MANIFEST = "manifest.json"
STORE_VERSION = 1
_CHUNK = re.compile(r"^chunk-(\d{8,})-(\d{8,})\.npz$")


class Store:
    """A store folder for one sweep (see the module docstring).

    Parameters
    ----------
    path : str or Path
        The folder; created when the first chunk is written.
    description : dict
        The JSON-ready description of the sweep.
    identity : str
        A hash of ``description``; a folder holding another identity is refused.
    size : int
        Number of configurations.
    """

    def __init__(self, path, description: dict, identity: str, size: int):
        self.path = Path(path)
        self.description, self.identity, self.size = description, identity, size
        if self.path.exists() and not self.path.is_dir():
            raise invalid("store", str(self.path), "a folder (this is a file)")
        reason = unwritable(self.path / MANIFEST if self.path.is_dir() else self.path)
        if reason is not None:
            raise invalid("store", str(self.path), f"a folder this sweep can write ({reason})")
        self.ranges = []
        if not self.path.is_dir():
            return  # created with the first chunk, so a sweep that fails before leaves nothing
        manifest = self.path / MANIFEST
        if manifest.exists():
            self._check_manifest(manifest)
        elif any(self._chunk_files()):
            raise invalid("store", str(self.path), "a folder of this sweep's chunks (it has no manifest)")
        for leftover in self.path.glob(".*.partial.*"):  # temporary files of a killed run
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        self.ranges = sorted(r for r, _ in self._chunk_files())
        self._write_manifest()

    def _check_manifest(self, manifest: Path) -> None:
        try:
            document = json.loads(manifest.read_text())
            found = document["identity"]
        except (OSError, ValueError, KeyError, TypeError):
            raise invalid(
                "store", str(self.path), "a folder written by a sweep (its manifest is unreadable)"
            ) from None
        if found != self.identity:
            theirs = _differences(document.get("description") or {}, self.description)
            raise invalid(
                "store",
                str(self.path),
                f"a store of this sweep; it holds another one ({theirs}): remove it or choose another",
            )

    def _chunk_files(self):
        for file in self.path.iterdir():
            match = _CHUNK.match(file.name)
            if match:
                start, stop = int(match[1]), int(match[2])
                if not 0 <= start < stop <= self.size:
                    raise invalid(
                        "store", str(self.path), f"chunks of configurations 0..{self.size} ({file.name})"
                    )
                yield (start, stop), file

    @property
    def done(self) -> int:
        """Configurations already finished."""
        return sum(stop - start for start, stop in self.ranges)

    def missing(self) -> list[tuple[int, int]]:
        """Ranges of configurations that have no chunk file yet."""
        gaps, position = [], 0
        for start, stop in self.ranges:
            if start < position:
                raise invalid("store", str(self.path), f"chunks that do not overlap (at {start})")
            if start > position:
                gaps.append((position, start))
            position = stop
        if position < self.size:
            gaps.append((position, self.size))
        return gaps

    def write(self, start: int, stop: int, columns: dict[str, np.ndarray]) -> None:
        """Write the columns of configurations ``start:stop``, then the manifest."""
        if not self.path.is_dir():
            # the manifest first: a chunk without one could not be resumed (an interrupt is held
            # until a chunk is in place, and a kill can come between the two files)
            self.path.mkdir(exist_ok=True)
            self._write_manifest()
        save_npz(self.path / _chunk_name(start, stop), columns)
        self.ranges = sorted([*self.ranges, (start, stop)])
        self._write_manifest()

    def read(self) -> dict[str, np.ndarray]:
        """All columns in configuration order (every configuration must be done)."""
        if self.missing():
            raise ValueError(f"store {str(self.path)!r} is missing configurations {self.missing()[0]}")
        parts = []
        for start, stop in self.ranges:
            file = self.path / _chunk_name(start, stop)
            try:
                with np.load(file, allow_pickle=False) as data:
                    parts.append({name: data[name] for name in data.files})
            except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
                reason = getattr(error, "strerror", None) or " ".join(str(error).split())[:80]
                raise invalid(
                    "store",
                    str(self.path),
                    f"readable chunks; {file.name} is damaged ({reason}): remove it and run the "
                    "same sweep again to redo those configurations",
                ) from None
        return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}

    def _write_manifest(self) -> None:
        document = {
            "landscape_sweep_store": STORE_VERSION,
            "identity": self.identity,
            "configurations": self.size,
            "done": self.done,
            "chunks": [{"file": _chunk_name(a, b), "start": a, "stop": b} for a, b in self.ranges],
            "description": self.description,
        }
        text = json.dumps(document, indent=1) + "\n"
        with contextlib.suppress(OSError):
            if (self.path / MANIFEST).read_text() == text:
                return  # reopening a store changes nothing in it
        with atomic_path(self.path / MANIFEST) as temporary:
            temporary.write_text(text)


def _chunk_name(start: int, stop: int) -> str:
    return f"chunk-{start:08d}-{stop:08d}.npz"


def _differences(stored: dict, wanted: dict) -> str:
    keys = [k for k in sorted(set(stored) | set(wanted)) if stored.get(k) != wanted.get(k)]
    return "different " + ", ".join(keys) if keys else "a different description"


def store_progress(path) -> tuple[int, int] | None:
    """``(done, total)`` configurations of the store at ``path``, or None where there is no store.

    ``done`` counts the chunk files, as reopening the store will: the manifest
    can lag one chunk behind them when a run is interrupted between the two
    writes.
    """
    path = Path(path)
    try:
        total = int(json.loads((path / MANIFEST).read_text())["configurations"])
        names = [file.name for file in path.iterdir()]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    chunks = [_CHUNK.match(name) for name in names]
    return sum(int(m[2]) - int(m[1]) for m in chunks if m), total


def remove_store(path) -> None:
    """Delete a store's chunk files and manifest, then the folder if nothing else is in it."""
    path = Path(path)
    if not path.is_dir():
        return
    for file in path.iterdir():
        if _CHUNK.match(file.name) or file.name == MANIFEST:
            file.unlink()
    with contextlib.suppress(OSError):
        path.rmdir()
