"""Typeset formulas kept parsed on disk: built from the store, a formula is the formula Manim parses."""

import numpy as np
import pytest

from landscape.rendering import _manim, _parsed


@pytest.fixture
def store(monkeypatch, tmp_path):
    """An empty store of parsed formulas; the compiled SVGs stay the shared cache's."""
    shared = _manim.cache_directory()
    (shared / "Tex").mkdir(parents=True, exist_ok=True)
    (tmp_path / "landscape" / "manim").mkdir(parents=True)
    (tmp_path / "landscape" / "manim" / "Tex").symlink_to(shared / "Tex")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "landscape" / "manim" / "parsed"


@pytest.fixture
def parses(monkeypatch):
    """The SVG parses of svgelements, counted; Manim's own cache of parsed SVGs starts empty."""
    import svgelements
    from manim.mobject.svg import svg_mobject

    calls = []
    parse = svgelements.SVG.parse
    monkeypatch.setattr(
        svgelements.SVG, "parse", staticmethod(lambda *a, **k: calls.append(a) or parse(*a, **k))
    )
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})
    return calls


FIRST = r"\hat v_t = \frac{v_t}{1-\beta_1^t}"


def _formula():
    from manim import MathTex

    # fraction bars and the square root's bar are rectangles in the SVG, the rest paths
    return MathTex(
        FIRST,
        r"\quad \frac{\hat v_t}{\sqrt{\hat s_t}+\epsilon}",
        font_size=31,
        tex_to_color_map={r"\epsilon": "#ff8800"},
    )


def _state(mobject) -> list:
    """Every attribute of every member of ``mobject``'s family, members named by position."""
    from manim import VGroup

    family = mobject.get_family()
    position = {id(member): index for index, member in enumerate(family)}

    def plain(value):
        if isinstance(value, np.ndarray):
            return ("array", value.dtype.str, value.shape, value.tobytes())
        if hasattr(value, "_internal_value"):
            return ("colour", np.asarray(value._internal_value).tobytes())
        if isinstance(value, VGroup):
            return ("group", [position.get(id(m), repr(m.points.tobytes())) for m in value.submobjects])
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [position[id(item)] if id(item) in position else plain(item) for item in value]
        return (type(value).__name__, repr(value))

    return [(type(member).__name__, {key: plain(v) for key, v in vars(member).items()}) for member in family]


def test_a_formula_built_from_the_store_is_the_formula_manim_parses(store, parses, manim_session):
    started, _ = manim_session()
    with started:
        parsed = _formula()
        assert len(parses) == 1 and len(list(store.glob("*.npz"))) == 1
        parses.clear()
        _parsed_cache_cleared()
        built = _formula()
        assert not parses  # built from the store
        colored = built.copy().set_color_by_tex(FIRST, "#00ff00")  # through Manim's groups of the SVG
    assert {type(m).__name__ for m in built.family_members_with_points()} == {
        "VMobjectFromSVGPath",
        "Rectangle",
    }
    assert _state(built) == _state(parsed)
    assert len({m.get_color().to_hex() for m in colored.family_members_with_points()}) == 3


def test_a_later_session_builds_the_formula_without_parsing_it(store, parses, manim_session):
    for expected in (1, 0):
        started, scratch = manim_session()
        with started:
            _formula()
            linked = list((scratch / "Tex").glob("*.svg"))
        assert len(parses) == expected
        parses.clear()
        _parsed_cache_cleared()
        assert len(linked) == 1  # only the formula's own SVG is linked from the shared cache


@pytest.mark.parametrize("damage", ["not an npz file", "cut short"])
def test_a_damaged_entry_is_parsed_again_and_replaced(store, parses, manim_session, damage):
    started, _ = manim_session()
    with started:
        parsed = _formula()
        (entry,) = store.glob("*.npz")
        entry.write_bytes(b"not an npz file" if damage == "not an npz file" else entry.read_bytes()[:300])
        _parsed_cache_cleared()
        again = _formula()
    assert len(parses) == 2
    assert _state(again) == _state(parsed)
    assert _parsed._load(entry) is not None


def test_an_entry_holding_anything_but_numbers_and_names_is_not_used(store, parses, manim_session):
    import json

    started, _ = manim_session()
    with started:
        _formula()
        (entry,) = store.glob("*.npz")
        with np.load(entry) as stored:
            layout, numbers = json.loads(stored["layout"].tobytes()), stored["numbers"]
        layout["paths"][0][1]["updaters"] = ["=", ["print"]]  # a list where Manim keeps callables
        with open(entry, "wb") as file:
            np.savez(file, layout=np.frombuffer(json.dumps(layout).encode(), np.uint8), numbers=numbers)
        assert _parsed._load(entry) is None
        _parsed_cache_cleared()
        formula = _formula()
    assert len(parses) == 2
    assert all(path.updaters == [] for path in formula.family_members_with_points())


def test_a_store_that_cannot_be_written_only_costs_the_parse(store, parses, manim_session):
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("a file where the folder would be")
    started, _ = manim_session()
    with started:
        parsed = _formula()
        _parsed_cache_cleared()
        again = _formula()
    assert len(parses) == 2 and store.is_file()
    assert _state(again) == _state(parsed)


def test_paths_with_attributes_the_store_does_not_keep_are_not_stored(tmp_path):
    from manim import VGroup
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    path = VMobjectFromSVGPath.__new__(VMobjectFromSVGPath)
    path.__dict__.update(submobjects=[], points=np.zeros((4, 3)), label=object())
    _parsed._save(tmp_path / "entry.npz", [path], {"root": VGroup()})
    assert not list(tmp_path.iterdir())


def test_manim_is_left_as_it_was(store, manim_session):
    import manim.utils.tex_file_writing as writing
    from manim.mobject.svg.svg_mobject import SVGMobject

    before = (SVGMobject.generate_mobject, SVGMobject.get_mobjects_from, writing.generate_tex_file)
    started, _ = manim_session()
    with started:
        assert SVGMobject.generate_mobject is not before[0]
    assert (SVGMobject.generate_mobject, SVGMobject.get_mobjects_from, writing.generate_tex_file) == before


def _parsed_cache_cleared():
    from manim.mobject.svg import svg_mobject

    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
