"""``landscape reproduce``: rebuild a figure from its sidecar."""

from __future__ import annotations

from pathlib import Path

import click

from ..plot import FORMATS
from ._options import force_option, quiet_option
from ._params import OutputType
from ._progress import compiling, tracker


@click.command("reproduce")
@click.argument("sidecar", metavar="NAME.json")
@click.option(
    "-o",
    "--output",
    type=OutputType(FORMATS),
    default=None,
    help="Where to write  [default: the figure named in NAME.json, next to it].",
)
@quiet_option
@force_option
def command(sidecar, output):
    """Rebuild a figure from its NAME.json sidecar.

    NAME.json is the sidecar `landscape plot` writes next to every figure.
    With the package versions recorded in the sidecar the new file has the
    same bytes as the original; a line on stderr says when versions differ.

    \b
    Example:
      landscape plot rosenbrock -O adam:lr=0.05 -o fig.png
      landscape reproduce fig.json -o again.png     # cmp fig.png again.png
    """
    from ..plot import figure_from_config, read_sidecar, save_figure, sidecar_path, versions

    document = read_sidecar(sidecar)
    config = document["config"]
    path = Path(output) if output else Path(sidecar).parent / document["figure"]
    if output is None:
        OutputType(FORMATS).convert(str(path), None, click.get_current_context())
    figure = figure_from_config(
        config, progress=tracker(f"plot {config.get('kind', '')}"), on_compile=compiling
    )
    recorded, current = document.get("versions") or {}, versions()
    changed = [f"{k} {recorded.get(k)} -> {v}" for k, v in current.items() if recorded.get(k) != v]
    if changed:
        click.echo(
            "Warning: versions differ from the sidecar's ("
            + ", ".join(changed)
            + "); the figure may differ in its bytes",
            err=True,
        )
    save_figure(figure, path, config=config, dpi=config.get("dpi"))
    click.echo(f"wrote {path} and {sidecar_path(path)}")
