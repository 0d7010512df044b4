"""The scene catalogue: names, descriptions, parameters and their conversion."""

import pytest

from landscape.rendering import get_scene, scene_catalog


def test_catalogue_lists_the_scenes_in_file_order_with_kebab_names():
    names = [scene.name for scene in scene_catalog()]
    assert names == ["tiny", "tiny-three-d", "glide", "crowded"]


def test_an_entry_has_its_description_parameters_defaults_and_file():
    tiny = get_scene("tiny")
    assert tiny.description == "A dot crossing the frame in a few animations."
    assert tiny.parameters == {
        "time_scale": 1.0,
        "moves": 4,
        "seconds": 0.6,
        "fail_at": -1,
        "label": "t",
        "flag": False,
    }
    assert tiny.docs["seconds"] == "Run time of each animation."
    assert tiny.path.name == "01_tiny.py" and tiny.class_name == "Tiny"


def test_parameters_given_as_text_are_converted_to_their_type():
    scene = get_scene("tiny").configured(
        {"moves": "2", "seconds": "0.25", "label": "x^2", "flag": "yes", "time_scale": 2}
    )
    assert (scene.moves, scene.seconds, scene.label, scene.flag, scene.time_scale) == (
        2,
        0.25,
        "x^2",
        True,
        2.0,
    )
    assert scene.__name__ == "Tiny" and get_scene("tiny").scene_class.moves == 4  # the original is untouched


@pytest.mark.parametrize(
    "params, message",
    [
        ({"bogus": 1}, "scene 'tiny' has no parameter 'bogus'; its parameters are: time_scale, moves"),
        ({"moves": "two"}, "moves='two' is not accepted; expected an integer"),
        ({"moves": 2.5}, "moves=2.5 is not accepted; expected an integer"),
        ({"seconds": "fast"}, "seconds='fast' is not accepted; expected a finite number"),
        ({"flag": "maybe"}, "flag='maybe' is not accepted; expected true or false"),
        ({"label": 3}, "label=3 is not accepted; expected text"),
    ],
)
def test_bad_parameters_name_the_parameter_the_value_and_what_is_accepted(params, message):
    with pytest.raises(
        ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)").replace("^", r"\^")
    ):
        get_scene("tiny").configured(params)


def test_an_unknown_scene_lists_the_known_ones():
    with pytest.raises(
        ValueError, match=r"^scene='nope' is not accepted; expected one of tiny, tiny-three-d, glide"
    ):
        get_scene("nope")


def test_a_missing_scenes_folder_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("LANDSCAPE_SCENES", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="does not exist; set LANDSCAPE_SCENES"):
        scene_catalog()


@pytest.mark.parametrize(
    "attribute, message",
    [
        ("duration: float = 1.0", "Bad.duration: Manim's scenes use the name 'duration'; choose another"),
        ("points: list = []", "Bad.points: parameters must be bool, int, float or str"),
    ],
)
def test_parameters_that_manim_would_overwrite_or_cannot_parse_are_refused(
    monkeypatch, tmp_path, attribute, message
):
    (tmp_path / "bad.py").write_text(
        "from landscape.rendering import LectureScene\n\n\n"
        f"class Bad(LectureScene):\n    {attribute}\n\n    def construct(self):\n        pass\n"
    )
    monkeypatch.setenv("LANDSCAPE_SCENES", str(tmp_path))
    with pytest.raises(TypeError, match=message):
        scene_catalog()
