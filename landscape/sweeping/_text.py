"""Specs written back as text (``momentum:lr=0.01,beta=0.9``), so each result row can be rerun."""

from __future__ import annotations

import numbers

import numpy as np

from .. import optim
from .. import surfaces as surface_registry
from ..schedules import Schedule


def value_text(value) -> str:
    """A parameter value in the spec grammar (``landscape.specs``), read back unchanged."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, Schedule):
        return f"{value.name}(" + ",".join(f"{k}={value_text(v)}" for k, v in value.params.items()) + ")"
    if isinstance(value, (np.ndarray, list, tuple)):
        return "[" + ",".join(value_text(v) for v in np.asarray(value).tolist()) + "]"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))  # the shortest text that reads back as the same float
    return str(value)


def spec_text(name: str, params: dict, defaults: dict, always=()) -> str:
    """``name:key=value,...`` with the parameters that differ from ``defaults`` (and ``always``)."""
    shown = [
        f"{k}={value_text(v)}"
        for k, v in params.items()
        if k in always or k not in defaults or not _same(v, defaults[k])
    ]
    return name + (":" + ",".join(shown) if shown else "")


def optimizer_text(name: str, params: dict, always=()) -> str:
    return spec_text(name, params, optim.parameters(name), always)


def surface_text(surface) -> str:
    """The spec of a surface object: ``expr:...`` for formulas, else ``name:params``."""
    spec = surface.spec
    if spec["name"] == "expression" and "text" in spec["params"]:
        return "expr:" + spec["params"]["text"]
    try:
        defaults = surface_registry.parameters(spec["name"])
    except ValueError:
        defaults = {}
    return spec_text(spec["name"], spec["params"], defaults)


def _same(a, b) -> bool:
    try:
        if isinstance(a, Schedule) or isinstance(b, Schedule):
            return bool(a == b)
        return np.shape(a) == np.shape(b) and bool(np.all(np.asarray(a) == np.asarray(b)))
    except (TypeError, ValueError):
        return False
