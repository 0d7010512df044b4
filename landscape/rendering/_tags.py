"""Where a mobject belongs, kept so that copying the mobject does not copy the place.

Manim copies mobjects freely (``Write``, ``Transform``, dashing a line); an
``Axes`` kept in a plain attribute would be copied along, with the whole
surface panel it carries. A ``Shared`` link is handed to copies as it is.
"""

from __future__ import annotations


class Shared:
    """A value that copies of a mobject share instead of copying."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def place(mobject, axes):
    """Say that ``mobject`` is drawn inside the panel of ``axes`` (``None``: nowhere in particular)."""
    mobject.within = None if axes is None else Shared(axes)
    return mobject


def placed_in(mobject):
    """The axes of the panel ``mobject`` is drawn in, or ``None``."""
    link = getattr(mobject, "within", None)
    return link.value if isinstance(link, Shared) else None


def mark_panel(mobject, axes):
    """Say that ``mobject`` shows the panel whose data rectangle is that of ``axes``."""
    mobject.panel_axes = Shared(axes)
    return mobject


def panel_axes(mobject):
    """The axes of the panel ``mobject`` shows, or ``None``."""
    link = getattr(mobject, "panel_axes", None)
    return link.value if isinstance(link, Shared) else None
