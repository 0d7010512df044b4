"""The command line's bad-input corpus: every case refused in one line, with exit status 2, before any work.

Each case asserts: exit status 2; exactly one line on stderr, ``Error: ...``,
that names the parameter and matches what is accepted; nothing on stdout;
no file written or changed in the working folder (names, sizes and
modification times, including files that were there before); and an answer
within two seconds, enforced by a watchdog that interrupts a case
still running then (a bound, not a timing). The cases run in this process
through Click's CliRunner, after the heavy imports (matplotlib, SymPy,
SciPy, Manim), so that the watchdog times the answer; a few run as real
processes in ``test_console_script.py``.
"""

import json
import re
import sys
from pathlib import Path

import pytest

import landscape as ls
from landscape.plot._save import NO_RECIPE

PLOT = ["plot", "rosenbrock", "-O", "adam:lr=0.05", "--steps", "5"]
TRACE = ["trace", "rosenbrock", "-O", "adam:lr=0.05", "--steps", "5"]
EVIL = 'import pathlib\npathlib.Path("ran").write_text("the file ran")\nbowl = None\n'


def sidecar(**changes):
    """A figure's sidecar as landscape plot writes it, with ``changes`` to its document."""
    document = {
        "landscape_figure": 1,
        "figure": "fig.png",
        "config": {"kind": "ewa"},
        "seed": 0,
        "versions": {},
    }
    return json.dumps(document | changes)


