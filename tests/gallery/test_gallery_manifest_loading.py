"""Reading manifests: the structure, and one-line errors that say where and what is accepted."""

import pytest

from landscape.gallery import load_manifest

GOOD = """
title = "Tiny"

[[topic]]
id = "first"
title = "First topic"
summary = "Text with x^{2}."
formulas = ['v_t = \\beta v_{t-1}']
numbers.columns = ["a", "b"]
numbers.rows = [[1, "one"], [2.5, "two and a half"]]

[[topic.scene]]
scene = "ewa"
params = { beta = 0.5 }

[[topic.scene]]
scene = "ewa"
name = "ewa-again"

[[topic.figure]]
name = "bowl"
caption = "A bowl."
config = { surface = "elongated_bowl:kappa=5", optimizers = ["sgd:lr=inverse_time(0.2,1)"], steps = 10 }

[[topic]]
id = "second"
title = "Second topic"
short = "Second"
summary = "No items."
"""


BOWL = (
    'config = { surface = "elongated_bowl:kappa=5", optimizers = ["sgd:lr=inverse_time(0.2,1)"], steps = 10 }'
)


def write(tmp_path, text):
    path = tmp_path / "manifest.toml"
    path.write_text(text)
    return path


def test_a_good_manifest(tmp_path):
    manifest = load_manifest(write(tmp_path, GOOD))
    assert manifest.title == "Tiny"
    first, second = manifest.topics
    assert (first.id, first.short, second.short) == ("first", "First topic", "Second")
    assert first.formulas == ("v_t = \\beta v_{t-1}",)
    assert first.numbers.columns == ("a", "b") and first.numbers.rows == ((1, "one"), (2.5, "two and a half"))
    assert [item.name for item in manifest.items] == ["ewa", "ewa-again", "bowl"]
    assert manifest.items[0].params == {"beta": 0.5}
    assert manifest.items[2].config == {
        "surface": "elongated_bowl:kappa=5",
        "optimizers": ["sgd:lr=inverse_time(0.2,1)"],
        "steps": 10,
    }
    assert second.items == ()


def test_select(tmp_path):
    manifest = load_manifest(write(tmp_path, GOOD))
    assert [item.name for item in manifest.select(["bowl", "ewa"])] == ["ewa", "bowl"]  # page order
    assert [item.name for item in manifest.select(["first"])] == ["ewa", "ewa-again", "bowl"]
    assert manifest.select(None) == manifest.items
    with pytest.raises(
        ValueError, match=r"^only='nope' is not accepted; expected item or topic names among: first"
    ):
        manifest.select(["nope"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('title = "First topic"', 'titel = "First topic"'),
            r"\(topic 1\): unknown key 'titel'; expected keys among",
        ),
        (
            ('id = "first"', 'id = "First Topic"'),
            r"\(topic 1\): id='First Topic' is not accepted; expected lower-case",
        ),
        (('name = "ewa-again"', 'name = "bowl"'), r"item name 'bowl' is used twice"),
        (('id = "second"', 'id = "first"'), r"topic id 'first' is used twice"),
        (("steps = 10 }", "steps = 10, colour = 3 }"), r"figure 'bowl': config='colour' is not accepted"),
        (
            ('config = { surface = "elongated_bowl:kappa=5",', 'config = { kind = "ewa", surface = "x",'),
            "draws no surface",
        ),
        ((BOWL, "config = 3"), r"config=3 is not accepted; expected a table"),
        (
            ('numbers.rows = [[1, "one"], [2.5, "two and a half"]]', "numbers.rows = [[1]]"),
            r"expected rows of 2",
        ),
        (("params = { beta = 0.5 }", "params = 3"), r"params=3 is not accepted; expected a table"),
        (('summary = "No items."', ""), r"\(topic 2\): missing key 'summary'"),
        (("formulas = [", 'formulas = ["", '), r"expected a list of TeX strings"),
        (('title = "Tiny"', 'title = "Tiny'), r"is not valid TOML"),
    ],
)
def test_errors_are_one_line_and_say_where(tmp_path, change, message):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ValueError, match=message) as error:
        load_manifest(path)
    assert "\n" not in str(error.value)
    assert str(error.value).startswith(f"manifest {str(path)!r}")


def test_a_missing_manifest(tmp_path):
    with pytest.raises(
        ValueError, match=r"^manifest='.*nothing.toml' is not accepted; expected a readable TOML"
    ):
        load_manifest(tmp_path / "nothing.toml")


@pytest.mark.parametrize("name", ["landscape.gallery", "landscape.gallery._manifest"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
