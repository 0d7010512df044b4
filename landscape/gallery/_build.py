"""``build``: every scene and figure of the manifest into a folder, incrementally and in parallel."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .._io import atomic_path
from .._machine import usable_cores
from .._validation import InvalidArgument, check_choice, check_int, check_scalar, invalid
from . import _pool
from ._explore import build_explorer
from ._explore import formulas as explorer_formulas
from ._formulas import typeset
from ._inputs import Settings, item_key
from ._items import MEDIA, Task, build_item, command, untrusted_reason
from ._manifest import Item, Manifest, load_manifest
from ._page import INK, write_page
from ._record import Record, locked, remove_partial_files

QUALITIES = ("low", "medium", "high")
LOGS = "logs"
EXPLORER = "explore"  # what ``only`` names the explorer page by
# Expected build times (seconds) of items never built, to start the longest first.
_GUESS = {"scene": 60.0, "figure": 5.0}


@dataclass(frozen=True)
class ItemDone:
    """What ``on_item`` receives when an item has finished (built or failed)."""

    name: str
    kind: str
    ok: bool
    seconds: float
    error: str | None
    warnings: tuple[str, ...]
    log: Path | None
    done: int  # items finished so far in this build
    total: int  # items this build had to build


@dataclass
class BuildReport:
    """The outcome of ``build``.

    Attributes
    ----------
    folder, page : pathlib.Path
        The output folder and its ``index.html``.
    built, up_to_date : list of str
        Items built now, and items whose outputs were already current.
    failed : dict
        Item name → one-line error (the traceback is in ``folder/logs/NAME.log``).
    formula_errors : dict
        TeX → why it could not be typeset (the page shows its source instead).
    explorer : pathlib.Path or None
        The explorer page ``explore.html``, when this build made or checked it.
    seconds : float
    """

    folder: Path
    page: Path
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    formula_errors: dict[str, str] = field(default_factory=dict)
    explorer: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every selected item is built."""
        return not self.failed


@dataclass(frozen=True)
class _Plan:
    item: Item
    key: str
    overrides: dict  # scene parameters given to render
    parameters: dict  # every parameter the item is built with (shown on the page)
    command: str


def build(
    manifest=None,
    output=None,
    *,
    quality: str = "medium",
    fps: int | None = None,
    time_scale: float | None = None,
    jobs: int | None = None,
    only=None,
    force: bool = False,
    trust: bool = False,
    on_item: Callable[[ItemDone], None] | None = None,
    on_start: Callable[[int, int, int], None] | None = None,
) -> BuildReport:
    """Build the gallery: every scene and figure of the manifest, and the page ``index.html``.

    Parameters
    ----------
    manifest : str, pathlib.Path or Manifest, optional
        Default: ``gallery/manifest.toml`` of the project.
    output : str or pathlib.Path, optional
        The folder to build into (default: ``build/`` next to the manifest).
    quality : {"low", "medium", "high"}
        Scenes at 768×432 and 15 fps, 1280×720 and 30 fps, or 1920×1080 and 60 fps.
    fps : int, optional
        Frame rate of the scenes instead of the quality's.
    time_scale : float, optional
        Multiplies every scene's run time (0.25 for a quick preview).
    jobs : int, optional
        Worker processes building items side by side (default: the number of CPUs).
    only : iterable of str, optional
        Build only these items (a topic id stands for all its items, and
        ``"explore"`` for the explorer page, which a full build makes too); the
        page still lists every topic.
    force : bool
        Rebuild items even when their inputs have not changed.
    trust : bool
        Run the Python files that the manifest's figures name as surfaces
        (``my_surfaces.py:bowl``) and read results files outside its folder;
        without it such a manifest is refused, since a file read from disk
        runs no code and reads nothing elsewhere unless the user says so.
    on_item : callable, optional
        Called with an ``ItemDone`` as each item finishes.
    on_start : callable, optional
        Called as ``on_start(to_build, up_to_date, workers)`` before the first item starts.

    Returns
    -------
    BuildReport

    Raises
    ------
    ValueError
        For a bad manifest, scene name or parameter, setting, ``only`` name,
        or an output folder that cannot be written or is being built by
        another process. Nothing is built then.
    KeyboardInterrupt
        After stopping the workers: every item finished before it is kept,
        recorded and shown on the page; the next build completes the rest.

    Notes
    -----
    An item is rebuilt only when the digest of its inputs differs from the
    one recorded in ``gallery.json`` (see ``landscape.gallery.item_key``) or
    a file of it is missing. Each file is written under a temporary name and
    renamed when complete, and the record and page are rewritten after each
    item, so a build killed at any moment leaves a usable page.

    Examples
    --------
    >>> from landscape.gallery import build
    >>> report = build(quality="low", only=["ewa"])  # doctest: +SKIP
    >>> report.page  # doctest: +SKIP
    PosixPath('gallery/build/index.html')
    """
    start = time.perf_counter()
    manifest = manifest if isinstance(manifest, Manifest) else load_manifest(manifest)
    settings = Settings(
        quality=check_choice("quality", quality, QUALITIES),
        fps=None if fps is None else check_int("fps", fps, minimum=1),
        time_scale=None
        if time_scale is None
        else check_scalar("time_scale", time_scale, low=0.0, low_open=True),
    )
    jobs = usable_cores() if jobs is None else check_int("jobs", jobs, minimum=1)
    names = [name for name in (only or ()) if name != EXPLORER]
    explorer = not only or EXPLORER in only  # "explore": the explorer page (built with every full build)
    selected = manifest.select(names) if names else (() if only else manifest.select(None))
    plans = _plans(manifest, settings, trust)
    folder = _folder(output if output is not None else manifest.path.parent / "build")
    keys = {name: plan.key for name, plan in plans.items()}
    commands = {name: plan.command for name, plan in plans.items()}

    with locked(folder):
        (folder / MEDIA).mkdir(exist_ok=True)
        for place in (folder, folder / MEDIA):
            remove_partial_files(place)
        record = Record.load(folder)
        for name in {*record.built, *record.failed} - set(plans):  # no longer in the manifest
            record.remove(name)
        texts = [tex for topic in manifest.topics for tex in topic.formulas] + explorer_formulas()
        formulas = typeset(texts, folder, color=INK)
        report = BuildReport(folder=folder, page=folder / "index.html")
        report.formula_errors = {tex: f.error for tex, f in formulas.items() if f.error}
        todo = [item for item in selected if force or not record.current(item.name, keys[item.name])]
        report.up_to_date = [item.name for item in selected if item not in todo]
        todo.sort(key=lambda item: -record.built.get(item.name, {}).get("seconds", _GUESS[item.kind]))

        def publish():
            record.save()
            write_page(manifest, record, keys, commands, formulas)

        publish()
        source = str(manifest.path)
        tasks = [Task(item, settings, folder, plans[item.name].overrides, source, trust) for item in todo]
        workers = min(jobs, len(tasks))
        if on_start is not None:
            on_start(len(todo), len(report.up_to_date), workers)
        with contextlib.closing(_pool.run(build_item, tasks, workers)) as results:
            for done, (task, result) in enumerate(results, start=1):
                event = _store(record, plans[task.item.name], result, done, len(tasks))
                if event.ok:
                    report.built.append(event.name)
                else:
                    report.failed[event.name] = event.error
                publish()
                if on_item is not None:
                    on_item(event)
        if explorer:
            report.explorer = build_explorer(folder, formulas, force=force)
            publish()
    report.seconds = time.perf_counter() - start
    return report


