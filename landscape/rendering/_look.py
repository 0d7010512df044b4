"""The scenes' look: colours from ``landscape.style``, ink, sizes, and typeset text."""

from __future__ import annotations

from manim import UL, WHITE, ManimColor, MathTex

from .. import style

INK = ManimColor(WHITE)
MUTED = ManimColor("#9AA0A6")
FONT_SIZE = 30
LABEL_SIZE = 24


def optimizer_color(name: str, index: int = 0) -> ManimColor:
    """The optimizer's colour, the same as in every figure."""
    return ManimColor(style.optimizer_color(name, index))


def series_color(index: int) -> ManimColor:
    """The ``index``-th colour for series that are not optimizers."""
    return ManimColor(style.series_color(index))


def title(text: str) -> MathTex:
    """The scene's title, top left."""
    return MathTex(rf"\text{{{text}}}", font_size=40, color=INK).to_corner(UL)


def tex(*parts: str, size: int = FONT_SIZE, color=INK, **kwargs) -> MathTex:
    """``MathTex`` in the house size and colour."""
    return MathTex(*parts, font_size=size, color=color, **kwargs)


def thousands(value: float) -> str:
    """A number for TeX with thin spaces between thousands (``5\\,000\\,000``)."""
    return f"{value:,.0f}".replace(",", r"\,")
