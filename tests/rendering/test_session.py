"""A Manim session: formulas built inside it have the same points, and copy without their parse trees."""

import numpy as np


def _formula(**options):
    from manim import MathTex

    return MathTex(r"S_{dW} = \beta_2\, S_{dW} + (1-\beta_2)\, dW^2", font_size=31, **options)


def test_formulas_keep_their_points_and_drop_their_parse_trees_inside_a_session(manim_session):
    from manim import tempconfig
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    init = VMobjectFromSVGPath.__init__
    started, scratch = manim_session()
    with started:
        inside = _formula()
        copied = inside.copy()
    with tempconfig({"media_dir": str(scratch), "tex_dir": str(scratch / "Tex"), "verbosity": "ERROR"}):
        outside = _formula(use_svg_cache=False)  # parsed again, outside the session
    assert VMobjectFromSVGPath.__init__ is init  # Manim is left as it was
    paths = [m for m in inside.family_members_with_points() if isinstance(m, VMobjectFromSVGPath)]
    assert paths and all(m.path_obj is None for m in paths)
    assert any(m.path_obj is not None for m in outside.family_members_with_points())
    for mobject in (inside, copied):
        pairs = zip(mobject.family_members_with_points(), outside.family_members_with_points(), strict=True)
        assert all(np.array_equal(a.points, b.points) for a, b in pairs)


def test_a_formula_typeset_in_an_earlier_session_is_not_parsed_again(monkeypatch, manim_session):
    from manim.mobject.svg.svg_mobject import SVGMobject

    parsed = []
    generate = SVGMobject.generate_mobject
    monkeypatch.setattr(SVGMobject, "generate_mobject", lambda self: parsed.append(self) or generate(self))
    formulas = []
    for _ in range(2):  # each session typesets into folders of its own
        with manim_session()[0]:
            formulas.append(_formula(tex_to_color_map={"dW": "#ff0000"}))
    assert len(parsed) <= 1  # none when an earlier test parsed it
    pairs = zip(*(f.family_members_with_points() for f in formulas), strict=True)
    assert all(np.array_equal(a.points, b.points) for a, b in pairs)
    assert [f.get_color() for f in formulas[0]] == [f.get_color() for f in formulas[1]]
    keys = [SVGMobject.hash_seed.fget(formula) for formula in formulas]
    assert keys[0] != keys[1]  # Manim's own key, left as it was, names the session's folder
