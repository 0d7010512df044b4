"""``landscape render`` and ``landscape list scenes`` on the small test scenes."""

from pathlib import Path

import av
import pytest

SCENES = Path(__file__).resolve().parents[1] / "rendering" / "scenes"


@pytest.fixture(autouse=True)
def test_scenes(monkeypatch):
    monkeypatch.setenv("LANDSCAPE_SCENES", str(SCENES))


def frame_count(path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_render_list_shows_every_scene_with_its_description_and_parameters(run):
    result = run("render", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "  tiny              A dot crossing the frame in a few animations." in lines
    assert any(
        "time_scale=1, moves=4, seconds=0.6, fail_at=-1, label=t, flag=False" in line for line in lines
    )
    assert any(line.startswith("  tiny-three-d ") for line in lines)


def test_list_scenes_uses_the_catalogue(run):
    result = run("list", "scenes")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("scenes")
    assert "  tiny              A dot crossing the frame in a few animations." in result.stdout


def test_render_writes_the_video_with_scene_parameters(run, tmp_path):
    result = run("render", "tiny", "-q", "low", "--fps", "10", "-o", "tiny.mp4", "moves=2", "seconds=0.5")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "tiny.mp4"
    assert frame_count(tmp_path / "tiny.mp4") == 2 * 5


def test_render_defaults_to_scene_name_mp4_and_takes_jobs(run, tmp_path):
    result = run("render", "tiny", "-q", "low", "--fps", "5", "--jobs", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert frame_count(tmp_path / "tiny.mp4") == 4 * 3


def test_render_png_poster(run, tmp_path):
    assert run("render", "tiny", "-q", "low", "-o", "poster.png").exit_code == 0
    with av.open(str(tmp_path / "poster.png")) as container:
        frame = next(container.decode(video=0))
    assert (frame.width, frame.height) == (768, 432)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["render", "nope"],
            "Error: scene='nope' is not accepted; expected one of tiny, tiny-three-d, glide",
        ),
        (["render"], "Error: missing argument SCENE, one of the names in 'landscape render --list'"),
        (["render", "tiny", "bogus=1"], "Error: scene 'tiny' has no parameter 'bogus'; its parameters are:"),
        (["render", "tiny", "moves=many"], "Error: moves='many' is not accepted; expected an integer"),
        (["render", "tiny", "moves"], "expected a scene parameter as key=value"),
        (["render", "tiny", "-q", "ultra"], "'ultra' is not one of 'low', 'medium', 'high', '4k'"),
        (["render", "tiny", "--fps", "0"], "Invalid value for '--fps'"),
        (["render", "tiny", "--jobs", "0"], "Invalid value for '--jobs'"),
        (["render", "tiny", "-o", "tiny.avi"], "expected a name ending in .mp4, .webm, .gif, .png"),
        (["render", "tiny", "-o", "missing/tiny.mp4"], "folder 'missing' does not exist"),
        (["render", "tiny", "-q", "low", "fail_at=1", "-o", "t.mp4"], None),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_file(run, tmp_path, args, message):
    if message is None:  # an error raised while rendering is not bad input: exit 1 with the message
        with pytest.raises(RuntimeError, match="fails at animation 1"):
            run(*args)
    else:
        result = run(*args)
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
