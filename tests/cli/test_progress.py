"""Progress bars: shown on a terminal for long work, silent under --quiet and off a terminal."""

import io
import subprocess
import sys
import time

import click
import pytest
from click.testing import CliRunner

from landscape.cli._options import quiet_option
from landscape.cli._progress import compiling, progress_bar, track


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _slow(items, **kwargs):
    for _ in track(items, "working", **kwargs):
        time.sleep(0.05)


def test_a_bar_appears_on_a_terminal_once_work_takes_long_enough():
    terminal = Terminal()
    _slow(range(4), file=terminal, delay=0.0)
    assert "working" in terminal.getvalue()


def test_quick_work_prints_nothing():
    terminal = Terminal()
    list(track(range(3), "quick", file=terminal))  # far below the one-second delay
    assert terminal.getvalue() == ""


def test_no_bar_off_a_terminal():
    stream = io.StringIO()
    _slow(range(3), file=stream, delay=0.0)
    assert stream.getvalue() == ""


@pytest.mark.parametrize("where", ["root", "command"])
def test_quiet_silences_every_bar(where):
    terminal = Terminal()

    @click.group()
    @quiet_option
    def root():
        pass

    @root.command()
    @quiet_option
    def work():
        _slow(range(3), file=terminal, delay=0.0)

    args = ["--quiet", "work"] if where == "root" else ["work", "--quiet"]
    assert CliRunner().invoke(root, args).exit_code == 0
    assert terminal.getvalue() == ""


def test_the_clock_ticks_during_one_long_item():
    terminal = Terminal()
    with progress_bar(total=1, label="one long item", file=terminal, delay=0.0) as bar:
        time.sleep(1.2)  # the ticker redraws every half second while nothing is updated
        bar.update(1)
    assert terminal.getvalue().count("one long item") >= 2


def test_the_bar_says_compiling_while_the_engine_compiles():
    terminal = Terminal()
    for item in track(range(2), "tracing", file=terminal, delay=0.0):
        if item == 0:
            compiling()
            time.sleep(0.6)  # the ticker redraws the relabelled bar
    shown = terminal.getvalue()
    assert "compiling" in shown
    assert shown.rindex("tracing") > shown.index("compiling")  # the label comes back


def test_trace_reports_a_new_compilation(tmp_path, monkeypatch):
    pytest.importorskip("numba")
    monkeypatch.setenv("LANDSCAPE_CACHE_DIR", str(tmp_path))
    import landscape as ls

    calls = []
    # an expression no other test uses, in an empty cache: its kernel must compile
    surface = ls.surfaces.expression("x**2 + 3.0625*y**4 - 0.4375*x*y")
    ls.trace(
        surface, ls.optim.sgd(0.01), [0.5, 0.5], steps=2, engine="numba", on_compile=lambda: calls.append(1)
    )
    assert calls == [1]


INTERRUPTED_DRAW = """
import io, threading
from landscape.cli._progress import progress_bar

class Terminal(io.StringIO):
    interrupt = False

    def isatty(self):
        return True

    def write(self, text):
        if self.interrupt and threading.current_thread() is threading.main_thread():
            self.interrupt = False
            raise KeyboardInterrupt  # as a Ctrl-C that lands while the bar is drawn
        return super().write(text)

terminal = Terminal()
try:
    with progress_bar(total=2, label="drawn", file=terminal, delay=0.0) as bar:
        terminal.interrupt = True
        bar.refresh()
except KeyboardInterrupt:
    print("interrupted")

def draw():
    with progress_bar(total=1, label="next", file=Terminal(), delay=0.0) as other:
        other.refresh()

elsewhere = threading.Thread(target=draw, daemon=True)
elsewhere.start()
elsewhere.join(5)
print("another thread drew" if not elsewhere.is_alive() else "another thread waits")
"""


def test_a_ctrl_c_while_a_bar_is_drawn_leaves_no_lock_held():
    """The bar ends and other threads can still draw: nothing waits for ever on tqdm's lock."""
    command = [sys.executable, "-c", INTERRUPTED_DRAW]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["interrupted", "another thread drew"]
