"""An item's key: it changes exactly when something its outputs depend on changes."""

from pathlib import Path

import pytest

import landscape
from landscape.gallery import Item, Settings, item_key
from landscape.gallery._inputs import _ITEM_MODULES, _is_input, library_digest, named_files

SCENE = Item(name="ewa", kind="scene", topic="t", scene="ewa")
FIGURE = Item(name="fig", kind="figure", topic="t", config={"kind": "ewa"})


@pytest.fixture
def scene_file(tmp_path):
    path = tmp_path / "scenes" / "03_ewa.py"
    path.parent.mkdir()
    path.write_text("class Ewa: ...\n")
    return path


def scene_key(scene_file, settings=None, **params):
    settings = settings or Settings()
    return item_key(SCENE, settings, scene_file=scene_file, params={"days": 365} | params)


def test_a_scene_key_follows_its_inputs(scene_file):
    key = scene_key(scene_file)
    assert scene_key(scene_file) == key  # deterministic
    assert scene_key(scene_file, days=100) != key
    assert scene_key(scene_file, Settings(quality="low")) != key
    assert scene_key(scene_file, Settings(fps=10)) != key
    scene_file.write_text("class Ewa: pass\n")
    assert scene_key(scene_file) != key


def test_a_helper_module_beside_the_scenes_is_an_input_another_scene_is_not(scene_file):
    key = scene_key(scene_file)
    (scene_file.parent / "04_other.py").write_text("class Other: ...\n")
    assert scene_key(scene_file) == key
    (scene_file.parent / "_shared.py").write_text("COLOUR = 1\n")
    assert scene_key(scene_file) != key


def test_a_figure_key_follows_its_configuration_not_the_quality():
    key = item_key(FIGURE, Settings())
    assert item_key(FIGURE, Settings(quality="high", fps=60)) == key
    other = Item(name="fig", kind="figure", topic="t", config={"kind": "ewa", "unit": "C"})
    assert item_key(other, Settings()) != key


def test_files_named_by_the_configuration_are_inputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("bowl.py").write_text("bowl = 1\n")
    item = Item(
        name="fig", kind="figure", topic="t", config={"surface": "bowl.py:bowl", "optimizers": ["sgd"]}
    )
    assert named_files(item.config) == [tmp_path / "bowl.py"]
    key = item_key(item, Settings())
    Path("bowl.py").write_text("bowl = 2\n")
    assert item_key(item, Settings()) != key


def test_the_library_source_is_an_input_except_scheduling_and_page():
    root = Path(landscape.__file__).parent
    for relative in _ITEM_MODULES:
        assert (root / relative).is_file(), relative  # the exceptions name real modules
    assert _is_input("tracing/_trace.py") and _is_input("cli/_plot.py") and _is_input("gallery/_items.py")
    assert not _is_input("gallery/_page.py") and not _is_input("cli/_gallery.py")
    assert len(library_digest()) == 64
