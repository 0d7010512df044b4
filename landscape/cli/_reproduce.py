"""``landscape reproduce``: rebuild a figure from its sidecar.

A sidecar is data, not instructions: it chooses neither where to write (the
figure goes next to the sidecar, under a plain file name, or where ``-o``
says) nor what code runs (a surface from a Python file, or a results file
outside the sidecar's folder, only with ``--trust`` on the command line).
"""

from __future__ import annotations

from pathlib import Path

import click

from .._validation import InvalidArgument
from ..plot import FORMATS, check_figure_path
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
@click.option(
    "--trust",
    is_flag=True,
    help="Trust NAME.json: run the Python file its surface names, and read a results or "
    "trajectory file outside its folder.",
)
@quiet_option
@force_option
def command(sidecar, output, trust):
    """Rebuild a figure from its NAME.json sidecar.

    NAME.json is the sidecar `landscape plot` writes next to every figure.
    With the package versions recorded in the sidecar the new file has the
    same bytes as the original; a line on stderr says when versions differ.
    The figure is written next to NAME.json (or to -o); a sidecar naming
    your own Python code runs it only with --trust.

    \b
    Example:
      landscape plot rosenbrock -O adam:lr=0.05 -o fig.png
      landscape reproduce fig.json -o again.png     # cmp fig.png again.png
    """
    from ..plot import figure_from_config, read_sidecar, save_figure, sidecar_path, versions
    from ..specs import read_from

    document = read_sidecar(sidecar)
    folder = Path(sidecar).parent
    config = document["config"]
    path = check_figure_path(Path(output) if output else folder / _figure_name(sidecar, document["figure"]))
    files = {key: _named_file(sidecar, folder, key, config.get(key), trust) for key in ("results", "trace")}
    used = config | files
    with read_from(sidecar, trusted=trust):
        figure = figure_from_config(
            used, progress=tracker(f"plot {config.get('kind', '')}"), on_compile=compiling
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


def _figure_name(sidecar: str, name) -> str:
    """The figure's file name from the sidecar: a plain name, written next to it."""
    plain = isinstance(name, str) and name not in ("", ".", "..") and Path(name).name == name
    if not plain or "\\" in name or Path(name).suffix.lower() not in FORMATS:
        raise InvalidArgument(
            f"sidecar={sidecar!r} is not accepted: it names the figure {name!r}; expected a plain file "
            f"name ending in {', '.join(FORMATS)}, written next to the sidecar (or -o to choose)"
        )
    return name


def _named_file(sidecar: str, folder: Path, key: str, name, trust: bool):
    """A file the sidecar names (results, trace), read from the sidecar's folder unless trusted."""
    if name is None:
        return None
    if not isinstance(name, str):
        raise InvalidArgument(f"sidecar={sidecar!r} is not accepted: {key}={name!r} is not a file name")
    named = Path(name)
    if named.is_absolute() or ".." in named.parts:
        if not trust:
            raise InvalidArgument(
                f"sidecar={sidecar!r} is not accepted: it reads {key}={name!r}, outside its folder, "
                "and files named by a sidecar are read from its own folder unless you say so; "
                "expected --trust on the command line if you trust it"
            )
        return str(named if named.is_absolute() else folder / named)
    return str(folder / named)