# name: (arguments, the parameter the line names, what the line says (a pattern), files to create first)
CORPUS = {
    # ---- unknown names ---------------------------------------------------------------------------
    "unknown surface": (
        ["plot", "rosenbrok", "-o", "f.png"],
        "surface=",
        "'rosenbrok' is not accepted; expected one of",
    ),
    "unknown optimizer": (
        ["plot", "rosenbrock", "-O", "adamm", "-o", "f.png"],
        "'-O'",
        "expected one of adagrad, adam, adamw",
    ),
    "unknown optimizer parameter": (
        [*PLOT, "-O", "adam:foo=1", "-o", "f.png"],
        "'foo'",
        "its parameters are: lr, b1",
    ),
    "unknown surface parameter": (
        ["plot", "elongated_bowl:kapa=5", "-o", "f.png"],
        "'kapa'",
        "parameters are: kappa",
    ),
    "unknown schedule": ([*PLOT, "-O", "sgd:lr=linear(1)", "-o", "f.png"], "lr=", "schedules are constant"),
    "unknown kind": ([*PLOT, "--kind", "pie", "-o", "f.png"], "'--kind'", "'pie' is not one of 'contour'"),
    "unknown list": (["list", "colours"], "'[surfaces|optimizers", "'colours' is not one of 'surfaces'"),
    "unknown option": ([*PLOT, "--colour", "red", "-o", "f.png"], "--colour", "No such option"),
    "unknown command": (["draw"], "draw", "No such command"),
    "unknown scene": (["render", "nope", "-o", "m.mp4"], "scene=", "'nope' is not accepted; expected one of"),
    "unknown scene parameter": (
        ["render", "momentum", "speed=2", "-o", "m.mp4"],
        "'speed'",
        "its parameters",
    ),
    # ---- malformed specs ---------------------------------------------------------------------------
    "empty parameters": ([*PLOT, "-O", "adam:", "-o", "f.png"], "optimizer spec", "malformed; expected NAME"),
    "missing value": ([*PLOT, "-O", "adam:lr=", "-o", "f.png"], "optimizer spec", "malformed"),
    "positional value": ([*PLOT, "-O", "adam:0.1", "-o", "f.png"], "optimizer spec", "malformed"),
    "double comma": ([*PLOT, "-O", "adam:lr=0.1,,b1=0.9", "-o", "f.png"], "optimizer spec", "malformed"),
    "repeated key": ([*PLOT, "-O", "adam:lr=0.1,lr=0.2", "-o", "f.png"], "'lr'", "gives 'lr' twice"),
    "arithmetic value": ([*PLOT, "-O", "adam:lr=0.1*2", "-o", "f.png"], "lr=", "lr=0.1\\*2 is not accepted"),
    "bad schedule arguments": (
        [*PLOT, "-O", "sgd:lr=inverse_time(1,2,3)", "-o", "f.png"],
        "lr=",
        "takes \\(lr0, decay_rate\\)",
    ),
    "bad x0": ([*PLOT, "--x0", "a,b", "-o", "f.png"], "'--x0'", "expected one or more comma-separated"),
    "bad bounds count": (
        [*PLOT, "--bounds", "0,1,2", "-o", "f.png"],
        "'--bounds'",
        "expected 4 comma-separated",
    ),
    "bad noise": (
        [*PLOT, "--noise", "uniform:a=1", "-o", "f.png"],
        "noise=",
        "'uniform:a=1' is not accepted",
    ),
    # Python's tokenizer warns about a number run into a keyword ("invalid decimal literal"):
    # that warning must not become a second line
    "a number run into a keyword in a spec": (
        ["plot", "rosenbrock:a=1if 1 else 2", "-o", "f.png"],
        "a=",
        "is not accepted; expected a number",
    ),
    "a number run into a keyword in a grid": (
        ["sweep", "rosenbrock", "-O", "sgd", "--grid", "lr=1or 2", "-o", "s.csv"],
        "'--grid'",
        "lr=1or 2 is not accepted; expected a number",
    ),
    "a number run into a keyword in a formula": (
        ["plot", "expr:x**2 + 1if x else y", "-o", "f.png"],
        "expression",
        "'if ... else'",
    ),
    # ---- out-of-range values ---------------------------------------------------------------------
    "negative learning rate": (
        [*PLOT, "-O", "adam:lr=-1", "-o", "f.png"],
        "lr=",
        "-1 is not accepted; .* > 0",
    ),
    "beta of one": ([*PLOT, "-O", "momentum:beta=1", "-o", "f.png"], "beta=", "beta=1 is not accepted"),
    "negative kappa": (
        ["plot", "elongated_bowl:kappa=-1", "-o", "f.png"],
        "kappa=",
        "-1 is not accepted; expected a single number > 0$",
    ),
    "a layer of width zero": (
        ["plot", "mlp:layers=[2,0,1]", "-o", "f.png"],
        "layers=",
        "layers=\\[2, 0, 1\\] is not accepted; expected at least two layer widths",
    ),
    "negative steps": ([*PLOT[:-2], "--steps", "-1", "-o", "f.png"], "'--steps'", "not in the range x>=0"),
    "zero particles": ([*PLOT, "--particles", "0", "-o", "f.png"], "'--particles'", "not in the range x>=1"),
    "negative noise": ([*PLOT, "--noise", "-0.5", "-o", "f.png"], "sigma=", "-0.5 is not accepted"),
    "wrong x0 dimension": ([*PLOT, "--x0", "1,2,3", "-o", "f.png"], "x0", "shape \\(3,\\); expected a point"),
    "inverted bounds": ([*PLOT, "--bounds", "1,0,0,1", "-o", "f.png"], "bounds=", "is not accepted"),
    "beta out of range": (
        ["plot", "--kind", "ewa", "--betas", "0.5,1.5", "-o", "f.png"],
        "betas=",
        "1.5 is not",
    ),
    "per-particle length": (
        [*PLOT, "-O", "sgd:lr=[0.1,0.2]", "--particles", "3", "-o", "f.png"],
        "lr=",
        "one value per particle",
    ),
    "batch size on an analytic surface": (
        [*TRACE, "--batch-size", "4", "-o", "r.npz"],
        "batch_size=",
        "4 is not",
    ),
    "batch size above m": (
        ["trace", "linear_regression:m=10", "-O", "sgd", "--batch-size", "20", "-o", "r.npz"],
        "batch_size=",
        "20 is not accepted; expected an integer between 1 and m=10",
    ),
    "unknown precision": (
        [*TRACE, "--dtype", "float16", "-o", "r.npz"],
        "--dtype",
        "'float16' is not one of",
    ),
    "single-precision arithmetic on double storage": (
        [*TRACE, "--compute-dtype", "float32", "-o", "r.npz"],
        "compute_dtype=",
        "numpy.float32 with dtype=float32",
    ),
    "unknown engine": ([*TRACE, "--engine", "gpu", "-o", "r.npz"], "--engine", "'gpu' is not one of"),
    "text as a number": (
        ["plot", "elongated_bowl:kappa=big", "-o", "f.png"],
        "kappa=",
        "'big' is not accepted",
    ),
    "negative time scale": (["render", "momentum", "time_scale=-1", "-o", "m.mp4"], "time_scale=", "> 0"),
    "time scale not a number": (
        ["render", "momentum", "time_scale=nan", "-o", "m.mp4"],
        "time_scale=",
        "finite",
    ),
    "scene number not finite": (
        ["render", "momentum", "kappa=inf", "-o", "m.mp4"],
        "kappa=",
        "a finite number",
    ),
    "window too large": (
        ["plot", "rosenbrock", "--bounds", "0,1e308,0,1e308", "-o", "f.png"],
        "bounds=",
        "within ±1e\\+100",
    ),
    "window where the surface overflows": (
        ["plot", "rosenbrock", "--bounds", "0,1e90,0,1e90", "-o", "f.png"],
        "bounds",
        "finite on 0.\\d+% of the window",
    ),
    # ---- missing, contradictory or repeated pieces -----------------------------------------------
    "steps and epochs": (
        [*PLOT, "--epochs", "3", "-o", "f.png"],
        "--epochs",
        "give --steps or --epochs, not both",
    ),
    "3-D surface for contour": (["plot", "rosenbrock:dim=3", "-o", "f.png"], "surface=", "a 2-D surface"),
    "no optimizer for trace": (
        ["trace", "rosenbrock", "-o", "r.npz"],
        "-O",
        "trace needs at least one -O SPEC",
    ),
    "no optimizer for loss": (
        ["plot", "rosenbrock", "--kind", "loss", "-o", "f.png"],
        "kind=",
        "at least one",
    ),
    "no surface": (["plot", "-o", "f.png"], "kind=", "draws a surface; expected a surface spec"),
    "surface for ewa": (["plot", "rosenbrock", "--kind", "ewa", "-o", "f.png"], "kind=", "draws no surface"),
    "option of another kind": (
        ["plot", "--kind", "ewa", "--levels", "5", "-o", "f.png"],
        "--levels",
        "does not apply to --kind ewa",
    ),
    "no output": (PLOT, "'-o' / '--output'", "Missing option"),
    "an option given twice": ([*PLOT, "--steps", "10", "-o", "f.png"], "'--steps'", "given twice"),
    "a scene parameter given twice": (
        ["render", "ewa", "seed=1", "seed=2", "-o", "m.mp4"],
        "seed",
        "given twice",
    ),
    "a --where column given twice": (
        ["plot", "--kind", "sweep", "r.csv", "--where", "beta=0.0", "--where", "beta=0.9", "-o", "f.png"],
        "'--where'",
        "gives 'beta' twice",
    ),
    "a data file as a surface": (
        ["plot", "--kind", "sweep", "run.npz", "-o", "f.png"],
        "SURFACE | RESULTS",
        "'run.npz' is not accepted; expected a surface spec .* or a sweep's results file",
    ),
    "where fixes an axis": (
        ["plot", "--kind", "sweep", "r.csv", "--where", "beta=0.0", "-o", "f.png"],
        "where=",
        "leaves lr to draw; expected two columns left varying",
    ),
    "a grid key another optimizer lacks": (
        ["sweep", "rosenbrock", "-O", "momentum", "-O", "sgd", "--grid", "beta=0.5,0.9", "-o", "s.csv"],
        "grid key=",
        "'beta' is not accepted; expected batch_size or a parameter of sgd",
    ),
    "the same optimizer twice": (
        ["sweep", "rosenbrock", "-O", "sgd", "-O", "sgd", "--grid", "lr=0.1", "-o", "s.csv"],
        "optimizer=",
        "distinct optimizers",
    ),
    # ---- output paths: checked before any work ---------------------------------------------------
    "unknown figure format": (
        [*PLOT, "-o", "f.gif"],
        "'-o' / '--output'",
        "a name ending in .png, .svg, .pdf",
    ),
    "unknown trajectory format": (
        [*TRACE, "-o", "r.txt"],
        "'-o' / '--output'",
        "ending in .npz, .csv, .json",
    ),
    "missing folder": (
        [*PLOT, "-o", "no/such/folder/f.png"],
        "'--output'",
        "folder 'no/such/folder' does not",
    ),
    "a file as folder": ([*PLOT, "-o", "blocker/f.png"], "'--output'", "'blocker' is a file, not a folder"),
    "a file deeper under a file": ([*TRACE, "-o", "blocker/a/r.npz"], "'--output'", "'blocker' is a file"),
    "a folder as file": ([*PLOT, "-o", "taken.png"], "'-o' / '--output'", "it is a folder"),
    "the sidecar's place is a folder": (
        [*PLOT, "-o", "taken2.png"],
        "output=",
        "'taken2.json' .*it is a folder",
    ),
    "proc": ([*TRACE, "-o", "/proc/a.npz"], "'-o' / '--output'", "folder '/proc' refuses new files"),
    "sys": ([*TRACE, "-o", "/sys/a.csv"], "'-o' / '--output'", "folder '/sys' refuses new files"),
    "a name too long": ([*TRACE, "-o", "a" * 300 + ".npz"], "'-o' / '--output'", "name too long"),
    "a store that is a file": (
        ["sweep", "rosenbrock", "-O", "sgd", "--grid", "lr=0.1", "--store", "blocker", "-o", "s.csv"],
        "'--store'",
        "'blocker' is a file",
    ),
    "an existing figure is not touched": (
        [*PLOT, "-O", "adam:lr=-1", "-o", "existing.png"],
        "lr=",
        "not accepted",
    ),
    # ---- sizes: estimated before anything is allocated -------------------------------------------
    "too many particles": (
        [*TRACE, "--particles", str(10**12), "-o", "r.npz"],
        "particles=",
        "fewer particles",
    ),
    "too many steps": (
        ["trace", "rosenbrock", "-O", "sgd", "--steps", str(10**12), "-o", "r.npz"],
        "steps=",
        "fewer steps or a larger record_every: .* needs about .* of memory, more than half of this machine's",
    ),
    "too many steps to wait for": (
        [
            "trace",
            "rosenbrock",
            "-O",
            "sgd",
            "--steps",
            str(10**14),
            "--record-every",
            str(10**14),
            "-o",
            "r.npz",
        ],
        "steps=",
        "takes at least .* hours on this machine \\(--force",
    ),
    "too many dimensions": (
        ["trace", "rosenbrock:dim=1000000000", "-O", "sgd", "-o", "r.npz"],
        "dim=",
        "GiB",
    ),
    "a dense quadratic too large": (
        ["plot", "random_quadratic:dim=1000000,structured=false", "--kind", "spectrum", "-o", "f.png"],
        "dim=",
        "structured=True: a dense 1000000 x 1000000 Hessian needs about",
    ),
    "too many starts": (["analyze", "himmelblau", "--starts", str(10**8)], "starts=", "fewer starts"),
    "a critical-point search too large": (
        ["analyze", "random_quadratic:dim=100000"],
        "dim=",
        "lower dimension",
    ),
    "too many samples": (
        ["plot", "--kind", "minima-vs-dim", "--samples", str(10**9), "-o", "f.png"],
        "samples=",
        "takes at least",
    ),
    "too many probes": (
        ["plot", "random_quadratic:dim=5000", "--kind", "spectrum", "--probes", str(10**6), "-o", "f.png"],
        "probes=",
        "fewer probes",
    ),
    "too many seeds": (
        ["sweep", "rosenbrock", "-O", "sgd", "--grid", "lr=0.1", "--seeds", str(10**8), "-o", "s.csv"],
        "seeds=",
        "fewer seeds",
    ),
    "a scene with too many steps": (["render", "momentum", f"steps={10**9}", "-o", "m.mp4"], "steps=", "GiB"),
    # ---- files are data ----------------------------------------------------------------------------
    "missing sidecar": (["reproduce", "absent.json"], "sidecar=", "'absent.json' is not accepted"),
    "broken sidecar": (["reproduce", "blocker"], "sidecar=", "'blocker' is not accepted"),
    "a sidecar writing outside its folder": (
        ["reproduce", "evil.json"],
        "sidecar=",
        "names the figure '../../escape.png'; expected a plain file name",
    ),
    "a sidecar writing to an absolute path": (
        ["reproduce", "abs.json"],
        "sidecar=",
        "names the figure '/etc/",
    ),
    "a sidecar naming code": (
        ["reproduce", "code.json"],
        "surface=",
        "not accepted from 'code.json': it names code to run .*expected --trust",
    ),
    "a sidecar reading elsewhere": (["reproduce", "far.json"], "sidecar=", "outside its folder.*--trust"),
    "a sidecar without a recipe": (
        ["reproduce", "plain.json"],
        "sidecar=",
        "drawn from Python without a recipe",
    ),
    "a sidecar with a huge resolution": (["reproduce", "dpi.json"], "dpi=", "is not accepted"),
    "a sidecar with too many levels": (["reproduce", "levels.json"], "levels=", "an integer from 2 to 200"),
    "a sidecar with an unknown surface": (["reproduce", "nope.json"], "surface=", "'nope' is not accepted"),
    "a sidecar with a huge trace": (["reproduce", "huge.json"], "particles=", "fewer particles"),
    "a manifest naming code": (
        ["gallery", "--manifest", "manifest.toml", "-o", "out"],
        "manifest",
        "its surface .*my_surfaces.py:bowl.* names code to run.*expected --trust",
    ),
    "a manifest reading elsewhere": (
        ["gallery", "--manifest", "far.toml", "-o", "out"],
        "manifest",
        "it reads '../r.csv', outside the manifest's folder.*expected --trust",
    ),
    # ---- your own code: files that do not exist are bad input --------------------------------------
    "missing user file": (["plot", "nothere.py:bowl", "-o", "f.png"], "surface file", "does not exist"),
    "missing user module": (
        ["plot", "no_such_module_xyz:bowl", "-o", "f.png"],
        "surface module",
        "cannot be imported",
    ),
    "missing attribute": (["plot", "my_surfaces.py:cup", "-o", "f.png"], "surface=", "has no 'cup'"),
    "parameter of a factory": (["plot", "my_surfaces.py:make:size=2", "-o", "f.png"], "surface=", "'size'"),
    # ---- unsafe or costly expressions --------------------------------------------------------------
    "import": (
        ["plot", "expr:__import__('os').system('touch hacked')", "-o", "f.png"],
        "expression",
        "attribute",
    ),
    "builtin call": (
        ["plot", "expr:open('blocker').read()", "-o", "f.png"],
        "expression",
        "attribute access",
    ),
    "eval": (["plot", "expr:eval('x')", "-o", "f.png"], "expression", "the function 'eval'"),
    "dunder attribute": (
        ["plot", "expr:x.__class__.__mro__", "-o", "f.png"],
        "expression",
        "attribute access",
    ),
    "dunder name": (["plot", "expr:__builtins__", "-o", "f.png"], "expression", "the name '__builtins__'"),
    "subclasses walk": (
        ["plot", "expr:().__class__.__bases__[0].__subclasses__()", "-o", "f.png"],
        "expression",
        "attribute access",
    ),
    "lambda": (["plot", "expr:(lambda: 1)()", "-o", "f.png"], "expression", "lambda"),
    "comprehension": (["plot", "expr:sum([x for x in range(10**9)])", "-o", "f.png"], "expression", "'sum'"),
    "huge power tower": (["plot", "expr:9**9**9", "-o", "f.png"], "expression", "the exponent 387420489"),
    "huge power": (["plot", "expr:(10**100)**100 * x", "-o", "f.png"], "expression", "the power"),
    "huge exponent of x": (
        ["plot", "expr:x**99999999", "-o", "f.png"],
        "expression",
        "the exponent 99999999",
    ),
    "huge literal": (["plot", "expr:" + "9" * 500, "-o", "f.png"], "expression", "magnitude between"),
    "long expression": (["plot", "expr:" + "x+" * 600 + "y", "-o", "f.png"], "expression=", "at most 1000"),
    "string repetition": (["plot", "expr:'a' * 10**9", "-o", "f.png"], "expression", "the constant 'a'"),
    "statement": (["plot", "expr:x; import os", "-o", "f.png"], "expression", "not valid Python syntax"),
    "caret power": (["plot", "expr:x^2 + y^2", "-o", "f.png"], "expression", "write \\*\\* for powers"),
    "deep nesting": (
        ["plot", "expr:" + "sin(" * 150 + "x" + ")" * 150, "-o", "f.png"],
        "expression",
        "nesting",
    ),
    "nested calls": (
        ["plot", "expr:" + "sin(" * 60 + "x*y" + ")" * 60, "-o", "f.png"],
        "expression",
        "deeper",
    ),
    "costly derivatives": (
        ["plot", "expr:" + "*".join(f"sin({i}*x+y)" for i in range(1, 21)), "-o", "f.png"],
        "expression",
        "its derivatives are too large to build quickly",
    ),
    "costly nesting": (
        ["plot", "expr:" + "tanh(x+" * 20 + "y" + ")" * 20, "-o", "f.png"],
        "expression",
        "too large",
    ),
}
FILES = {
    "a sidecar writing outside its folder": {"evil.json": sidecar(figure="../../escape.png")},
    "a sidecar writing to an absolute path": {"abs.json": sidecar(figure="/etc/passwd.png")},
    "a sidecar naming code": {
        "code.json": sidecar(config={"kind": "contour", "surface": "my_surfaces.py:bowl"})
    },
    "a sidecar reading elsewhere": {
        "far.json": sidecar(config={"kind": "sweep", "results": "/tmp/r.parquet"})
    },
    "a sidecar without a recipe": {"plain.json": sidecar(config=None, not_reproducible=NO_RECIPE)},
    "a sidecar with a huge resolution": {"dpi.json": sidecar(config={"kind": "ewa", "dpi": 1e9})},
    "a sidecar with too many levels": {
        "levels.json": sidecar(config={"kind": "contour", "surface": "himmelblau", "levels": 10**6})
    },
    "a sidecar with an unknown surface": {
        "nope.json": sidecar(config={"kind": "contour", "surface": "nope"})
    },
    "a sidecar with a huge trace": {
        "huge.json": sidecar(
            config={"kind": "contour", "surface": "himmelblau", "optimizers": ["sgd"], "particles": 10**12}
        )
    },
    "a manifest naming code": {
        "manifest.toml": '[[topic]]\nid = "mine"\ntitle = "Mine"\nsummary = "My bowl."\n'
        '[[topic.figure]]\nname = "my-bowl"\nconfig = { kind = "contour", surface = "my_surfaces.py:bowl" }\n'
    },
    "a manifest reading elsewhere": {
        "far.toml": '[[topic]]\nid = "far"\ntitle = "Far"\nsummary = "A sweep elsewhere."\n'
        '[[topic.figure]]\nname = "far"\nconfig = { kind = "sweep", results = "../r.csv" }\n'
    },
}


