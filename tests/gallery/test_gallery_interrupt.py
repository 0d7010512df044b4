"""An interrupted build (Ctrl-C, or its process killed) keeps every finished item; the next run completes.

The build runs as ``python -m landscape.cli gallery`` in a subprocess with
one worker (it builds the scene first, then the two figures). It is stopped
with Ctrl-C (SIGINT to its process group, as a terminal sends it) while the
scene renders, then with SIGKILL to the build process alone while the first
figure is drawn, then run to the end.
"""

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from gallery_support import gallery_command, subprocess_environment

from landscape.gallery import RECORD_NAME

ITEMS = ["bias-correction", "bias-correction-temperature", "ewa-temperature"]
TIMEOUT = 180  # seconds


def recorded(folder: Path) -> list[str]:
    try:
        return list(json.loads((folder / RECORD_NAME).read_text())["built"])
    except (OSError, ValueError):
        return []


def command(folder: Path) -> list[str]:
    return gallery_command("-o", str(folder), "--jobs", "1", "--only", ",".join(ITEMS))


def start(folder: Path, scratch: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command(folder),
        env=subprocess_environment() | {"TMPDIR": str(scratch)},
        start_new_session=True,  # its own process group, as in a terminal
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_items(process, folder: Path, count: int) -> list[str]:
    """Wait until ``count`` items are recorded; return them (the build must still be running)."""
    deadline = time.monotonic() + TIMEOUT
    while len(recorded(folder)) < count and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, process.communicate()
    return recorded(folder)


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (the build's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def wait_until_gone(pids: list[int]) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
        if not alive:
            return []
        time.sleep(0.05)
    return alive


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def check_usable(folder: Path, built: list[str]) -> None:
    """The record lists ``built``; the page refers to existing, complete files only; no partial files."""
    assert sorted(recorded(folder)) == sorted(built)
    page = (folder / "index.html").read_text()
    references = re.findall(r'(?:src|poster|href)="([^"#]+?)(?:\?v=\w+)?"', page)
    assert references
    for reference in references:
        assert ".partial" not in reference
        assert (folder / reference).is_file(), reference
    for name in built:
        assert f'id="item-{name}"' in page
    assert not list(folder.rglob(".*.partial*"))


def rendering(scratch: Path) -> bool:
    """Whether Manim is writing the frames of a scene under ``scratch``."""
    return any(scratch.glob("landscape-render-*/**/partial_movie_files/*/*.mp4"))


def test_ctrl_c_then_kill_then_complete(tmp_path):
    folder, scratch = tmp_path / "build", tmp_path / "scratch"
    scratch.mkdir()

    # Ctrl-C while the scene renders: nothing is kept of it, Manim's scratch files are gone.
    process = start(folder, scratch)
    deadline = time.monotonic() + TIMEOUT
    while not rendering(scratch) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, process.communicate()
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Interrupted: 0 of 3 items built and kept" in stderr
    assert "Traceback" not in stderr
    check_usable(folder, [])
    assert [p for p in scratch.iterdir() if not p.name.startswith("pymp-")] == []

    # SIGKILL of the build process alone while the first figure is drawn: its worker stops too.
    process = start(folder, scratch)
    first = wait_for_items(process, folder, 1)
    assert first == ["bias-correction"]
    workers = children(process.pid)
    assert workers
    time.sleep(0.3)
    process.kill()
    process.communicate(timeout=60)
    assert wait_until_gone(workers) == []
    kept = recorded(folder)  # the figure has had 0.3 s: it is almost surely unfinished, but need not be
    assert set(first) <= set(kept) and len(kept) < len(ITEMS)
    check_usable(folder, kept)

    # The next run builds only what is missing.
    result = subprocess.run(
        command(folder), env=subprocess_environment(), capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, result.stderr
    assert f"{len(ITEMS) - len(kept)} to build, {len(kept)} up to date" in result.stderr
    check_usable(folder, ITEMS)
