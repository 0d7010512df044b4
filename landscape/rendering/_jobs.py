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
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .._machine import collect_garbage_less_often, usable_cores
from ._manim import Settings

# One render keeps about two cores busy: Manim draws in one thread while the encoder threads
# (max_inflight_encoders = 2) encode the previous animation's frames.
CORES_PER_RENDER = 2
# A process costs the scene's whole construction (LaTeX, traces) and its start-up; below this many
# frames a piece does not pay for it.
FRAMES_PER_JOB = 300


def auto_jobs(frames: int | None = None) -> int:
    """How many processes make a render faster here: free cores, two each, enough frames each.

    ``free`` is the cores this process may use minus the machine's load
    (other work); without ``frames`` only the machine counts.

    Examples
    --------
    >>> from landscape.rendering._jobs import auto_jobs
    >>> auto_jobs(frames=100)
    1
    """
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    free = max(1, int(usable_cores() - busy + 0.5))
    most = max(1, free // CORES_PER_RENDER)
    return most if frames is None else max(1, min(most, frames // FRAMES_PER_JOB))


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


def start_server():
    """Start the process workers fork from (importing Manim in it), and return its context.

    Called early, so that the server imports Manim while this process runs
    the scene once to time its animations.
    """
    context = multiprocessing.get_context("forkserver")
    # Preload Manim only: Python 3.11's forkserver ignores the parent's sys.path while preloading,
    # so it could import another copy of landscape; workers import it after taking our sys.path.
    context.set_forkserver_preload(["manim"])
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return context


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

    Each worker reports frame counts and then its piece (or its error) over a
    pipe of its own. On any exception in the parent (including
    ``KeyboardInterrupt``) or in a worker, the remaining workers are asked to
    stop (SIGTERM, on which they unwind at their next frame or animation)
    before the exception propagates; their files are all inside ``scratch``.
    """
    context = start_server()
    workers, pipes = [], []
    try:
        for index, (first, last) in enumerate(ranges):
            receiver, sender = context.Pipe(duplex=False)
            arguments = (
                str(scenes_folder),
                name,
                params,
                settings,
                first,
                last,
                str(scratch / f"piece{index}"),
                sender,
            )
            worker = context.Process(target=_render_piece, args=arguments, daemon=True)
            worker.start()
            sender.close()  # the worker holds the only writing end: end of file means it has stopped
            workers.append(worker)
            pipes.append(receiver)
        pieces: dict[int, Path] = {}
        waiting = {receiver: index for index, receiver in enumerate(pipes)}
        while waiting:
            for receiver in multiprocessing.connection.wait(list(waiting)):
                index = waiting[receiver]
                try:
                    kind, value = receiver.recv()
                except EOFError:
                    raise RuntimeError(
                        f"the process rendering animations {ranges[index]} stopped unexpectedly"
                    ) from None
                if kind == "frames":
                    if on_frames is not None:
                        on_frames(value)
                elif kind == "error":
                    raise value
                else:
                    pieces[index] = Path(value)
                    del waiting[receiver]
        for worker in workers:
            worker.join()  # let them exit on their own, releasing what they hold
        return [pieces[index] for index in range(len(ranges))]
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
                worker.join()
        for receiver in pipes:
            receiver.close()


def _render_piece(folder, name, params, settings, first, last, scratch, sender) -> None:
    # Ctrl-C is the parent's to handle. Its SIGTERM only sets a flag: the render stops at its next
    # frame or animation by raising SystemExit from plain code, so the process unwinds and
    # releases what it holds (numba and tqdm create semaphores shared between processes).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    collect_garbage_less_often()
    from . import _catalog, _manim

    def frames(count: int) -> None:
        sender.send(("frames", count))

    try:
        info = {scene.name: scene for scene in _catalog._catalog(Path(folder))}[name]
        options = _manim.manim_config(settings, Path(scratch), first=first, last=last)
        piece = _manim.run(info.configured(params), options, on_frames=frames, stop=stop.is_set)
        sender.send(("piece", str(piece)))
    except Exception as error:  # reported to the parent, which raises it
        sender.send(("error", error))
    finally:
        sender.close()
