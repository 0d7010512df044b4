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

import math

from manim import Scene, ThreeDScene, linear

# Longest single play of ``advance``: --jobs splits a scene between animations only.
PIECE_SECONDS = 2.5


class _Lecture:
    """What both base classes add to Manim's scenes."""

    time_scale: float = 1.0
    """Multiplies every animation's run time (0.25 gives a quick preview)."""

    def compile_animations(self, *args, **kwargs):
        animations = super().compile_animations(*args, **kwargs)
        for animation in animations:
            animation.run_time *= self.time_scale
        return animations

    def advance(self, tracker, value: float, run_time: float, *animations) -> None:
        """Move ``tracker`` linearly to ``value`` over ``run_time`` seconds.

        The motion is played in pieces of at most ``PIECE_SECONDS`` that
        show the same frames as one play; ``--jobs`` can then share a long
        motion among its processes. ``animations`` play with the first piece.
        """
        start = tracker.get_value()
        pieces = max(1, math.ceil(run_time / PIECE_SECONDS - 1e-9))
        for piece in range(1, pieces + 1):
            target = start + (value - start) * piece / pieces
            together = animations if piece == 1 else ()
            self.play(
                tracker.animate.set_value(target), *together, run_time=run_time / pieces, rate_func=linear
            )


class LectureScene(_Lecture, Scene):
    """A 2-D lecture scene (subclasses override only ``construct``)."""


class LectureThreeDScene(_Lecture, ThreeDScene):
    """A 3-D lecture scene (subclasses override only ``construct``)."""