def _store(record: Record, plan: _Plan, result: dict, done: int, total: int) -> ItemDone:
    """Put one result into the record (and a failure's log into ``logs/``)."""
    item = plan.item
    log = record.folder / LOGS / f"{item.name}.log"
    if result["ok"]:
        record.built[item.name] = {
            "key": plan.key,
            "kind": item.kind,
            "outputs": result["outputs"],
            "command": plan.command,
            "parameters": plan.parameters or result.get("parameters", {}),
            "details": result["details"],
            "seconds": round(result["seconds"], 2),
            "warnings": result["warnings"],
        }
        record.failed.pop(item.name, None)
        with contextlib.suppress(FileNotFoundError):
            log.unlink()
        saved = None
    else:
        log.parent.mkdir(exist_ok=True)
        with atomic_path(log) as temporary:
            temporary.write_text(f"{item.name}: {result['error']}\n\n{result['log']}", encoding="utf-8")
        record.failed[item.name] = {
            "key": plan.key,
            "error": result["error"],
            "log": f"{LOGS}/{item.name}.log",
        }
        saved = log
    return ItemDone(
        name=item.name,
        kind=item.kind,
        ok=result["ok"],
        seconds=result["seconds"],
        error=result.get("error"),
        warnings=tuple(result.get("warnings", ())),
        log=saved,
        done=done,
        total=total,
    )


def _plans(manifest: Manifest, settings: Settings, trust: bool) -> dict[str, _Plan]:
    """Key, parameters and command of every item; scenes, their parameters and code are checked here."""
    plans = {}
    for item in manifest.items:
        reason = untrusted_reason(item.config) if item.kind == "figure" and not trust else None
        if reason is not None:
            raise InvalidArgument(
                f"manifest {str(manifest.path)!r} (item {item.name!r}) is not accepted: {reason}, which a "
                "file may do only if you say so; expected --trust on the command line if you trust it"
            )
        if item.kind == "scene":
            from ..rendering import get_scene

            try:
                info = get_scene(item.scene)
                overrides = dict(item.params)
                if settings.time_scale is not None:
                    overrides["time_scale"] = settings.time_scale
                converted = {key: info.convert(key, value) for key, value in overrides.items()}
            except InvalidArgument as error:
                raise InvalidArgument(
                    f"manifest {str(manifest.path)!r} (item {item.name!r}): {error}"
                ) from None
            parameters = info.parameters | converted
            key = item_key(item, settings, scene_file=info.path, params=parameters)
            plans[item.name] = _Plan(item, key, converted, parameters, command(item, settings, converted))
        else:
            plans[item.name] = _Plan(item, item_key(item, settings), {}, {}, command(item, settings, {}))
    return plans


def _folder(output) -> Path:
    folder = Path(output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise invalid("output", str(folder), f"a folder that can be created ({error.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise invalid("output", str(folder), "a folder you can write")
    return folder
