"""Ctrl-C or SIGTERM during a render (one process or --jobs) leaves no output and no scratch files."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENES = Path(__file__).parent / "scenes"


def started(scratch: Path) -> bool:
    """Whether Manim has begun writing the segment of an animation somewhere under ``scratch``."""
    return any(scratch.glob("landscape-render-*/**/partial_movie_files/*/*.mp4"))


@pytest.fixture
def scratch():
    """The render's TMPDIR: short, since multiprocessing puts a socket there (at most 107 bytes of path)."""
    folder = Path(tempfile.mkdtemp(prefix="render-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def interrupt(tmp_path, scratch, command, scenes, stop):
    """Run ``command``, send ``stop`` once Manim writes frames; return (exit status, stderr, out)."""
    out = tmp_path / "out"
    out.mkdir()
    env = os.environ | {
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "TMPDIR": str(scratch),
    }
    env.pop("LANDSCAPE_SCENES", None)
    if scenes is not None:
        env["LANDSCAPE_SCENES"] = str(scenes)
    command = [sys.executable, "-m", "landscape.cli", *command, "-o", str(out / "video.mp4")]
    # A session of its own, so that Ctrl-C can reach its whole process group, as a terminal's does.
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
    if stop == signal.SIGINT:
        os.killpg(process.pid, stop)
    else:  # a job system's SIGTERM reaches the command only
        os.kill(process.pid, stop)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr, out


def test_ctrl_c_on_a_lecture_scene_in_two_jobs(tmp_path, scratch):
    """The lecture scenes trace with numba, whose workers hold semaphores shared between processes."""
    status, stderr, out = interrupt(
        tmp_path, scratch, ["render", "momentum", "-q", "low", "--jobs", "2"], None, signal.SIGINT
    )
    assert status != 0 and stderr.strip() == "Aborted!"
    assert list(out.iterdir()) == []
    assert [p for p in scratch.iterdir() if not p.name.startswith("pymp-")] == []


@pytest.mark.parametrize(
    "jobs, stop, message",
    [
        ("1", signal.SIGINT, "Aborted!"),
        ("2", signal.SIGINT, "Aborted!"),
        ("1", signal.SIGTERM, ""),
        ("2", signal.SIGTERM, ""),
    ],
)
def test_an_interrupted_render_leaves_nothing_behind(tmp_path, scratch, jobs, stop, message):
    command = ["render", "tiny", "-q", "low", "--jobs", jobs, "moves=240", "seconds=0.5"]
    status, stderr, out = interrupt(tmp_path, scratch, command, SCENES, stop)
    assert status != 0
    assert stderr.strip() == message  # no traceback, no warning about leaked resources
    assert list(out.iterdir()) == []
    assert [p for p in scratch.iterdir() if not p.name.startswith("pymp-")] == []
