"""``Fade``: fading a mobject in or out by its opacities alone, without copying it.

Manim's ``FadeIn``/``FadeOut`` build a faded copy of the whole mobject when
they begin: for a formula of a few hundred glyphs, or a surface panel, the
deep copy costs more than all the frames of the fade. ``Fade`` remembers the
fill and stroke opacities of every point-carrying member once and scales
them on each frame; at the end they are restored, so a mobject faded out and
added again looks as it did.
"""

from __future__ import annotations

from manim import Animation


class Fade(Animation):
    """Fade ``mobject`` in (``out=False``, adding it) or out (``out=True``, removing it).

    Parameters
    ----------
    mobject : Mobject
        Any mobject whose family is made of VMobjects.
    out : bool
        Fade out and remove the mobject at the end, instead of adding it and
        fading it in.
    **kwargs
        As for ``manim.Animation`` (``run_time``, ``rate_func``...).
    """

    def __init__(self, mobject, *, out: bool = False, **kwargs):
        super().__init__(mobject, introducer=not out, remover=out, **kwargs)
        self.out = out

    def create_starting_mobject(self):
        return self.mobject  # nothing to copy: the opacities are remembered in begin()

    def begin(self) -> None:
        self.members = [m for m in self.mobject.family_members_with_points() if hasattr(m, "fill_rgbas")]
        self.opacities = [(m.fill_rgbas[:, 3].copy(), m.stroke_rgbas[:, 3].copy()) for m in self.members]
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        level = self.rate_func(alpha)
        scale = 1.0 - level if self.out else level
        for member, (fill, stroke) in zip(self.members, self.opacities, strict=True):
            member.fill_rgbas[:, 3] = fill * scale
            member.stroke_rgbas[:, 3] = stroke * scale

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        if self.out:
            for member, (fill, stroke) in zip(self.members, self.opacities, strict=True):
                member.fill_rgbas[:, 3], member.stroke_rgbas[:, 3] = fill, stroke
