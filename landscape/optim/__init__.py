"""Optimizers as composable gradient transformations (numpy, optax-style).

The familiar optimizers (``sgd``, ``momentum``, ``rmsprop``, ``adam``,
``adamw``, ``adagrad``, ``lion``, ``nadam``, ``amsgrad``) are chains of
building blocks, each written once as an elementwise rule (see
``elementwise``) that the numpy engine runs on arrays and the compiled
engine compiles. ``get(name, **params)`` builds one by name and
``from_spec`` rebuilds one from its ``spec``.
"""

import numpy as np

from .._registry import Registry
from ..schedules import Schedule
from ..schedules import from_spec as _schedule_from_spec
from ._adagrad import ScaleByAdagradState, adagrad, scale_by_adagrad
from ._adam import ScaleByAdamState, adam, adamw, scale_by_adam
from ._amsgrad import ScaleByAmsgradState, amsgrad, scale_by_amsgrad
from ._base import GradientTransformation, chain, per_particle
from ._elementwise import Block, PerUpdate, bias_correction, elementwise
from ._learning_rate import ScaleByLearningRateState, scale_by_learning_rate, sgd
from ._lion import ScaleByLionState, lion, scale_by_lion
from ._momentum import MomentumState, momentum, scale_by_momentum
from ._nadam import ScaleByNadamState, nadam, scale_by_nadam
from ._rms import ScaleByRmsState, rmsprop, scale_by_rms
from ._weight_decay import AddDecayedWeightsState, add_decayed_weights

__all__ = [
    "AddDecayedWeightsState",
    "Block",
    "GradientTransformation",
    "MomentumState",
    "PerUpdate",
    "ScaleByAdagradState",
    "ScaleByAdamState",
    "ScaleByAmsgradState",
    "ScaleByLearningRateState",
    "ScaleByLionState",
    "ScaleByNadamState",
    "ScaleByRmsState",
    "adagrad",
    "adam",
    "adamw",
    "add_decayed_weights",
    "amsgrad",
    "bias_correction",
    "blocks",
    "chain",
    "describe",
    "elementwise",
    "from_spec",
    "get",
    "learning_rate",
    "learning_rate_value",
    "lion",
    "momentum",
    "nadam",
    "names",
    "parameters",
    "per_particle",
    "rmsprop",
    "scale_by_adagrad",
    "scale_by_adam",
    "scale_by_amsgrad",
    "scale_by_learning_rate",
    "scale_by_lion",
    "scale_by_momentum",
    "scale_by_nadam",
    "scale_by_rms",
    "sgd",
]

_OPTIMIZERS = Registry("optimizer")
for _factory in (sgd, momentum, rmsprop, adam, adamw, adagrad, lion, nadam, amsgrad):
    _OPTIMIZERS.register(_factory.__name__, _factory)
names = _OPTIMIZERS.names
parameters = _OPTIMIZERS.parameters
describe = _OPTIMIZERS.describe
get = _OPTIMIZERS.get

_BLOCKS = Registry("building block")
for _factory in (
    scale_by_learning_rate,
    scale_by_momentum,
    scale_by_rms,
    scale_by_adam,
    add_decayed_weights,
    scale_by_adagrad,
    scale_by_lion,
    scale_by_nadam,
    scale_by_amsgrad,
):
    _BLOCKS.register(_factory.__name__, _factory)
blocks = _BLOCKS.names


def from_spec(spec: dict) -> GradientTransformation:
    """Rebuild an optimizer from its ``spec`` (e.g. one read back from JSON).

    Only registered optimizers and building blocks can be rebuilt: a spec
    names code, and code of your own is not looked up from a file.
    """
    name, params = spec["name"], dict(spec["params"])
    if name == "chain":
        return chain(*(from_spec(s) for s in params["transforms"]))
    for key, value in params.items():
        if isinstance(value, dict):
            params[key] = _schedule_from_spec(value)
        elif isinstance(value, list):
            params[key] = np.asarray(value, dtype=float)
    if name in _BLOCKS.names():
        return _BLOCKS.get(name, **params)
    return get(name, **params)


def learning_rate_value(lr, epoch):
    """The rate in effect at ``epoch`` for a number, per-particle array or schedule."""
    return lr(epoch) if isinstance(lr, Schedule) else lr


def learning_rate(optimizer: GradientTransformation):
    """The learning rate (number, per-particle array or Schedule) of an optimizer, or None."""
    for part in optimizer.parts:
        if part is not None and part.name == "scale_by_learning_rate":
            return part.params["lr"]
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
