"""Learning-rate schedules as scalar kernels of the 1-based epoch ``e`` (a float).

Each mirrors the formula in ``landscape.schedules``; ``emit`` writes the call
that evaluates a (possibly nested) ``Schedule`` with its hyperparameters.
"""

from __future__ import annotations

import numpy as np

from ...schedules import Schedule
from .config import kernel


@kernel
def constant(e, lr0):
    return lr0 + 0.0 * e


@kernel
def inverse_time(e, lr0, decay_rate):
    return lr0 / (1.0 + decay_rate * e)


@kernel
def exponential(e, lr0, base):
    return lr0 * base**e


@kernel
def inverse_sqrt(e, lr0, k):
    return k / np.sqrt(e) * lr0


@kernel
def staircase(e, lr0, factor, every):
    return lr0 * factor ** np.floor((e - 1.0) / every)


@kernel
def cosine(e, lr0, decay_epochs, final):
    progress = min(e - 1.0, decay_epochs) / decay_epochs
    return final + (lr0 - final) * 0.5 * (1.0 + np.cos(np.pi * progress))


@kernel
def warmup(e, rate, steps):
    return rate * min(1.0, e / steps)


KERNELS = {
    "constant": constant,
    "inverse_time": inverse_time,
    "exponential": exponential,
    "inverse_sqrt": inverse_sqrt,
    "staircase": staircase,
    "cosine": cosine,
}


def supported(schedule: Schedule) -> bool:
    if schedule.name == "warmup":
        return supported(schedule.params["schedule"])
    return schedule.name in KERNELS


def emit(schedule: Schedule, builder) -> str:
    """An expression for the rate at epoch ``e``; hyperparameters go through ``builder``."""
    if schedule.name == "warmup":
        inner = emit(schedule.params["schedule"], builder)
        function = builder.function("schedule_warmup", warmup)
        return f"{function}(e, {inner}, {builder.hyper(schedule.params['steps'])})"
    function = builder.function(f"schedule_{schedule.name}", KERNELS[schedule.name])
    args = ", ".join(builder.hyper(value) for value in schedule.params.values())
    return f"{function}(e, {args})"
