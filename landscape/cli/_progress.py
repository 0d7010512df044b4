"""Progress bars on stderr for work that takes more than about a second.

Every command uses these two helpers, so ``--quiet`` silences all of them::

    for item in track(items, "tracing"):        # an iterable
        ...
    with progress_bar(total=frames, label="rendering") as bar:
        bar.update(1)                           # manual updates

A bar appears only after ``DELAY`` seconds (quick work prints nothing), only
on a terminal, and disappears when the work is done. While one long item
runs, the bar keeps its clock ticking.
"""

from __future__ import annotations

import contextlib
import sys
import threading

import click

QUIET_KEY = "landscape.quiet"
_OPEN_BARS: list = []  # the bars on screen, innermost last
DELAY = 1.0  # seconds of work before a bar appears
TICK = 0.5  # seconds between redraws of the clock


def is_quiet() -> bool:
    """Whether ``--quiet`` was given to the running command (or the root group)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(QUIET_KEY))


@contextlib.contextmanager
def progress_bar(total=None, label="", *, unit="it", file=None, delay=DELAY):
    """A tqdm bar on stderr (or ``file``), silent under ``--quiet`` or off a terminal.

    Yields an object with ``update(n=1)``.
    """
    from tqdm import tqdm

    stream = file if file is not None else sys.stderr
    disabled = is_quiet() or not _is_terminal(stream)
    bar = tqdm(
        total=total,
        desc=label,
        unit=unit,
        file=stream,
        delay=delay,
        disable=disabled,
        leave=False,
        dynamic_ncols=True,
    )
    _OPEN_BARS.append(bar)
    stop = threading.Event()
    ticker = None
    if not disabled:
        ticker = threading.Thread(target=_tick, args=(bar, stop, delay), daemon=True)
        ticker.start()
    try:
        yield bar
    finally:
        stop.set()
        if ticker is not None:
            ticker.join()
        _OPEN_BARS.remove(bar)
        bar.close()


def track(iterable, label="", *, total=None, unit="it", file=None, delay=DELAY):
    """Iterate with a progress bar (see ``progress_bar``)."""
    if total is None:
        with contextlib.suppress(TypeError):
            total = len(iterable)
    with progress_bar(total, label, unit=unit, file=file, delay=delay) as bar:
        for item in iterable:
            yield item
            bar.set_description(label, refresh=False)  # undo a "compiling" label
            bar.update(1)


def tracker(label: str):
    """``track`` bound to a label: the ``progress=`` argument library functions accept."""
    return lambda iterable: track(iterable, label)


def compiling() -> None:
    """Relabel the innermost bar while the compiled engine compiles (``on_compile=``)."""
    if _OPEN_BARS:
        _OPEN_BARS[-1].set_description("compiling")


def _tick(bar, stop: threading.Event, delay: float) -> None:
    if stop.wait(delay):
        return
    while not stop.is_set():
        bar.refresh()
        stop.wait(TICK)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
