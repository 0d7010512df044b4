"""The command as a user runs it: a separate process, through ``python -m`` and the entry point."""

import importlib.metadata
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# What pip writes as the ``landscape`` script for the entry point ``landscape.cli:main``.
CONSOLE_SCRIPT = """\
import re
import sys
from landscape.cli import main
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit(main())
"""


def landscape(*args, cwd, entry_point=False, timeout=300):
    """Run the command in a fresh interpreter with this checkout first on the path.

    ``entry_point=True`` runs a console script like the installed one; otherwise
    ``python -m landscape.cli``.
    """
    env = os.environ | {"PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    if entry_point:
        script = Path(cwd) / ".bin" / "landscape"
        script.parent.mkdir(exist_ok=True)
        script.write_text(CONSOLE_SCRIPT)
        command = [sys.executable, str(script)]
    else:
        command = [sys.executable, "-m", "landscape.cli"]
    return subprocess.run(
        [*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def python(code, *, cwd):
    """Run ``code`` in a fresh interpreter with this checkout on the path."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_entry_point_is_the_click_group():
    from landscape.cli import main

    (script,) = [
        ep for ep in importlib.metadata.entry_points(group="console_scripts") if ep.name == "landscape"
    ]
    assert script.value == "landscape.cli:main"
    assert script.load() is main


@pytest.mark.parametrize("entry_point", [False, True])
def test_help_and_version_in_a_subprocess(tmp_path, entry_point):
    result = landscape("--help", cwd=tmp_path, entry_point=entry_point)
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: landscape ")
    assert "landscape" in landscape("--version", cwd=tmp_path, entry_point=entry_point).stdout


def test_help_does_not_import_heavy_libraries(tmp_path):
    code = (
        "import sys; from landscape.cli import main\n"
        "try:\n    main(['--help'], prog_name='landscape')\nexcept SystemExit:\n    pass\n"
        "heavy = ('matplotlib', 'sympy', 'scipy.optimize', 'scipy.signal', 'manim')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    assert python(code, cwd=tmp_path).stdout.strip().splitlines()[-1] == "[]"


def test_the_command_collects_garbage_less_often_and_importing_the_package_does_not(tmp_path):
    from landscape._machine import YOUNG_COLLECTION_THRESHOLD

    code = (
        "import gc; default = gc.get_threshold()\n"
        "import landscape, landscape.cli, landscape.gallery, landscape.rendering\n"
        "imported = gc.get_threshold()\n"
        "landscape.cli.main(['list', 'surfaces'], standalone_mode=False)\n"
        "print(default == imported, gc.get_threshold()[0])"
    )
    result = python(code, cwd=tmp_path)
    assert result.stdout.split()[-2:] == ["True", str(YOUNG_COLLECTION_THRESHOLD)], result.stderr


def test_plot_and_reproduce_in_subprocesses(tmp_path):
    args = [
        "plot",
        "elongated_bowl:kappa=25",
        "-O",
        "sgd:lr=0.075",
        "-O",
        "momentum:lr=0.075,beta=0.9",
        "--steps",
        "50",
    ]
    first = landscape(*args, "-o", "fig.png", cwd=tmp_path, entry_point=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "wrote fig.png and fig.json\n" and first.stderr == ""
    again = landscape("reproduce", "fig.json", "-o", "again.png", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "fig.png").read_bytes() == (tmp_path / "again.png").read_bytes()


def test_bad_input_in_a_subprocess_is_one_line_without_traceback(tmp_path):
    result = landscape("plot", "expr:__import__('os').system('touch hacked')", "-o", "f.png", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == []


ANSWER_SECONDS = 2.0  # the promise for bad input, beyond the interpreter's own start


@pytest.fixture(scope="module")
def start_seconds(tmp_path_factory):
    """How long the command takes to start and answer --version here (the bound adds it twice)."""
    folder = tmp_path_factory.mktemp("start")
    started = time.perf_counter()
    assert landscape("--version", cwd=folder).returncode == 0
    return time.perf_counter() - started


# Bad input where the real process matters: the memory it would have taken, the file system it
# would have written to, a sidecar that names code.
REAL_PROCESS_CASES = {
    "a trillion particles": (
        ["trace", "rosenbrock", "-O", "sgd", "--particles", str(10**12), "-o", "r.npz"],
        "particles=",
    ),
    "a write under /proc": (
        ["trace", "rosenbrock", "-O", "sgd", "-o", "/proc/r.npz"],
        "'/proc' refuses new files",
    ),
    "a sidecar naming code": (["reproduce", "code.json"], "names code to run"),
    "a formula nested too deep": (
        ["plot", "expr:" + "sin(" * 150 + "x" + ")" * 150, "-o", "f.png"],
        "nesting",
    ),
}


@pytest.mark.parametrize("case", list(REAL_PROCESS_CASES))
def test_bad_input_in_a_real_process_is_one_line_exit_2_within_the_bound(tmp_path, start_seconds, case):
    args, message = REAL_PROCESS_CASES[case]
    (tmp_path / "evil.py").write_text("open('ran', 'w').write('ran')\nbowl = None\n")
    sidecar = {
        "landscape_figure": 1,
        "figure": "f.png",
        "config": {"kind": "contour", "surface": "evil.py:bowl"},
    }
    (tmp_path / "code.json").write_text(json.dumps(sidecar))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = landscape(*args, cwd=tmp_path, timeout=ANSWER_SECONDS + 2 * start_seconds)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ") and message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, the code did not run


def test_an_error_in_the_users_own_surface_shows_its_traceback_and_exits_1(tmp_path):
    (tmp_path / "mine.py").write_text(
        "import numpy as np\nimport landscape as ls\n\n\ndef value(x):\n"
        "    return (x**2).sum(axis=-1) + (np.ones(2) + np.ones(3)).sum()\n\n\n"
        "bowl = ls.surfaces.from_functions(value, bounds=[[-1, 1], [-1, 1]])\n"
    )
    result = landscape("trace", "mine.py:bowl", "-O", "sgd", "--steps", "3", "-o", "r.npz", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "Traceback (most recent call last)" in result.stderr and 'mine.py", line 6, in value' in result.stderr
    )
    assert result.stderr.rstrip().splitlines()[-1].startswith("ValueError: operands could not be broadcast")
    assert not (tmp_path / "r.npz").exists()
