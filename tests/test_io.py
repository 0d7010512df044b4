"""Files written safely: ``atomic_path`` makes a file appear whole or not at all, whatever stops
the block; ``save_npz`` lets a Ctrl-C that comes mid-write stop the program only once the file is in place."""

import os
import signal
import subprocess
import sys
import types

import numpy as np
import pytest

from landscape import _io
from landscape._io import atomic_path, save_npz, unwritable


def test_the_file_appears_only_when_the_block_ends(tmp_path):
    target = tmp_path / "figure.png"
    with atomic_path(target) as temporary:
        temporary.write_bytes(b"whole")
        assert not target.exists()
    assert target.read_bytes() == b"whole"
    assert list(tmp_path.iterdir()) == [target]


def _enter_atomic_path(path):
    with atomic_path(path):
        pass


@pytest.mark.parametrize("make", [_enter_atomic_path, unwritable], ids=["atomic_path", "unwritable's probe"])
def test_an_interrupt_just_after_a_file_is_made_removes_it(tmp_path, monkeypatch, make):
    """A Ctrl-C that Python raises as the call that made the file returns."""

    def close_then_interrupt(descriptor):
        os.close(descriptor)
        raise KeyboardInterrupt

    monkeypatch.setattr(_io, "os", types.SimpleNamespace(**(vars(os) | {"close": close_then_interrupt})))
    with pytest.raises(KeyboardInterrupt):
        make(tmp_path / "figure.png")
    assert list(tmp_path.iterdir()) == []


CUT_SHORT = """
import contextlib, sys
from pathlib import Path
from landscape._io import atomic_path, unwritable

hold = contextlib.ExitStack._push_cm_exit

def interrupted_hold(stack, manager, exit):  # as if Ctrl-C came before the second block's exit is held
    if len(stack._exit_callbacks) == 1:
        raise KeyboardInterrupt
    hold(stack, manager, exit)

contextlib.ExitStack._push_cm_exit = interrupted_hold
folder = Path(sys.argv[1])
try:
    with contextlib.ExitStack() as stack:  # as save_figure writes a figure and its sidecar
        stack.enter_context(atomic_path(folder / "figure.png"))
        stack.enter_context(atomic_path(folder / "figure.json"))
except KeyboardInterrupt as error:
    INTERRUPTED = error  # kept until the process ends, with the frames of its traceback
    raise SystemExit(130)
"""


def test_a_block_whose_exit_never_ran_leaves_nothing_once_the_process_ends(tmp_path):
    command = [sys.executable, "-c", CUT_SHORT, str(tmp_path)]
    assert subprocess.run(command, capture_output=True, timeout=60).returncode == 130
    assert list(tmp_path.iterdir()) == []


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # no "Exception ignored"
def test_a_ctrl_c_while_an_npz_entry_opens_stops_once_the_file_is_whole(
    tmp_path, ctrl_c_as_an_npz_entry_opens
):
    """zipfile's clean-up raises an error of its own over an interrupt that lands as an entry opens."""
    opened = []

    def first_entry():
        opened.append(1)
        return len(opened) == 1

    ctrl_c_as_an_npz_entry_opens(first_entry)
    arrays = {"a": np.arange(5.0), "b": np.eye(2)}
    with pytest.raises(KeyboardInterrupt) as interrupt:
        save_npz(tmp_path / "run.npz", arrays)
    assert interrupt.value.__notes__ == [f"{tmp_path / 'run.npz'} was written in full"]
    assert len(opened) == 2 and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert list(tmp_path.iterdir()) == [tmp_path / "run.npz"]
    with np.load(tmp_path / "run.npz") as back:
        assert back.files == ["a", "b"]
        np.testing.assert_array_equal(back["b"], arrays["b"])
