"""Rendering tests run on the small scenes in ``tests/rendering/scenes``."""

from pathlib import Path

import numpy as np
import pytest

SCENES = Path(__file__).parent / "scenes"


@pytest.fixture(autouse=True)
def test_scenes(monkeypatch):
    """Point the catalogue at the test scenes."""
    monkeypatch.setenv("LANDSCAPE_SCENES", str(SCENES))
    return SCENES


@pytest.fixture(autouse=True)
def private_tmp(tmp_path_factory, monkeypatch):
    """Manim's scratch folders go to a temporary folder of their own, checked empty by tests."""
    import tempfile

    scratch = tmp_path_factory.mktemp("scratch")
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


@pytest.fixture
def manim_session(tmp_path):
    """``manim_session()``: a Manim session as a render's (formulas from the shared caches), with
    its scratch files in a folder of its own under ``tmp_path``; returns it and that folder."""
    from landscape.rendering import _manim

    count = iter(range(1000))

    def start():
        scratch = tmp_path / f"scratch-{next(count)}"
        settings = _manim.Settings(*_manim.QUALITIES["low"][:2], 5, "mp4")
        return _manim.session(_manim.manim_config(settings, scratch) | {"format": "none"}), scratch

    return start


def decode_frames(path) -> list[np.ndarray]:
    """Every frame of a video (or the one image of a PNG) as an RGB array."""
    import av

    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


@pytest.fixture
def decode():
    """``decode(path)``: the frames of a video as RGB arrays."""
    return decode_frames
