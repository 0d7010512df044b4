"""The Python API's bad-input corpus: every bad call raises ``landscape.InvalidArgument`` in one line.

Each case asserts: the exception is ``InvalidArgument`` (a ``ValueError``);
its message is one line, names the parameter and matches what is accepted;
no file in the working folder is written or changed; and the call answers
within two seconds, enforced by a watchdog (a bound, not a timing).
"""

import functools
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import landscape as ls

BOWL = ls.surfaces.get("elongated_bowl", kappa=10)


def trace(**changes):
    arguments = {"surface": BOWL, "optimizer": ls.optim.sgd(0.1), "x0": BOWL.default_start, "steps": 5}
    return lambda: ls.trace(**(arguments | changes))


def sweep(**changes):
    arguments = {
        "surfaces": "elongated_bowl",
        "optimizer": "sgd",
        "grid": {"lr": [0.1]},
        "steps": 5,
        "workers": 0,
    }
    return lambda: ls.sweep(**(arguments | changes))


def in_folder(function, name):
    return lambda: function(Path(name))


# name: (the call, the parameter its message names, what the message says (a pattern))
CORPUS = {
    # sizes, refused before anything is allocated
    "trace: particles=10**12": (trace(particles=10**12), "particles=", "fewer particles: .* of memory"),
    "trace: steps=10**12": (trace(steps=10**12), "steps=", "fewer steps or a larger record_every"),
    "trace: steps=10**14, recorded once": (
        trace(steps=10**14, record_every=10**14),
        "steps=",
        "takes at least .* \\(--force on the command line, or landscape.allow_large\\(\\) in Python",
    ),
    "trace: x0 of 10**9 rows": (
        trace(x0=np.broadcast_to(BOWL.default_start, (10**9, 2))),
        "particles=",
        "fewer particles",
    ),
    "surfaces.get: rastrigin dim=10**9": (
        lambda: ls.surfaces.get("rastrigin", dim=10**9),
        "dim=",
        "a smaller dim: a rastrigin surface needs about",
    ),
    "surfaces.get: dense random_quadratic dim=10**6": (
        lambda: ls.surfaces.get("random_quadratic", dim=10**6, structured=False),
        "dim=",
        "structured=True",
    ),
    "surfaces.get: random_field with many features": (
        lambda: ls.surfaces.get("random_field", dim=1000, features=10**8),
        "features=",
        "fewer features",
    ),
    "critical_points: starts=10**8": (
        lambda: ls.analysis.critical_points(ls.surfaces.get("himmelblau"), starts=10**8),
        "starts=",
        "fewer starts",
    ),
    "critical_points: dim 100000": (
        lambda: ls.analysis.critical_points(ls.surfaces.get("random_quadratic", dim=100000)),
        "dim=",
        "lower dimension",
    ),
    "index_distribution: samples=10**10": (
        lambda: ls.analysis.index_distribution(3, samples=10**10),
        "samples=",
        "takes at least",
    ),
    "minima_vs_dim: samples=10**9": (
        lambda: ls.plot.minima_vs_dim(samples=10**9),
        "samples=",
        "takes at least",
    ),
    "spectral_density: probes=10**7": (
        lambda: ls.analysis.spectral_density(_structured(), np.zeros(4096), probes=10**7),
        "probes=",
        "fewer probes",
    ),
    "index_vs_value: starts=10**8": (
        lambda: ls.analysis.index_vs_value(ls.surfaces.get("himmelblau"), starts=10**8),
        "starts=",
        "fewer starts",
    ),
    "sweep: seeds=10**8": (sweep(seeds=10**8), "seeds=", "fewer seeds"),
    "sweep: a grid of hours": (
        sweep(grid={"lr": list(np.linspace(0.01, 0.1, 1000))}, seeds=1000, steps=10**7, record_every=10**7),
        "seeds=",
        "takes at least",
    ),
    # text where numbers are expected
    "ewa: theta is text": (lambda: ls.ewa("abc"), "theta=", "a 1-D series of numbers"),
    "ewa: a list of text": (lambda: ls.ewa(["a", "b"]), "theta=", "a 1-D series of numbers"),
    "schedule called with text": (
        lambda: ls.schedules.inverse_time(0.2, 1)("abc"),
        "epoch=",
        "epoch numbers >= 1",
    ),
    "schedule built with text": (
        lambda: ls.schedules.inverse_time("0.2", 1),
        "lr0=",
        "'0.2' is not accepted",
    ),
    "adam: lr is text": (
        lambda: ls.optim.adam(lr="0.1"),
        "lr=",
        "'0.1' is not accepted; expected a number > 0",
    ),
    "sgd: lr is a list of text": (lambda: ls.optim.sgd(lr=["0.1", "0.2"]), "lr=", "is not accepted"),
    "momentum: beta is text": (lambda: ls.optim.momentum(beta="0.9"), "beta=", "is not accepted"),
    # files
    "save into a folder": (in_folder(lambda p: trace()().save(p), "adir"), "path=", "it is a folder"),
    "save under a file": (in_folder(lambda p: trace()().save(p / "r.npz"), "blocker"), "path=", "is a file"),
    "csv into a folder": (in_folder(lambda p: trace()().to_csv(p), "adir"), "path=", "it is a folder"),
    "save into /proc": (lambda: trace()().save("/proc/r.npz"), "path=", "refuses new files"),
    "load a missing trajectory": (lambda: ls.load_trajectory("absent.npz"), "path=", "no such file"),
    "load text as a trajectory": (lambda: ls.load_trajectory("junk.npz"), "path=", "not an .npz archive"),
    "load a truncated trajectory": (lambda: ls.load_trajectory("cut.npz"), "path=", "a trajectory saved by"),
    "load a damaged trajectory": (
        lambda: ls.load_trajectory("damaged.npz"),
        "path=",
        "Bad CRC|damaged|Error",
    ),
    "load a pickle as a trajectory": (
        lambda: ls.load_trajectory("pickled.npz"),
        "path=",
        "allow_pickle=False",
    ),
    "load other arrays as a trajectory": (lambda: ls.load_trajectory("other.npz"), "path=", "positions"),
    "load a missing sweep": (lambda: ls.load_sweep("absent.parquet"), "path=", "a sweep result"),
    "save a figure into a folder": (
        lambda: ls.plot.save_figure(ls.plot.ewa_temperature(), "adir.png"),
        "output=",
        "it is a folder",
    ),
    "read a sidecar without a recipe": (
        lambda: ls.plot.read_sidecar("plain.json"),
        "sidecar=",
        "without a recipe",
    ),
    "a figure recipe with a huge resolution": (
        lambda: ls.plot.complete_config({"kind": "ewa", "dpi": 1e9}),
        "dpi=",
        "in \\[10, 1200\\]",
    ),
    # code named by a file runs only when trusted
    "a spec read from a file naming code": (
        lambda: _from_file("my_surfaces.py:bowl"),
        "surface=",
        "not accepted from 'manifest.toml': it names code to run",
    ),
    "a spec read from a file naming a module": (
        lambda: _from_file("json:loads"),
        "surface=",
        "names code to run \\(json\\)",
    ),
    # repeated or contradictory things
    "sweep: a grid key one optimizer lacks": (
        sweep(optimizer=["momentum", "sgd"], grid={"beta": [0.5]}),
        "grid key=",
        "a parameter of sgd",
    ),
    "sweep: the same optimizer twice": (sweep(optimizer=["sgd", "sgd"]), "optimizer=", "distinct"),
    "sweep: no optimizer": (sweep(optimizer=[]), "optimizer=", "non-empty list"),
    "heatmap: two optimizers on one axes": (
        lambda: ls.plot.sweep_heatmap(_two_optimizers(), ax=_axes()),
        "ax=",
        "compares 2 optimizers",
    ),
    # expressions
    "expression nested too deep": (
        lambda: ls.surfaces.expression("sin(" * 60 + "x" + ")" * 60),
        "expression",
        "50",
    ),
    "expression too costly": (
        lambda: ls.surfaces.expression("*".join(f"sin({i}*x+y)" for i in range(1, 21))),
        "expression",
        "derivatives are too large",
    ),
}


