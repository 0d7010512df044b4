"""The gallery's manifest: the lecture's topics in order, each with its scenes, figures and caption.

The manifest is a TOML file (by default ``gallery/manifest.toml`` at the top
of the project)::

    title = "Optimization Algorithms"

    [[topic]]
    id = "momentum"
    title = "Gradient descent with momentum"
    summary = "Average the gradients ..."
    formulas = ['v_{dW} = \\beta\\, v_{dW} + (1-\\beta)\\, dW']
    numbers.columns = ["quantity", "value"]
    numbers.rows = [["β", 0.9], ["gradients averaged ≈ 1/(1−β)", 10]]

    [[topic.scene]]              # a scene of the catalogue (landscape render --list)
    scene = "momentum"
    params = { beta = 0.9 }      # optional overrides of its parameters

    [[topic.figure]]             # a figure configuration of landscape.plot (figure_from_config)
    name = "momentum-contour"
    config = { kind = "contour", surface = "elongated_bowl:kappa=50", steps = 40,
               optimizers = ["sgd:lr=0.038", "momentum:lr=0.08,beta=0.9"] }

Loading checks the structure (known keys, types, unique names) and each
figure's configuration (``landscape.plot.complete_config``); whether the
scenes exist and take the given parameters is checked when a build starts,
with the scene catalogue.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .._validation import InvalidArgument

MANIFEST_VARIABLE = "LANDSCAPE_GALLERY_MANIFEST"
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Item:
    """One thing the gallery builds: a scene (video and poster) or a figure (image and sidecar).

    Attributes
    ----------
    name : str
        Unique in the manifest; names the output files and what ``--only`` takes.
    kind : {"scene", "figure"}
    topic : str
        The id of the topic the item belongs to.
    caption : str
        One or two sentences shown under the item (may be empty).
    scene : str or None
        For a scene: its name in the catalogue (``landscape render --list``).
    params : dict
        For a scene: parameter overrides, as values or strings.
    config : dict
        For a figure: its configuration, as ``landscape.plot.figure_from_config``
        takes it (missing keys take their defaults when it is built).
    """

    name: str
    kind: str
    topic: str
    caption: str = ""
    scene: str | None = None
    params: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Numbers:
    """A small table of the lecture's worked numbers: column headings and rows of cells."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class Topic:
    """One section of the page: a lecture topic with its text, formulas, numbers and items."""

    id: str
    title: str
    short: str  # the title in the page's navigation
    summary: str
    formulas: tuple[str, ...]
    numbers: Numbers | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Manifest:
    """The whole gallery, topics in lecture order.

    Attributes
    ----------
    title, subtitle : str
        The page's heading.
    topics : tuple of Topic
    path : pathlib.Path
        The file it was read from.
    """

    title: str
    subtitle: str
    topics: tuple[Topic, ...]
    path: Path

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, in page order."""
        return tuple(item for topic in self.topics for item in topic.items)

    def select(self, names=None) -> tuple[Item, ...]:
        """The items named (or all of them); a topic id selects all of that topic's items.

        Raises
        ------
        ValueError
            For a name that is neither an item nor a topic.
        """
        if not names:
            return self.items
        topics = {topic.id: topic for topic in self.topics}
        items = {item.name: item for item in self.items}
        chosen = set()
        for name in names:
            if name in topics:
                chosen.update(item.name for item in topics[name].items)
            elif name in items:
                chosen.add(name)
            else:
                listing = ", ".join([*topics, *(n for n in items if n not in topics)])
                raise InvalidArgument(
                    f"only={name!r} is not accepted; expected item or topic names among: {listing}"
                )
        return tuple(item for item in self.items if item.name in chosen)


def default_manifest() -> Path:
    """``$LANDSCAPE_GALLERY_MANIFEST`` or the project's ``gallery/manifest.toml``."""
    import os

    configured = os.environ.get(MANIFEST_VARIABLE)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "gallery" / "manifest.toml"


