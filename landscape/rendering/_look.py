"""The scenes' look: colours from ``landscape.style``, ink, sizes, and typeset text.

The scenes are drawn on black. Every colour a scene takes from the house
palette is lifted, if needed, just enough towards white to reach a contrast
ratio of 4.5 with the background (WCAG's level for text): Okabe-Ito blue
(momentum, the first series) is 4.0 on black and becomes a slightly lighter
blue; the other colours already pass and stay as they are.
"""

from __future__ import annotations

import numpy as np
from manim import BLACK, UL, WHITE, ManimColor, MathTex

from .. import style

INK = ManimColor(WHITE)
MUTED = ManimColor("#9AA0A6")
BACKGROUND = ManimColor(BLACK)
FONT_SIZE = 30
LABEL_SIZE = 24
TEXT_CONTRAST = 4.5  # WCAG AA for text
GRAPHIC_CONTRAST = 3.0  # WCAG AA for lines, dots and other graphics


def luminance(rgb) -> np.ndarray:
    """WCAG relative luminance of sRGB values in [0, 1], shape ``(..., 3)`` -> ``(...)``."""
    rgb = np.asarray(rgb, dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def relative_luminance(color) -> float:
    """WCAG relative luminance of a colour (0 for black, 1 for white)."""
    return float(luminance(ManimColor(color).to_rgb()))


def contrast_ratio(first, second) -> float:
    """WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def on_background(color, background=BACKGROUND, ratio: float = TEXT_CONTRAST) -> ManimColor:
    """``color``, mixed with as little white as gives ``ratio`` against ``background``."""
    color = ManimColor(color)
    if contrast_ratio(color, background) >= ratio:
        return color
    rgb = np.asarray(color.to_rgb(), dtype=float)
    for share in np.linspace(0.01, 1.0, 100):
        lifted = ManimColor((1 - share) * rgb + share)
        if contrast_ratio(lifted, background) >= ratio:
            return lifted
    return INK


def optimizer_color(name: str, index: int = 0) -> ManimColor:
    """The optimizer's colour, as in every figure (lifted to be readable on black)."""
    return on_background(style.optimizer_color(name, index))


def series_color(index: int) -> ManimColor:
    """The ``index``-th colour for series that are not optimizers (readable on black)."""
    return on_background(style.series_color(index))


def title(text: str) -> MathTex:
    """The scene's title, top left."""
    return MathTex(rf"\text{{{text}}}", font_size=40, color=INK).to_corner(UL)


def tex(*parts: str, size: int = FONT_SIZE, color=INK, **kwargs) -> MathTex:
    """``MathTex`` in the house size and colour."""
    return MathTex(*parts, font_size=size, color=color, **kwargs)


def thousands(value: float) -> str:
    """A number for TeX with thin spaces between thousands (``5\\,000\\,000``)."""
    return f"{value:,.0f}".replace(",", r"\,")


def scientific(value: float, digits: int = 2) -> str:
    """A number for TeX: ``0.0012`` as ``1.2 \\times 10^{-3}``, plain between 0.01 and 1000."""
    if value == 0 or 1e-2 <= abs(value) < 1e3:
        return f"{value:.{digits}g}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"
