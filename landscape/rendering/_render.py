"""``render``: one scene of the catalogue to a video, GIF or poster image."""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from .._io import atomic_path
from .._validation import check_choice, check_int, invalid
from . import _join, _manim
from ._catalog import get_scene, scenes_directory
from ._jobs import auto_jobs
from ._manim import FORMATS, QUALITIES, Settings


def render(
    name: str,
    output,
    *,
    quality: str = "medium",
    fps: int | None = None,
    params: dict | None = None,
    jobs: int | None = None,
    progress: bool | Callable[[int, int], None] | None = None,
) -> Path:
    """Render the scene ``name`` to ``output`` through Manim's Python API.

    Parameters
    ----------
    name : str
        A scene of ``scene_catalog()`` (``"momentum"``).
    output : str or pathlib.Path
        The file to write; its suffix picks the format: ``.mp4``, ``.webm``,
        ``.gif`` or ``.png`` (the last frame, as a poster).
    quality : {"low", "medium", "high", "4k"}
        768×432 at 15 fps, 1280×720 at 30, 1920×1080 at 60, 3840×2160 at 60.
    fps : int, optional
        Frame rate instead of the quality's.
    params : dict, optional
        Scene parameters (``{"beta": 0.5}`` or ``{"beta": "0.5"}``); see
        ``SceneInfo.parameters``.
    jobs : int, optional
        Processes that render disjoint ranges of the scene's animations; the
        pieces are joined without re-encoding into the same frames a
        one-process render gives. Default: as many as make the render faster
        on this machine (``auto_jobs``): one process already keeps about two
        cores busy (Manim draws, the encoder encodes), and a piece must be long
        enough to pay for its process, so on two cores this is 1.
    progress : bool or callable, optional
        ``True`` shows a progress bar of frames on stderr; a callable is
        called as ``progress(frames_done, frames_total)``.

    Returns
    -------
    pathlib.Path
        ``output``.

    Raises
    ------
    ValueError
        For an unknown scene, quality, parameter or format, or an output
        folder that is missing or not writable. Nothing is written then.

    Notes
    -----
    The file is written under a temporary name next to ``output`` and moved
    into place when complete; Manim's scratch files live in a temporary
    folder that is always removed, so an interrupted render (Ctrl-C) leaves
    nothing behind. Compiled LaTeX, and the paths Manim makes of it, are
    cached in ``~/.cache/landscape/manim``.

    Examples
    --------
    >>> from landscape.rendering import render
    >>> render("ewa", "ewa.mp4", quality="low", params={"time_scale": 0.5})  # doctest: +SKIP
    PosixPath('ewa.mp4')
    """
    info = get_scene(name)
    params = dict(params or {})
    scene_class = info.configured(params)
    check_choice("quality", quality, tuple(QUALITIES))
    width, height, default_fps = QUALITIES[quality]
    fps = default_fps if fps is None else check_int("fps", fps, minimum=1)
    automatic = jobs is None
    jobs = auto_jobs() if automatic else check_int("jobs", jobs, minimum=1)
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise invalid("output", str(output), "a file name ending in " + ", ".join(FORMATS))
    container = {".png": "png", ".webm": "webm"}.get(suffix, "mp4")
    settings = Settings(width, height, fps, container)

    with (
        _signals_unwind() as stopped,
        atomic_path(output) as target,
        tempfile.TemporaryDirectory(prefix="landscape-render-") as scratch,
    ):
        scratch = Path(scratch)
        if container == "png":
            image = _manim.run(scene_class, _manim.manim_config(settings, scratch), stop=stopped)
            shutil.move(image, target)
            return output
        with _Progress(progress) as report:
            timeline = None
            if jobs > 1:
                from ._jobs import start_server

                start_server()  # imports Manim in the background while the timeline runs
            if jobs > 1 or report.active:
                timeline = _manim.timeline(scene_class, settings, scratch / "timeline")
                report.start(sum(frames for _, frames in timeline))
                if automatic:
                    jobs = auto_jobs(sum(frames for _, frames in timeline))
            if jobs > 1 and len(timeline) > 1:
                from ._jobs import render_pieces, split

                ranges = split([frames for _, frames in timeline], jobs)
                pieces = render_pieces(
                    scenes_directory(), name, params, settings, ranges, scratch, report.add
                )
                video = scratch / f"joined.{container}"
                _join.concatenate(pieces, video)
            else:
                video = _manim.run(
                    scene_class, _manim.manim_config(settings, scratch / "single"), report.add, stopped
                )
        if suffix == ".gif":
            _join.to_gif(video, target)
        else:
            shutil.move(video, target)
    return output


