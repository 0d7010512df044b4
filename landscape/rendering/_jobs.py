"""Rendering one scene on several cores: disjoint ranges of its animations, one process each.

Each worker runs the whole construction (so the scene reaches every
animation in the state a one-process render has) but draws and encodes only
its range of animations (Manim's ``from_animation_number`` and
``upto_animation_number``). Manim encodes every animation into its own
segment, so a worker's piece holds the same segments a one-process render
would, and joining the pieces by remuxing gives the same frames.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ._manim import Settings

_progress_queue = None


def split(costs, jobs: int) -> list[tuple[int, int]]:
    """Cut animations ``0..n-1`` into at most ``jobs`` contiguous ranges of similar cost.

    Returns ``(first, last)`` pairs, inclusive, covering every animation once.

    Examples
    --------
    >>> split([1, 1, 1, 1], 2)
    [(0, 1), (2, 3)]
    """
    costs = np.asarray(costs, dtype=float)
    n = len(costs)
    pieces = max(1, min(jobs, n))
    before = np.concatenate([[0.0], np.cumsum(costs)])  # cost of animations 0..j-1
    bounds = [0]
    for k in range(1, pieces):
        nearest = 1 + int(np.argmin(np.abs(before[1:n] - before[-1] * k / pieces)))
        bounds.append(min(max(nearest, bounds[-1] + 1), n - (pieces - k)))
    bounds.append(n)
    return [(bounds[i], bounds[i + 1] - 1) for i in range(pieces)]


def render_pieces(
    scenes_folder: Path,
    name: str,
    params: dict,
    settings: Settings,
    ranges: list[tuple[int, int]],
    scratch: Path,
    on_frames: Callable[[int], None] | None = None,
) -> list[Path]:
    """Render each range in its own process; return the piece files in order.

    On any exception (including ``KeyboardInterrupt``) the workers are
    terminated before it propagates; their files are all inside ``scratch``.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["manim", "landscape.rendering"])
    progress = context.Queue()
    pool = context.Pool(len(ranges), initializer=_start_worker, initargs=(progress,))
    try:
        results = [
            pool.apply_async(
                _render_piece,
                (str(scenes_folder), name, params, settings, first, last, str(scratch / f"piece{index}")),
            )
            for index, (first, last) in enumerate(ranges)
        ]
        pool.close()
        while not all(result.ready() for result in results):
            _drain(progress, on_frames, timeout=0.1)
        _drain(progress, on_frames, timeout=0.0)
        return [Path(result.get()) for result in results]
    finally:
        pool.terminate()
        pool.join()


def _drain(progress, on_frames, timeout: float) -> None:
    try:
        count = progress.get(timeout=timeout) if timeout else progress.get_nowait()
        while True:
            if on_frames is not None:
                on_frames(count)
            count = progress.get_nowait()
    except queue.Empty:
        pass


def _start_worker(progress) -> None:
    global _progress_queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and terminates us
    _progress_queue = progress


def _render_piece(folder, name, params, settings, first, last, scratch) -> str:
    from . import _catalog, _manim

    info = {scene.name: scene for scene in _catalog._catalog(Path(folder))}[name]
    options = _manim.manim_config(settings, Path(scratch), first=first, last=last)
    return str(_manim.run(info.configured(params), options, on_frames=_progress_queue.put))
