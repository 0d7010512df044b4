"""Every lecture scene rendered once per test session, quickly: low quality, 5 fps, a quarter of the time."""

import tempfile
from pathlib import Path

import pytest

from landscape.rendering import get_scene, render
from landscape.rendering._manim import Settings, timeline

FPS, TIME_SCALE = 5, 0.25


class _Renders(dict):
    """``rendered[name]``: the path of the scene rendered quickly, rendered on first use."""

    def __init__(self, folder):
        super().__init__()
        self.folder = folder

    def __missing__(self, name):
        path = self.folder / f"{name}.mp4"
        self[name] = render(name, path, quality="low", fps=FPS, params={"time_scale": TIME_SCALE})
        return self[name]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """``{name: path}`` of scenes rendered at low quality, 5 fps and a quarter of their run time.

    Each scene is rendered when a test first asks for it, so that each worker of
    ``pytest -n`` renders only the scenes of its own tests.
    """
    return _Renders(tmp_path_factory.mktemp("scenes"))


@pytest.fixture(scope="session")
def animations():
    """``animations(name)``: ``(run time, frames)`` of each animation of a quick render of the scene."""

    def run(name):
        scene = get_scene(name).configured({"time_scale": TIME_SCALE})
        with tempfile.TemporaryDirectory() as scratch:
            return timeline(scene, Settings(768, 432, FPS, "mp4"), Path(scratch))

    return run


@pytest.fixture
def decode():
    """``decode(path)``: the frames of a video as RGB arrays."""
    import av

    def frames(path):
        with av.open(str(path)) as container:
            return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]

    return frames


@pytest.fixture(scope="session")
def constructed():
    """``constructed(name)``: ``(layout problems, every TeX string typeset)`` of one dry run of the scene.

    One run of the construction (``check_layout``, animations skipped, nothing
    drawn) serves both the layout test and the tests of the lecture's numbers.
    """
    from manim import SingleStringMathTex

    from landscape.rendering import check_layout

    cache = {}

    def run(name):
        if name not in cache:
            seen = []
            original = SingleStringMathTex.__init__

            def record(self, tex_string, *args, **kwargs):
                seen.append(tex_string)
                original(self, tex_string, *args, **kwargs)

            SingleStringMathTex.__init__ = record
            try:
                problems = check_layout(name)
            finally:
                SingleStringMathTex.__init__ = original
            cache[name] = (problems, "\n".join(seen))
        return cache[name]

    return run


@pytest.fixture
def typeset(constructed):
    """``typeset(name)``: every TeX string a scene typesets, from a dry run of its construction."""
    return lambda name: constructed(name)[1]
