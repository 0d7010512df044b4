"""Typeset formulas parsed once per machine, not once per process.

Turning a formula's SVG into paths (svgelements' parse, then Manim's paths
and groups) was about a fifth of the time of rendering a lecture scene, and
every process did it again: each render, each piece of a ``--jobs`` render,
each gallery worker. Inside ``parsed_once``, the paths and groups that Manim
makes from a typeset SVG are kept in a store folder as numbers and names
only (an ``.npz`` of a JSON layout and one array of numbers, read without
pickle), and a later process builds them from there instead of parsing.

An entry is named by a hash of the SVG's bytes, the style Manim gives it and
Manim's version, so a changed formula or a new Manim never reads an old
entry. A path's attributes are kept only if they are numbers, strings,
arrays, colours, Manim's line styles, empty lists or empty groups: a formula
with anything else is parsed every time, as before. An entry that cannot be
read is parsed again and written anew. Entries are written under a
temporary name and moved into place, so processes that typeset the same
formula at once do not see each other's half-written files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np

from .._io import atomic_path
from .._validation import InvalidArgument

FORMAT = 1  # raise when the layout of an entry changes
PLAIN = (bool, int, float, str)  # attribute values kept as they are (and None)


@contextlib.contextmanager
def parsed_once(folders: set[Path], store: Path):
    """Inside the block, SVGs typeset into ``folders`` are parsed once and kept in ``store``."""
    from manim import RIGHT
    from manim.mobject.svg.svg_mobject import SVGMobject

    generate, convert = SVGMobject.generate_mobject, SVGMobject.get_mobjects_from
    pending: dict[int, Path] = {}  # id of an SVGMobject being parsed -> where its paths go

    def generate_mobject(self):
        entry = _entry(self, folders, store)
        if entry is None:
            return generate(self)
        stored = _load(entry)
        if stored is None:
            pending[id(self)] = entry
            try:
                return generate(self)
            finally:
                pending.pop(id(self), None)
        # the end of Manim's generate_mobject, on the stored paths instead of the parsed ones
        paths, groups = stored
        self.add(*paths)
        self.id_to_vgroup_dict = groups
        self.flip(RIGHT)  # y up
        return self

    def get_mobjects_from(self, svg):
        paths, groups = convert(self, svg)
        entry = pending.pop(id(self), None)
        if entry is not None:  # before Manim moves them: a load replays the same flip
            _save(entry, paths, groups)
        return paths, groups

    SVGMobject.generate_mobject, SVGMobject.get_mobjects_from = generate_mobject, get_mobjects_from
    try:
        yield
    finally:
        SVGMobject.generate_mobject, SVGMobject.get_mobjects_from = generate, convert


def _entry(mobject, folders: set[Path], store: Path) -> Path | None:
    """Where the parsed paths of ``mobject``'s SVG are kept; None for SVGs not typeset in ``folders``."""
    import manim

    name = mobject.file_name
    if name is None or Path(name).parent not in folders:
        return None
    try:
        content = Path(name).read_bytes()
    except OSError:
        return None
    seed = mobject.hash_seed
    style = repr((FORMAT, manim.__version__, seed[0], seed[1], seed[2], seed[4])).encode()
    digest = hashlib.sha256(style + b"\n" + content).hexdigest()
    return store / f"{digest[:32]}.npz"


# ---- the codec: a path's __dict__ as a JSON layout and one array of numbers ----------------


def _leaf_classes() -> dict:
    """The classes of the paths Manim makes from a typeset SVG, by name."""
    from manim import Rectangle
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    return {cls.__name__: cls for cls in (VMobjectFromSVGPath, Rectangle)}


def _enum_classes() -> dict:
    from manim.constants import CapStyleType, LineJointType

    return {cls.__name__: cls for cls in (CapStyleType, LineJointType)}


class _Unsupported(Exception):
    """An attribute the codec does not keep: the formula is not stored."""