def _from_file(spec):
    with ls.specs.read_from("manifest.toml"):
        return ls.specs.parse_surface(spec)


@functools.cache
def _structured():
    return ls.surfaces.get("random_quadratic", dim=4096)


@functools.cache
def _two_optimizers():
    grid = {"lr": [0.01, 0.1], "beta": [0.0, 0.9]}
    return ls.sweep("elongated_bowl", ["momentum", "momentum:nesterov=true"], grid, steps=5, workers=0)


def _axes():
    from matplotlib.figure import Figure

    return Figure().add_subplot()


@pytest.fixture(scope="module", autouse=True)
def imported():
    """The heavy imports, done once: the watchdog times answers, not imports."""
    import matplotlib.figure  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    import scipy.stats  # noqa: F401
    import sympy  # noqa: F401

    ls.surfaces.expression("x**2 + y**2")
    ls.analysis.critical_points(ls.surfaces.get("himmelblau"), starts=4)
    _two_optimizers()
    _structured()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The files the corpus reads, and a folder and a file in the way; made once."""
    folder = tmp_path_factory.mktemp("files")
    (folder / "adir").mkdir()
    (folder / "adir.png").mkdir()
    (folder / "blocker").write_text("a file")
    (folder / "junk.npz").write_text("junk")
    trace()().save(folder / "good.npz")
    good = (folder / "good.npz").read_bytes()
    (folder / "cut.npz").write_bytes(good[: len(good) // 2])
    damaged = bytearray(good)
    damaged[200:260] = b"x" * 60
    (folder / "damaged.npz").write_bytes(bytes(damaged))
    np.savez(folder / "pickled.npz", positions=np.array([{"a": 1}], dtype=object))
    np.savez(folder / "other.npz", a=np.arange(3))
    (folder / "good.npz").unlink()
    ls.plot.save_figure(ls.plot.ewa_temperature(), folder / "plain.png")  # from Python, without a recipe
    (folder / "my_surfaces.py").write_text("raise SystemExit('this file must not run')\n")
    return folder


@pytest.fixture
def workspace(files, tmp_path, monkeypatch):
    """A private copy of the files, as the working folder."""
    folder = tmp_path / "work"
    shutil.copytree(files, folder)
    monkeypatch.chdir(folder)
    return folder


def snapshot(folder: Path) -> dict:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


# the cases that trace first, then save the run badly
SAVES_A_TRACE = {"save into a folder", "save under a file", "csv into a folder", "save into /proc"}


@pytest.mark.parametrize("case", list(CORPUS))
@pytest.mark.filterwarnings("ignore::landscape.DivergenceWarning")
def test_a_bad_call_raises_invalid_argument_in_one_line_naming_the_parameter(
    workspace, answers_within, traced, case
):
    call, parameter, message = CORPUS[case]
    before = snapshot(workspace)
    with pytest.raises(ls.InvalidArgument) as caught, answers_within():
        call()
    assert traced == (["elongated_bowl"] if case in SAVES_A_TRACE else [])  # refused before any work
    text = str(caught.value)
    assert "\n" not in text and parameter in text and re.search(message, text), text
    assert snapshot(workspace) == before


@pytest.fixture
def small_machine(monkeypatch):
    """A machine of 64 MiB, on which a trace of 200 000 particles is refused."""
    import landscape._resources

    monkeypatch.setattr(landscape._resources, "machine_memory", lambda: 64 * 2**20)


def test_with_allow_large_the_user_decides(small_machine):
    run = trace(particles=200_000, steps=10)
    with pytest.raises(
        ls.InvalidArgument, match="particles=200000 .* more than half of this machine's 64 MiB"
    ):
        run()
    with ls.allow_large():
        assert run().particles == 200_000
    with pytest.raises(ls.InvalidArgument):
        run()  # outside the block, the limits hold again


def test_force_on_the_command_line_runs_it_anyway(small_machine, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from landscape.cli import main

    monkeypatch.chdir(tmp_path)
    command = ["trace", "elongated_bowl", "-O", "sgd:lr=0.1", "--particles", "200000", "--steps", "10"]
    refused = CliRunner().invoke(main, [*command, "-o", "r.npz"])
    assert refused.exit_code == 2 and "--force" in refused.stderr and not Path("r.npz").exists()
    forced = CliRunner().invoke(main, [*command, "-o", "r.npz", "--force"])
    assert forced.exit_code == 0, forced.output
    assert ls.load_trajectory("r.npz").particles == 200_000
