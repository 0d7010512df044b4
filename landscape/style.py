"""One look for every figure and animation: colours, sizes and fonts.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common forms of colour blindness and on a projector. Each optimizer keeps its
colour everywhere, in matplotlib figures and in Manim scenes alike.
"""

from __future__ import annotations

import contextlib

__all__ = [
    "CYCLE",
    "DPI",
    "FIGURE_SIZE",
    "FONT_SIZE",
    "LINE_WIDTH",
    "MARKER_SIZE",
    "OKABE_ITO",
    "OPTIMIZER_COLORS",
    "SURFACE_COLORMAP",
    "figure_style",
    "optimizer_color",
    "rc_params",
    "series_color",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

OPTIMIZER_COLORS = {
    "sgd": OKABE_ITO["vermillion"],
    "momentum": OKABE_ITO["blue"],
    "rmsprop": OKABE_ITO["bluish_green"],
    "adam": OKABE_ITO["reddish_purple"],
    "adamw": OKABE_ITO["orange"],
}

# For series that are not optimizers (several β values, batch sizes, ...).
CYCLE = [
    OKABE_ITO[name]
    for name in ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue", "yellow")
]

SURFACE_COLORMAP = "cividis"  # perceptually uniform and colour-blind safe

FONT_SIZE = 15  # readable from the back of a lecture room at 1280 px wide
LINE_WIDTH = 2.5
MARKER_SIZE = 7
FIGURE_SIZE = (8.0, 6.0)
DPI = 150


def optimizer_color(name: str, index: int = 0) -> str:
    """The colour of an optimizer; unknown names take colours from ``CYCLE``."""
    return OPTIMIZER_COLORS.get(name, CYCLE[index % len(CYCLE)])


def series_color(index: int) -> str:
    """The ``index``-th colour for series that are not optimizers."""
    return CYCLE[index % len(CYCLE)]


def rc_params() -> dict:
    """Matplotlib settings of the house style."""
    from cycler import cycler

    return {
        "figure.figsize": FIGURE_SIZE,
        "figure.dpi": 100,
        "savefig.dpi": DPI,
        "savefig.bbox": "tight",
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE + 2,
        "axes.labelsize": FONT_SIZE,
        "legend.fontsize": FONT_SIZE - 2,
        "xtick.labelsize": FONT_SIZE - 2,
        "ytick.labelsize": FONT_SIZE - 2,
        "lines.linewidth": LINE_WIDTH,
        "lines.markersize": MARKER_SIZE,
        "axes.prop_cycle": cycler(color=CYCLE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "image.cmap": SURFACE_COLORMAP,
    }


@contextlib.contextmanager
def figure_style():
    """Apply the house style inside a ``with`` block only (no global change)."""
    import matplotlib

    with matplotlib.rc_context(rc_params()):
        yield
