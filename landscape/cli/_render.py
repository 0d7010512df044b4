"""``landscape render``: a lecture scene to a video, GIF or poster image."""

from __future__ import annotations

import click

from ..plot import format_value
from ..rendering import FORMATS, QUALITIES
from ._options import force_option, quiet_option
from ._params import OutputType
from ._progress import progress_bar


class Assignment(click.ParamType):
    """A scene parameter ``key=value``; the scene checks the key and the value."""

    name = "KEY=VALUE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        key, sep, text = value.partition("=")
        if not sep or not key.isidentifier():
            self.fail(f"{value!r} is not accepted; expected a scene parameter as key=value", param, ctx)
        return key, text


def scene_lines() -> list[str]:
    """One line per scene (name and description), then its parameters and defaults."""
    from ..rendering import scene_catalog

    lines = []
    for scene in scene_catalog():
        lines.append(f"  {scene.name:<18}{scene.description}")
        shown = ", ".join(f"{key}={format_value(value)}" for key, value in scene.parameters.items())
        lines.append(f"  {'':<18}{shown}")
    return lines


@click.command("render")
@click.argument("scene", required=False)
@click.argument("params", nargs=-1, type=Assignment())
@click.option(
    "-q",
    "--quality",
    type=click.Choice(list(QUALITIES)),
    default="medium",
    show_default=True,
    help="low 768x432 15 fps, medium 1280x720 30 fps, high 1920x1080 60 fps, 4k 3840x2160 60 fps.",
)
@click.option("--fps", type=click.IntRange(min=1), default=None, help="Frame rate instead of the quality's.")
@click.option(
    "-o",
    "--output",
    type=OutputType(FORMATS),
    default=None,
    help="File to write: .mp4, .webm, .gif, or .png for the last frame  [default: SCENE.mp4].",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering disjoint parts of the scene, joined without re-encoding"
    "  [default: as many as make it faster here; 1 on two cores].",
)
@click.option("--list", "show_list", is_flag=True, help="List the scenes and their parameters, then exit.")
@quiet_option
@force_option
def command(scene, params, quality, fps, output, jobs, show_list):
    """Render a lecture scene (Manim) to a video, GIF or poster image.

    SCENE is one of 'landscape render --list'; scene parameters follow as
    key=value. A progress bar counts frames; Ctrl-C leaves no partial file.

    \b
    Examples:
      landscape render --list
      landscape render momentum -q high -o momentum.mp4
      landscape render ewa -q low -o ewa.gif time_scale=0.5
      landscape render adam --jobs 2 surface=rosenbrock steps=300
    """
    from ..rendering import get_scene, render

    if show_list:
        click.echo("scenes (landscape render NAME [key=value ...])")
        click.echo("\n".join(scene_lines()))
        return
    if scene is None:
        raise click.UsageError("missing argument SCENE, one of the names in 'landscape render --list'")
    keys = [key for key, _ in params]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise click.BadParameter(
            f"{repeated[0]} is given twice; expected each parameter once", param_hint="PARAMS"
        )
    info = get_scene(scene)  # unknown names and parameters fail before any work
    info.configured(dict(params))
    output = output or f"{scene}.mp4"
    with progress_bar(label=scene, unit="frame") as bar:

        def advance(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
                bar.refresh()
            bar.update(done - bar.n)

        progress = None if bar.disable else advance  # counting frames costs a dry run of the scene
        render(scene, output, quality=quality, fps=fps, params=dict(params), jobs=jobs, progress=progress)
    click.echo(output)
