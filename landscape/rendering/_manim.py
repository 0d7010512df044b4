"""Running one scene through Manim's Python API, with its scratch files in a given folder.

Manim is configured only through ``tempconfig``. ``tempconfig`` silently
ignores keys it does not know, so every key is checked against Manim's
configuration first: a renamed option fails loudly instead of being dropped.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._parsed import parsed_once

FORMATS = (".mp4", ".webm", ".gif", ".png")
# Width, height, frame rate. Every width is a multiple of 128: with the libx264 that PyAV ships,
# narrower chroma rows (Manim's 854-pixel "low" quality, for one) give encodes that differ from
# run to run, and then the pieces of a --jobs render would not match a one-process render.
QUALITIES = {
    "low": (768, 432, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "4k": (3840, 2160, 60),
}


# Encoder settings: flat lecture graphics compress as well with x264's "veryfast" preset as with
# its default, at about twice the speed; VP9's defaults are far slower than real time.
ENCODER_OPTIONS = {
    "mp4": {"preset": "veryfast"},
    "webm": {"deadline": "realtime", "cpu-used": "8", "row-mt": "1"},
    "png": {},
}


@dataclass(frozen=True)
class Settings:
    """Frame size, frame rate and container of one render (picklable for workers)."""

    width: int
    height: int
    fps: int
    container: str  # "mp4", "webm" or "png"


def cache_directory() -> Path:
    """Where Manim keeps compiled LaTeX and text (reused between renders)."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "landscape" / "manim"


def manim_config(settings: Settings, scratch: Path, *, first: int = 0, last: float = float("inf")) -> dict:
    """The ``tempconfig`` for rendering animations ``first..last`` into ``scratch``."""
    from manim import config

    options = {
        "pixel_width": settings.width,
        "pixel_height": settings.height,
        "frame_rate": settings.fps,
        "format": settings.container,
        "media_dir": str(scratch),
        "tex_dir": str(scratch / "Tex"),
        "text_dir": str(scratch / "texts"),
        "output_file": "scene",
        "disable_caching": True,  # scratch is thrown away: hashing every play would be wasted
        "max_files_cached": -1,
        "progress_bar": "none",
        "verbosity": "ERROR",
        "preview": False,
        "log_to_file": False,
        "max_inflight_encoders": 2,
        "video_encoder_options": ENCODER_OPTIONS[settings.container],
        "from_animation_number": first,
        "upto_animation_number": last,
    }
    known = config.copy()
    unknown = sorted(key for key in options if key not in known)
    if unknown:
        raise RuntimeError(f"Manim {_manim_version()} has no configuration key {unknown[0]!r}")
    return options


@contextlib.contextmanager
def session(options: dict):
    """Manim configured with ``options`` for one render or dry run of a scene."""
    from manim import tempconfig

    typeset = {Path(options["tex_dir"]), Path(options["text_dir"])}
    with (
        tempconfig(options),
        _cached_typesetting(options),
        _light_formula_copies(),
        _formulas_known_by_name(typeset),
        parsed_once(typeset, cache_directory() / "parsed"),
    ):
        yield


@contextlib.contextmanager
def _formulas_known_by_name(typeset: set[Path]):
    """Inside the block, Manim's cache of parsed SVGs knows a formula by its file's name.

    Manim keys that cache with the SVG's path, and each session typesets into
    folders of its own (see ``_cached_typesetting``): a scene built twice in
    one process (its timeline, then its frames) parsed every formula twice,
    half of its construction. Manim names the SVGs of formulas and texts
    after a hash of their source and template, so the name alone is a key.
    """
    from manim.mobject.svg.svg_mobject import SVGMobject

    original = SVGMobject.hash_seed

    def hash_seed(self):
        seed = original.fget(self)
        name = self.file_name
        if name is not None and Path(name).parent in typeset:
            seed = (*seed[:3], "typeset/" + Path(name).name, *seed[4:])
        return seed

    SVGMobject.hash_seed = property(hash_seed)
    try:
        yield
    finally:
        SVGMobject.hash_seed = original


@contextlib.contextmanager
def _light_formula_copies():
    """Inside the block, a formula's paths do not keep the SVG parse trees they were built from.

    Manim reads a path's svgelements object (``path_obj``) only while building
    its points, but keeps it, and every copy of a formula deep-copies it: Manim's
    SVG cache hands out a copy of each formula and ``Write`` copies it for its
    outline. That was 75 % of the construction of the mini-batch scene (3.3 s
    without drawing, 1.4 s without the trees); the frames are the same.
    """
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    original = VMobjectFromSVGPath.__init__

    def built(self, path_obj, *args, **kwargs):
        original(self, path_obj, *args, **kwargs)
        self.path_obj = None

    VMobjectFromSVGPath.__init__ = built
    try:
        yield
    finally:
        VMobjectFromSVGPath.__init__ = original


