"""Manim scenes of the lecture: the scene catalogue and rendering to video files.

The scenes themselves live in the project's top-level ``scenes/`` folder as
subclasses of ``LectureScene`` (2-D) or ``LectureThreeDScene``; ``drawing``
holds the mobjects they share, and ``check_layout`` finds what is clipped,
overlapping or too faint in a scene without rendering it. Importing this
package does not import Manim until a scene base class or the catalogue is used, so ``landscape --help``
stays instant. ``show`` renders a scene for a notebook, where it plays inline
(``ls.render`` is this package under a short name: ``ls.render.show("momentum")``).

>>> from landscape.rendering import scene_catalog
>>> [scene.name for scene in scene_catalog()][:2]
['minibatch', 'batch-size']
"""

from ._catalog import SceneInfo, get_scene, scene_catalog, scenes_directory
from ._manim import FORMATS, QUALITIES
from ._render import render
from ._show import SceneVideo, show

__all__ = [
    "FORMATS",
    "Fade",
    "LayoutProblem",
    "QUALITIES",
    "LectureScene",
    "LectureThreeDScene",
    "SceneInfo",
    "SceneVideo",
    "check_layout",
    "get_scene",
    "render",
    "scene_catalog",
    "scenes_directory",
    "show",
]


def __getattr__(name):
    # The scene base classes and Fade subclass Manim's, so they import Manim: only on use.
    if name in ("LectureScene", "LectureThreeDScene"):
        from . import _scene

        return getattr(_scene, name)
    if name == "Fade":
        from ._fade import Fade

        return Fade
    if name in ("check_layout", "LayoutProblem"):
        from . import _layout

        return getattr(_layout, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
