"""Building one item, in a worker process: a scene's video and poster, or a figure and its sidecar.

Scenes go through ``landscape.rendering.render``; figures through
``landscape.plot.figure_from_config`` and ``save_figure``, whose sidecar
``NAME.json`` is what ``landscape reproduce`` rebuilds the figure from (the
command shown on the page). Every file is written under a temporary name and
renamed when complete.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

from .._io import atomic_path
from ._inputs import Settings
from ._manifest import Item

MEDIA = "media"
POSTER_SUFFIX = ".poster.png"
_TRACE_KEYS = ("steps", "epochs", "particles", "x0", "batch_size", "noise", "record_every")


@dataclass(frozen=True)
class Task:
    """What a worker needs to build one item (picklable)."""

    item: Item
    settings: Settings
    folder: Path  # the gallery's output folder
    params: dict  # for a scene: the overrides it is rendered with
    manifest: str = ""  # the file the item was read from
    trusted: bool = False  # whether code its figure names may run (--trust)


def outputs(item: Item) -> dict:
    """The item's files by role, relative to the output folder."""
    if item.kind == "scene":
        return {"video": f"{MEDIA}/{item.name}.mp4", "poster": f"{MEDIA}/{item.name}{POSTER_SUFFIX}"}
    return {"image": f"{MEDIA}/{item.name}.png", "sidecar": f"{MEDIA}/{item.name}.json"}


def untrusted_reason(config: dict) -> str | None:
    """Why a figure configuration read from a manifest needs ``--trust``, or ``None``.

    It needs it when its surface names Python code to run, or its results
    file lies outside the manifest's folder (an absolute path, or one with
    ``..``).
    """
    from ..specs import parse_surface_spec

    results = config.get("results")
    if isinstance(results, str):
        named = Path(results)
        if named.is_absolute() or ".." in named.parts:
            return f"it reads {results!r}, outside the manifest's folder"
    surface = config.get("surface")
    if not isinstance(surface, str):
        return None
    try:
        code = parse_surface_spec(surface).kind == "module"
    except ValueError:
        return None  # the figure refuses this surface in its own words
    return f"its surface {surface!r} names code to run" if code else None


def command(item: Item, settings: Settings, params: dict) -> str:
    """The ``landscape`` command line that reproduces the item on its own."""
    if item.kind == "figure":
        return shlex.join(["landscape", "reproduce", f"{MEDIA}/{item.name}.json", "-o", f"{item.name}.png"])
    words = ["landscape", "render", item.scene, "-q", settings.quality]
    if settings.fps is not None:
        words += ["--fps", str(settings.fps)]
    words += ["-o", f"{item.name}.mp4"]
    words += [f"{key}={_plain(value)}" for key, value in params.items()]
    return shlex.join(words)


def build_item(task: Task) -> dict:
    """Build one item; return what the record keeps, or the error (never raises an ``Exception``).

    Returns
    -------
    dict
        ``ok`` (bool), ``seconds``, and either the record's details
        (``outputs``, ``parameters``, ``details``, ``warnings``) or
        ``error`` (one line) and ``log`` (the traceback and any output).
    """
    start = time.perf_counter()
    output = io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                builder = _build_scene if task.item.kind == "scene" else _build_figure
                result = builder(task)
        except Exception as error:  # one failing item must not stop the others
            return {
                "ok": False,
                "seconds": time.perf_counter() - start,
                "error": _one_line(error),
                "log": traceback.format_exc() + _captured(output),
            }
    # The library's warnings (diverged particles, ...), not the deprecations of packages it imports.
    shown = [w for w in caught if issubclass(w.category, (UserWarning, RuntimeWarning))]
    messages = sorted({" ".join(str(w.message).split()) for w in shown})
    return {"ok": True, "seconds": time.perf_counter() - start, "warnings": messages} | result


def _build_scene(task: Task) -> dict:
    from ..rendering import render

    files = outputs(task.item)
    video, poster = task.folder / files["video"], task.folder / files["poster"]
    settings = task.settings
    # one process per item: the gallery already builds items side by side
    render(task.item.scene, video, quality=settings.quality, fps=settings.fps, params=task.params, jobs=1)
    details = write_poster(video, poster)
    return {"outputs": files, "details": details}


def write_poster(video: Path, poster: Path) -> dict:
    """Save the last frame of ``video`` as a PNG; return the video's size, frame rate and duration."""
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate)
        frames = stream.frames
        if container.duration is not None and container.duration > 2 * av.time_base:
            # Seek to the key frame before the last second, then decode to the end.
            container.seek(container.duration - av.time_base, backward=True, any_frame=False)
        last = None
        for frame in container.decode(stream):
            last = frame
        if last is None:
            raise ValueError(f"video {str(video)!r} has no frames")
        width, height = last.width, last.height
        image = last.to_image()
    with atomic_path(poster) as temporary:
        image.save(temporary, format="png")
    return {"width": width, "height": height, "fps": fps, "frames": frames, "duration": frames / fps}


def _build_figure(task: Task) -> dict:
    from PIL import Image

    from ..plot import KINDS, complete_config, figure_from_config, save_figure
    from ..specs import read_from

    files = outputs(task.item)
    image = task.folder / files["image"]
    # a figure whose configuration names code (a surface in a user's file) runs it only when
    # the gallery was told to trust its manifest
    with read_from(task.manifest, trusted=task.trusted):
        config = complete_config(task.item.config)
        figure = figure_from_config(config)
        save_figure(figure, image, config=config, dpi=config["dpi"])
    kind = KINDS[config["kind"]]
    shown = ["kind", "surface", "results", "optimizers", *(_TRACE_KEYS if kind.traces else ()), *kind.options]
    parameters = {key: config[key] for key in shown if config.get(key) not in (None, [], {})}
    parameters["seed"] = config["seed"]
    with Image.open(image) as picture:
        width, height = picture.size
    return {"outputs": files, "parameters": parameters, "details": {"width": width, "height": height}}


def _one_line(error: BaseException) -> str:
    import click

    if isinstance(error, click.ClickException):
        text = error.format_message()
    else:
        text = str(error) or type(error).__name__
    text = " ".join(text.split())
    return (
        text if isinstance(error, (ValueError, click.ClickException)) else f"{type(error).__name__}: {text}"
    )


def _captured(output: io.StringIO) -> str:
    text = output.getvalue()
    return f"\noutput:\n{text}" if text.strip() else ""


def _plain(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
