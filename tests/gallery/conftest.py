"""Gallery builds for the tests: a few items of the real manifest, rendered quickly."""

import shutil

import pytest
from gallery_support import QUICK, ROOT, SUBSET

from landscape.gallery import build, default_manifest, load_manifest


@pytest.fixture(scope="session")
def manifest():
    return load_manifest()


@pytest.fixture(scope="session")
def built_subset(tmp_path_factory, manifest):
    """The gallery folder after a quick build of ``SUBSET``, and the build's report."""
    folder = tmp_path_factory.mktemp("gallery") / "build"
    report = build(manifest, folder, only=SUBSET, jobs=2, **QUICK)
    assert report.ok, report.failed
    return folder, report


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
