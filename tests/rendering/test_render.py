"""``render``: every format, decoded; ``--jobs`` joined frame for frame; bad input writes nothing."""

import os
import signal
import time

import numpy as np
import pytest

from landscape.rendering import _manim, get_scene, render


def leftovers(folder):
    """What is left in a temporary folder, except multiprocessing's forkserver socket folder."""
    return [path for path in folder.iterdir() if not path.name.startswith("pymp-")]


def frames_expected(name, params, fps):
    """Frames a render must hold: ``fps`` times each animation's run time, as Manim counts them."""
    scene = get_scene(name).configured(params)
    return sum(len(np.arange(0.0, scene.seconds * scene.time_scale, 1.0 / fps)) for _ in range(scene.moves))


def test_an_mp4_has_the_quality_s_size_the_frames_of_every_animation_and_motion(
    tmp_path, decode, private_tmp
):
    output = render("tiny", tmp_path / "tiny.mp4", quality="low", fps=10)
    frames = decode(output)
    assert output == tmp_path / "tiny.mp4"
    assert frames[0].shape == (432, 768, 3)
    assert len(frames) == frames_expected("tiny", {}, 10) == 4 * 6
    assert all(frame.std() > 1 for frame in frames)  # not blank
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() > 0.5  # the dot moved
    assert list(tmp_path.iterdir()) == [output]  # nothing else written next to it
    assert leftovers(private_tmp) == []  # Manim's scratch folder is gone


def test_frame_rate_time_scale_and_parameters_change_the_frame_count(tmp_path, decode):
    params = {"moves": "2", "time_scale": 0.5}
    frames = decode(render("tiny", tmp_path / "short.mp4", quality="low", fps=20, params=params))
    assert len(frames) == frames_expected("tiny", params, 20) == 2 * 6


@pytest.mark.parametrize("suffix", [".webm", ".gif"])
def test_webm_and_gif_hold_the_same_number_of_frames_as_mp4(tmp_path, decode, suffix):
    frames = decode(render("tiny", tmp_path / f"tiny{suffix}", quality="low", fps=5, params={"moves": 2}))
    assert len(frames) == frames_expected("tiny", {"moves": 2}, 5)
    assert frames[0].shape == (432, 768, 3)
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() > 0.5


def dot_x(frame) -> float:
    """Column of the centre of the test scene's vermillion dot."""
    red, green, blue = (frame[..., i].astype(int) for i in range(3))
    columns = np.nonzero((red > 150) & (green < 140) & (blue < 80))[1]
    return float(columns.mean())


def test_png_is_the_last_frame_the_scene_reaches(tmp_path, decode):
    poster = decode(render("tiny", tmp_path / "tiny.png", quality="low", fps=5))
    video = decode(render("tiny", tmp_path / "tiny.mp4", quality="low", fps=5))
    assert len(poster) == 1 and poster[0].shape == (432, 768, 3)
    # The dot crosses from x = -5 to x = 5 (of 14.2 frame units, 768 pixels); the poster shows it
    # at the end, one frame's move (10 / 12 units) past the video's last frame.
    pixels_per_unit = 768 / (8 * 16 / 9)
    step = 10 / 12 * pixels_per_unit
    assert dot_x(poster[0]) == pytest.approx(384 + 5 * pixels_per_unit, abs=2)
    assert dot_x(poster[0]) - dot_x(video[-1]) == pytest.approx(step, abs=2)


@pytest.mark.parametrize("jobs", [2, 3])
def test_jobs_join_pieces_into_exactly_the_frames_of_one_process(tmp_path, decode, jobs, private_tmp):
    params = {"moves": 5, "seconds": 0.4}
    single = decode(render("tiny", tmp_path / "one.mp4", quality="low", fps=10, params=params))
    joined = decode(render("tiny", tmp_path / "many.mp4", quality="low", fps=10, params=params, jobs=jobs))
    assert len(joined) == len(single) == frames_expected("tiny", params, 10)
    assert all(np.array_equal(a, b) for a, b in zip(single, joined, strict=True))
    assert leftovers(private_tmp) == []


def test_jobs_with_a_single_animation_render_in_one_process(tmp_path, decode):
    frames = decode(render("tiny-three-d", tmp_path / "one.mp4", quality="low", fps=10, jobs=2))
    assert len(frames) == 5 and frames[0].std() > 1
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() > 0.1


