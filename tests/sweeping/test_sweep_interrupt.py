"""Ctrl-C on a sweep on its local cluster: one line on stderr, and the same command resumes exactly.

The command runs as a real process in a session of its own, and Ctrl-C is
sent to its whole process group, as a terminal sends it: the worker
processes of the cluster receive it too.
"""

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
from click.testing import CliRunner
from sweep_clusters import wait_until_gone

import landscape as ls
from landscape.cli import main
from landscape.sweeping._local import _LOGGERS, silent_once_interrupted

ROOT = Path(__file__).resolve().parents[2]
SWEEP = ["sweep", "elongated_bowl:kappa=10", "-O", "momentum", "--grid", "lr=linspace(0.01,0.2,30)"]
SWEEP += [
    "--grid",
    "beta=0.0,0.5,0.9",
    "--seeds",
    "4",
    "--steps",
    "40000",
    "--noise",
    "0.05",
    "--chunk-size",
    "2",
]


def start(folder, *place):
    env = os.environ | {"PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-m", "landscape.cli", *SWEEP, *place, "-o", "r.parquet"],
        cwd=folder,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def ctrl_c_when(process, ready, timeout=120, exit_within=120):
    """Send Ctrl-C to the command's process group once ``ready()``; return (status, stderr, pids seen).

    The command must exit within ``exit_within`` seconds of Ctrl-C.
    """
    deadline = time.monotonic() + timeout
    seen = set()
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        seen |= {p.pid for p in psutil.Process(process.pid).children(recursive=True)}
        time.sleep(0.02)
    assert process.poll() is None, process.communicate()
    seen |= {p.pid for p in psutil.Process(process.pid).children(recursive=True)}
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=exit_within)
    return process.returncode, stderr, seen


def worker_processes(process):
    """The cluster's worker processes started so far (multiprocessing's resource tracker is not one)."""
    workers = []
    for child in psutil.Process(process.pid).children():
        with contextlib.suppress(psutil.NoSuchProcess):
            if "--multiprocessing-fork" in child.cmdline():
                workers.append(child)
    return workers


def test_ctrl_c_while_the_cluster_starts_says_so_in_one_line(tmp_path):
    process = start(tmp_path, "--workers", "2")
    # Ctrl-C as the first worker process starts: the cluster finishes starting, then closes
    status, stderr, seen = ctrl_c_when(process, lambda: worker_processes(process), exit_within=5)
    assert status == 130, stderr
    assert stderr == "Interrupted before any configuration finished; nothing was kept.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no store, no output
    assert not wait_until_gone(seen)


def test_ctrl_c_mid_sweep_is_one_line_and_the_same_command_resumes_exactly(tmp_path):
    store = tmp_path / "r.sweep"
    process = start(tmp_path, "--workers", "2")
    status, stderr, seen = ctrl_c_when(process, lambda: len(list(store.glob("chunk-*.npz"))) >= 2)
    assert status == 130, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Interrupted: "), stderr
    assert lines[0].endswith(
        " of 90 configurations are done and kept in r.sweep; run the same command to resume."
    )
    assert not wait_until_gone(seen)
    kept = {p.name: p.stat().st_mtime_ns for p in store.glob("chunk-*.npz")}
    assert 2 <= len(kept) < 45 and not (tmp_path / "r.parquet").exists()
    # chunks end at chunk_size and at group boundaries, so they hold 1 or 2 configurations
    done = sum(int(stop) - int(start) for start, stop in (name[6:-4].split("-") for name in kept))
    assert lines[0] == f"Interrupted: {done} of 90 configurations are done and kept in r.sweep; " + (
        "run the same command to resume."
    )

    previous = os.getcwd()
    os.chdir(tmp_path)
    try:  # the same sweep, resumed here without a cluster: where chunks run does not change them
        result = CliRunner().invoke(
            main, [*SWEEP, "--workers", "0", "-o", "r.parquet"], catch_exceptions=False
        )
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    assert f"resumed from r.sweep: {done} of 90 configurations were already done" in result.stdout
    expected = ls.sweep(
        "elongated_bowl:kappa=10",
        "momentum",
        {"lr": np.linspace(0.01, 0.2, 30).tolist(), "beta": [0.0, 0.5, 0.9]},
        seeds=4,
        steps=40000,
        noise=0.05,
        workers=0,
    )
    back = ls.load_sweep(tmp_path / "r.parquet")
    for name in expected.columns:
        np.testing.assert_array_equal(back.columns[name], expected.columns[name], err_msg=name)


