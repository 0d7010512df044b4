"""``landscape plot``: a lecture-quality figure in one line."""

from __future__ import annotations

from pathlib import Path

import click

from ..plot import (
    DEFAULTS,
    FORMATS,
    KINDS,
    MAX_DPI,
    MAX_LEVELS,
    MIN_DPI,
    OPTION_DEFAULTS,
    SLICE_DEFAULTS,
    SLICE_DESCRIPTIONS,
    SLICE_METHODS,
    check_figure_path,
    trace_file,
)
from ..sweeping import METRIC_COLUMNS
from ._options import TRACE_OPTIONS, force_option, quiet_option, trace_options, trace_settings
from ._params import NamesType, NumbersType, OutputType, PairType, SurfaceOrResultsType
from ._progress import compiling, tracker

# The help lists every kind of figure from the table that builds them.
HELP = """Draw a figure of SURFACE and the optimizers given with -O, or of a sweep's RESULTS.

Every figure gets a sidecar NAME.json (configuration, seed, package
versions); `landscape reproduce NAME.json` rebuilds it bit for bit.

\b
Kinds (--kind):
{kinds}

\b
Examples:
  landscape plot rosenbrock -O adam:lr=0.05 -O sgd:lr=0.001 --steps 500 -o rosenbrock.png
  landscape plot elongated_bowl:kappa=25 -O sgd:lr=0.075 -O momentum:lr=0.075,beta=0.9 \\
      --kind loss --particles 200 --noise 0.5 -o loss.pdf
  landscape plot "expr:x**2 + 10*y**2" -O adam:lr=0.3 --kind surface3d -o bowl.png
  landscape plot --kind ewa -o ewa.png
  landscape plot random_quadratic:dim=10000 --kind spectrum -o goe.png
  landscape plot --kind minima-vs-dim --dims 1,2,3,4,5,6 -o minima.png
  landscape plot random_field:dim=20 --kind index-vs-loss -o dauphin.png
  landscape plot mlp:data=spirals -O adam:lr=0.01 --epochs 50 --batch-size 64 --kind data -o net.png
  landscape plot --kind sweep results.parquet --metric steps_to_tol -o stability.png
  landscape plot rosenbrock:dim=20 -O adam:lr=0.02 --steps 300 --slice pca -o pca.png
  landscape plot rosenbrock:dim=20 --trace run.npz --slice filter --kind surface3d -o filter.png
  landscape plot rosenbrock:dim=20 --trace run.npz --kind line -o line.png

\b
Slices (--slice), to see a surface of any dimension on a plane or a line:
{slices}
""".format(
    kinds="\n".join(f"  {name:<15}{kind.description}" for name, kind in KINDS.items()),
    slices="\n".join(f"  {name:<15}{text}" for name, text in SLICE_DESCRIPTIONS.items()),
)


def _option_name(key: str) -> str:
    return "-O" if key == "optimizers" else "--" + key.replace("_", "-")


def _check_relevant(ctx, kind_name: str, options: dict) -> None:
    """Refuse options given on the command line that this kind of figure would ignore."""
    kind = KINDS[kind_name]
    relevant = set(kind.options) | {"seed"} | (set(TRACE_OPTIONS) if kind.traces else set())
    for key in options:
        given = ctx.get_parameter_source(key) == click.core.ParameterSource.COMMANDLINE
        shaping = set(OPTION_DEFAULTS) | set(SLICE_DEFAULTS) | set(TRACE_OPTIONS)
        if given and key not in relevant and key in shaping:
            raise click.UsageError(f"{_option_name(key)} does not apply to --kind {kind_name}")


