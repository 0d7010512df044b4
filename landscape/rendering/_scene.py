"""Base classes of the lecture's scenes: a time scale, and state that never depends on dt.

A lecture scene is a Manim ``Scene`` (or ``ThreeDScene``) whose subclasses
override only ``construct`` and keep their configuration in annotated class
attributes; ``landscape render`` lists and overrides those attributes.

Every animated quantity in these scenes is driven by a ``ValueTracker`` (a
function of an animation's progress), never by an updater that integrates
``dt``. That is what lets ``render(..., jobs=N)`` skip to an animation number
in another process and arrive at exactly the state a one-process render has.
"""

from __future__ import annotations

from manim import Scene, ThreeDScene


class _TimeScaled:
    """Multiplies the run time of every animation (and wait) by ``time_scale``."""

    time_scale: float = 1.0
    """Multiplies every animation's run time (0.25 gives a quick preview)."""

    def compile_animations(self, *args, **kwargs):
        animations = super().compile_animations(*args, **kwargs)
        for animation in animations:
            animation.run_time *= self.time_scale
        return animations


class LectureScene(_TimeScaled, Scene):
    """A 2-D lecture scene (subclasses override only ``construct``)."""


class LectureThreeDScene(_TimeScaled, ThreeDScene):
    """A 3-D lecture scene (subclasses override only ``construct``)."""
