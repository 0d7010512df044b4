"""Sweeps on real Dask clusters on 127.0.0.1: same numbers everywhere, lost workers, killed sweeps."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
from click.testing import CliRunner
from sweep_clusters import children, local_cluster

import landscape as ls
from landscape._machine import usable_cores
from landscape.cli import main
from landscape.sweeping._runner import open_runner

ROOT = Path(__file__).resolve().parents[2]
BOWL = "elongated_bowl:kappa=10"
GRID = {"lr": [0.01, 0.03, 0.06, 0.1, 0.2, 0.3], "beta": [0.0, 0.5, 0.8, 0.95]}
SETTINGS = {
    "seeds": 4,
    "steps": 40,
    "x0": "random",
    "noise": 0.2,
    "seed": 5,
    "metrics": {"distance": lambda t: np.linalg.norm(t.final_positions, axis=1)},  # travels by cloudpickle
}


def assert_same(a, b):
    assert list(a.columns) == list(b.columns)
    for name in a.columns:
        np.testing.assert_array_equal(a.columns[name], b.columns[name], err_msg=name)


@pytest.fixture(scope="module")
def here():
    """The reference: the same sweep in this process."""
    return ls.sweep(BOWL, "momentum:style=heavy_ball", GRID, workers=0, **SETTINGS)


def test_one_worker_two_workers_and_this_process_give_identical_results(
    two_workers, here, no_stray_processes
):
    on_two = ls.sweep(BOWL, "momentum:style=heavy_ball", GRID, client=two_workers, **SETTINGS)
    with local_cluster(1) as one_worker:
        on_one = ls.sweep(BOWL, "momentum:style=heavy_ball", GRID, client=one_worker, **SETTINGS)
    assert_same(on_two, here)
    assert_same(on_one, here)


def test_a_worker_killed_mid_sweep_loses_nothing(tmp_path, here, no_stray_processes):
    store = tmp_path / "store"
    killed = []

    with local_cluster(2) as client:

        def kill_a_worker_after_the_first_chunk(finished):
            for i, item in enumerate(finished):
                if i == 1:
                    pids = client.run(os.getpid)
                    killed.append(next(iter(pids.values())))
                    os.kill(killed[0], signal.SIGKILL)
                yield item

        result = ls.sweep(
            BOWL,
            "momentum:style=heavy_ball",
            GRID,
            client=client,
            store=store,
            chunk_size=1,
            progress=kill_a_worker_after_the_first_chunk,
            **SETTINGS,
        )
        assert killed and (not psutil.pid_exists(killed[0]) or psutil.Process(killed[0]).status() == "zombie")
    assert_same(result, here)
    ranges = sorted(
        (c["start"], c["stop"]) for c in json.loads((store / "manifest.json").read_text())["chunks"]
    )
    assert ranges == [(i, i + 1) for i in range(24)]  # each configuration stored exactly once


def _command(store, output, scheduler):
    return [
        "sweep",
        BOWL,
        "-O",
        "momentum:style=heavy_ball",
        "--grid",
        "lr=linspace(0.01,0.2,12)",
        "--grid",
        "beta=0.0,0.9",
        "--seeds",
        "2",
        "--steps",
        "1500",
        "--noise",
        "0.1",
        "--chunk-size",
        "1",
        "--store",
        str(store),
        "--scheduler",
        scheduler,
        "-o",
        str(output),
        "--quiet",
    ]


def test_a_killed_sweep_resumes_with_nothing_lost_and_nothing_run_twice(
    tmp_path, two_workers, no_stray_processes
):
    store, output = tmp_path / "store", tmp_path / "results.parquet"
    address = two_workers.scheduler.address
    env = os.environ | {"PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen(
        [sys.executable, "-m", "landscape.cli", *_command(store, output, address)],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while (
            len(list(store.glob("chunk-*.npz"))) < 2
            and process.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the whole command, as a power cut would
        process.wait()
        process.stderr.close()
    before = {p.name: p.stat().st_mtime_ns for p in store.glob("chunk-*.npz")}
    assert 2 <= len(before) < 24 and not output.exists()

    result = CliRunner().invoke(main, _command(store, output, address), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "were already done" in result.output
    after = {p.name: p.stat().st_mtime_ns for p in store.glob("chunk-*.npz")}
    assert {name: after[name] for name in before} == before  # finished chunks were not rerun
    assert len(after) == 24
    expected = ls.sweep(
        BOWL,
        "momentum:style=heavy_ball",
        {"lr": np.linspace(0.01, 0.2, 12).tolist(), "beta": [0.0, 0.9]},
        seeds=2,
        steps=1500,
        noise=0.1,
        workers=0,
    )
    assert_same(ls.load_sweep(output), expected)


def test_the_command_runs_on_a_scheduler_and_writes_parquet_or_csv(tmp_path, two_workers, monkeypatch):
    here = ls.sweep(BOWL, "momentum:style=heavy_ball", GRID, workers=0, **SETTINGS | {"metrics": None})
    monkeypatch.chdir(tmp_path)
    arguments = [
        "sweep",
        BOWL,
        "-O",
        "momentum:style=heavy_ball",
        "--grid",
        "lr=0.01,0.03,0.06,0.1,0.2,0.3",
        "--grid",
        "beta=0.0,0.5,0.8,0.95",
        "--seeds",
        "4",
        "--steps",
        "40",
        "--x0",
        "random",
        "--noise",
        "0.2",
        "--seed",
        "5",
        "--scheduler",
        two_workers.scheduler.address,
    ]
    for name in ("r.parquet", "r.csv"):
        result = CliRunner().invoke(main, [*arguments, "-o", name], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"wrote {name}: 24 configurations (lr 6 x beta 4), 4 seeds each;")
        back = ls.load_sweep(name)
        for column in here.columns:
            np.testing.assert_array_equal(back.columns[column], here.columns[column], err_msg=column)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.parquet"]  # the default store is gone


def test_the_default_cluster_has_one_worker_process_per_core_on_loopback(no_stray_processes):
    before = children()
    with open_runner() as runner:
        info = runner.client.scheduler_info(n_workers=-1)
        assert runner.workers == usable_cores()
        assert all(address.startswith("tcp://127.0.0.1:") for address in info["workers"])
        assert {w["nthreads"] for w in info["workers"].values()} == {1}
        assert len(children() - before) >= usable_cores()  # worker processes, not threads
    assert all(
        not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        for pid in children() - before
    )
