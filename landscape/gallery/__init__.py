"""The lecture gallery: every scene and figure of the lecture, built into one offline page.

``build`` reads the manifest (``gallery/manifest.toml``: the lecture's topics
in order, each with its scenes, figures, caption, formulas and worked
numbers), renders what is missing or out of date in parallel worker
processes, and writes ``index.html`` next to the media. ``landscape gallery``
is the same from the shell.

>>> from landscape.gallery import load_manifest
>>> [topic.id for topic in load_manifest().topics][-2:]
['lr-decay', 'local-optima']
"""

from ._build import QUALITIES, BuildReport, ItemDone, build
from ._inputs import Settings, item_key, library_digest
from ._manifest import Item, Manifest, Numbers, Topic, default_manifest, load_manifest
from ._record import RECORD_NAME, Record

__all__ = [
    "QUALITIES",
    "RECORD_NAME",
    "BuildReport",
    "Item",
    "ItemDone",
    "Manifest",
    "Numbers",
    "Record",
    "Settings",
    "Topic",
    "build",
    "default_manifest",
    "item_key",
    "library_digest",
    "load_manifest",
]
