"""Sweeps of the user's own surfaces on clusters that have never seen the user's files.

An outside cluster is started as a user starts one, with the ``dask scheduler``
and ``dask worker`` commands, in a folder of its own: the workers have this
package installed but cannot import ``my_surfaces.py``. The surfaces travel
by value.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sweep_clusters import children, wait_until_gone

import landscape as ls
from landscape.cli import main

MY_SURFACES = '''
import numpy as np
import landscape as ls


class Bowl(ls.surfaces.Surface):
    """An elongated bowl written from scratch, as a user would."""

    def __init__(self, kappa=4.0):
        self.kappa = kappa
        super().__init__(dim=2, bounds=[[-2, 2], [-2, 2]], name="bowl", params={"kappa": kappa},
                         minima=[[0.0, 0.0]])

    def _value(self, x):
        return 0.5 * (x[..., 0] ** 2 + self.kappa * x[..., 1] ** 2)

    def _grad(self, x):
        return np.stack([x[..., 0], self.kappa * x[..., 1]], axis=-1)


bowl = Bowl()


def tilted(x):
    return x[..., 0] ** 2 + 3 * x[..., 1] ** 2 + 0.5 * x[..., 0]


def make_tilted(tilt=0.5):
    window = [[-2, 2], [-2, 2]]
    return ls.surfaces.from_functions(lambda x: tilted(x) + (tilt - 0.5) * x[..., 1], bounds=window)
'''
SWEEP = ["-O", "momentum", "--grid", "lr=0.05,0.1,0.3", "--grid", "beta=0.0,0.9", "--seeds", "3"]
SWEEP += ["--steps", "40", "--noise", "0.1", "--x0", "random", "--chunk-size", "2", "--quiet"]


@pytest.fixture(scope="module")
def users_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("user")
    (folder / "my_surfaces.py").write_text(MY_SURFACES)
    return folder


@pytest.fixture(scope="module")
def outside_scheduler(tmp_path_factory):
    """The address of a scheduler and one worker started with ``dask scheduler`` and ``dask worker``."""
    folder = tmp_path_factory.mktemp("cluster")  # no my_surfaces.py here, nor on the path
    dask = str(Path(sys.executable).with_name("dask"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    log = (folder / "cluster.log").open("w")
    started = []

    def start(*arguments):
        started.append(
            subprocess.Popen(
                [dask, *arguments], cwd=folder, env=env, stdout=log, stderr=log, start_new_session=True
            )
        )

    try:
        start(
            "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", "s.json"
        )
        deadline = time.monotonic() + 60
        while not (folder / "s.json").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads((folder / "s.json").read_text())["address"]
        start(
            "worker",
            address,
            "--nworkers",
            "1",
            "--nthreads",
            "1",
            "--no-dashboard",
            "--local-directory",
            "w",
        )
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for process in started:
            with_group = process.pid
            try:
                os.killpg(with_group, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def sweep_command(folder, surface, *place):
    runner = CliRunner()
    previous = os.getcwd()
    os.chdir(folder)
    try:
        return runner.invoke(main, ["sweep", surface, *SWEEP, *place, "-o", "r.csv"], catch_exceptions=False)
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("surface", ["my_surfaces.py:bowl", "my_surfaces.py:make_tilted:tilt=0.8"])
def test_a_surface_from_the_users_file_runs_on_an_outside_cluster(users_folder, outside_scheduler, surface):
    here = sweep_command(users_folder, surface, "--workers", "0")
    assert here.exit_code == 0, here.output
    expected = ls.load_sweep(users_folder / "r.csv")
    there = sweep_command(users_folder, surface, "--scheduler", outside_scheduler)
    assert there.exit_code == 0, there.output
    result = ls.load_sweep(users_folder / "r.csv")
    for name in expected.columns:
        np.testing.assert_array_equal(result.columns[name], expected.columns[name], err_msg=name)


def test_a_surface_from_the_users_file_runs_on_the_default_local_cluster(users_folder):
    before = children()
    here = sweep_command(users_folder, "my_surfaces.py:bowl", "--workers", "0")
    expected = ls.load_sweep(users_folder / "r.csv")
    on_two = sweep_command(users_folder, "my_surfaces.py:bowl", "--workers", "2")
    assert here.exit_code == 0 and on_two.exit_code == 0, on_two.output
    result = ls.load_sweep(users_folder / "r.csv")
    for name in expected.columns:
        np.testing.assert_array_equal(result.columns[name], expected.columns[name], err_msg=name)
    assert not wait_until_gone(children() - before)
