"""Gallery builds for the tests: a few items of the real manifest, rendered quickly."""

import dataclasses
import shutil
from pathlib import Path

import pytest
from gallery_support import QUICK, ROOT, SUBSET

from landscape.gallery import BuildReport, build, default_manifest, load_manifest

REPORT_PATHS = ("folder", "page", "explorer")  # the report's paths, strings in JSON


@pytest.fixture(scope="session")
def manifest():
    return load_manifest()


@pytest.fixture(scope="session")
def built_subset(tmp_path_factory, manifest, made_once):
    """The gallery folder after a quick build of ``SUBSET``, and the build's report (made by one
    worker of ``pytest -n``; tests only read it, or copy it with ``subset_copy``)."""

    def make():
        folder = tmp_path_factory.mktemp("gallery") / "build"
        report = build(manifest, folder, only=SUBSET, jobs=2, **QUICK)
        assert report.ok, report.failed
        return folder, report

    def saved(made):
        report = dataclasses.asdict(made[1])
        return report | {name: str(report[name]) for name in REPORT_PATHS if report[name] is not None}

    def loaded(saved):
        paths = {name: Path(saved[name]) for name in REPORT_PATHS if saved[name] is not None}
        report = BuildReport(**saved | paths)
        return report.folder, report

    return made_once("gallery-subset", make, saved, loaded)


@pytest.fixture
def subset_copy(built_subset, tmp_path):
    """A private copy of the built subset (tests may change or rebuild it)."""
    folder = tmp_path / "build"
    shutil.copytree(built_subset[0], folder)
    return folder


@pytest.fixture
def scenes_copy(tmp_path, monkeypatch):
    """A copy of the project's scene files, used by the catalogue instead of the originals."""
    folder = tmp_path / "scenes"
    shutil.copytree(ROOT / "scenes", folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("LANDSCAPE_SCENES", str(folder))
    return folder


@pytest.fixture
def manifest_copy(tmp_path):
    """A copy of the project's manifest, to edit."""
    path = tmp_path / "manifest.toml"
    shutil.copyfile(default_manifest(), path)
    return path