@contextlib.contextmanager
def _signals_unwind():
    """While rendering, SIGTERM raises ``SystemExit`` (as Ctrl-C raises ``KeyboardInterrupt``).

    By default SIGTERM ends Python at once, leaving the scratch folder and a
    partial output behind; raising lets every ``with`` block clean up. An
    exception that a signal raises while Python runs a finalizer is dropped,
    so the render also asks at every frame: the yielded callable raises
    ``KeyboardInterrupt`` if Ctrl-C came and says whether SIGTERM came (and
    Python's "Exception ignored" report of the drop is left out). Only the
    main thread can handle signals, so elsewhere nothing changes; Ctrl-C is
    watched only where it raises ``KeyboardInterrupt`` (not in a process
    that ignores it). Manim's encoder turns any exception raised while it
    opens or writes a segment into ``RuntimeError``; once a signal came, such
    an error leaves as the signal's own exception.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    terminated, interrupted = threading.Event(), threading.Event()

    def exit_on_signal(signum, frame):
        terminated.set()
        raise SystemExit(128 + signum)

    def interrupt_on_signal(signum, frame):
        interrupted.set()
        raise KeyboardInterrupt

    def stopped():
        if interrupted.is_set():
            raise KeyboardInterrupt
        return terminated.is_set()

    def report_unless_ours(unraisable):
        ours = (terminated.is_set() and isinstance(unraisable.exc_value, SystemExit)) or (
            interrupted.is_set() and isinstance(unraisable.exc_value, KeyboardInterrupt)
        )
        if not ours:
            report(unraisable)

    watch_interrupts = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    previous, report = signal.signal(signal.SIGTERM, exit_on_signal), sys.unraisablehook
    if watch_interrupts:
        signal.signal(signal.SIGINT, interrupt_on_signal)
    sys.unraisablehook = report_unless_ours
    try:
        yield stopped
    except BaseException as error:
        if interrupted.is_set() and not isinstance(error, KeyboardInterrupt):
            raise KeyboardInterrupt from error
        if terminated.is_set() and not isinstance(error, SystemExit):
            raise SystemExit(128 + signal.SIGTERM) from error
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        if watch_interrupts:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.unraisablehook = report


class _Progress:
    """Adapts ``progress`` (None, True or a callable) to frame counts."""

    def __init__(self, progress):
        self.progress, self.bar, self.done, self.total = progress, None, 0, 0
        self.active = bool(progress)

    def __enter__(self):
        return self

    def start(self, total: int) -> None:
        self.total = total
        if self.progress is True:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="frame", file=sys.stderr, dynamic_ncols=True)
        elif callable(self.progress):
            self.progress(0, total)

    def add(self, frames: int) -> None:
        self.done += frames
        if self.bar is not None:
            self.bar.update(frames)
        elif callable(self.progress):
            self.progress(min(self.done, self.total), self.total)

    def __exit__(self, kind, value, traceback):
        if self.bar is not None:
            if kind is None:
                self.bar.update(max(0, self.total - self.bar.n))
            self.bar.close()
        elif callable(self.progress) and kind is None and self.total:
            self.progress(self.total, self.total)
