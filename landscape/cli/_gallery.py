"""``landscape gallery``: every scene and figure of the lecture, built into one offline page."""

from __future__ import annotations

import sys
import time

import click
from click.shell_completion import CompletionItem

from ._options import quiet_option
from ._progress import clear_bars, is_quiet, progress_bar

QUALITIES = ("low", "medium", "high")


def _names(ctx, param, value) -> tuple[str, ...]:
    return tuple(name.strip() for text in value for name in text.split(",") if name.strip())


def _complete_names(ctx, param, incomplete):
    from ..gallery import load_manifest

    try:
        manifest = load_manifest(ctx.params.get("manifest"))
    except ValueError:
        return []
    names = [topic.id for topic in manifest.topics] + [item.name for item in manifest.items]
    return [CompletionItem(name) for name in dict.fromkeys(names) if name.startswith(incomplete)]


@click.command("gallery")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to build into  [default: build/ next to the manifest, gallery/build/].",
)
@click.option(
    "-q",
    "--quality",
    type=click.Choice(QUALITIES),
    default="medium",
    show_default=True,
    help="Scenes at low 768x432 15 fps, medium 1280x720 30 fps, or high 1920x1080 60 fps.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes building items side by side  [default: one per CPU].",
)
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    callback=_names,
    shell_complete=_complete_names,
    help="Build only this item or topic (repeat, or NAME,NAME); the page still lists every topic.",
)
@click.option("--force", is_flag=True, help="Rebuild items whose inputs have not changed.")
@click.option(
    "--trust",
    is_flag=True,
    help="Trust the manifest: run the Python files its figures name as surfaces (file.py:NAME), "
    "and read results files outside its folder.",
)
@click.option(
    "--fps",
    type=click.IntRange(min=1),
    default=None,
    help="Frame rate of the scenes instead of the quality's.",
)
@click.option(
    "--time-scale",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Multiply every scene's run time (0.25: a quick preview).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False),
    default=None,
    help="The manifest to build  [default: gallery/manifest.toml in the project].",
)
@click.option("--list", "show_list", is_flag=True, help="List the topics and their items, then exit.")
@quiet_option
@click.pass_context
def command(ctx, output, quality, jobs, only, force, trust, fps, time_scale, manifest, show_list):
    """Build the lecture gallery: every scene and figure, and a page that shows them.

    Renders every scene and figure listed in the manifest, in the lecture's
    order, into DIR/media, and writes DIR/index.html: one section per
    topic with its video, figures, key formulas, the lecture's numbers, the
    parameters used and the command that reproduces each item. The page
    works offline; open it in any browser.

    Only items whose inputs (scene code, library source, parameters,
    quality) changed are rebuilt. A failing item is reported and the rest
    still build (exit status 1). After an interruption, run the same command
    again to finish.

    \b
    Examples:
      landscape gallery                          # gallery/build/index.html
      landscape gallery -q low --jobs 2          # quicker, smaller videos
      landscape gallery --only momentum,adam --force
      landscape gallery --list
    """
    from ..gallery import build, load_manifest

    loaded = load_manifest(manifest)
    if show_list:
        _print_list(loaded)
        return
    quiet = is_quiet()
    finished = {"built": 0, "failed": 0, "total": 0}
    started = time.perf_counter()
    with progress_bar(label="gallery", unit="item") as bar:

        def on_start(to_build: int, current: int, workers: int) -> None:
            finished["total"] = to_build
            bar.total = to_build
            bar.refresh()
            if not quiet and to_build:
                plural = "es" if workers > 1 else ""
                _say(bar, f"{to_build} to build, {current} up to date, in {workers} worker process{plural}")

        def on_item(event) -> None:
            bar.update(1)
            if event.ok:
                finished["built"] += 1
                if not quiet:
                    progress = f"[{event.done}/{event.total}]"
                    _say(bar, f"built {event.name} ({event.kind}, {event.seconds:.1f} s)  {progress}")
            else:
                finished["failed"] += 1
                _say(bar, f"failed {event.name} ({event.kind}): {event.error}  [log: {event.log}]")
            for message in event.warnings:
                _say(bar, f"Warning: {event.name}: {message}")

        try:
            report = build(
                loaded,
                output,
                quality=quality,
                fps=fps,
                time_scale=time_scale,
                jobs=jobs,
                only=only,
                force=force,
                trust=trust,
                on_item=on_item,
                on_start=on_start,
            )
        except KeyboardInterrupt:
            clear_bars()
            click.echo(
                f"Interrupted: {finished['built']} of {finished['total']} items built and kept; "
                "run the same command again to build the rest.",
                err=True,
            )
            ctx.exit(130)
    for tex, error in report.formula_errors.items():
        click.echo(f"Warning: formula shown as TeX source ({error}): {tex}", err=True)
    elapsed = time.perf_counter() - started
    click.echo(
        f"{len(report.built)} built, {len(report.up_to_date)} up to date, {len(report.failed)} failed "
        f"in {elapsed:.0f} s; open {report.page}",
        err=True,
    )
    click.echo(str(report.page))
    if report.failed:
        ctx.exit(1)


def _say(bar, text: str) -> None:
    bar.write(text, file=sys.stderr)


def _print_list(manifest) -> None:
    click.echo(f"{manifest.title} ({manifest.path})")
    for number, topic in enumerate(manifest.topics, 1):
        click.echo(f"{number:>3} {topic.id:<16}{topic.title}")
        for item in topic.items:
            what = (
                f"scene {item.scene}" if item.kind == "scene" else "figure: " + _describe_figure(item.config)
            )
            click.echo(f"      {item.name:<29}{what}")


def _describe_figure(config: dict) -> str:
    """``contour of elongated_bowl:kappa=200, sgd:lr=0.0098, ...``: a figure configuration in a line."""
    kind = config.get("kind", "contour")
    subject = config.get("surface") or ""
    optimizers = ", ".join(config.get("optimizers", []))
    return " ".join(part for part in (kind, "of" if subject else "", subject, optimizers) if part)
