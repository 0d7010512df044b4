"""``show``: a scene rendered for a notebook, returned as an object Jupyter plays inline."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import _display
from .._io import atomic_path
from .._validation import check_choice
from ._manim import QUALITIES
from ._render import render

MIMETYPES = {"mp4": "video/mp4", "webm": "video/webm", "gif": "image/gif", "png": "image/png"}


class SceneVideo:
    """A rendered scene held in memory; Jupyter shows it as an embedded video.

    The video is embedded in the notebook as a data URL, so the notebook
    plays it anywhere, without the file.

    Attributes
    ----------
    name : str
        The scene.
    data : bytes
        The encoded video (or GIF, or PNG poster).
    format : {"mp4", "webm", "gif", "png"}
    width, height : int
        Frame size in pixels.
    """

    def __init__(self, name: str, data: bytes, format: str, width: int, height: int):
        self.name, self.data, self.format = name, data, format
        self.width, self.height = width, height

    def save(self, path) -> Path:
        """Write the video to ``path`` (atomically); return the path."""
        path = Path(path)
        with atomic_path(path) as temporary:
            temporary.write_bytes(self.data)
        return path

    def __repr__(self) -> str:
        size = f"{len(self.data) / 1e6:.1f} MB" if len(self.data) >= 100_000 else f"{len(self.data):,} bytes"
        return f"SceneVideo({self.name!r}, {self.format}, {self.width}x{self.height}, {size})"

    def _repr_html_(self) -> str:
        return _display.video_html(self.data, MIMETYPES[self.format], width=self.width, alt=self.name)


def show(
    name: str,
    *,
    quality: str = "low",
    format: str = "mp4",
    fps: int | None = None,
    params: dict | None = None,
) -> SceneVideo:
    """Render the scene ``name`` and return it for display in a notebook.

    Parameters
    ----------
    name : str
        A scene of ``scene_catalog()`` (``"momentum"``).
    quality : {"low", "medium", "high", "4k"}
        As for ``render``; ``"low"`` (768×432 at 15 fps) keeps notebooks small.
    format : {"mp4", "webm", "gif", "png"}
        ``"png"`` shows the last frame only (a poster).
    fps : int, optional
        Frame rate instead of the quality's.
    params : dict, optional
        Scene parameters, e.g. ``{"time_scale": 0.5}``.

    Returns
    -------
    SceneVideo
        Shown inline by Jupyter; ``.save(path)`` keeps the file.

    Raises
    ------
    ValueError
        For an unknown scene, quality, format or parameter (see ``render``).

    Notes
    -----
    The scene is rendered into a temporary folder that is removed afterwards;
    the video lives in the returned object (and in the notebook, once shown).

    Examples
    --------
    >>> import landscape as ls
    >>> ls.render.show("momentum", quality="low")  # doctest: +SKIP
    SceneVideo('momentum', mp4, 768x432, 1.2 MB)
    """
    check_choice("format", format, tuple(MIMETYPES))
    check_choice("quality", quality, tuple(QUALITIES))
    width, height, _ = QUALITIES[quality]
    with tempfile.TemporaryDirectory(prefix="landscape-show-") as folder:
        path = render(name, Path(folder) / f"{name}.{format}", quality=quality, fps=fps, params=params)
        return SceneVideo(name, path.read_bytes(), format, width, height)
