r"""Learning-rate schedules: functions of the 1-based epoch number.

An epoch is one pass through the training set, so with mini-batches a
schedule changes the rate once per epoch, as in the lecture:

.. math:: α = \frac{α_0}{1 + \text{decay\_rate} \cdot \text{epoch\_num}}

(with ``α₀ = 0.2`` and ``decay_rate = 1``: 0.1, 0.067, 0.05, 0.04 for epochs 1
to 4). A schedule accepts a scalar epoch or an array of epochs; any
hyperparameter may be an array of shape ``(K,)`` with one value per particle,
and then an array of ``T`` epochs gives shape ``(T, K)``.

Examples
--------
>>> import landscape as ls
>>> ls.schedules.inverse_time(lr0=0.2, decay_rate=1.0)([1, 2, 3, 4]).round(3)
array([0.1  , 0.067, 0.05 , 0.04 ])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._registry import Registry
from ._validation import check_hyperparameter, check_int, invalid

__all__ = [
    "Schedule",
    "evaluate",
    "constant",
    "cosine",
    "describe",
    "exponential",
    "from_spec",
    "get",
    "inverse_sqrt",
    "inverse_time",
    "names",
    "parameters",
    "staircase",
    "warmup",
]


@dataclass(frozen=True)
class Schedule:
    """A learning rate as a function of the epoch number (epochs count from 1).

    Attributes
    ----------
    name : str
        Registry name (``"inverse_time"``).
    params : dict
        The arguments that rebuild it with ``get(name, **params)``: numbers,
        arrays of one number per particle, or schedules.
    formula : callable
        ``formula(epoch, **params) -> rate``, elementwise: the numpy code
        calls it on arrays, the compiled engine compiles it for one particle
        (a parameter that is itself a schedule arrives as its rate at the
        same epoch). Write it with arithmetic and numpy's elementwise
        functions only.

    Examples
    --------
    A schedule of your own runs on both engines:

    >>> import numpy as np, landscape as ls
    >>> def halving(epoch, lr0, every):
    ...     return lr0 * 0.5 ** np.floor((epoch - 1.0) / every)
    >>> schedule = ls.schedules.Schedule("halving", {"lr0": 0.1, "every": 2.0}, halving)
    >>> schedule([1, 2, 3, 4, 5]).tolist()
    [0.1, 0.1, 0.05, 0.05, 0.025]
    """

    name: str
    params: dict
    formula: Callable = field(repr=False, compare=False)

    def __call__(self, epoch):
        epoch_array = np.asarray(epoch, dtype=float)
        if not np.all(epoch_array >= 1):
            raise invalid("epoch", epoch, "epoch numbers >= 1 (epochs count from 1)")
        if epoch_array.ndim and self.per_particle:
            epoch_array = epoch_array[..., None]
        rate = evaluate(self, epoch_array)
        return float(rate) if np.ndim(rate) == 0 else np.asarray(rate, dtype=float)

    @property
    def per_particle(self) -> bool:
        """Whether any hyperparameter has one value per particle."""
        return any(
            isinstance(v, np.ndarray) or (isinstance(v, Schedule) and v.per_particle)
            for v in self.params.values()
        )

    def sliced(self, part: slice) -> Schedule:
        """The same schedule for particles ``part`` (per-particle values cut)."""

        def cut(value):
            if isinstance(value, np.ndarray):
                return value[part]
            return value.sliced(part) if isinstance(value, Schedule) else value

        return Schedule(self.name, {k: cut(v) for k, v in self.params.items()}, self.formula)

    @property
    def spec(self) -> dict:
        """JSON-ready ``{"name", "params"}`` that ``from_spec`` rebuilds."""
        return {"name": self.name, "params": {k: _jsonable(v) for k, v in self.params.items()}}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={_short(v)}" for k, v in self.params.items())
        return f"{self.name}({args})"


def evaluate(schedule: Schedule, epoch):
    """The rate at ``epoch`` (no checks): nested schedules first, then the formula."""
    values = {
        k: evaluate(v, epoch) if isinstance(v, Schedule) else v for k, v in schedule.params.items()
    }
    return schedule.formula(epoch, **values)


def _short(v):
    if isinstance(v, np.ndarray):
        return f"array({v.shape[0]})"
    return repr(v)


def _jsonable(v):
    if isinstance(v, Schedule):
        return v.spec
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def _rate(name, value):
    return check_hyperparameter(name, value, low=0.0, low_open=True)


# ---- the formulas, in the lecture's notation (epoch = epoch_num, counted from 1) ----------


def _constant(epoch, lr0):
    return lr0 + 0.0 * epoch


def _inverse_time(epoch, lr0, decay_rate):
    return lr0 / (1.0 + decay_rate * epoch)


def _exponential(epoch, lr0, base):
    return lr0 * base**epoch


def _inverse_sqrt(epoch, lr0, k):
    return k / np.sqrt(epoch) * lr0


def _staircase(epoch, lr0, factor, every):
    return lr0 * factor ** np.floor((epoch - 1.0) / every)


def _cosine(epoch, lr0, decay_epochs, final):
    progress = np.minimum(epoch - 1.0, decay_epochs) / decay_epochs
    return final + (lr0 - final) * 0.5 * (1.0 + np.cos(np.pi * progress))


def _warmup(epoch, steps, schedule):
    return schedule * np.minimum(1.0, epoch / steps)


# ---- the factories: checked arguments -------------------------------------------------------


def constant(lr0=0.1) -> Schedule:
    """Constant rate α = α₀."""
    return Schedule("constant", {"lr0": _rate("lr0", lr0)}, _constant)


def inverse_time(lr0=0.2, decay_rate=1.0) -> Schedule:
    """The lecture's decay α = α₀ / (1 + decay_rate · epoch_num)."""
    lr0 = _rate("lr0", lr0)
    decay_rate = check_hyperparameter("decay_rate", decay_rate, low=0.0)
    return Schedule("inverse_time", {"lr0": lr0, "decay_rate": decay_rate}, _inverse_time)


