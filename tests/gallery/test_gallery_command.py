"""``landscape gallery`` on bad input: one line on stderr, exit status 2, nothing built."""

import pytest
from click.testing import CliRunner

from landscape.cli import main
from landscape.gallery._record import locked


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
    assert result.exit_code == 2
    assert "is not accepted; another 'landscape gallery' (process " in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == [".lock"]