@pytest.fixture(scope="module", autouse=True)
def imported():
    """The heavy imports, done once: the watchdog times answers, not imports."""
    import matplotlib.figure  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    import scipy.stats  # noqa: F401
    import sympy  # noqa: F401

    from landscape.rendering import scene_catalog

    scene_catalog()
    ls.surfaces.expression("x**2 + y**2").point_functions()


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A small sweep's results (lr x beta), for the cases about sweep figures."""
    folder = tmp_path_factory.mktemp("results")
    result = ls.sweep(
        "elongated_bowl", "momentum", {"lr": [0.01, 0.1], "beta": [0.0, 0.9]}, steps=5, workers=0
    )
    return result.save(folder / "r.csv").read_bytes()


@pytest.fixture
def workspace(tmp_path, results):
    """The working folder: files and folders the corpus trips over, and an existing figure to leave alone."""
    (tmp_path / "blocker").write_text("not a folder, not a sidecar")
    (tmp_path / "taken.png").mkdir()
    (tmp_path / "taken2.json").mkdir()
    (tmp_path / "existing.png").write_bytes(b"an earlier figure")
    (tmp_path / "run.npz").write_bytes(b"a trajectory")
    (tmp_path / "r.csv").write_bytes(results)
    (tmp_path / "my_surfaces.py").write_text(
        "import landscape as ls\n\nbowl = ls.surfaces.get('elongated_bowl')\n\n\n"
        "def make(scale=1.0):\n    return ls.surfaces.expression(f'{scale}*(x**2 + y**2)')\n"
    )
    return tmp_path


