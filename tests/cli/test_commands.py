"""The subcommands on good input: what they print and the files they write."""

import json
from pathlib import Path

import numpy as np
import pytest

import landscape as ls
from landscape.cli import SUBCOMMANDS, main


def test_version_and_help(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"landscape, version {ls.__version__}"
    result = run("--help")
    assert result.exit_code == 0
    assert "_LANDSCAPE_COMPLETE" in result.stdout  # shell completion is documented
    assert list(main.commands) == [m.strip("_") for m in SUBCOMMANDS]


@pytest.mark.parametrize("name", [m.strip("_") for m in SUBCOMMANDS])
def test_every_command_has_help_with_an_example(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"landscape {name}" in result.stdout


def test_list_shows_names_parameters_and_defaults(run):
    result = run("list")
    assert result.exit_code == 0
    text = result.stdout
    for name in ls.surfaces.names() + ls.optim.names() + ls.schedules.names():
        assert f"  {name} " in text
    assert "kappa=10, angle=0" in text  # elongated_bowl's parameters
    assert "lr=0.001, b1=0.9, b2=0.999, eps=1e-08" in text  # adam's
    assert "lr0=0.2, decay_rate=1" in text  # the lecture's inverse_time
    only = run("list", "optimizers").stdout
    assert "adam" in only and "rosenbrock" not in only


def test_trace_writes_one_file_per_optimizer(run):
    result = run(
        "trace",
        "elongated_bowl:kappa=50",
        "-O",
        "sgd:lr=0.03",
        "-O",
        "momentum:lr=0.03,beta=0.9",
        "-O",
        "sgd:lr=0.01",
        "--steps",
        "50",
        "--particles",
        "8",
        "--noise",
        "0.5",
        "--seed",
        "3",
        "-o",
        "run.npz",
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in Path().iterdir())
    assert names == ["run-momentum.npz", "run-sgd-2.npz", "run-sgd.npz"]
    traj = ls.load_trajectory("run-momentum.npz")
    assert traj.positions.shape == (51, 8, 2)
    assert traj.config["seed"] == 3 and traj.config["noise"] == {
        "name": "gaussian",
        "params": {"sigma": 0.5},
    }
    assert traj.config["optimizer"]["params"]["beta"] == 0.9
    assert len(result.stdout.splitlines()) == 3 and "run-sgd.npz: final value" in result.stdout


def test_trace_takes_the_precision_and_the_engine_of_landscape_trace(run):
    from landscape.cli._trace import ENGINES
    from landscape.tracing._problem import ENGINE_NAMES

    assert ENGINES == ENGINE_NAMES
    common = ["-O", "adam:lr=0.01", "--x0", "random", "--particles", "50", "--steps", "20", "--seed", "4"]
    assert run("trace", "rosenbrock", *common, "--dtype", "float32", "-o", "single.npz").exit_code == 0
    single = ls.load_trajectory("single.npz")
    assert single.positions.dtype == np.float32 and single.values.dtype == np.float32
    assert (single.config["dtype"], single.config["compute_dtype"]) == ("float32", "float32")
    s = ls.surfaces.get("rosenbrock")
    direct = ls.trace(s, ls.optim.adam(0.01), s.sample(50, seed=4), 20, dtype=np.float32)
    assert single.config["engine"] == direct.config["engine"]
    np.testing.assert_array_equal(single.positions, direct.positions)

    options = ["--dtype", "float32", "--compute-dtype", "float64", "--engine", "numpy"]
    assert run("trace", "rosenbrock", *common, *options, "-o", "mixed.npz").exit_code == 0
    mixed = ls.load_trajectory("mixed.npz")
    assert mixed.positions.dtype == np.float32
    assert (mixed.config["compute_dtype"], mixed.config["engine"]) == ("float64", "numpy")


def test_a_ctrl_c_while_the_output_is_written_says_it_was_written_in_full(run, ctrl_c_as_an_npz_entry_opens):
    """The Ctrl-C waits until the file is in place, and the one line says the file is whole."""
    ctrl_c_as_an_npz_entry_opens(lambda: not Path("run.npz").exists())  # as each entry opens
    result = run("trace", "rosenbrock", "-O", "sgd:lr=0.001", "--steps", "5", "-o", "run.npz")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Aborted! run.npz was written in full."
    assert ls.load_trajectory("run.npz").positions.shape == (6, 1, 2)


def test_trace_csv_and_json(run):
    assert (
        run(
            "trace",
            "rosenbrock",
            "-O",
            "adam:lr=0.05",
            "--steps",
            "10",
            "--x0",
            "-1.5,2",
            "-o",
            "r.csv",
        ).exit_code
        == 0
    )
    rows = np.loadtxt("r.csv", delimiter=",", skiprows=1)
    assert Path("r.csv").read_text().splitlines()[0] == "step,particle,x1,x2,value,grad_norm,learning_rate"
    np.testing.assert_array_equal(rows[0, 2:4], [-1.5, 2.0])
    assert (
        run("trace", "expr:x**2 + 10*y**2", "-O", "sgd:lr=0.05", "--steps", "5", "-o", "r.json").exit_code
        == 0
    )
    document = json.loads(Path("r.json").read_text())
    assert document["config"]["surface"] == {
        "name": "expression",
        "params": {"text": "x**2 + 10*y**2"},
    }
    assert len(document["positions"]) == 6


def test_trace_with_exact_minibatches_and_epochs(run):
    result = run(
        "trace",
        "linear_regression:m=64,n=2",
        "-O",
        "sgd:lr=0.05",
        "--batch-size",
        "16",
        "--epochs",
        "3",
        "-o",
        "mb.npz",
    )
    assert result.exit_code == 0, result.output
    traj = ls.load_trajectory("mb.npz")
    assert traj.config["steps"] == 3 * 4 and traj.batch_values is not None


def test_trace_per_particle_learning_rates(run):
    assert (
        run(
            "trace", "elongated_bowl", "-O", "sgd:lr=[0.01,0.05,0.1]", "--steps", "5", "-o", "g.npz"
        ).exit_code
        == 0
    )
    traj = ls.load_trajectory("g.npz")
    assert traj.particles == 3
    np.testing.assert_allclose(traj.learning_rates[-1], [0.01, 0.05, 0.1])


def test_plot_writes_the_figure_and_its_sidecar(run):
    result = run(
        "plot",
        "rosenbrock",
        "-O",
        "adam:lr=0.05",
        "-O",
        "sgd:lr=0.001",
        "--steps",
        "100",
        "-o",
        "fig.png",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "wrote fig.png and fig.json"
    assert Path("fig.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    config = json.loads(Path("fig.json").read_text())["config"]
    assert config["optimizers"] == ["adam:lr=0.05", "sgd:lr=0.001"]
    assert config["steps"] == 100 and config["kind"] == "contour" and config["seed"] == 0
    assert result.stderr == ""


def test_reproduce_rebuilds_the_same_bytes(run):
    assert (
        run(
            "plot",
            "elongated_bowl:kappa=25",
            "-O",
            "sgd:lr=0.075",
            "-O",
            "momentum:lr=0.075,beta=0.9",
            "--kind",
            "loss",
            "--particles",
            "30",
            "--noise",
            "0.5",
            "--steps",
            "40",
            "-o",
            "loss.svg",
        ).exit_code
        == 0
    )
    original = Path("loss.svg").read_bytes()
    result = run("reproduce", "loss.json", "-o", "again.svg")
    assert result.exit_code == 0, result.output
    assert Path("again.svg").read_bytes() == original
    assert run("reproduce", "loss.json").exit_code == 0  # in place, next to the sidecar
    assert Path("loss.svg").read_bytes() == original


def test_reproduce_from_another_folder(run, tmp_path):
    (tmp_path / "figs").mkdir()
    assert run("plot", "--kind", "ewa", "--betas", "0.9,0.98", "-o", "figs/ewa.png").exit_code == 0
    original = (tmp_path / "figs" / "ewa.png").read_bytes()
    (tmp_path / "figs" / "ewa.png").unlink()
    assert run("reproduce", "figs/ewa.json").exit_code == 0
    assert (tmp_path / "figs" / "ewa.png").read_bytes() == original


def test_reproduce_warns_when_versions_differ(run):
    assert run("plot", "--kind", "ewa", "-o", "ewa.png").exit_code == 0
    document = json.loads(Path("ewa.json").read_text())
    document["versions"]["matplotlib"] = "0.1"
    Path("ewa.json").write_text(json.dumps(document))
    result = run("reproduce", "ewa.json", "-o", "again.png")
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: versions differ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--kind", "surface3d", "himmelblau", "-O", "adam:lr=0.1", "--steps", "30"],
        [
            "--kind",
            "lr",
            "elongated_bowl",
            "-O",
            "sgd:lr=inverse_time(0.2,1)",
            "-O",
            "adam",
            "--steps",
            "10",
        ],
        [
            "--kind",
            "contour",
            "expr:x**2 + 10*y**2",
            "-O",
            "momentum:lr=0.05,beta=0.9,style=heavy_ball",
            "--bounds",
            "-3,3,-1.5,1.5",
            "--levels",
            "12",
            "--x0",
            "-2.5,1",
        ],
        [
            "--kind",
            "contour",
            "himmelblau",
            "-O",
            "adam:lr=0.1",
            "--particles",
            "50",
            "--x0",
            "random",
        ],
    ],
)
def test_plot_kinds(run, args):
    result = run("plot", *args, "-o", "fig.pdf")
    assert result.exit_code == 0, result.output
    assert Path("fig.pdf").read_bytes()[:5] == b"%PDF-"


def test_user_surface_file(run, tmp_path):
    (tmp_path / "mine.py").write_text(
        "import landscape as ls\nbowl = ls.surfaces.expression('x**2 + 4*y**2', bounds=[[-2, 2], [-2, 2]])\n"
    )
    assert run("plot", "mine.py:bowl", "-O", "adam:lr=0.2", "--steps", "20", "-o", "mine.png").exit_code == 0
    config = json.loads((tmp_path / "mine.json").read_text())["config"]
    assert config["surface"] == f"{tmp_path / 'mine.py'}:bowl"  # absolute: reproducible from anywhere


def test_divergence_is_one_warning_line(run):
    result = run("plot", "elongated_bowl", "-O", "sgd:lr=5", "--steps", "50", "-o", "d.png")
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: 1 of 1 particles diverged") and result.stderr.count("\n") == 1


def test_shell_completion_offers_registry_names(monkeypatch, tmp_path):
    from click.testing import CliRunner

    env = {
        "_LANDSCAPE_COMPLETE": "bash_complete",
        "COMP_WORDS": "landscape plot rosen",
        "COMP_CWORD": "2",
    }
    result = CliRunner().invoke(main, [], prog_name="landscape", env=env)
    assert "rosenbrock" in result.stdout
    env |= {"COMP_WORDS": "landscape plot rosenbrock -O ad", "COMP_CWORD": "4"}
    result = CliRunner().invoke(main, [], prog_name="landscape", env=env)
    assert "adam" in result.stdout and "adamw" in result.stdout
    env |= {"COMP_WORDS": "landscape list sc", "COMP_CWORD": "2"}
    assert "schedules" in CliRunner().invoke(main, [], prog_name="landscape", env=env).stdout


@pytest.mark.parametrize(
    "args",
    [
        ["random_quadratic:dim=300", "--kind", "spectrum", "--probes", "5", "--lanczos-steps", "30"],
        ["--kind", "minima-vs-dim", "--dims", "1,2,3", "--samples", "5000"],
        ["himmelblau", "--kind", "index-vs-loss", "--starts", "32"],
    ],
)
def test_analysis_figures_reproduce(run, args):
    assert run("plot", *args, "-o", "fig.png").exit_code == 0
    original = Path("fig.png").read_bytes()
    assert run("reproduce", "fig.json", "-o", "again.png").exit_code == 0
    assert Path("again.png").read_bytes() == original
