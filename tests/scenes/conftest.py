"""Every lecture scene rendered once per test session, quickly: low quality, 5 fps, a quarter of the time."""

import dataclasses
from pathlib import Path
from typing import NamedTuple

import pytest

from landscape.rendering import render

FPS, TIME_SCALE = 5, 0.25


class _Renders(dict):
    """``rendered[name]``: the path of the scene rendered quickly, rendered on first use."""

    def __init__(self, folder, made_once):
        super().__init__()
        self.folder, self.made_once = folder, made_once

    def __missing__(self, name):
        def make():
            path = self.folder / f"{name}.mp4"
            return render(name, path, quality="low", fps=FPS, params={"time_scale": TIME_SCALE})

        self[name] = self.made_once(f"render-{name}", make, str, Path)
        return self[name]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, made_once):
    """``{name: path}`` of scenes rendered at low quality, 5 fps and a quarter of their run time.

    Each scene is rendered when a test first asks for it, once for all the
    workers of ``pytest -n``.
    """
    return _Renders(tmp_path_factory.mktemp("scenes"), made_once)


@pytest.fixture
def decode():
    """``decode(path)``: the frames of a video as RGB arrays."""
    import av

    def frames(path):
        with av.open(str(path)) as container:
            return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]

    return frames


class Construction(NamedTuple):
    """What one dry run of a scene's construction at the test's time scale gives."""

    problems: list  # check_layout's, looking every 0.2 s of the scene at full speed
    tex: str  # every TeX string typeset, one per line
    timeline: list  # (run time, frames at FPS) of every animation


@pytest.fixture(scope="session")
def constructed(made_once):
    """``constructed(name)``: the ``Construction`` of one dry run of the scene, made once.

    One run of the construction (animations skipped, nothing drawn) serves the
    layout test, the tests of the lecture's numbers and the frame count of the
    scene's video. It runs at the video's time scale and looks as often per
    animation as ``check_layout`` does at full speed. The workers of
    ``pytest -n`` share it (a scene's tests often run on different workers).
    """
    cache = {}

    def run(name):
        if name not in cache:
            cache[name] = made_once(f"dry-run-{name}", lambda: _dry_run(name), _saved, _loaded)
        return cache[name]

    return run


def _dry_run(name) -> Construction:
    from manim import SingleStringMathTex

    from landscape.rendering._layout import dry_run
    from landscape.rendering._manim import frame_counts

    seen = []
    original = SingleStringMathTex.__init__

    def record(self, tex_string, *args, **kwargs):
        seen.append(tex_string)
        original(self, tex_string, *args, **kwargs)

    SingleStringMathTex.__init__ = record
    try:
        problems, durations = dry_run(name, {"time_scale": TIME_SCALE}, every=0.2 * TIME_SCALE)
    finally:
        SingleStringMathTex.__init__ = original
    return Construction(problems, "\n".join(seen), frame_counts(durations, FPS))


def _saved(construction: Construction) -> dict:
    problems = [dataclasses.asdict(problem) for problem in construction.problems]
    return {"problems": problems, "tex": construction.tex, "timeline": construction.timeline}


def _loaded(saved: dict) -> Construction:
    from landscape.rendering._layout import LayoutProblem

    problems = [LayoutProblem(**problem) for problem in saved["problems"]]
    return Construction(problems, saved["tex"], [tuple(entry) for entry in saved["timeline"]])


@pytest.fixture
def typeset(constructed):
    """``typeset(name)``: every TeX string a scene typesets, from a dry run of its construction."""
    return lambda name: constructed(name).tex
