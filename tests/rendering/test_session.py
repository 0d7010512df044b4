"""A Manim session: formulas built inside it have the same points, and copy without their parse trees."""

import tempfile
from pathlib import Path

import numpy as np

from landscape.rendering import _manim


def _formula(**options):
    from manim import MathTex

    return MathTex(r"S_{dW} = \beta_2\, S_{dW} + (1-\beta_2)\, dW^2", font_size=31, **options)


def test_formulas_keep_their_points_and_drop_their_parse_trees_inside_a_session():
    from manim import tempconfig
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    init = VMobjectFromSVGPath.__init__
    with tempfile.TemporaryDirectory() as scratch:
        settings = _manim.Settings(*_manim.QUALITIES["low"][:2], 5, "mp4")
        options = _manim.manim_config(settings, Path(scratch)) | {"format": "none"}
        with _manim.session(options):
            inside = _formula()
            copied = inside.copy()
        with tempconfig(options):
            outside = _formula(use_svg_cache=False)  # parsed again, outside the session
    assert VMobjectFromSVGPath.__init__ is init  # Manim is left as it was
    paths = [m for m in inside.family_members_with_points() if isinstance(m, VMobjectFromSVGPath)]
    assert paths and all(m.path_obj is None for m in paths)
    assert any(m.path_obj is not None for m in outside.family_members_with_points())
    for mobject in (inside, copied):
        pairs = zip(mobject.family_members_with_points(), outside.family_members_with_points(), strict=True)
        assert all(np.array_equal(a.points, b.points) for a, b in pairs)