@click.command("plot", help=HELP)
@click.argument("surface", metavar="[SURFACE | RESULTS]", type=SurfaceOrResultsType(), required=False)
@trace_options
@click.option(
    "--kind",
    type=click.Choice(list(KINDS)),
    default=DEFAULTS["kind"],
    show_default=True,
    help="What to draw (see the list above).",
)
@click.option(
    "--bounds",
    type=NumbersType(4),
    default=None,
    help="Window XMIN,XMAX,YMIN,YMAX (contour, surface3d)  [default: the surface's bounds].",
)
@click.option(
    "--levels",
    type=click.IntRange(2, MAX_LEVELS),
    default=DEFAULTS["levels"],
    show_default=True,
    help="Number of log-spaced contour levels (contour).",
)
@click.option(
    "--betas",
    type=NumbersType(),
    default=",".join(map(str, DEFAULTS["betas"])),
    show_default=True,
    help="EWA weights β in [0, 1) (ewa).",
)
@click.option(
    "--unit",
    type=click.Choice(["F", "C"]),
    default=DEFAULTS["unit"],
    show_default=True,
    help="Temperature unit (ewa).",
)
@click.option(
    "--point",
    type=NumbersType(),
    default=None,
    help="Where the Hessian is taken, X1,X2,... (spectrum)  [default: the surface's default start].",
)
@click.option(
    "--probes",
    type=click.IntRange(min=1),
    default=DEFAULTS["probes"],
    show_default=True,
    help="Random probe vectors of the stochastic Lanczos quadrature (spectrum).",
)
@click.option(
    "--lanczos-steps",
    type=click.IntRange(min=1),
    default=DEFAULTS["lanczos_steps"],
    show_default=True,
    help="Lanczos steps per probe (spectrum).",
)
@click.option(
    "--dims",
    type=NumbersType(integers=True, minimum=1),
    default=",".join(map(str, DEFAULTS["dims"])),
    show_default=True,
    help="Dimensions measured (minima-vs-dim).",
)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=DEFAULTS["samples"],
    show_default=True,
    help="Random Hessians per dimension (minima-vs-dim).",
)
@click.option(
    "--ensemble",
    default=DEFAULTS["ensemble"],
    show_default=True,
    help="Random-matrix ensemble of the Hessians: goe or wishart (minima-vs-dim).",
)
@click.option(
    "--starts",
    type=click.IntRange(min=1),
    default=DEFAULTS["starts"],
    show_default=True,
    help="Starts of the critical-point search (index-vs-loss).",
)
@click.option(
    "--metric",
    type=click.Choice([*METRIC_COLUMNS, "final_value", "best_value", "steps_to_tol"]),
    metavar="METRIC",
    default=DEFAULTS["metric"],
    show_default=True,
    help="The metric to colour (sweep): final_value, best_value or steps_to_tol (their median; "
    "_q25 or _q75 for quartiles), reached_fraction or diverged_fraction.",
)
@click.option(
    "--axes",
    type=NamesType(2),
    default=None,
    help="Grid columns X,Y along the axes (sweep)  [default: lr,beta when both were swept].",
)
@click.option(
    "--where",
    type=PairType(),
    multiple=True,
    help="Fix a grid column that is not an axis (sweep), e.g. --where batch_size=64; repeat as needed.",
)
@click.option(
    "--slice",
    type=click.Choice(SLICE_METHODS),
    default=None,
    help="Draw a plane or line through SURFACE, of any dimension (contour, surface3d, line; see above).",
)
@click.option(
    "--trace",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Paths from a file of `landscape trace` (.npz), drawn and followed by --slice.",
)
@click.option(
    "--span",
    type=NumbersType(2),
    default=None,
    help="Window LOW,HIGH of the slice's coordinates  [default: -1,1 for filter; the paths' window for pca, "
    "points].",
)
@click.option(
    "--resolution",
    type=click.IntRange(min=2, max=2001),
    default=None,
    help="Grid points per axis (contour, surface3d, line)  [default: 300, 80; slices 101, lines 401].",
)
@click.option(
    "--dpi",
    type=click.FloatRange(min=MIN_DPI, max=MAX_DPI),
    default=None,
    help="Resolution of a PNG  [default: 150].",
)
@click.option(
    "-o",
    "--output",
    type=OutputType(FORMATS),
    required=True,
    help="Figure file (.png, .svg or .pdf); NAME.json next to it records how to rebuild it.",
)
@quiet_option
@force_option
@click.pass_context
def command(ctx, surface, kind, output, **options):
    from ..plot import complete_config, figure_from_config, save_figure, sidecar_path

    _check_relevant(ctx, kind, options)
    check_figure_path(output)  # the sidecar's place too, before any work
    folder = Path(output).parent
    results = surface if isinstance(surface, Path) else None
    recorded = None if results is None else _relative(results, folder)
    config = {"kind": kind, "surface": None if results else surface, "results": recorded}
    config |= trace_settings(options)
    config |= {key: options[key] for key in OPTION_DEFAULTS if key in options}  # the rest: Python only
    config |= {key: options[key] for key in SLICE_DEFAULTS if key in options}
    trace = None
    if options["trace"] is not None:
        found = trace_file(options["trace"])
        trace = found["trace"]
        config |= found | {"trace": _relative(Path(trace), folder)}
    config["where"] = _where(config["where"])
    config["dpi"] = options["dpi"]
    if config["bounds"] is not None:
        x0, x1, y0, y1 = config["bounds"]
        config["bounds"] = [[x0, x1], [y0, y1]]
    config = complete_config(config)
    used = config | {"results": None if results is None else str(results), "trace": trace}
    figure = figure_from_config(used, progress=tracker(f"plot {kind}"), on_compile=compiling)
    path = save_figure(figure, output, config=config, dpi=config["dpi"])
    click.echo(f"wrote {path} and {sidecar_path(path)}")


def _where(pairs) -> dict | None:
    """``--where`` pairs as a dict; a column given twice is refused, never silently overwritten."""
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise click.BadParameter(
            f"gives {repeated[0]!r} twice; expected one value per column", param_hint="'--where'"
        )
    return dict(pairs) or None


def _relative(results: Path, folder: Path) -> str:
    """A file read (results, trace) as the sidecar records it: relative to the figure's folder when inside it.

    ``landscape reproduce`` reads files named by a sidecar from the sidecar's
    folder; one elsewhere is recorded as an absolute path, which it reads
    only with ``--trust``.
    """
    try:
        return str(results.relative_to(folder.resolve()))
    except ValueError:
        return str(results)
