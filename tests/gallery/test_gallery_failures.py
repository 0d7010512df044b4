"""A failing item is reported, the others still build, and the exit status says something failed."""

import json

from click.testing import CliRunner

from landscape.cli import main
from landscape.gallery import RECORD_NAME

MANIFEST = """
title = "Failures"

[[topic]]
id = "figures"
title = "Three figures"
summary = "One good, one with an unknown surface, one whose surface file kills its worker process."

[[topic.figure]]
name = "good"
config = {{ kind = "ewa", betas = [0.9] }}

[[topic.figure]]
name = "unknown-surface"
config = {{ surface = "no_such_surface", optimizers = ["sgd:lr=0.1"] }}

[[topic.figure]]
name = "crash"
config = {{ surface = "{crash}:bowl", optimizers = ["sgd:lr=0.1"] }}
"""
# every item, by name: a build of the whole manifest would also make the explorer page (2.4 s)
ONLY = "good,unknown-surface,crash"


def test_failures_are_isolated_and_reported(tmp_path):  # the manifest names code: --trust
    crash = tmp_path / "crash.py"
    crash.write_text("import os\n\nos._exit(3)  # the worker process dies while reading the surface\n")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(MANIFEST.format(crash=crash))
    folder = tmp_path / "build"
    result = CliRunner().invoke(
        main,
        ["gallery", "--manifest", str(manifest), "-o", str(folder), "--jobs", "2", "--trust", "--only", ONLY],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    unknown = [line for line in lines if line.startswith("failed unknown-surface (figure): ")]
    assert len(unknown) == 1 and "no_such_surface" in unknown[0]
    crashed = [line for line in lines if line.startswith("failed crash (figure): ")]
    assert len(crashed) == 1 and "exited (status 3)" in crashed[0]
    assert "1 built, 0 up to date, 2 failed" in result.stderr
    assert "Traceback" not in result.stderr

    record = json.loads((folder / RECORD_NAME).read_text())
    assert list(record["built"]) == ["good"]
    assert sorted(record["failed"]) == ["crash", "unknown-surface"]
    assert "no_such_surface" in (folder / "logs" / "unknown-surface.log").read_text()
    page = (folder / "index.html").read_text()
    assert "failed to build" in page and 'href="logs/unknown-surface.log"' in page
    assert 'src="media/good.png?v=' in page

    # Fix the surface: the failed item builds, the good one is left alone, the log goes.
    manifest.write_text(MANIFEST.format(crash=crash).replace("no_such_surface", "elongated_bowl"))
    crash.write_text("import landscape as ls\n\nbowl = ls.surfaces.get('elongated_bowl', kappa=5)\n")
    result = CliRunner().invoke(
        main,
        ["gallery", "--manifest", str(manifest), "-o", str(folder), "--jobs", "2", "--trust", "--only", ONLY],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert "2 built, 1 up to date, 0 failed" in result.stderr
    assert not (folder / "logs" / "unknown-surface.log").exists()
    assert json.loads((folder / RECORD_NAME).read_text())["failed"] == {}
