"""``landscape plot --slice``: any dimension on a plane or a line, reproduced bit for bit by its sidecar."""

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import numpy as np
import pytest

import landscape as ls

SURFACE = "rosenbrock:dim=20"


@pytest.fixture
def run_file(run, tmp_path):
    """A trajectory file of two Adam particles on rosenbrock:dim=20, as `landscape trace` writes."""
    s = ls.surfaces.get("rosenbrock", dim=20)
    starts = np.stack([s.default_start, s.default_start[::-1]])
    ls.trace(s, ls.optim.adam(lr=0.02), starts, steps=120, engine="numpy").save(tmp_path / "run.npz")
    return "run.npz"


@pytest.mark.parametrize(
    "args",
    [
        ["--slice", "filter"],
        ["--slice", "pca", "--resolution", "31"],
        ["--slice", "points", "--kind", "surface3d", "--resolution", "21"],
        ["--slice", "random", "--kind", "line", "--span", "-1.5,1.5", "--seed", "3"],
    ],
)
def test_slices_of_a_trajectory_file_reproduce_bit_for_bit(run, run_file, args):
    result = run("plot", SURFACE, "--trace", run_file, *args, "-o", "fig.png")
    assert result.exit_code == 0, result.output
    config = json.loads(Path("fig.json").read_text())["config"]
    assert config["trace"] == "run.npz"  # read from the sidecar's own folder
    assert len(config["trace_sha256"]) == 64
    assert run("reproduce", "fig.json", "-o", "again.png").exit_code == 0
    assert Path("again.png").read_bytes() == Path("fig.png").read_bytes()


def test_a_trajectory_file_outside_the_figure_s_folder_is_read_again_only_with_trust(run, run_file):
    Path("figures").mkdir()
    assert run("plot", SURFACE, "--trace", run_file, "--slice", "pca", "-o", "figures/fig.png").exit_code == 0
    config = json.loads(Path("figures/fig.json").read_text())["config"]
    assert config["trace"] == str(Path(run_file).resolve())
    refused = run("reproduce", "figures/fig.json", "-o", "again.png")
    assert refused.exit_code == 2 and "outside its folder" in refused.stderr
    assert refused.stderr.count("\n") == 1 and not Path("again.png").exists()
    assert run("reproduce", "figures/fig.json", "-o", "again.png", "--trust").exit_code == 0
    assert Path("again.png").read_bytes() == Path("figures/fig.png").read_bytes()


def test_a_slice_of_traced_optimizers(run):
    result = run("plot", SURFACE, "-O", "adam:lr=0.02", "--steps", "60", "--slice", "pca", "-o", "pca.svg")
    assert result.exit_code == 0, result.output
    config = json.loads(Path("pca.json").read_text())["config"]
    assert config["slice"] == "pca" and config["trace"] is None


def test_a_changed_trajectory_file_is_refused_on_reproduce(run, run_file):
    assert run("plot", SURFACE, "--trace", run_file, "--slice", "pca", "-o", "fig.png").exit_code == 0
    s = ls.surfaces.get("rosenbrock", dim=20)
    ls.trace(s, ls.optim.adam(lr=0.03), s.default_start, steps=50, engine="numpy").save(run_file)
    result = run("reproduce", "fig.json", "-o", "again.png")
    assert result.exit_code == 2
    assert "its bytes have changed since (SHA-256 differs)" in result.stderr
    assert result.stderr.count("\n") == 1 and not Path("again.png").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([SURFACE], "expected a 2-D surface for a contour plot (this one has dim=20), or a slice of it"),
        ([SURFACE, "--slice", "pca"], "slice='pca' is not accepted; expected a path to follow"),
        ([SURFACE, "--slice", "line"], "slice='line' is not accepted; expected a plane"),
        ([SURFACE, "--slice", "filter", "--span", "1,-1"], "span=[1.0, -1.0] is not accepted"),
        ([SURFACE, "--span", "-1,1"], "span=[-1.0, 1.0] is not accepted; expected no span without a slice"),
        (
            [SURFACE, "-O", "adam", "--slice", "filter", "--kind", "loss"],
            "--slice does not apply to --kind loss",
        ),
        ([SURFACE, "--slice", "plane"], "Invalid value for '--slice'"),
    ],
)
def test_bad_slices_are_one_line_and_exit_status_2(run, args, message):
    result = run("plot", *args, "-o", "fig.png")
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not Path("fig.png").exists() and not Path("fig.json").exists()


def test_trajectory_files_that_cannot_place_the_slice_are_refused(run, tmp_path):
    s = ls.surfaces.get("rosenbrock", dim=3)
    ls.trace(s, ls.optim.sgd(lr=0.001), s.default_start, steps=5, engine="numpy").save(tmp_path / "small.npz")
    result = run("plot", SURFACE, "--trace", "small.npz", "--slice", "filter", "-o", "fig.png")
    assert result.exit_code == 2
    assert "expected paths of rosenbrock (dim 20); this file has paths of dim 3" in result.stderr
    ls.trace(s, ls.optim.sgd(lr=0.001), np.zeros(3), steps=0, engine="numpy").save(tmp_path / "zero.npz")
    result = run("plot", "rosenbrock:dim=3", "--trace", "zero.npz", "--slice", "filter", "-o", "fig.png")
    assert result.exit_code == 2
    assert "slice='filter' is not accepted; expected a center with nonzero parameters" in result.stderr


def _read_terminal(terminal: int, until, seconds: float) -> bytes:
    """What the command writes to ``terminal`` until ``until(text)``, it closes the terminal
    (it has ended) or ``seconds`` pass."""
    text, deadline = b"", time.monotonic() + seconds
    while not until(text) and time.monotonic() < deadline:
        if select.select([terminal], [], [], 0.05)[0]:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # EIO: no process holds the terminal any more
                break
            if not chunk:
                break
            text += chunk
    return text


def test_ctrl_c_while_the_plane_is_evaluated_leaves_nothing(tmp_path):
    """A 201 x 201 plane of a network on 10 000 examples (about 25 s here): Ctrl-C once its
    progress bar is on the terminal, as a user would. The bar is taken off the screen, one line
    stays, the command ends (a Ctrl-C while the bar was drawn once left it hanging for ever)."""
    command = [sys.executable, "-m", "landscape.cli", "plot", "mlp:layers=[2,32,32,1],m=10000"]
    command += ["--slice", "filter", "--resolution", "201", "-o", "fig.png"]
    terminal, command_side = pty.openpty()  # stderr on a terminal of 100 columns: the bar is drawn
    fcntl.ioctl(command_side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    # a session of its own, so that Ctrl-C reaches the whole process group, as a terminal's does
    process = subprocess.Popen(
        command, cwd=tmp_path, start_new_session=True, stdout=subprocess.DEVNULL, stderr=command_side
    )
    os.close(command_side)
    try:
        shown = _read_terminal(terminal, lambda text: re.search(rb"\d+/\d+", text), 120)
        assert b"plot contour" in shown and process.poll() is None, shown  # the plane is under way
        os.killpg(process.pid, signal.SIGINT)
        shown += _read_terminal(terminal, lambda text: False, 60)  # it stops after the blocks under way
        assert process.wait(10) == 1
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        os.close(terminal)
    text = shown.decode(errors="replace").replace("\r\n", "\n")  # a terminal ends lines with \r\n
    lines = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line.split("\r")[-1]).strip() for line in text.split("\n")]
    assert [line for line in lines if line] == ["Aborted!"]
    assert list(tmp_path.iterdir()) == []