def load_manifest(path=None) -> Manifest:
    """Read and check a gallery manifest.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A TOML file (default: ``default_manifest()``).

    Returns
    -------
    Manifest

    Raises
    ------
    ValueError
        One line naming the file, the place in it and what is accepted: a
        missing file, TOML syntax, unknown or missing keys, wrong types,
        names that are not lower-case-with-hyphens or are used twice.

    Examples
    --------
    >>> from landscape.gallery import load_manifest
    >>> manifest = load_manifest()
    >>> [topic.id for topic in manifest.topics][:3]
    ['minibatch', 'batch-size', 'ewa']
    """
    path = Path(path) if path is not None else default_manifest()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidArgument(
            f"manifest={str(path)!r} is not accepted; expected a readable TOML file ({error.strerror})"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidArgument(f"manifest {str(path)!r} is not valid TOML: {error}") from None
    where = _Where(path)
    _keys(where, document, required=("topic",), optional=("title", "subtitle"))
    topics = tuple(
        _topic(where.at(f"topic {i + 1}"), entry) for i, entry in enumerate(_tables(where, document, "topic"))
    )
    _unique(where, "topic id", [topic.id for topic in topics])
    _unique(where, "item name", [item.name for topic in topics for item in topic.items])
    return Manifest(
        title=_text(where, document, "title", "Lecture gallery"),
        subtitle=_text(where, document, "subtitle", ""),
        topics=topics,
        path=path,
    )


class _Where:
    """The file and the place in it an error is about."""

    def __init__(self, path: Path, place: str = ""):
        self.path, self.place = path, place

    def at(self, place: str) -> _Where:
        return _Where(self.path, f"{self.place}, {place}" if self.place else place)

    def error(self, message: str) -> InvalidArgument:
        place = f" ({self.place})" if self.place else ""
        return InvalidArgument(f"manifest {str(self.path)!r}{place}: {message}")


def _topic(where: _Where, entry: dict) -> Topic:
    _keys(
        where,
        entry,
        required=("id", "title", "summary"),
        optional=("short", "formulas", "numbers", "scene", "figure"),
    )
    topic_id = _name(where, entry, "id")
    where = where.at(f"topic {topic_id!r}")
    scenes = [
        _scene(where.at(f"scene {i + 1}"), topic_id, e) for i, e in enumerate(_tables(where, entry, "scene"))
    ]
    figures = [
        _figure(where.at(f"figure {i + 1}"), topic_id, e)
        for i, e in enumerate(_tables(where, entry, "figure"))
    ]
    formulas = entry.get("formulas", [])
    if not isinstance(formulas, list) or not all(isinstance(f, str) and f.strip() for f in formulas):
        raise where.error(f"formulas={formulas!r} is not accepted; expected a list of TeX strings")
    return Topic(
        id=topic_id,
        title=_text(where, entry, "title"),
        short=_text(where, entry, "short", entry.get("title", "")),
        summary=_text(where, entry, "summary"),
        formulas=tuple(formulas),
        numbers=_numbers(where, entry["numbers"]) if "numbers" in entry else None,
        items=tuple(scenes + figures),
    )


def _scene(where: _Where, topic: str, entry: dict) -> Item:
    _keys(where, entry, required=("scene",), optional=("name", "caption", "params"))
    scene = _text(where, entry, "scene")
    params = entry.get("params", {})
    if not isinstance(params, dict) or any(isinstance(v, (dict, list)) for v in params.values()):
        raise where.error(f"params={params!r} is not accepted; expected a table of key = value")
    name = _name(where, entry, "name") if "name" in entry else scene
    if not _NAME.match(name):
        raise where.error(f'scene={scene!r} needs a name: give name = "lower-case-with-hyphens"')
    return Item(
        name=name,
        kind="scene",
        topic=topic,
        caption=_text(where, entry, "caption", ""),
        scene=scene,
        params=params,
    )


def _figure(where: _Where, topic: str, entry: dict) -> Item:
    from ..plot import complete_config

    _keys(where, entry, required=("name", "config"), optional=("caption",))
    name = _name(where, entry, "name")
    config = entry["config"]
    if not isinstance(config, dict):
        raise where.error(f"config={config!r} is not accepted; expected a table such as {{ kind = \"ewa\" }}")
    try:
        complete_config(config)
    except ValueError as error:
        raise where.error(f"figure {name!r}: {error}") from None
    return Item(
        name=name, kind="figure", topic=topic, caption=_text(where, entry, "caption", ""), config=config
    )


def _numbers(where: _Where, entry) -> Numbers:
    where = where.at("numbers")
    if not isinstance(entry, dict):
        raise where.error(f"{entry!r} is not accepted; expected numbers.columns and numbers.rows")
    _keys(where, entry, required=("columns", "rows"))
    columns, rows = entry["columns"], entry["rows"]
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns) or not columns:
        raise where.error(f"columns={columns!r} is not accepted; expected a list of headings")
    cells = (str, int, float)
    if (
        not isinstance(rows, list)
        or not rows
        or not all(
            isinstance(r, list) and len(r) == len(columns) and all(isinstance(c, cells) for c in r)
            for r in rows
        )
    ):
        raise where.error(
            f"rows={rows!r} is not accepted; expected rows of {len(columns)} numbers or strings"
        )
    return Numbers(columns=tuple(columns), rows=tuple(tuple(row) for row in rows))


def _tables(where: _Where, entry: dict, key: str) -> list[dict]:
    tables = entry.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise where.error(f"{key}={tables!r} is not accepted; expected [[...{key}]] tables")
    return tables


def _keys(where: _Where, entry: dict, *, required=(), optional=()) -> None:
    for key in entry:
        if key not in required and key not in optional:
            raise where.error(
                f"unknown key {key!r}; expected keys among: {', '.join((*required, *optional))}"
            )
    for key in required:
        if key not in entry:
            raise where.error(f"missing key {key!r}")


def _text(where: _Where, entry: dict, key: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise where.error(f"{key}={value!r} is not accepted; expected text")
    return value.strip()


def _name(where: _Where, entry: dict, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not _NAME.match(value):
        raise where.error(f"{key}={value!r} is not accepted; expected lower-case letters, digits and hyphens")
    return value


def _unique(where: _Where, what: str, names: list[str]) -> None:
    seen = set()
    for name in names:
        if name in seen:
            raise where.error(f"{what} {name!r} is used twice; names must be unique")
        seen.add(name)