@contextlib.contextmanager
def _cached_typesetting(options: dict):
    """Give this render private LaTeX/text folders that reach into the shared cache.

    Manim parses a cached SVG by writing a modified copy next to it under a
    fixed name and deleting it afterwards, so two processes reading the same
    cache folder race. Each render therefore gets its own folders: a formula's
    cached SVG is linked in when Manim names it (linking the whole cache took
    0.5 ms a file, each render), the few cached texts all at once. The SVGs
    the render compiled are published to the cache when it succeeds.
    """
    import manim.utils.tex_file_writing as writing

    kinds = (("tex_dir", "Tex"), ("text_dir", "texts"))
    folders = [(cache_directory() / kind, Path(options[key])) for key, kind in kinds]
    for shared, private in folders:
        shared.mkdir(parents=True, exist_ok=True)
        private.mkdir(parents=True, exist_ok=True)
    (shared_tex, private_tex), (shared_texts, private_texts) = folders
    for cached in shared_texts.glob("*.svg"):
        _link(cached, private_texts / cached.name)

    original = writing.generate_tex_file

    def generate_tex_file(*args, **kwargs):
        tex_file = original(*args, **kwargs)
        if tex_file.parent == private_tex:
            _link(shared_tex / tex_file.with_suffix(".svg").name, tex_file.with_suffix(".svg"))
        return tex_file

    writing.generate_tex_file = generate_tex_file
    try:
        yield
    finally:
        writing.generate_tex_file = original
    for shared, private in folders:
        for compiled in private.glob("*.svg"):
            if not compiled.is_symlink() and not (shared / compiled.name).exists():
                staging = shared / f".{compiled.name}.{os.getpid()}.partial"
                shutil.copyfile(compiled, staging)
                os.replace(staging, shared / compiled.name)


def _link(cached: Path, link: Path) -> None:
    """``link`` -> ``cached``, if ``cached`` exists and ``link`` does not."""
    if cached.exists() and not link.exists():
        link.symlink_to(cached)


def _manim_version() -> str:
    import manim

    return manim.__version__


def _camera_class(scene_class: type) -> type:
    """The camera a scene class asks for (``ThreeDCamera`` for 3-D scenes)."""
    from manim import Camera

    parameter = inspect.signature(scene_class.__init__).parameters.get("camera_class")
    return parameter.default if parameter is not None and parameter.default is not parameter.empty else Camera


def _renderer(
    on_frames: Callable[[int], None] | None,
    camera_class: type,
    *,
    count_only: bool = False,
    stop: Callable[[], bool] | None = None,
):
    from manim.renderer.cairo_renderer import CairoRenderer

    class CountingRenderer(CairoRenderer):
        """Reports written frames; with ``count_only``, draws nothing and records durations.

        ``stop()`` is asked before every animation and after every frame;
        when it says so, the render ends with ``SystemExit``.
        """

        durations: list

        def play(self, scene, *args, **kwargs):
            self.check()
            super().play(scene, *args, **kwargs)
            self.durations.append((scene.duration, scene.is_current_animation_frozen_frame()))

        def update_frame(self, *args, **kwargs):
            if not count_only:
                super().update_frame(*args, **kwargs)

        def add_frame(self, frame, num_frames=1):
            super().add_frame(frame, num_frames)
            if on_frames is not None and not self.skip_animations:
                on_frames(num_frames)
            self.check()

        def check(self):
            if stop is not None and stop():
                raise SystemExit(1)

    renderer = CountingRenderer(camera_class=camera_class, skip_animations=count_only)
    renderer.durations = []
    return renderer


def run(
    scene_class: type,
    options: dict,
    on_frames: Callable[[int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Path:
    """Render ``scene_class`` with ``options``; return the file Manim wrote.

    ``on_frames(count)`` is told of every frame written; when ``stop()``
    becomes true the render ends (``SystemExit``) at the next frame.
    """
    with session(options):
        scene = scene_class(renderer=_renderer(on_frames, _camera_class(scene_class), stop=stop))
        try:
            scene.render()
        except BaseException:  # Ctrl-C, SIGTERM, an error in the scene
            _abort_encoding()
            raise
        writer = scene.renderer.file_writer
        if options["format"] == "png":
            return Path(writer.image_file_path)
        return Path(writer.movie_file_path)


def _abort_encoding() -> None:
    """Let Manim's encoder threads end after an interrupted render.

    Each animation's frames go to a thread that waits for them on a queue;
    an animation cut short never sends its last one, and Python waits for
    such threads before it exits: the interrupted process would hang. The
    threads are found by name rather than through the file writer, because an
    interruption can fall between a thread's start and its job's registration.
    """
    for thread in threading.enumerate():
        job = getattr(getattr(thread, "_target", None), "__self__", None)
        if thread.name.startswith("partial-movie-encoder-") and hasattr(job, "abort"):
            job.abort()


def timeline(scene_class: type, settings: Settings, scratch: Path) -> list[tuple[float, int]]:
    """``(duration, frames)`` of every animation, from running the construction without drawing.

    Runs ``construct`` once with every animation skipped (nothing is drawn or
    encoded); this also compiles the scene's LaTeX into the cache, so worker
    processes find it there.
    """
    options = manim_config(settings, scratch) | {"format": "none"}
    with session(options):
        renderer = _renderer(None, _camera_class(scene_class), count_only=True)
        scene_class(renderer=renderer).render()
    return frame_counts(renderer.durations, settings.fps)


def frame_counts(durations: list[tuple[float, bool]], fps: int) -> list[tuple[float, int]]:
    """``(duration, frames)`` of animations from ``(duration, frozen)``, as Manim counts frames."""
    step = 1.0 / fps
    return [
        (duration, int(duration / step) if frozen else len(np.arange(0.0, duration, step)))
        for duration, frozen in durations
    ]
