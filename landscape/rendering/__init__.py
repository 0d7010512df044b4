"""Manim scenes of the lecture: the scene catalogue and rendering to video files.

>>> from landscape.rendering import scene_catalog, render
>>> [scene.name for scene in scene_catalog()][:2]
['minibatch', 'batch-size']
"""

from ._catalog import SceneInfo, get_scene, scene_catalog, scenes_directory
from ._manim import QUALITIES
from ._render import FORMATS, render
from ._scene import LectureScene, LectureThreeDScene

__all__ = [
    "FORMATS",
    "QUALITIES",
    "LectureScene",
    "LectureThreeDScene",
    "SceneInfo",
    "get_scene",
    "render",
    "scene_catalog",
    "scenes_directory",
]
