"""``landscape gallery`` on bad input: one line on stderr, exit status 2, nothing built."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from landscape.cli import main
from landscape.gallery._record import _same_file, locked


@pytest.fixture(autouse=True, scope="module")
def manim_imported():
    """Import Manim first: under pytest its import warns (pydub's audioop), which a plain run does not."""
    from landscape.rendering import scene_catalog

    scene_catalog()


def run(*arguments):
    return CliRunner().invoke(main, ["gallery", *arguments], catch_exceptions=False)


def test_list_shows_topics_and_items_in_order(manifest):
    result = run("--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    topics = [line.split()[1] for line in lines[1:] if line[:3].strip().isdigit()]
    assert topics == [topic.id for topic in manifest.topics]
    assert (
        "      momentum-contour             figure: contour of elongated_bowl:kappa=200 sgd:lr=0.0098"
        in result.stdout
    )
    assert "      saddles                      scene saddles" in result.stdout


BAD_MANIFEST = """
[[topic]]
id = "one"
title = "One"
summary = "A scene that does not exist."

[[topic.scene]]
scene = "{scene}"
params = {params}
"""


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--only", "nope"], "only='nope' is not accepted; expected item or topic names among: minibatch, "),
        (
            ["-q", "ultra"],
            "Invalid value for '-q' / '--quality': 'ultra' is not one of 'low', 'medium', 'high'.",
        ),
        (["--jobs", "0"], "Invalid value for '--jobs': 0 is not in the range x>=1."),
        (["--time-scale", "0"], "Invalid value for '--time-scale': 0.0 is not in the range x>0."),
        (
            ["--manifest", "missing.toml"],
            "manifest='missing.toml' is not accepted; expected a readable TOML file",
        ),
    ],
)
def test_bad_options(tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    result = run("-o", "out", *arguments)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("scene", "params", "message"),
    [
        ("nope", "{}", "(item 'nope'): scene='nope' is not accepted; expected one of minibatch, batch-size"),
        ("ewa", "{ colour = 1 }", "(item 'ewa'): scene 'ewa' has no parameter 'colour'; its parameters are:"),
        ("ewa", '{ days = "many" }', "(item 'ewa'): days='many' is not accepted; expected an integer"),
    ],
)
def test_bad_scenes_in_the_manifest(tmp_path, scene, params, message):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(BAD_MANIFEST.format(scene=scene, params=params))
    result = run("--manifest", str(manifest), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_folder_being_built_is_refused(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with locked(folder):
        result = run("-o", str(folder), "--only", "ewa-temperature")
        assert sorted(p.name for p in folder.iterdir()) == [".lock"]
    assert result.exit_code == 2
    assert f"is not accepted; another 'landscape gallery' (process {os.getpid()}) is" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == []  # the lock goes with its holder


def test_a_lock_left_by_a_dead_process_is_taken_over_and_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    (tmp_path / ".lock").write_text(dead.stdout.decode().strip())  # a build killed without cleaning up
    with locked(tmp_path):
        assert (tmp_path / ".lock").read_text() == str(os.getpid())
    assert not (tmp_path / ".lock").exists()


def test_a_build_that_locked_a_removed_lock_file_notices(tmp_path):
    path = tmp_path / ".lock"
    with locked(tmp_path):
        late = open(path)  # opened just before the holder removes it
    with late:
        assert not _same_file(late, path)
        path.write_text("")  # another build's new lock file
        assert not _same_file(late, path)


MANIFEST_WITH_CODE = """
[[topic]]
id = "mine"
title = "Mine"
summary = "A bowl of my own."

[[topic.figure]]
name = "my-bowl"
config = { surface = "my_surfaces.py:bowl", optimizers = ["sgd:lr=0.1"], steps = 5 }
"""


def test_a_manifest_naming_code_is_built_only_when_trusted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my_surfaces.py").write_text(
        "import pathlib\nimport landscape as ls\n\n"
        "pathlib.Path('ran').touch()\nbowl = ls.surfaces.get('himmelblau')\n"
    )
    (tmp_path / "manifest.toml").write_text(MANIFEST_WITH_CODE)
    refused = run("--manifest", "manifest.toml", "-o", "out")
    assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1
    assert "names code to run" in refused.stderr and "--trust" in refused.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "ran").exists()
    # its one topic (the whole manifest would also make the explorer page: 2.8 s)
    options = ["--only", "mine", "--trust", "--jobs", "1", "--quiet"]
    trusted = run("--manifest", "manifest.toml", "-o", "out", *options)
    assert trusted.exit_code == 0, trusted.output
    assert (tmp_path / "out" / "media" / "my-bowl.png").exists() and (tmp_path / "ran").exists()