def snapshot(folder: Path) -> dict:
    return {
        str(p.relative_to(folder)): (p.is_dir(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_input_is_one_line_exit_2_naming_the_parameter_and_writes_nothing(
    run, workspace, answers_within, traced, case
):
    args, parameter, message = CORPUS[case]
    for name, text in FILES.get(case, {}).items():
        (workspace / name).write_text(text)
    before = snapshot(workspace)
    with answers_within():
        result = run(*args)
    assert traced == []  # refused before any work (a first trace may compile for seconds)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert parameter in lines[0], lines[0]
    assert re.search(message, lines[0]), lines[0]
    assert result.stdout == ""
    assert snapshot(workspace) == before  # nothing written or changed, not even a temporary


def test_errors_in_a_sidecar_are_reported_in_one_line(run, workspace):
    Path("fig.json").write_text(sidecar(config={"kind": "contour", "surface": "nope"}))
    result = run("reproduce", "fig.json")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "surface='nope'" in result.stderr
    assert not Path("fig.png").exists()


def test_a_trusted_sidecar_runs_the_code_it_names(run, workspace):
    (workspace / "mine.py").write_text(
        EVIL.replace("None", "__import__('landscape').surfaces.get('himmelblau')")
    )
    assert run("plot", "mine.py:bowl", "--kind", "contour", "-o", "fig.png").exit_code == 0
    (workspace / "ran").unlink()
    for name in [n for n in sys.modules if n.startswith("_landscape_user_mine_")]:
        del sys.modules[name]  # as in a new process, where the file runs when it is loaded
    refused = run("reproduce", "fig.json", "-o", "again.png")
    assert refused.exit_code == 2 and "--trust" in refused.stderr and not (workspace / "ran").exists()
    trusted = run("reproduce", "fig.json", "-o", "again.png", "--trust")
    assert trusted.exit_code == 0, trusted.output
    assert (workspace / "ran").exists()
    assert (workspace / "again.png").read_bytes() == (workspace / "fig.png").read_bytes()


def test_an_exception_of_the_users_own_surface_is_shown_as_itself(run, workspace):
    (workspace / "buggy.py").write_text(
        "import numpy as np\nimport landscape as ls\n\n\ndef value(x):\n"
        "    return (x**2).sum(axis=-1) + (np.ones(2) + np.ones(3)).sum()  # a broadcasting bug\n\n\n"
        "bowl = ls.surfaces.from_functions(value, bounds=[[-1, 1], [-1, 1]])\n"
    )
    result = run("trace", "buggy.py:bowl", "-O", "sgd", "--steps", "3", "-o", "r.npz", catch=True)
    assert result.exit_code == 1  # not a usage error: the user's code has a bug to see
    assert isinstance(result.exception, ValueError) and not isinstance(result.exception, ls.InvalidArgument)
    assert "could not be broadcast" in str(result.exception)
    assert not (workspace / "r.npz").exists()