@pytest.fixture
def cluster_logger_levels():
    """Give the loggers an interruption silences their levels back after the test."""
    names = [n for n in list(logging.root.manager.loggerDict) if n.split(".")[0] in _LOGGERS]
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_ctrl_c_before_dask_begins_a_call_logs_nothing(caplog, cluster_logger_levels):
    # Dask's sync() queues a cancel on Ctrl-C; before its call has begun, that cancel fails with a
    # NameError that tornado.application logs at ERROR (a level of its own, below its parent's)
    from distributed.utils import LoopRunner, sync

    runner = LoopRunner(asynchronous=False)
    runner.start()
    release, cancelled = threading.Event(), threading.Event()
    caller = threading.get_ident()

    def ctrl_c_once_sync_waits():
        deadline = time.monotonic() + 30  # past it, no Ctrl-C (it would hit a later test)
        while not _waiting_in_sync(sys._current_frames().get(caller)):
            if time.monotonic() > deadline or release.is_set():
                return
            time.sleep(0.005)
        os.kill(os.getpid(), signal.SIGINT)

    try:
        runner.loop.add_callback(release.wait, 30)  # the loop is busy: the call below waits to begin
        threading.Thread(target=ctrl_c_once_sync_waits, daemon=True).start()
        with silent_once_interrupted(), pytest.raises(KeyboardInterrupt):
            sync(runner.loop, asyncio.sleep, 1)
        runner.loop.add_callback(cancelled.set)  # runs after the call's start and Dask's cancel
        release.set()
        assert cancelled.wait(30)
    finally:
        release.set()
        runner.stop()
    assert [r.getMessage() for r in caplog.records if r.name.split(".")[0] == "tornado"] == []


def _waiting_in_sync(frame) -> bool:
    """Whether ``frame`` or one it was called from is Dask's sync() waiting for its call."""
    while frame is not None:
        if frame.f_code.co_name == "wait" and frame.f_code.co_filename.endswith("distributed/utils.py"):
            return True
        frame = frame.f_back
    return False


class _CtrlCInFinalizer:
    """An object whose finalizer receives Ctrl-C: Python drops the KeyboardInterrupt raised there."""

    def __init__(self, send_ctrl_c):
        self.send_ctrl_c = send_ctrl_c

    def __del__(self):
        self.send_ctrl_c()


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # no "Exception ignored"
def test_a_ctrl_c_lost_in_a_finalizer_still_stops_the_sweep_at_the_next_chunk(
    cluster_logger_levels, send_ctrl_c
):
    # a Dask future's __del__ runs at every chunk: a Ctrl-C handled there is lost to the sweep
    seen = []

    def progress(chunks):
        for item in chunks:
            seen.append(item)
            if len(seen) == 1:
                _CtrlCInFinalizer(send_ctrl_c)  # made and dropped at once
            yield item

    with pytest.raises(KeyboardInterrupt):
        ls.sweep(
            "elongated_bowl", "sgd", {"lr": [0.01, 0.02, 0.03, 0.04]}, steps=5, chunk_size=1, workers=2,
            progress=progress,
        )
    assert len(seen) < 4  # stopped before the last chunk


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # no "Exception ignored"
@pytest.mark.parametrize("workers", [0, 1])
def test_a_ctrl_c_inside_numpy_s_zip_writer_is_still_a_ctrl_c(
    tmp_path, ctrl_c_as_an_npz_entry_opens, cluster_logger_levels, workers
):
    # zipfile's clean-up in np.savez raises "Can't close the ZIP file" over an interrupt that lands
    # as a chunk's entry opens: the sweep must still stop as Ctrl-C, once that chunk is written
    opened = []
    store = tmp_path / "r.sweep"

    def second_chunks_first_entry():
        if any(store.glob("chunk-*.npz")):
            opened.append(1)
        return len(opened) == 1

    ctrl_c_as_an_npz_entry_opens(second_chunks_first_entry)
    with pytest.raises(KeyboardInterrupt):
        ls.sweep(
            "elongated_bowl", "sgd", {"lr": [0.01, 0.02, 0.03]}, steps=5, chunk_size=1,
            workers=workers, store=store,
        )
    assert len(opened) > 1  # the interrupted chunk was written whole, and it is kept
    chunks = sorted(store.glob("chunk-*.npz"))
    assert len(chunks) == 2 and sorted(p.name for p in store.iterdir())[-1] == "manifest.json"
    for chunk in chunks:
        with np.load(chunk) as data:
            assert np.isfinite(data["final_value_median"]).all()


def test_a_ctrl_c_once_every_configuration_is_done_says_the_same_command_writes_the_output(
    tmp_path, monkeypatch, ctrl_c_as_an_npz_entry_opens, cluster_logger_levels
):
    # the Ctrl-C lands as the last chunk is written: that chunk is kept, and only the output is missing
    store = tmp_path / "r.sweep"
    ctrl_c_as_an_npz_entry_opens(lambda: not any(store.glob("chunk-*.npz")))  # the only chunk's entries
    command = ["sweep", "elongated_bowl", "-O", "sgd", "--grid", "lr=0.01,0.02,0.03", "--steps", "5"]
    command += ["--workers", "0", "-o", "r.parquet"]
    monkeypatch.chdir(tmp_path)
    interrupted = CliRunner().invoke(main, command)
    assert interrupted.exit_code == 130, interrupted.output
    assert interrupted.stderr == (
        "Interrupted: 3 of 3 configurations are done and kept in r.sweep; "
        "run the same command to write r.parquet.\n"
    )
    assert not (tmp_path / "r.parquet").exists()
    finished = CliRunner().invoke(main, command)
    assert finished.exit_code == 0, finished.output
    assert finished.stdout.splitlines()[-1] == "resumed from r.sweep: 3 of 3 configurations were already done"
    assert (tmp_path / "r.parquet").exists() and not store.exists()
