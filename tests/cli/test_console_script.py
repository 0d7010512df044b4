"""The command as a user runs it: a separate process, through ``python -m`` and the entry point."""

import importlib.metadata
import os
import subprocess
import sys
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


def landscape(*args, cwd, entry_point=False):
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
    return subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


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
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


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
