"""A corpus of bad input: each gives exit status 2, exactly one line on stderr, and no file."""

import json
import re
from pathlib import Path

import pytest

PLOT = ["plot", "rosenbrock", "-O", "adam:lr=0.05", "--steps", "5"]
TRACE = ["trace", "rosenbrock", "-O", "adam:lr=0.05", "--steps", "5"]

CORPUS = {
    # unknown names
    "unknown surface": (
        ["plot", "rosenbrok", "-o", "f.png"],
        "surface='rosenbrok' is not accepted; expected one of",
    ),
    "unknown optimizer": (
        ["plot", "rosenbrock", "-O", "adamm", "-o", "f.png"],
        "expected one of adagrad, adam, adamw",
    ),
    "unknown optimizer parameter": (
        [*PLOT, "-O", "adam:foo=1", "-o", "f.png"],
        "its parameters are: lr, b1",
    ),
    "unknown surface parameter": (
        ["plot", "elongated_bowl:kapa=5", "-o", "f.png"],
        "its parameters are: kappa",
    ),
    "unknown schedule": (
        [*PLOT, "-O", "sgd:lr=linear(1)", "-o", "f.png"],
        "schedules are constant",
    ),
    "unknown kind": ([*PLOT, "--kind", "pie", "-o", "f.png"], "'pie' is not one of 'contour'"),
    "unknown list": (["list", "colours"], "'colours' is not one of 'surfaces'"),
    "unknown option": ([*PLOT, "--colour", "red", "-o", "f.png"], "No such option '--colour'"),
    "unknown command": (["draw"], "No such command 'draw'"),
    # malformed specs
    "empty parameters": (
        [*PLOT, "-O", "adam:", "-o", "f.png"],
        "malformed; expected NAME or NAME:key=value",
    ),
    "missing value": ([*PLOT, "-O", "adam:lr=", "-o", "f.png"], "malformed"),
    "positional value": ([*PLOT, "-O", "adam:0.1", "-o", "f.png"], "malformed"),
    "double comma": ([*PLOT, "-O", "adam:lr=0.1,,b1=0.9", "-o", "f.png"], "malformed"),
    "repeated key": ([*PLOT, "-O", "adam:lr=0.1,lr=0.2", "-o", "f.png"], "gives 'lr' twice"),
    "arithmetic value": (
        [*PLOT, "-O", "adam:lr=0.1*2", "-o", "f.png"],
        "lr=0.1\\*2 is not accepted",
    ),
    "bad schedule arguments": (
        [*PLOT, "-O", "sgd:lr=inverse_time(1,2,3)", "-o", "f.png"],
        "takes \\(lr0, decay_rate\\)",
    ),
    "bad x0": (
        [*PLOT, "--x0", "a,b", "-o", "f.png"],
        "'a,b' is not accepted; expected one or more comma-separated",
    ),
    "bad bounds count": (
        [*PLOT, "--bounds", "0,1,2", "-o", "f.png"],
        "expected 4 comma-separated numbers",
    ),
    "bad noise": (
        [*PLOT, "--noise", "uniform:a=1", "-o", "f.png"],
        "noise='uniform:a=1' is not accepted",
    ),
    # out-of-range values
    "negative learning rate": (
        [*PLOT, "-O", "adam:lr=-1", "-o", "f.png"],
        "lr=-1 is not accepted; expected a number > 0",
    ),
    "beta of one": ([*PLOT, "-O", "momentum:beta=1", "-o", "f.png"], "beta=1 is not accepted"),
    "negative kappa": (
        ["plot", "elongated_bowl:kappa=-1", "-o", "f.png"],
        "kappa=-1 is not accepted",
    ),
    "negative steps": ([*PLOT, "--steps", "-1", "-o", "f.png"], "-1 is not in the range x>=0"),
    "zero particles": ([*PLOT, "--particles", "0", "-o", "f.png"], "0 is not in the range x>=1"),
    "negative noise": ([*PLOT, "--noise", "-0.5", "-o", "f.png"], "sigma=-0.5 is not accepted"),
    "wrong x0 dimension": (
        [*PLOT, "--x0", "1,2,3", "-o", "f.png"],
        "x0 has shape \\(3,\\); expected a point of shape \\(2,\\)",
    ),
    "inverted bounds": ([*PLOT, "--bounds", "1,0,0,1", "-o", "f.png"], "bounds=.* is not accepted"),
    "beta out of range": (
        ["plot", "--kind", "ewa", "--betas", "0.5,1.5", "-o", "f.png"],
        "betas=1.5 is not accepted",
    ),
    "per-particle length": (
        [*PLOT, "-O", "sgd:lr=[0.1,0.2]", "--particles", "3", "-o", "f.png"],
        "one value per particle",
    ),
    "batch size on an analytic surface": (
        [*TRACE, "--batch-size", "4", "-o", "r.npz"],
        "batch_size=4 is not accepted",
    ),
    "batch size above m": (
        ["trace", "linear_regression:m=10", "-O", "sgd", "--batch-size", "20", "-o", "r.npz"],
        "batch_size=20 is not accepted; expected an integer between 1 and m=10",
    ),
    "steps and epochs": (
        [*PLOT, "--epochs", "3", "-o", "f.png"],
        "give --steps or --epochs, not both",
    ),
    "3-D surface for contour": (
        ["plot", "rosenbrock:dim=3", "-o", "f.png"],
        "a 2-D surface for a contour plot",
    ),
    # missing or contradictory pieces
    "no optimizer for trace": (
        ["trace", "rosenbrock", "-o", "r.npz"],
        "trace needs at least one -O SPEC",
    ),
    "no optimizer for loss": (
        ["plot", "rosenbrock", "--kind", "loss", "-o", "f.png"],
        "expected at least one optimizer",
    ),
    "no surface": (["plot", "-o", "f.png"], "draws a surface; expected a surface spec"),
    "surface for ewa": (["plot", "rosenbrock", "--kind", "ewa", "-o", "f.png"], "draws no surface"),
    "option of another kind": (
        ["plot", "--kind", "ewa", "--levels", "5", "-o", "f.png"],
        "--levels does not apply to --kind ewa",
    ),
    "no output": (PLOT, "Missing option '-o' / '--output'"),
    # output paths
    "unknown figure format": ([*PLOT, "-o", "f.gif"], "expected a name ending in .png, .svg, .pdf"),
    "unknown trajectory format": (
        [*TRACE, "-o", "r.txt"],
        "expected a name ending in .npz, .csv, .json",
    ),
    "missing folder": (
        [*PLOT, "-o", "no/such/folder/f.png"],
        "folder 'no/such/folder' does not exist",
    ),
    "a file as folder": ([*PLOT, "-o", "blocker/f.png"], "folder 'blocker' does not exist"),
    "a folder as file": ([*PLOT, "-o", "taken.png"], "it is a folder"),
    # reproduce
    "missing sidecar": (["reproduce", "absent.json"], "sidecar='absent.json' is not accepted"),
    "broken sidecar": (["reproduce", "blocker"], "sidecar='blocker' is not accepted"),
    # the analysis figures
    "dimension zero": (["plot", "--kind", "minima-vs-dim", "--dims", "0,1", "-o", "f.png"], ">= 1"),
    "unknown ensemble": (
        ["plot", "--kind", "minima-vs-dim", "--ensemble", "gue", "-o", "f.png"],
        "ensemble='gue' is not accepted",
    ),
    "point of the wrong dimension": (
        ["plot", "himmelblau", "--kind", "spectrum", "--point", "1,2,3", "-o", "f.png"],
        "point has 3 coordinates; expected 2",
    ),
    "trace option for a spectrum": (
        ["plot", "himmelblau", "--kind", "spectrum", "--steps", "5", "-o", "f.png"],
        "--steps does not apply to --kind spectrum",
    ),
    "no surface for index-vs-loss": (["plot", "--kind", "index-vs-loss", "-o", "f.png"], "draws a surface"),
    # user modules
    "missing user file": (["plot", "nothere.py:bowl", "-o", "f.png"], "does not exist"),
    "missing user module": (
        ["plot", "no_such_module_xyz:bowl", "-o", "f.png"],
        "cannot be imported",
    ),
    # unsafe expressions
    "import": (
        ["plot", "expr:__import__('os').system('touch hacked')", "-o", "f.png"],
        "attribute access",
    ),
    "builtin call": (["plot", "expr:open('blocker').read()", "-o", "f.png"], "attribute access"),
    "eval": (["plot", "expr:eval('x')", "-o", "f.png"], "the function 'eval'"),
    "dunder attribute": (["plot", "expr:x.__class__.__mro__", "-o", "f.png"], "attribute access"),
    "dunder name": (["plot", "expr:__builtins__", "-o", "f.png"], "the name '__builtins__'"),
    "subclasses walk": (
        ["plot", "expr:().__class__.__bases__[0].__subclasses__()", "-o", "f.png"],
        "attribute access",
    ),
    "lambda": (["plot", "expr:(lambda: 1)()", "-o", "f.png"], "lambda"),
    "comprehension": (
        ["plot", "expr:sum([x for x in range(10**9)])", "-o", "f.png"],
        "the function 'sum'",
    ),
    "huge power tower": (["plot", "expr:9**9**9", "-o", "f.png"], "the exponent 387420489"),
    "huge power": (["plot", "expr:(10**100)**100 * x", "-o", "f.png"], "the power"),
    "huge exponent of x": (["plot", "expr:x**99999999", "-o", "f.png"], "the exponent 99999999"),
    "huge literal": (["plot", "expr:" + "9" * 500, "-o", "f.png"], "magnitude between"),
    "long expression": (
        ["plot", "expr:" + "x+" * 600 + "y", "-o", "f.png"],
        "at most 1000 characters",
    ),
    "string repetition": (["plot", "expr:'a' * 10**9", "-o", "f.png"], "the constant 'a'"),
    "statement": (["plot", "expr:x; import os", "-o", "f.png"], "not valid Python syntax"),
    "caret power": (["plot", "expr:x^2 + y^2", "-o", "f.png"], "write \\*\\* for powers"),
}


@pytest.fixture
def workspace(tmp_path):
    """A folder with a plain file ``blocker`` and a folder ``taken.png`` the corpus trips over."""
    (tmp_path / "blocker").write_text("not a folder, not a sidecar")
    (tmp_path / "taken.png").mkdir()
    return tmp_path


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_input_exits_2_with_one_line_and_no_file(run, workspace, case):
    args, message = CORPUS[case]
    before = sorted(p.name for p in workspace.iterdir())
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert re.search(message, lines[0]), lines[0]
    assert result.stdout == ""
    assert sorted(p.name for p in workspace.iterdir()) == before  # nothing written, not even a temporary


def test_errors_in_a_sidecar_are_reported_in_one_line(run, workspace):
    Path("fig.json").write_text(
        json.dumps(
            {
                "landscape_figure": 1,
                "figure": "fig.png",
                "config": {"kind": "contour", "surface": "nope"},
            }
        )
    )
    result = run("reproduce", "fig.json")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "surface='nope'" in result.stderr
    assert not Path("fig.png").exists()