def test_progress_counts_every_frame_up_to_the_total(tmp_path):
    calls = []
    render(
        "tiny",
        tmp_path / "tiny.mp4",
        quality="low",
        fps=10,
        progress=lambda done, total: calls.append((done, total)),
    )
    total = frames_expected("tiny", {}, 10)
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_the_timeline_lists_every_animation_s_run_time_and_frames():
    scene = get_scene("tiny").configured({"moves": 3, "seconds": 0.5})
    settings = _manim.Settings(768, 432, 10, "mp4")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as scratch:
        assert _manim.timeline(scene, settings, Path(scratch)) == [(0.5, 5)] * 3


@pytest.mark.parametrize(
    "name, output, options, message",
    [
        ("nope", "x.mp4", {}, r"^scene='nope' is not accepted"),
        ("tiny", "x.mp4", {"params": {"bogus": 1}}, r"^scene 'tiny' has no parameter 'bogus'"),
        ("tiny", "x.mp4", {"quality": "ultra"}, r"^quality='ultra' is not accepted; expected one of 'low'"),
        (
            "tiny",
            "x.avi",
            {},
            r"^output='.*x.avi' is not accepted; expected a file name ending in .mp4, .webm",
        ),
        ("tiny", "x.mp4", {"fps": 0}, r"^fps=0 is not accepted; expected an integer >= 1"),
        ("tiny", "x.mp4", {"jobs": 0}, r"^jobs=0 is not accepted; expected an integer >= 1"),
        ("tiny", "missing/x.mp4", {}, r"is not writable: folder '.*missing' does not exist"),
    ],
)
def test_bad_input_raises_one_line_and_writes_nothing(tmp_path, name, output, options, message, private_tmp):
    with pytest.raises(ValueError, match=message) as error:
        render(name, tmp_path / output, **options)
    assert "\n" not in str(error.value)
    assert list(tmp_path.iterdir()) == []
    assert leftovers(private_tmp) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_scene_leaves_no_output_and_no_scratch(tmp_path, jobs, private_tmp):
    with pytest.raises(RuntimeError, match="fails at animation 2"):
        render("tiny", tmp_path / "broken.mp4", quality="low", fps=5, params={"fail_at": 2}, jobs=jobs)
    assert list(tmp_path.iterdir()) == []
    assert leftovers(private_tmp) == []


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(
    ("stop", "raised"),
    [(signal.SIGTERM, SystemExit), (signal.SIGINT, KeyboardInterrupt)],
    ids=["SIGTERM", "SIGINT"],
)
def test_a_signal_python_drops_in_a_finalizer_still_stops_the_render(tmp_path, private_tmp, stop, raised):
    """The render stops at the next frame, and Python's report of the dropped exception stays unprinted."""

    class SendsSignal:
        def __del__(self):
            os.kill(os.getpid(), stop)
            time.sleep(0.05)  # the handler's exception is raised here, and dropped

    def on_frames(done, total):
        if done == 3:
            SendsSignal()

    with pytest.raises(raised):
        render("tiny", tmp_path / "cut.mp4", quality="low", fps=5, progress=on_frames, jobs=1)
    assert list(tmp_path.iterdir()) == []
    assert leftovers(private_tmp) == []


@pytest.mark.parametrize(
    ("stop", "raised"),
    [(signal.SIGTERM, SystemExit), (signal.SIGINT, KeyboardInterrupt)],
    ids=["SIGTERM", "SIGINT"],
)
def test_a_signal_while_manim_opens_a_segment_is_still_that_signal(
    tmp_path, private_tmp, monkeypatch, stop, raised
):
    """Manim's encoder wraps whatever is raised while it opens a segment in ``RuntimeError``."""
    import av

    real_open, opened = av.open, []

    def open_after_a_signal(*args, **kwargs):
        opened.append(args)
        if len(opened) == 2:
            os.kill(os.getpid(), stop)
            time.sleep(0.05)  # the handler's exception is raised here, inside Manim's try
        return real_open(*args, **kwargs)

    monkeypatch.setattr(av, "open", open_after_a_signal)
    with pytest.raises(raised):
        render("tiny", tmp_path / "cut.mp4", quality="low", fps=5, jobs=1)
    assert len(opened) == 2
    assert list(tmp_path.iterdir()) == []
    assert leftovers(private_tmp) == []


def test_an_existing_output_is_replaced_only_when_the_new_one_is_complete(tmp_path):
    output = tmp_path / "tiny.mp4"
    output.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        render("tiny", output, quality="low", fps=5, params={"fail_at": 1})
    assert output.read_bytes() == b"old"
    render("tiny", output, quality="low", fps=5)
    assert output.stat().st_size > 1000
