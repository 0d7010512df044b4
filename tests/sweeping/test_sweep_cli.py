"""``landscape sweep`` and ``landscape plot --kind sweep`` through Click, in this process (--workers 0)."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import landscape as ls
from landscape.cli import main

SWEEP = [
    "sweep",
    "elongated_bowl:kappa=10",
    "-O",
    "momentum:style=heavy_ball",
    "--steps",
    "30",
    "--workers",
    "0",
]
GRID = ["--grid", "lr=logspace(-2,-0.5,4)", "--grid", "beta=0.0,0.9"]


@pytest.fixture
def run(tmp_path, monkeypatch):
    """``run("sweep", ...)`` in an empty working folder; returns Click's Result."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args):
        return CliRunner().invoke(main, list(args), prog_name="landscape", catch_exceptions=False)

    return invoke


def assert_same_as_the_library_s(path, **options):
    """The sweep saved at ``path`` is ``ls.sweep`` of SWEEP and GRID with ``options``, column for column."""
    expected = ls.sweep(
        "elongated_bowl:kappa=10",
        "momentum:style=heavy_ball",
        {"lr": np.logspace(-2, -0.5, 4).tolist(), "beta": [0.0, 0.9]},
        steps=30,
        workers=0,
        **options,
    )
    back = ls.load_sweep(path)
    for name in expected.columns:
        np.testing.assert_array_equal(back.columns[name], expected.columns[name])
    return back


def test_a_sweep_writes_its_results_and_removes_its_store(run):
    result = run(*SWEEP, *GRID, "--seeds", "3", "--noise", "0.1", "-o", "r.parquet")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "wrote r.parquet: 8 configurations (lr 4 x beta 2), 3 seeds each; 12.5% of runs diverged\n"
    )
    assert sorted(p.name for p in Path().iterdir()) == ["r.parquet"]
    assert_same_as_the_library_s("r.parquet", seeds=3, noise=0.1)


def test_a_float32_sweep_is_the_library_s_float32_sweep(run):
    assert run(*SWEEP, *GRID, "--dtype", "float32", "-o", "r.parquet").exit_code == 0
    back = assert_same_as_the_library_s("r.parquet", dtype=np.float32)
    assert back.description["dtype"] == "float32"


def test_the_summary_counts_one_configuration_and_one_seed_in_the_singular(run):
    result = run(*SWEEP, "--grid", "lr=0.1", "-o", "r.csv")
    assert result.stdout == "wrote r.csv: 1 configuration (lr 1), 1 seed each; 0.0% of runs diverged\n"


def test_a_sweep_too_large_for_memory_counts_its_seed_and_step_in_the_singular(monkeypatch):
    from landscape import _resources

    monkeypatch.setattr(_resources, "machine_memory", lambda: 1)  # one byte: any run is too much
    with pytest.raises(ls.InvalidArgument, match=r"one configuration \(1 seed x 1 step in dimension 2\)"):
        ls.sweep("elongated_bowl", "sgd", {"lr": [0.1]}, seeds=1, steps=1, workers=0)


def test_each_optimizer_given_runs_the_whole_grid_and_is_drawn_in_its_own_panel(run):
    result = run(*SWEEP, "-O", "sgd", *GRID, "-o", "r.csv")
    assert result.exit_code == 2 and "grid key='beta' is not accepted" in result.stderr  # sgd has no beta
    result = run(*SWEEP, "-O", "momentum:style=ewa", *GRID, "-o", "r.csv")
    assert result.exit_code == 0, result.output
    assert "16 configurations (lr 4 x beta 2) with 2 optimizers" in result.stdout
    back = ls.load_sweep("r.csv")
    assert back.columns["optimizer"].tolist() == 8 * ["momentum:style=heavy_ball"] + 8 * ["momentum"]
    assert run("plot", "--kind", "sweep", "r.csv", "-o", "both.png").exit_code == 0
    result = run(
        "plot", "--kind", "sweep", "r.csv", "--where", "beta=0.9", "--where", "beta=0.0", "-o", "m.png"
    )
    assert result.exit_code == 2 and "gives 'beta' twice" in result.stderr and not Path("m.png").exists()