def _save(entry: Path, paths: list, groups: dict) -> None:
    try:
        layout, numbers = _encoded(paths, groups)
    except _Unsupported:
        return
    layout_bytes = np.frombuffer(json.dumps(layout, separators=(",", ":")).encode(), np.uint8)
    # a store that cannot be written costs a parse next time, nothing more
    with contextlib.suppress(OSError, InvalidArgument):
        entry.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(entry) as temporary, open(temporary, "wb") as file:
            np.savez_compressed(file, layout=layout_bytes, numbers=numbers)


def _encoded(paths: list, groups: dict) -> tuple[dict, np.ndarray]:
    from manim import VGroup
    from manim.utils.color import ManimColor

    classes, enums = _leaf_classes(), _enum_classes()
    chunks: list[np.ndarray] = []
    offset = 0

    def numbers(array: np.ndarray) -> int:
        nonlocal offset
        chunks.append(array.ravel())
        start, offset = offset, offset + array.size
        return start

    def encoded(value):
        kind = type(value)
        if value is None or kind in PLAIN:
            return ["=", value]
        if kind is np.ndarray and value.dtype == np.float64:
            return ["a", list(value.shape), numbers(value)]
        if kind is ManimColor:
            return ["c", numbers(np.asarray(value._internal_value, dtype=np.float64))]
        if enums.get(kind.__name__) is kind:
            return ["e", kind.__name__, value.name]
        if kind is list and not value:
            return ["l"]
        if kind is VGroup and not value.submobjects and not value.has_points():
            return ["g"]
        raise _Unsupported

    index = {id(path): position for position, path in enumerate(paths)}
    encoded_paths = []
    for path in paths:
        if classes.get(type(path).__name__) is not type(path) or path.submobjects:
            raise _Unsupported
        attributes = {key: encoded(value) for key, value in vars(path).items()}
        encoded_paths.append([type(path).__name__, attributes])
    encoded_groups = {}
    for name, group in groups.items():
        if type(group) is not VGroup or any(id(member) not in index for member in group.submobjects):
            raise _Unsupported
        encoded_groups[name] = [index[id(member)] for member in group.submobjects]
    all_numbers = np.concatenate(chunks) if chunks else np.empty(0)
    return {"paths": encoded_paths, "groups": encoded_groups}, all_numbers


# what a missing, damaged or foreign entry raises on the way (json's errors are ValueErrors)
_UNREADABLE = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
)


def _load(entry: Path) -> tuple[list, dict] | None:
    """The paths and groups kept in ``entry``; None if there is none or it cannot be read."""
    try:
        with np.load(entry, allow_pickle=False) as stored:
            layout, numbers = json.loads(stored["layout"].tobytes()), stored["numbers"]
        return _decoded(layout, numbers)
    except _UNREADABLE:
        return None


def _decoded(layout: dict, numbers: np.ndarray) -> tuple[list, dict]:
    from manim import VGroup
    from manim.utils.color import ManimColor

    classes, enums = _leaf_classes(), _enum_classes()

    def decoded(spec):
        tag = spec[0]
        if tag == "=" and (spec[1] is None or type(spec[1]) in PLAIN):
            return spec[1]
        if tag == "a":
            shape, start = spec[1], spec[2]
            return numbers[start : start + int(np.prod(shape))].reshape(shape).copy()
        if tag == "c":
            return ManimColor(tuple(float(x) for x in numbers[spec[1] : spec[1] + 4]))
        if tag == "e":
            return enums[spec[1]][spec[2]]
        if tag == "l":
            return []
        if tag == "g":
            return VGroup()
        raise ValueError(f"unknown tag {tag!r}")

    paths = []
    for class_name, attributes in layout["paths"]:
        path = classes[class_name].__new__(classes[class_name])
        path.__dict__.update({key: decoded(spec) for key, spec in attributes.items()})
        paths.append(path)
    groups = {name: VGroup(*(paths[i] for i in members)) for name, members in layout["groups"].items()}
    return paths, groups
