"""Ctrl-C during a render (one process or --jobs) leaves no output and no scratch files."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENES = Path(__file__).parent / "scenes"


def started(scratch: Path) -> bool:
    """Whether Manim has begun writing the segment of an animation somewhere under ``scratch``."""
    return any(scratch.glob("landscape-render-*/**/partial_movie_files/*/*.mp4"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_leaves_nothing_behind(tmp_path, jobs):
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    out.mkdir()
    scratch.mkdir()
    env = os.environ | {
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "LANDSCAPE_SCENES": str(SCENES),
        "TMPDIR": str(scratch),
    }
    command = [
        sys.executable,
        "-m",
        "landscape.cli",
        "render",
        "tiny",
        "-q",
        "low",
        "--jobs",
        jobs,
        "-o",
        str(out / "tiny.mp4"),
        "moves=60",
        "seconds=0.5",
    ]
    # A session of its own, so the signal goes to its whole process group, as a terminal's Ctrl-C does.
    process = subprocess.Popen(
        command,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not started(scratch) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, process.communicate()
    time.sleep(0.5)  # a few frames into the animation
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert stderr.strip() == "Aborted!"  # no traceback, no warning about leaked resources
    assert list(out.iterdir()) == []
    assert [p for p in scratch.iterdir() if not p.name.startswith("pymp-")] == []
