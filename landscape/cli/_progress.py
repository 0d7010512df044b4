"""Progress bars on stderr for work that takes more than about a second.

Every command uses these two helpers, so ``--quiet`` silences all of them::

    for item in track(items, "tracing"):        # an iterable
        ...
    with progress_bar(total=frames, label="rendering") as bar:
        bar.update(1)                           # manual updates

A bar appears only after ``DELAY`` seconds (quick work prints nothing), only
on a terminal, and disappears when the work is done. While one long item
runs, the bar keeps its clock ticking. When Ctrl-C or an error ends a
command, its bars are taken off the screen (``clear_bars``) before the last
message is printed.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading

import click

QUIET_KEY = "landscape.quiet"
_OPEN_BARS: list = []  # the bars on screen (_Shown), innermost last
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
    stream = file if file is not None else sys.stderr
    disabled = is_quiet() or not _is_terminal(stream)
    bar = _bar_class()(
        total=total,
        desc=label,
        unit=unit,
        file=stream,
        delay=delay,
        disable=disabled,
        leave=False,
        dynamic_ncols=True,
    )
    shown = _Shown(bar, delay)
    _OPEN_BARS.append(shown)
    try:
        yield bar
    finally:
        if shown in _OPEN_BARS:  # not yet taken off by clear_bars()
            _OPEN_BARS.remove(shown)
            shown.end()


def clear_bars() -> None:
    """Take every bar off the screen, innermost first, before an error or "Aborted!" is printed.

    The bar of a ``track`` loop that an exception left ends only when its
    generator is collected, which may come after the message: the stale bar
    would stay on the terminal above it.
    """
    while _OPEN_BARS:
        _OPEN_BARS.pop().end()


@functools.cache
def _bar_class():
    """tqdm's bar, safe to interrupt (tqdm is imported only when a bar is made)."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: the clock below redraws a bar that stalls
        drawn = False  # ever drawn, even where a Ctrl-C cut the drawing short

        def display(self, *args, **kwargs):
            self.drawn = True
            return super().display(*args, **kwargs)

        def refresh(self, nolock=False, lock_args=None):
            # tqdm releases its lock only when drawing returns: a Ctrl-C that lands while the
            # bar is drawn would leave it held, and the clock waiting for it for ever
            if nolock or lock_args:
                return super().refresh(nolock, lock_args)
            with self._lock:
                return super().refresh(nolock=True)

    return Bar


class _Shown:
    """A bar on screen and the clock that redraws it while one long item runs."""

    def __init__(self, bar, delay: float):
        self.bar = bar
        self.stop = threading.Event()
        self.clock = None
        if not bar.disable:
            self.clock = threading.Thread(target=self._tick, args=(delay,), daemon=True)
            self.clock.start()

    def _tick(self, delay: float) -> None:
        if self.stop.wait(delay):
            return
        while not self.stop.is_set():
            self.bar.refresh()
            self.stop.wait(TICK)

    def end(self) -> None:
        self.stop.set()
        if self.clock is not None:
            # a daemon: should it wait on a lock that a Ctrl-C left held after all, nobody waits for it
            self.clock.join(timeout=1.0)
        if self.bar.drawn:  # tqdm's close() clears only the drawings of update() that finished
            self.bar.clear()
        self.bar.close()


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
        _OPEN_BARS[-1].bar.set_description("compiling")


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