def exponential(lr0=0.1, base=0.95) -> Schedule:
    """Exponential decay α = base^epoch_num · α₀."""
    lr0 = _rate("lr0", lr0)
    base = check_hyperparameter("base", base, low=0.0, low_open=True, high=1.0)
    return Schedule("exponential", {"lr0": lr0, "base": base}, _exponential)


def inverse_sqrt(lr0=0.1, k=1.0) -> Schedule:
    """Decay α = k / √epoch_num · α₀."""
    lr0 = _rate("lr0", lr0)
    k = _rate("k", k)
    return Schedule("inverse_sqrt", {"lr0": lr0, "k": k}, _inverse_sqrt)


def staircase(lr0=0.1, factor=0.5, every=10) -> Schedule:
    """Discrete staircase α = α₀ · factor^⌊(epoch_num − 1) / every⌋."""
    lr0 = _rate("lr0", lr0)
    factor = check_hyperparameter("factor", factor, low=0.0, low_open=True, high=1.0)
    every = check_int("every", every, minimum=1)
    return Schedule("staircase", {"lr0": lr0, "factor": factor, "every": every}, _staircase)


def cosine(lr0=0.1, decay_epochs=100, final=0.0) -> Schedule:
    """Cosine decay from α₀ at epoch 1 to ``final`` at epoch ``decay_epochs + 1``, then flat."""
    lr0 = _rate("lr0", lr0)
    decay_epochs = check_int("decay_epochs", decay_epochs, minimum=1)
    final = check_hyperparameter("final", final, low=0.0)
    if np.any(np.asarray(final) > np.asarray(lr0)):
        raise invalid("final", final, "a rate between 0 and lr0")
    return Schedule("cosine", {"lr0": lr0, "decay_epochs": decay_epochs, "final": final}, _cosine)


def warmup(steps=5, schedule=0.1) -> Schedule:
    """Linear warm-up: ``schedule(e) · min(1, e / steps)`` for any schedule or constant rate."""
    steps = check_int("steps", steps, minimum=1)
    inner = schedule if isinstance(schedule, Schedule) else constant(schedule)
    return Schedule("warmup", {"steps": steps, "schedule": inner}, _warmup)


_SCHEDULES = Registry("schedule")
for _factory in (constant, inverse_time, exponential, inverse_sqrt, staircase, cosine, warmup):
    _SCHEDULES.register(_factory.__name__, _factory)
names = _SCHEDULES.names
parameters = _SCHEDULES.parameters
describe = _SCHEDULES.describe
get = _SCHEDULES.get


def from_spec(spec: dict) -> Schedule:
    """Rebuild a schedule from ``Schedule.spec``."""
    params = {
        k: from_spec(v) if isinstance(v, dict) else (np.asarray(v) if isinstance(v, list) else v)
        for k, v in spec["params"].items()
    }
    return get(spec["name"], **params)
