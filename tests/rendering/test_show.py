"""``show``: a scene rendered for a notebook, embedded in the page it is shown in."""

import base64
import re

import pytest

import landscape
from landscape.rendering import SceneVideo, render, show


def embedded(markup: str) -> tuple[str, bytes]:
    """The MIME type and the bytes of the data URL in an HTML fragment."""
    mimetype, data = re.search(r'src="data:([\w/]+);base64,([^"]+)"', markup).groups()
    return mimetype, base64.b64decode(data)


def test_show_embeds_the_same_frames_as_render(tmp_path, decode, private_tmp):
    params = {"moves": 2}
    video = show("tiny", quality="low", fps=5, params=params)
    assert isinstance(video, SceneVideo) and repr(video).startswith("SceneVideo('tiny', mp4, 768x432, ")
    markup = video._repr_html_()
    assert markup.startswith("<video controls") and 'width="768"' in markup
    mimetype, data = embedded(markup)
    assert mimetype == "video/mp4" and data == video.data
    shown = decode(video.save(tmp_path / "shown.mp4"))
    rendered = decode(render("tiny", tmp_path / "rendered.mp4", quality="low", fps=5, params=params))
    assert len(shown) == len(rendered) > 1
    assert all((a == b).all() for a, b in zip(shown, rendered, strict=True))
    assert [p.name for p in private_tmp.iterdir() if not p.name.startswith("pymp-")] == []


def test_a_poster_is_shown_as_an_image(decode, tmp_path):
    video = show("tiny", quality="low", format="png")
    mimetype, data = embedded(video._repr_html_())
    assert video._repr_html_().startswith("<img") and mimetype == "image/png"
    (frame,) = decode(video.save(tmp_path / "poster.png"))
    assert frame.shape == (432, 768, 3)


def test_ls_render_is_the_rendering_package():
    assert landscape.render is landscape.rendering and landscape.render.show is show


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"format": "avi"}, "format='avi'"),
        ({"quality": "ultra"}, "quality='ultra'"),
        ({"params": {"speed": 2}}, "no parameter 'speed'"),
    ],
)
def test_bad_arguments_fail_before_rendering(arguments, message, private_tmp):
    with pytest.raises(ValueError, match=re.escape(message)):
        show("tiny", **arguments)
    assert [p.name for p in private_tmp.iterdir() if not p.name.startswith("pymp-")] == []