def test_an_explicit_store_is_kept_and_reused(run):
    assert run(*SWEEP, *GRID, "--store", "kept", "-o", "r.csv").exit_code == 0
    manifest = json.loads(Path("kept/manifest.json").read_text())
    assert manifest["done"] == manifest["configurations"] == 8
    again = run(*SWEEP, *GRID, "--store", "kept", "-o", "again.csv")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[1] == "resumed from kept: 8 of 8 configurations were already done"
    assert Path("r.csv").read_text() == Path("again.csv").read_text()


def test_help_shows_a_worked_example(run):
    result = run("sweep", "--help")
    assert result.exit_code == 0
    assert '--grid "lr=logspace(-4,0,25)" --grid beta=0.0,0.5,0.9,0.99 --seeds 16' in result.stdout
    assert "sweep" in run("--help").stdout


CORPUS = {
    "unknown grid key": (
        [*SWEEP, "--grid", "rate=0.1,0.2"],
        "grid key='rate' is not accepted; expected batch_size",
    ),
    "malformed grid": ([*SWEEP, "--grid", "lr"], "grid 'lr' is malformed; expected KEY=VALUES"),
    "range without num": ([*SWEEP, "--grid", "lr=logspace(-4,0)"], "logspace\\(start, stop, num\\)"),
    "huge range": ([*SWEEP, "--grid", "lr=linspace(0.1,1,100000000)"], "num from 1 to 1000000"),
    "beta out of range": ([*SWEEP, "--grid", "beta=0.5,1.0"], "beta=.* in \\[0, 1\\)"),
    "negative rate": ([*SWEEP, "--grid", "lr=-0.1,0.1"], "lr=.*> 0"),
    "repeated key": ([*SWEEP, "--grid", "lr=0.1", "--grid", "lr=0.2"], "--grid gives 'lr' twice"),
    "repeated value": ([*SWEEP, "--grid", "lr=0.1,0.1"], "a value repeats"),
    "too large": (
        [*SWEEP, "--grid", "lr=linspace(0.1,1,10000)", "--grid", "beta=linspace(0,0.9,10000)"],
        "at most",
    ),
    "batch size without data": (
        [*SWEEP, "--grid", "batch_size=4,8"],
        "batch_size=4 .*a surface without a data set",
    ),
    "no grid": (SWEEP, "Missing option '--grid'"),
    "no optimizer": (["sweep", "rosenbrock", "--grid", "lr=0.1", "--workers", "0"], "Missing option '-O'"),
    "unknown optimizer": (["sweep", "rosenbrock", "-O", "adamax", "--grid", "lr=0.1"], "of adagrad, adam"),
    "per-particle list": ([*SWEEP, "-O", "sgd:lr=[0.1,0.2]", "--grid", "lr=0.1"], "one value; give several"),
    "unknown surface": (["sweep", "bowl", "-O", "sgd", "--grid", "lr=0.1"], "surface='bowl' is not accepted"),
    "no surface": (["sweep", "-O", "sgd", "--grid", "lr=0.1"], "Missing argument 'SURFACE...'"),
    "workers and scheduler": (
        [*SWEEP, *GRID, "--scheduler", "tcp://127.0.0.1:8786"],
        "--workers or --scheduler",
    ),
    "scheduler address": (
        ["sweep", "rosenbrock", "-O", "sgd", *GRID[:2], "--scheduler", "nowhere"],
        "scheduler='nowhere' .*tcp://127.0.0.1:8786",
    ),
    "negative workers": ([*SWEEP[:-2], *GRID, "--workers", "-1"], "-1 is not in the range x>=0"),
    "workers twice": ([*SWEEP, *GRID, "--workers", "2"], "'--workers': given twice"),
    "steps and epochs": ([*SWEEP, *GRID, "--epochs", "2"], "--steps or --epochs, not both"),
    "no seeds": ([*SWEEP, *GRID, "--seeds", "0"], "0 is not in the range x>=1"),
    "starting point": ([*SWEEP, *GRID, "--x0", "1,2,3"], "x0 has shape \\(1, 3\\)"),
    "output suffix": ([*SWEEP, *GRID], "expected a name ending in .parquet, .csv"),
    "output folder": ([*SWEEP, *GRID], "folder 'missing' does not exist"),
    "store is a file": ([*SWEEP, *GRID, "--store", "blocker"], "Directory 'blocker' is a file"),
}
OUTPUTS = {"output suffix": "r.json", "output folder": "missing/r.csv"}


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_input_exits_2_with_one_line_and_no_file(run, case):
    Path("blocker").write_text("a file")
    args, message = CORPUS[case]
    result = run(*args, "-o", OUTPUTS.get(case, "r.parquet"))
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and re.search(message, lines[0]), lines[0]
    assert result.stdout == ""
    assert sorted(p.name for p in Path().iterdir()) == ["blocker"]  # no output, no store, no temporary


