"""``landscape analyze``: the critical points of a surface, classified."""

from __future__ import annotations

import json

import click
import numpy as np

from ._options import quiet_option
from ._params import NumbersType, SurfaceType
from ._progress import progress_bar

SHOWN_COORDINATES = 4  # longer positions and spectra are cut with "..."
_PLURAL = {"minimum": "minima", "maximum": "maxima", "saddle": "saddles", "degenerate": "degenerate"}


def _counts(points) -> dict[str, int]:
    kinds = [point.kind for point in points]
    return {kind: kinds.count(kind) for kind in _PLURAL}


def _numbers(values, digits=4) -> str:
    values = np.ravel(values)
    shown = ", ".join(f"{v:.{digits}g}" for v in values[:SHOWN_COORDINATES])
    return f"({shown}{', ...' if values.size > SHOWN_COORDINATES else ''})"


def table(points) -> list[str]:
    """The critical points as aligned text rows, sorted by value as the analysis returns them."""
    rows = [("#", "kind", "index", "value", "position", "eigenvalues")]
    for number, point in enumerate(points, start=1):
        rows.append(
            (
                str(number),
                point.kind,
                str(point.index),
                f"{point.value:.6g}",
                _numbers(point.position),
                _numbers(point.eigenvalues, 3),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


@click.command("analyze")
@click.argument("surface", type=SurfaceType())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of a table.")
@click.option(
    "--bounds",
    type=NumbersType(),
    default=None,
    help="Search window LOW1,HIGH1,LOW2,HIGH2,...  [default: the surface's bounds].",
)
@click.option(
    "--starts",
    type=click.IntRange(min=1),
    default=None,
    help="Starting points of the multistart search  [default: the analysis' choice].",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of the random starting points.",
)
@quiet_option
def command(surface, as_json, bounds, starts, seed):
    """Find, classify and list the critical points of SURFACE.

    Each critical point (gradient zero) inside the window is listed with its
    kind (minimum, maximum, saddle, degenerate), index (number of negative
    Hessian eigenvalues), value, position and eigenvalues, sorted by value.
    The search is called complete only when a bound proves it (Bezout's
    for a polynomial, one point for a strictly convex cost); otherwise the
    line says how many points the starts found and how many the last half
    of them added.

    \b
    Examples:
      landscape analyze himmelblau
      landscape analyze six_hump_camel --json > camel.json
      landscape analyze "expr:x**3 - 3*x*y**2"
    """
    from .. import analysis
    from ..specs import parse_surface

    built = parse_surface(surface)
    if bounds is not None:
        if len(bounds) != 2 * built.dim:
            raise click.BadParameter(
                f"{len(bounds)} numbers are not accepted; expected {2 * built.dim} "
                f"(LOW,HIGH for each of the {built.dim} coordinates)",
                param_hint="'--bounds'",
            )
        bounds = np.reshape(bounds, (built.dim, 2))
    with progress_bar(total=1, label="finding critical points") as bar:

        def report(text):  # the search's own status next to the bar's clock
            bar.set_postfix_str(text.removeprefix("critical points: "), refresh=False)

        points = analysis.critical_points(built, bounds=bounds, starts=starts, seed=seed, progress=report)
        bar.update(1)
    if as_json:
        document = {
            "surface": surface,
            "complete": bool(points.complete),
            "note": points.note,
            "starts": points.starts,
            "new_in_last_half": points.new_in_last_half,
            "bound": points.bound,
            "critical_points": points.to_records(),
        }
        click.echo(json.dumps(document, indent=2, default=_jsonable))
        return
    window = np.asarray(built.bounds if bounds is None else bounds)
    box = " x ".join(f"[{low:g}, {high:g}]" for low, high in window[:SHOWN_COORDINATES])
    box += " x ..." if len(window) > SHOWN_COORDINATES else ""
    status = "search complete" if points.complete else f"search not proven complete: {points.note}"
    kinds = ", ".join(f"{n} {_PLURAL[k] if n != 1 else k}" for k, n in _counts(points).items() if n)
    click.echo(f"{surface} in {box}: {kinds or 'no critical point'} ({status})")
    click.echo("\n".join(table(points)))


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
