"""``landscape list``: what can be named on the command line."""

from __future__ import annotations

import importlib.util

import click

from .. import optim, schedules, surfaces
from ..plot import format_value

_REGISTRIES = {
    "surfaces": (
        surfaces,
        "SURFACE: NAME[:key=value,...], expr:FORMULA or path/to/file.py:ATTRIBUTE",
    ),
    "optimizers": (optim, "-O SPEC: NAME[:key=value,...], e.g. adam:lr=0.05,b1=0.9"),
    "schedules": (schedules, "as a value: lr=NAME(args), e.g. sgd:lr=inverse_time(0.2,1)"),
}


def scenes_available() -> bool:
    """Whether ``landscape.rendering`` (the animations) is installed, without importing it."""
    return importlib.util.find_spec("landscape.rendering") is not None


def _scene_lines() -> list[str]:
    """Scenes from ``landscape.rendering.scene_catalog()``, with their parameters."""
    from ._render import scene_lines

    return scene_lines()


CATEGORIES = (*_REGISTRIES, *(("scenes",) if scenes_available() else ()))


def _registry_lines(registry) -> list[str]:
    lines = []
    for name in registry.names():
        parameters = registry.parameters(name)
        shown = ", ".join(f"{k}={format_value(v)}" for k, v in parameters.items()) or "no parameters"
        description = registry.describe(name).replace("``", "")
        lines.append(f"  {name:<24}{description}")
        lines.append(f"  {'':<24}{shown}")
    return lines


@click.command("list")
@click.argument("what", type=click.Choice(CATEGORIES), required=False)
def command(what):
    """List surfaces, optimizers and schedules.

    Each name is shown with its one-line description, its parameters and
    their defaults, ready to be used in a spec.

    \b
    Examples:
      landscape list
      landscape list optimizers
    """
    for category in [what] if what else CATEGORIES:
        if category == "scenes":
            click.echo("scenes (landscape render NAME)")
            click.echo("\n".join(_scene_lines()))
            continue
        registry, usage = _REGISTRIES[category]
        click.echo(f"{category} ({usage})")
        click.echo("\n".join(_registry_lines(registry)))
        if category != (what or CATEGORIES[-1]):
            click.echo()