def test_a_store_of_another_sweep_is_refused_in_one_line(run):
    assert run(*SWEEP, *GRID, "--store", "s", "-o", "r.parquet").exit_code == 0
    result = run(*SWEEP, "--grid", "lr=0.1", "--store", "s", "-o", "other.parquet")
    assert result.exit_code == 2
    assert re.fullmatch(
        r"Error: store='s' is not accepted; .*holds another one \(different grid, optimizer\).*\n",
        result.stderr,
    )
    assert not Path("other.parquet").exists()


def test_plot_draws_the_heatmap_of_a_sweep_and_reproduces_it(run):
    assert run(*SWEEP, *GRID, "--grid", "style=ewa,heavy_ball", "-o", "r.parquet").exit_code == 0
    result = run(
        "plot",
        "--kind",
        "sweep",
        "r.parquet",
        "--where",
        "style=heavy_ball",
        "--metric",
        "best_value",
        "-o",
        "map.png",
    )
    assert result.exit_code == 0, result.output
    sidecar = json.loads(Path("map.json").read_text())
    config = sidecar["config"]
    assert config["results"] == "r.parquet" and config["surface"] is None  # read next to the sidecar
    assert config["where"] == {"style": "heavy_ball"} and config["metric"] == "best_value"
    assert run("reproduce", "map.json", "-o", "again.png").exit_code == 0
    assert Path("map.png").read_bytes() == Path("again.png").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "sweep", "-o", "m.png"], "kind='sweep' draws a sweep; expected a results file"),
        (
            ["--kind", "sweep", "missing.parquet", "-o", "m.png"],
            "'missing.parquet' is not accepted; expected an exis",
        ),
        (["--kind", "contour", "r.parquet", "-o", "m.png"], "kind='contour' draws no sweep results"),
        (
            ["--kind", "sweep", "r.parquet", "--steps", "5", "-o", "m.png"],
            "--steps does not apply to --kind sweep",
        ),
        (["--kind", "sweep", "r.parquet", "--metric", "loss", "-o", "m.png"], "'loss' is not one of"),
        (["--kind", "sweep", "r.parquet", "--axes", "lr", "-o", "m.png"], "expected 2 comma-separated names"),
        (
            ["--kind", "sweep", "r.parquet", "--axes", "lr,gamma", "-o", "m.png"],
            "column='gamma' is not accepted",
        ),
        (["--kind", "sweep", "r.parquet", "--where", "style", "-o", "m.png"], "expected KEY=VALUE"),
        (["--kind", "sweep", "r.parquet", "--where", "style=adam", "-o", "m.png"], "one of ewa, heavy_ball"),
        (["--kind", "sweep", "r.parquet", "-o", "m.png"], "leaves style varying"),
        (["--kind", "sweep", "notes.csv", "-o", "m.png"], "path=.*notes.csv.* a sweep result"),
    ],
)
def test_bad_plot_input_exits_2_with_one_line(run, args, message):
    assert run(*SWEEP, *GRID, "--grid", "style=ewa,heavy_ball", "-o", "r.parquet").exit_code == 0
    Path("notes.csv").write_text("a,b\n1,2\n")
    result = run("plot", *args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1 and re.search(message, result.stderr), result.stderr
    assert not Path("m.png").exists()
