"""Each lecture scene renders: decoded, it has the frame size, a plausible length, content and motion."""

import numpy as np
import pytest

from landscape.rendering import render, scene_catalog

NAMES = [scene.name for scene in scene_catalog()]
LECTURE = [
    "minibatch",
    "batch-size",
    "ewa",
    "ewa-weights",
    "bias-correction",
    "momentum",
    "rmsprop",
    "adam",
    "lr-decay",
    "saddles",
    "local-optima-in-networks",
    "plateaus",
]


def test_the_catalogue_has_every_lecture_topic_in_lecture_order():
    assert NAMES == LECTURE
    assert all(scene.description for scene in scene_catalog())


@pytest.mark.parametrize("name", NAMES)
def test_scene_video(name, rendered, constructed, decode):
    frames = decode(rendered[name])
    assert frames[0].shape == (432, 768, 3)
    timeline = constructed(name).timeline  # a dry run's, as render --jobs splits it
    # As many frames as the animations last at 5 fps, and at least 15 s of lecture at full speed.
    assert len(frames) == sum(count for _, count in timeline)
    assert sum(duration for duration, _ in timeline) >= 15 * 0.25
    lit = [float((frame.max(axis=2) > 40).mean()) for frame in frames]
    assert min(lit) > 0.002  # no blank frame: every one shows at least a title
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() > 1  # the scene moves on


@pytest.mark.parametrize("name", ["momentum", "lr-decay"])
def test_two_jobs_give_the_frames_of_one_process(name, rendered, decode, tmp_path):
    joined = render(name, tmp_path / f"{name}.mp4", quality="low", fps=5, params={"time_scale": 0.25}, jobs=2)
    single, pieces = decode(rendered[name]), decode(joined)
    assert len(single) == len(pieces)
    assert all(np.array_equal(a, b) for a, b in zip(single, pieces, strict=True))
