"""Options shared by several commands: ``--quiet``, ``--force`` and the settings of a trace."""

from __future__ import annotations

import click

from .._validation import FLOAT_DTYPES
from ..specs import DEFAULT_STEPS
from ._params import NoiseType, NumbersType, OptimizerType
from ._progress import QUIET_KEY


def _set_quiet(ctx, param, value):
    if value:
        ctx.meta[QUIET_KEY] = True


quiet_option = click.option(
    "--quiet",
    is_flag=True,
    expose_value=False,
    callback=_set_quiet,
    help="No progress bars (results and errors are still printed).",
)


def _allow_large(ctx, param, value):
    if value:
        from .._resources import allow_large

        ctx.with_resource(allow_large())


# Eager, so that it holds while the other arguments are read: a surface is built as it is read.
force_option = click.option(
    "--force",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_allow_large,
    help="Run work estimated to need more than half of this machine's memory or over an hour "
    "(refused otherwise).",
)

dtype_option = click.option(
    "--dtype",
    type=click.Choice(list(FLOAT_DTYPES)),
    default="float64",
    show_default=True,
    help="Precision of the positions, the optimizer's state, the records and each step's "
    "arithmetic: float32 halves the memory and runs faster, as JAX and PyTorch do.",
)

TRACE_OPTIONS = (
    "optimizers",
    "steps",
    "epochs",
    "particles",
    "x0",
    "batch_size",
    "noise",
    "seed",
    "record_every",
)


def trace_options(command):
    """The settings of ``landscape.specs.trace_specs``, as used by ``trace`` and ``plot``."""
    options = [
        click.option(
            "-O",
            "--optimizer",
            "optimizers",
            type=OptimizerType(),
            multiple=True,
            help="Optimizer spec, e.g. adam:lr=0.05,b1=0.9 or sgd:lr=inverse_time(0.2,1); "
            "repeat to compare several.",
        ),
        click.option(
            "--steps",
            type=click.IntRange(min=0),
            default=None,
            help=f"Updates per run  [default: {DEFAULT_STEPS}].",
        ),
        click.option(
            "--epochs",
            type=click.IntRange(min=1),
            default=None,
            help="Passes over the data instead of --steps (with --batch-size or minibatch noise).",
        ),
        click.option(
            "--particles",
            type=click.IntRange(min=1),
            default=None,
            help="Particles per optimizer  [default: 1, or the length of per-particle lists].",
        ),
        click.option(
            "--x0",
            type=NumbersType(words=("random",)),
            default=None,
            help="Starting point X,Y,... or 'random' (uniform in the surface's bounds)  "
            "[default: the surface's default start].",
        ),
        click.option(
            "--batch-size",
            type=click.IntRange(min=1),
            default=None,
            help="Exact mini-batches of this size (data-set surfaces such as linear_regression).",
        ),
        click.option(
            "--noise",
            type=NoiseType(),
            default=None,
            help="Gradient noise: SIGMA, gaussian:sigma=S or minibatch:batch_size=B,dataset_size=M,scale=S.",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            help="Seed of every random draw.",
        ),
        click.option(
            "--record-every",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="Record every this many steps.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def trace_settings(options: dict) -> dict:
    """The trace settings from parsed options, with ``steps`` defaulting to ``DEFAULT_STEPS``."""
    settings = {key: options[key] for key in TRACE_OPTIONS}
    settings["optimizers"] = list(settings["optimizers"])
    if settings["steps"] is not None and settings["epochs"] is not None:
        raise click.UsageError("give --steps or --epochs, not both")
    if settings["steps"] is None and settings["epochs"] is None:
        settings["steps"] = DEFAULT_STEPS
    return settings
