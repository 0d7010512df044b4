"""``landscape trace``: run optimizers and save their trajectories."""

from __future__ import annotations

from pathlib import Path

import click

from .._validation import FLOAT_DTYPES
from ._options import dtype_option, force_option, quiet_option, trace_options, trace_settings
from ._params import OutputType, SurfaceType
from ._progress import compiling, tracker

_WRITERS = {".npz": "save", ".csv": "to_csv", ".json": "to_json"}
ENGINES = ("auto", "numpy", "numba")  # the engine= values of landscape.trace


def output_paths(output: str, optimizers) -> list[Path]:
    """``run.npz`` for one optimizer; ``run-sgd.npz``, ``run-adam.npz``, ``run-adam-2.npz``..."""
    path = Path(output)
    if len(optimizers) == 1:
        return [path]
    seen, paths = {}, []
    for spec in optimizers:
        name = spec.partition(":")[0].strip()
        seen[name] = seen.get(name, 0) + 1
        tag = name if seen[name] == 1 else f"{name}-{seen[name]}"
        paths.append(path.with_name(f"{path.stem}-{tag}{path.suffix}"))
    return paths


@click.command("trace")
@click.argument("surface", type=SurfaceType())
@trace_options
@dtype_option
@click.option(
    "--compute-dtype",
    type=click.Choice(list(FLOAT_DTYPES)),
    default=None,
    help="With --dtype float32: compute each step in float64, store in float32  [default: --dtype].",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="The step loop: numba (compiled, cached on disk), numpy, or auto (numba where every part "
    "has a kernel and numpy is not expected to be faster).",
)
@click.option(
    "-o",
    "--output",
    type=OutputType(tuple(_WRITERS)),
    required=True,
    help="Output file: .npz (reload with landscape.load_trajectory), .csv or .json.",
)
@quiet_option
@force_option
def command(surface, output, dtype, compute_dtype, engine, **options):
    """Trace optimizers on SURFACE and save the trajectories.

    Each -O runs on the same starting points, noise and seed; with several -O,
    one file per optimizer is written (run-sgd.npz, run-momentum.npz, ...).
    A summary of each run is printed.

    \b
    Examples:
      landscape trace elongated_bowl:kappa=50 -O sgd:lr=0.03 \\
          -O momentum:lr=0.03,beta=0.9 --steps 300 --particles 100 --noise 0.5 -o run.npz
      landscape trace rosenbrock -O adam:lr=0.01 --x0 random --particles 1000000 \\
          --steps 300 --record-every 100 --dtype float32 -o million.npz
    """
    from ..specs import trace_specs

    settings = trace_settings(options)
    optimizers = settings.pop("optimizers")
    if not optimizers:
        raise click.UsageError("trace needs at least one -O SPEC, e.g. -O adam:lr=0.05")
    paths = output_paths(output, optimizers)
    runs = trace_specs(
        surface, optimizers, dtype=dtype, compute_dtype=compute_dtype, engine=engine,
        progress=tracker("tracing"), on_compile=compiling, **settings,
    )
    for run, path in zip(runs, paths, strict=True):
        getattr(run, _WRITERS[path.suffix.lower()])(path)
        click.echo(
            f"{path}: {run.summary().splitlines()[1]}; diverged {int(run.diverged.sum())} of {run.particles}"
        )
