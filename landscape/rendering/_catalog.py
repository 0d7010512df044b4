"""The scene catalogue: every lecture scene with its description and parameters.

Scenes live in the top-level ``scenes/`` folder of the project (or the folder
named by the ``LANDSCAPE_SCENES`` environment variable), one or a few per
file, files in lecture order. A scene is a subclass of ``LectureScene`` or
``LectureThreeDScene``; its name is its class name in kebab case
(``EwaWeights`` → ``ewa-weights``), its description the first line of its
docstring, and its parameters its annotated class attributes (including the
inherited ``time_scale``).
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .._validation import InvalidArgument, invalid

SCENES_VARIABLE = "LANDSCAPE_SCENES"
_TYPES = (bool, int, float, str)
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
POSITIVE = ("time_scale",)  # parameters that must be > 0 (a run time cannot shrink below nothing)


@dataclass(frozen=True)
class SceneInfo:
    """One scene of the catalogue.

    Attributes
    ----------
    name : str
        What ``landscape render`` takes (``"ewa-weights"``).
    description : str
        One line: what the scene shows.
    parameters : dict
        Parameter name → default value (``key=value`` on the command line).
    path : pathlib.Path
        The scene file, runnable with ``manim path ClassName``.
    class_name : str
        The Manim scene class in that file.
    """

    name: str
    description: str
    parameters: dict
    path: Path
    class_name: str
    scene_class: type = field(repr=False, compare=False)
    types: dict = field(repr=False, compare=False, default_factory=dict)
    docs: dict = field(repr=False, compare=False, default_factory=dict)

    def configured(self, params: dict | None = None) -> type:
        """The scene class with some parameters replaced.

        Values may be given as strings (``"0.5"``, as typed on a command line)
        or as values of the parameter's type.

        Raises
        ------
        ValueError
            For an unknown parameter or a value of the wrong type.
        """
        overrides = {key: self.convert(key, value) for key, value in (params or {}).items()}
        if not overrides:
            return self.scene_class
        namespace = {"__module__": self.scene_class.__module__, "__doc__": self.scene_class.__doc__}
        return type(self.scene_class.__name__, (self.scene_class,), namespace | overrides)

    def convert(self, key: str, value):
        """Check one parameter and convert a string to its type."""
        if key not in self.parameters:
            listing = ", ".join(self.parameters)
            raise InvalidArgument(
                f"scene {self.name!r} has no parameter {key!r}; its parameters are: {listing}"
            )
        kind = self.types[key]
        accepted = {bool: "true or false", int: "an integer", float: "a finite number", str: "text"}[kind]
        if key in POSITIVE:
            accepted = f"{accepted} > 0"
        if isinstance(value, str) and kind is not str:
            value = _parse(key, value, kind, accepted)
        elif kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not kind:
            raise invalid(key, value, accepted)
        if (kind is float and not math.isfinite(value)) or (key in POSITIVE and not value > 0):
            raise invalid(key, value, accepted)
        return value


def _parse(key: str, text: str, kind: type, accepted: str):
    if kind is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise invalid(key, text, accepted)
    try:
        return kind(text)
    except ValueError:
        raise invalid(key, text, accepted) from None


def scenes_directory() -> Path:
    """Where the scene files are: ``$LANDSCAPE_SCENES`` or the project's ``scenes/``."""
    configured = os.environ.get(SCENES_VARIABLE)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "scenes"


def scene_catalog() -> list[SceneInfo]:
    """Every scene, in lecture order (file order, then order within a file).

    Examples
    --------
    >>> from landscape.rendering import scene_catalog
    >>> [scene.name for scene in scene_catalog()][:3]
    ['minibatch', 'batch-size', 'ewa']
    """
    return list(_catalog(scenes_directory()))


def get_scene(name: str) -> SceneInfo:
    """The catalogue entry of ``name``; ``ValueError`` listing the names if unknown."""
    scenes = {scene.name: scene for scene in scene_catalog()}
    if name not in scenes:
        raise invalid("scene", name, "one of " + ", ".join(scenes) + " (see landscape render --list)")
    return scenes[name]


@functools.cache
def _catalog(folder: Path) -> tuple[SceneInfo, ...]:
    from ._scene import LectureScene, LectureThreeDScene

    if not folder.is_dir():
        raise InvalidArgument(
            f"scenes folder {str(folder)!r} does not exist; "
            f"set {SCENES_VARIABLE} to the folder of scene files"
        )
    bases = (LectureScene, LectureThreeDScene)
    found = []
    for path in sorted(folder.glob("[!_]*.py")):
        module = _load(path)
        classes = [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, bases)
            and value not in bases
            and value.__module__ == module.__name__
        ]
        found.extend(_info(cls, path) for cls in classes)
    names = [scene.name for scene in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"scene name {duplicates[0]!r} is defined twice in {str(folder)!r}")
    return tuple(found)


def _load(path: Path):
    name = "landscape_scenes." + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _info(cls: type, path: Path) -> SceneInfo:
    from ._scene import _Lecture

    hints, docs, defaults = {}, {}, {}
    # Parameters: annotated attributes of the lecture classes, base first.
    for klass in reversed([k for k in cls.__mro__ if issubclass(k, _Lecture)]):
        hints.update(inspect.get_annotations(klass, eval_str=True))
    reserved = _manim_names()
    for key, kind in hints.items():
        if kind not in _TYPES:
            raise TypeError(f"{cls.__name__}.{key}: parameters must be bool, int, float or str, not {kind}")
        if key in reserved:
            raise TypeError(f"{cls.__name__}.{key}: Manim's scenes use the name {key!r}; choose another")
        defaults[key] = getattr(cls, key)
        docs[key] = _attribute_doc(cls, key)
    description = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    return SceneInfo(
        name=_kebab(cls.__name__),
        description=description,
        parameters=defaults,
        path=path,
        class_name=cls.__name__,
        scene_class=cls,
        types=hints,
        docs=docs,
    )


@functools.cache
def _manim_names() -> frozenset:
    """Attribute names a Manim scene has (class or instance): parameters must avoid them."""
    from manim import ThreeDScene, tempconfig

    with tempconfig({"format": "none", "pixel_width": 16, "pixel_height": 9, "verbosity": "ERROR"}):
        instance = ThreeDScene()
    return frozenset(dir(ThreeDScene)) | frozenset(vars(instance))


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _attribute_doc(cls: type, key: str) -> str:
    """The string literal right below ``key: type = value`` in the class body, if any."""
    for klass in cls.__mro__:
        if key in vars(klass).get("__annotations__", {}):
            return _attribute_docs(klass).get(key, "")
    return ""


@functools.cache
def _attribute_docs(klass: type) -> dict[str, str]:
    """``{name: first line of the string literal below name's annotated assignment}`` of a class body.

    Cached per class: finding a class's source parses its whole module.
    """
    import ast

    try:
        body = ast.parse(inspect.getsource(klass)).body[0].body
    except (OSError, TypeError):
        return {}
    docs = {}
    for statement, following in zip(body, body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = following.value.value.strip().splitlines()[0]
    return docs
