"""``atomic_path``: a file appears whole or not at all, whatever stops the block."""

import os
import subprocess
import sys
import types

import pytest

from landscape import _io
from landscape._io import atomic_path, unwritable


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
