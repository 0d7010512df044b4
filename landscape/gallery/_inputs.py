"""What an item's output depends on, as one digest: the key that decides whether to rebuild it.

A scene depends on its scene file (and the helper files ``_*.py`` beside
it), its parameters, the frame size and rate, the library's source and the
versions of the packages that draw and encode it. A figure depends on its
configuration, any file it names (a surface in your own ``.py`` file, a
sweep's results), the library's source and the package versions. Contents
are hashed, not modification times, so a fresh checkout of the same sources
rebuilds nothing.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path

from ._manifest import Item

KEY_VERSION = 2  # bump when the meaning of an item's outputs changes
_PACKAGES = ("manim", "matplotlib", "numpy", "scipy", "numba", "sympy", "av")
# The gallery's own modules schedule builds and write the page; of them only these shape an item's
# files (editing the others rebuilds nothing). Every other module of the library is an input.
_ITEM_MODULES = frozenset({"gallery/_items.py", "gallery/_inputs.py"})
_NOT_INPUTS = ("gallery/", "cli/_gallery.py")


@dataclass(frozen=True)
class Settings:
    """How scenes are rendered: ``quality`` (low, medium, high), and optional ``fps`` and ``time_scale``."""

    quality: str = "medium"
    fps: int | None = None
    time_scale: float | None = None


def digest_files(paths, root: Path | None = None) -> str:
    """SHA-256 of the files' contents and their names (relative to ``root``), in sorted order."""
    hasher = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        name = path.relative_to(root).as_posix() if root is not None else path.name
        hasher.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


@functools.cache
def library_digest() -> str:
    """Digest of the ``landscape`` package's Python source (computed once per process).

    Every module counts except the gallery's scheduling and page writing.
    """
    root = Path(__file__).resolve().parents[1]
    files = [p for p in root.rglob("*.py") if _is_input(p.relative_to(root).as_posix())]
    return digest_files(files, root)


def _is_input(relative: str) -> bool:
    return relative in _ITEM_MODULES or not relative.startswith(_NOT_INPUTS)


@functools.cache
def package_versions() -> dict:
    """Versions of the packages that shape the pixels of scenes and figures."""
    found = {}
    for name in _PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def scene_digest(path: Path) -> str:
    """Digest of a scene file and the helper modules (``_*.py``) in its folder."""
    path = Path(path)
    return digest_files([path, *path.parent.glob("_*.py")], path.parent)


def named_files(config: dict) -> list[Path]:
    """Existing files a figure's configuration names (``my.py:bowl``, ``results.parquet``)."""
    found = []
    for value in (config.get("surface"), config.get("results")):
        if not isinstance(value, str):
            continue
        for candidate in {value, value.split(":", 1)[0]}:
            path = Path(candidate)
            if path.suffix and path.is_file():
                found.append(path.resolve())
    return sorted(set(found))


def item_key(
    item: Item, settings: Settings, *, scene_file: Path | None = None, params: dict | None = None
) -> str:
    """The digest of everything ``item``'s outputs depend on.

    Parameters
    ----------
    item : Item
    settings : Settings
        Used by scenes only: figures look the same at every quality.
    scene_file : pathlib.Path
        For a scene: the file that defines it.
    params : dict
        For a scene: every parameter value it is rendered with.
    """
    inputs = {
        "version": KEY_VERSION,
        "kind": item.kind,
        "library": library_digest(),
        "packages": package_versions(),
    }
    if item.kind == "scene":
        inputs |= {
            "scene": item.scene,
            "source": scene_digest(scene_file),
            "params": params,
            "quality": settings.quality,
            "fps": settings.fps,
        }
    else:
        files = named_files(item.config)
        inputs |= {"config": item.config, "files": digest_files(files) if files else None}
    text = json.dumps(inputs, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
