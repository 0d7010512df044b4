"""Words on figures: optimizer legends and surface titles, from specs."""

from __future__ import annotations

import numpy as np

from .. import optim
from .. import surfaces as surface_registry
from ..slices import Slice


def format_value(value) -> str:
    """A value as a person writes it: ``0.05``, ``[0.01, 0.1]``, ``inverse_time(0.2, 1)``."""
    if isinstance(value, dict) and "name" in value and "params" in value:  # a schedule's spec
        args = ", ".join(format_value(v) for v in value["params"].values())
        return f"{value['name']}({args})"
    if hasattr(value, "spec") and isinstance(value.spec, dict):
        return format_value(value.spec)
    if isinstance(value, (list, tuple, np.ndarray)):
        items = list(np.asarray(value).ravel())
        shown = ", ".join(format_value(v) for v in items[:4])
        return f"[{shown}{', ...' if len(items) > 4 else ''}]"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _non_default(params: dict, defaults: dict) -> dict:
    return {k: v for k, v in params.items() if k not in defaults or not _same(v, defaults[k])}


def _same(a, b) -> bool:
    try:
        return bool(np.all(np.asarray(a) == np.asarray(b))) and np.shape(a) == np.shape(b)
    except (TypeError, ValueError):
        return False


# Shown only when they differ from their defaults; every other hyperparameter (α, β, β₁, β₂ ...) is
# always shown, so that a legend says which β a run used even when it is the usual 0.9.
_QUIET = frozenset({"eps", "style", "nesterov", "bias_correction", "eps_in_sqrt", "weight_decay"})


def optimizer_label(spec: dict | None) -> str:
    """``momentum (lr=0.05, beta=0.9)``: the name, every rate and β, and the other non-defaults."""
    if not spec:
        return "optimizer"
    name, params = spec["name"], spec.get("params", {})
    try:
        defaults = optim.parameters(name)
    except ValueError:
        defaults = {}
    quiet = {key: value for key, value in defaults.items() if key in _QUIET}
    shown = _non_default(params, quiet)
    if not shown:
        return name
    return f"{name} (" + ", ".join(f"{k}={format_value(v)}" for k, v in shown.items()) + ")"


def surface_title(surface) -> str:
    """``elongated_bowl (kappa=50)`` or ``f = x**2 + 10*y**2`` for a formula.

    A slice has the title of its surface and, on a second line, what it is.
    """
    if isinstance(surface, Slice):
        return f"{surface_title(surface.surface)}\n{surface.description}"
    if surface.name == "expression":
        return f"$f = {_math(surface)}$"
    try:
        defaults = surface_registry.parameters(surface.name)
    except ValueError:
        return surface.name
    shown = _non_default(surface.params, defaults)
    if not shown:
        return surface.name
    return f"{surface.name} (" + ", ".join(f"{k}={format_value(v)}" for k, v in shown.items()) + ")"


def axis_names(dim: int, surface=None) -> list[str]:
    """``x, y`` in 2-D, ``x₁ .. x_n`` otherwise; a slice names its own coordinates."""
    if isinstance(surface, Slice):
        return surface.axis_labels
    return ["x", "y"] if dim == 2 else [f"$x_{{{i + 1}}}$" for i in range(dim)]


def _math(surface) -> str:
    """A formula surface's expression as mathtext (``x^{2} + 10 y^{2}``), from its parsed SymPy form."""
    import sympy

    return sympy.latex(surface.sympy_value)
