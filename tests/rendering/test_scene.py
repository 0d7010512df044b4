"""The lecture scenes' base: time scale, motions in pieces, and copy-free fades."""

import tempfile
from pathlib import Path

import numpy as np
from manim import Scene, Square, VGroup, tempconfig

from landscape.rendering import Fade, get_scene, render
from landscape.rendering._manim import Settings, timeline


def durations(name, **params):
    with tempfile.TemporaryDirectory() as scratch:
        return timeline(get_scene(name).configured(params), Settings(768, 432, 10, "mp4"), Path(scratch))


def test_advance_plays_a_long_motion_in_pieces_of_at_most_two_and_a_half_seconds():
    assert durations("glide") == [(2.0, 20)] * 3
    assert durations("glide", whole=True) == [(6.0, 60)]
    assert durations("glide", time_scale=0.5) == [(1.0, 10)] * 3


def dot_x(frame) -> float:
    """Column of the centre of the gliding (bluish green) dot."""
    red, green, blue = (frame[..., i].astype(int) for i in range(3))
    return float(np.nonzero((green > 100) & (red < 60) & (blue > 60))[1].mean())


def test_the_pieces_show_the_motion_of_one_play(tmp_path, decode):
    # Each play is encoded as its own segment, so the decoded pixels differ slightly with the
    # segmentation; the drawn motion does not: the dot is at the same place in every frame.
    pieces = decode(render("glide", tmp_path / "pieces.mp4", quality="low", fps=10))
    whole = decode(render("glide", tmp_path / "whole.mp4", quality="low", fps=10, params={"whole": True}))
    assert len(pieces) == len(whole) == 60
    expected = 384 + (-5 + 10 * np.arange(60) / 60) * 768 / (8 * 16 / 9)  # x = -5 + 10 t / 6, 10 fps
    assert np.allclose([dot_x(f) for f in pieces], expected, atol=1.0)
    assert np.allclose([dot_x(f) for f in whole], expected, atol=1.0)


def test_time_scale_multiplies_every_run_time():
    assert [d for d, _ in durations("tiny", seconds=0.5, time_scale=2.0)] == [1.0] * 4


def test_fade_scales_opacities_without_copying_and_restores_them():
    with tempconfig({"format": "none", "pixel_width": 16, "pixel_height": 9}):
        scene = Scene()
        squares = VGroup(Square(fill_opacity=0.5), Square(fill_opacity=1.0, stroke_opacity=0.2))
        scene.add(squares)
        fade = Fade(squares, out=True)
        fade.begin()
        assert fade.starting_mobject is squares  # no copy
        fade.interpolate(0.5)  # smooth rate function: halfway
        fills = [float(s.fill_rgbas[0, 3]) for s in squares]
        strokes = [float(s.stroke_rgbas[0, 3]) for s in squares]
        assert np.allclose(fills, [0.25, 0.5]) and np.allclose(strokes, [0.5, 0.1])
        fade.finish()
        assert [float(s.fill_rgbas[0, 3]) for s in squares] == [0.0, 0.0]
        fade.clean_up_from_scene(scene)
        assert squares not in scene.mobjects
        assert [float(s.fill_rgbas[0, 3]) for s in squares] == [0.5, 1.0]  # as before, ready to come back
        fade_in = Fade(squares)
        fade_in._setup_scene(scene)
        fade_in.begin()
        assert squares in scene.mobjects and [float(s.fill_rgbas[0, 3]) for s in squares] == [0.0, 0.0]
        fade_in.finish()
        assert [float(s.fill_rgbas[0, 3]) for s in squares] == [0.5, 1.0]
