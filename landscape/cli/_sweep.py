"""``landscape sweep``: a grid of hyperparameters x seeds, on a Dask cluster, resumable."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from .._text import counted
from ..specs import DEFAULT_STEPS
from ._options import dtype_option, force_option, quiet_option
from ._params import NoiseType, NumbersType, OptimizerType, OutputType, SurfaceType
from ._progress import clear_bars, track

RESULT_FORMATS = (".parquet", ".csv")


class GridType(click.ParamType):
    """``KEY=VALUES``: ``lr=logspace(-4,0,25)``, ``beta=0.0,0.5,0.9``, ``style=ewa,heavy_ball``."""

    name = "KEY=VALUES"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        from .._validation import InvalidArgument
        from ..sweeping import parse_grid_item

        try:
            return parse_grid_item(value)
        except InvalidArgument as error:
            self.fail(str(error), param, ctx)


def default_store(output: str) -> Path:
    """``results.parquet -> results.sweep/``: where finished chunks wait until the output is written."""
    return Path(output).with_suffix(".sweep")


@click.command("sweep")
@click.argument("surfaces", metavar="SURFACE...", nargs=-1, required=True, type=SurfaceType())
@click.option(
    "-O",
    "--optimizer",
    "optimizers",
    type=OptimizerType(),
    multiple=True,
    required=True,
    help="Optimizer spec, e.g. momentum:style=heavy_ball; grid keys override its parameters. "
    "Repeat to compare optimizers: each runs the whole grid (one row per optimizer and grid point).",
)
@click.option(
    "--grid",
    "grid",
    type=GridType(),
    multiple=True,
    required=True,
    help="An axis KEY=VALUES: lr=logspace(-4,0,25), beta=0.0,0.5,0.9,0.99, batch_size=1,8,64, "
    "style=ewa,heavy_ball (also linspace, geomspace, range). Repeat for more axes.",
)
@click.option(
    "--seeds", type=click.IntRange(min=1), default=1, show_default=True, help="Runs per configuration."
)
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed of every random draw."
)
@click.option(
    "--steps", type=click.IntRange(min=0), default=None, help=f"Updates per run  [default: {DEFAULT_STEPS}]."
)
@click.option(
    "--epochs", type=click.IntRange(min=1), default=None, help="Passes over the data instead of --steps."
)
@click.option(
    "--x0",
    type=NumbersType(words=("random",)),
    default=None,
    help="Starting point X,Y,... or 'random' (one per seed, uniform in the bounds)  "
    "[default: the surface's default start].",
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=None, help="Exact mini-batches of this size."
)
@click.option(
    "--noise",
    type=NoiseType(),
    default=None,
    help="Gradient noise: SIGMA or gaussian:sigma=S or minibatch:...",
)
@click.option(
    "--tol",
    type=click.FloatRange(min=0),
    default=1e-6,
    show_default=True,
    help="steps_to_tol counts steps until f - f* <= TOL.",
)
@click.option(
    "--record-every", type=click.IntRange(min=1), default=1, show_default=True, help="Record every N steps."
)
@dtype_option
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=None,
    help="Configurations per task  [default: automatic].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes of a local Dask cluster on 127.0.0.1 (0: run here without Dask)  "
    "[default: one per core].",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Use a running Dask scheduler, e.g. tcp://10.0.0.5:8786.",
)
@click.option(
    "--store",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder keeping finished chunks, kept afterwards  [default: OUTPUT's name with .sweep, "
    "removed once OUTPUT is written].",
)
@click.option(
    "-o",
    "--output",
    type=OutputType(RESULT_FORMATS),
    required=True,
    help="Results, one row per configuration: .parquet or .csv.",
)
@quiet_option
@force_option
def command(surfaces, optimizers, grid, output, store, steps, epochs, x0, **options):
    """Run every configuration of a hyperparameter grid on SURFACE(s) and save its metrics.

    Each configuration runs with --seeds seeds; the results hold, per
    configuration, the median and quartiles over seeds of the final value, the
    best value and the steps to reach --tol, and the fractions of seeds that
    reached it and that diverged. Finished chunks are kept in a store folder:
    run the same command again after an interruption to resume.

    \b
    Examples:
      landscape sweep elongated_bowl:kappa=25 -O momentum:style=heavy_ball \\
          --grid "lr=logspace(-4,0,25)" --grid beta=0.0,0.5,0.9,0.99 --seeds 16 -o results.parquet
      landscape plot --kind sweep results.parquet -o stability.png
      landscape sweep rosenbrock -O momentum -O adam --grid "lr=logspace(-3,-1,9)" -o compare.csv
      landscape sweep linear_regression -O sgd --grid "lr=logspace(-3,0,10)" \\
          --grid batch_size=1,8,64 --epochs 5 --seeds 8 --scheduler tcp://10.0.0.5:8786 -o batch.csv
    """
    from ..sweeping import remove_store, store_progress, sweep

    keys = [key for key, _ in grid]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise click.UsageError(f"--grid gives {repeated[0]!r} twice")
    if steps is not None and epochs is not None:
        raise click.UsageError("give --steps or --epochs, not both")
    if steps is None and epochs is None:
        steps = DEFAULT_STEPS
    if options["workers"] is not None and options["scheduler"] is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    keep = store is not None
    folder = Path(store) if keep else default_store(output)
    before = store_progress(folder)
    try:
        result = sweep(
            list(surfaces),
            list(optimizers),
            dict(grid),
            steps=steps,
            epochs=epochs,
            x0=x0,
            store=folder,
            progress=lambda chunks: track(chunks, "sweep", unit="chunk"),
            **options,
        )
    except KeyboardInterrupt:
        clear_bars()
        click.echo(_interrupted(folder, before, store_progress(folder), output), err=True)
        click.get_current_context().exit(130)
    path = result.save(output)
    if not keep:
        remove_store(folder)
    click.echo(f"wrote {path}: {_summary(result)}")
    if before is not None and before[0]:
        click.echo(f"resumed from {folder}: {before[0]} of {before[1]} configurations were already done")


def _interrupted(folder: Path, before, done, output) -> str:
    """The one line after Ctrl-C: what is kept, and how to go on."""
    if done is None or not done[0]:
        return "Interrupted before any configuration finished; nothing was kept."
    resumed = f" ({before[0]} of them from before)" if before and before[0] else ""
    go_on = f"write {output}" if done[0] == done[1] else "resume"
    return (
        f"Interrupted: {done[0]} of {done[1]} configurations are done and kept in {folder}{resumed}; "
        f"run the same command to {go_on}."
    )


def _summary(result) -> str:
    axes = " x ".join(f"{key} {np.unique(result.columns[key]).size}" for key in result.grid_keys)
    surfaces = np.unique(result.columns["surface"]).size
    optimizers = np.unique(result.columns["optimizer"]).size
    where = f" on {surfaces} surfaces" if surfaces > 1 else ""
    where += f" with {optimizers} optimizers" if optimizers > 1 else ""
    diverged = float(result.columns["diverged_fraction"].mean())
    return (
        f"{counted(len(result), 'configuration')} ({axes}){where}, "
        f"{counted(result.description['seeds'], 'seed')} each; {diverged:.1%} of runs diverged"
    )
