"""Optimizers as composable gradient transformations (numpy, optax-style).

``sgd``, ``momentum``, ``rmsprop``, ``adam`` and ``adamw`` are chains of the
building blocks below; ``get(name, **params)`` builds one by name and
``from_spec`` rebuilds one from its ``spec``.
"""

import numpy as np

from .._registry import Registry
from ..schedules import Schedule
from ..schedules import from_spec as _schedule_from_spec
from ._aliases import adam, adamw, momentum, rmsprop, sgd
from ._base import GradientTransformation, chain, per_particle
from ._transforms import (
    AddDecayedWeightsState,
    MomentumState,
    ScaleByAdamState,
    ScaleByLearningRateState,
    ScaleByRmsState,
    add_decayed_weights,
    learning_rate_value,
    scale_by_adam,
    scale_by_learning_rate,
    scale_by_momentum,
    scale_by_rms,
)

__all__ = [
    "AddDecayedWeightsState",
    "GradientTransformation",
    "MomentumState",
    "ScaleByAdamState",
    "ScaleByLearningRateState",
    "ScaleByRmsState",
    "adam",
    "adamw",
    "add_decayed_weights",
    "chain",
    "describe",
    "from_spec",
    "get",
    "learning_rate",
    "learning_rate_value",
    "momentum",
    "names",
    "parameters",
    "per_particle",
    "rmsprop",
    "scale_by_adam",
    "scale_by_learning_rate",
    "scale_by_momentum",
    "scale_by_rms",
    "sgd",
]

_OPTIMIZERS = Registry("optimizer")
for _factory in (sgd, momentum, rmsprop, adam, adamw):
    _OPTIMIZERS.register(_factory.__name__, _factory)
names = _OPTIMIZERS.names
parameters = _OPTIMIZERS.parameters
describe = _OPTIMIZERS.describe
get = _OPTIMIZERS.get

_BLOCKS = {
    f.__name__: f
    for f in (
        scale_by_learning_rate,
        scale_by_momentum,
        scale_by_rms,
        scale_by_adam,
        add_decayed_weights,
    )
}


def from_spec(spec: dict) -> GradientTransformation:
    """Rebuild an optimizer from its ``spec`` (e.g. one read back from JSON)."""
    name, params = spec["name"], dict(spec["params"])
    if name == "chain":
        return chain(*(from_spec(s) for s in params["transforms"]))
    for key, value in params.items():
        if isinstance(value, dict):
            params[key] = _schedule_from_spec(value)
        elif isinstance(value, list):
            params[key] = np.asarray(value, dtype=float)
    if name in _BLOCKS:
        return _BLOCKS[name](**params)
    return get(name, **params)


def learning_rate(optimizer: GradientTransformation):
    """The learning rate (number, per-particle array or Schedule) of an optimizer, or None."""
    for part in optimizer.parts:
        if part is not None and part["name"] == "scale_by_learning_rate":
            return part["params"]["lr"]
    return None


def spec_to_json(spec):
    """A spec with schedules and arrays turned into JSON values."""
    if isinstance(spec, Schedule):
        return spec.spec
    if isinstance(spec, np.ndarray):
        return spec.tolist()
    if isinstance(spec, dict):
        return {k: spec_to_json(v) for k, v in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [spec_to_json(v) for v in spec]
    return spec
