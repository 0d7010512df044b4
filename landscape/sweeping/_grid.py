"""The grid of a sweep: its axes, their values, and the order of its configurations.

Configurations are numbered ``0 .. N-1`` in row-major order over the axes
``surface, optimizer, <grouped keys>, <vectorized keys>`` (the last key varies
fastest). Vectorized keys are numeric optimizer hyperparameters: a chunk runs
many of their values side by side as per-particle arrays. Grouped keys -- the
surface, the optimizer, ``batch_size``, names, flags and schedules -- take one
value per ``trace`` call, so a chunk never straddles two of their values.
"""

from __future__ import annotations

import ast
import numbers
from dataclasses import dataclass

import numpy as np

from .._validation import InvalidArgument, invalid, parse_typed
from ..schedules import Schedule
from ..specs import literal

LABEL_AXES = 2  # the surface and the optimizer come before the keys
TRACE_KEYS = ("batch_size",)  # grid keys that are settings of the trace, not of the optimizer
MAX_CONFIGURATIONS = 10**7
MAX_AXIS = 10**6
GRID_EXAMPLE = "lr=logspace(-4,0,25), beta=0.0,0.5,0.9,0.99 or style=ewa,heavy_ball"
_RANGES = {
    "linspace": ("start", "stop", "num"),
    "logspace": ("start", "stop", "num"),
    "geomspace": ("start", "stop", "num"),
    "range": ("start", "stop", "step"),
}


@dataclass(frozen=True)
class Grid:
    """The axes of a sweep.

    Attributes
    ----------
    surfaces : tuple of str
        Spec text of each surface (the first axis).
    optimizers : tuple of str
        Spec text of each optimizer (the second axis).
    keys : tuple of str
        Grid keys in enumeration order: grouped keys, then vectorized keys.
    values : dict
        ``key -> tuple`` of the values of each key.
    vectorized : frozenset of str
        Keys whose values run side by side in one ``trace`` call.
    """

    surfaces: tuple
    optimizers: tuple
    keys: tuple
    values: dict
    vectorized: frozenset

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.surfaces), len(self.optimizers), *(len(self.values[k]) for k in self.keys))

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def group_size(self) -> int:
        """Consecutive configurations that share the surface, the optimizer and every grouped key."""
        return int(np.prod([len(self.values[k]) for k in self.keys if k in self.vectorized]))

    def indices(self, start: int, stop: int) -> np.ndarray:
        """``(stop - start, 2 + len(keys))`` axis indices of configurations ``start:stop``."""
        return np.stack(np.unravel_index(np.arange(start, stop), self.shape), axis=1)

    def column(self, key: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """The value of ``key`` (or ``"surface"``, ``"optimizer"``) for configurations ``start:stop``."""
        stop = self.size if stop is None else stop
        labels = {"surface": self.surfaces, "optimizer": self.optimizers}
        axis = ("surface", "optimizer").index(key) if key in labels else LABEL_AXES + self.keys.index(key)
        choices = labels[key] if key in labels else self.values[key]
        positions = self.indices(start, stop)[:, axis]
        if any(isinstance(v, Schedule) for v in choices):
            table = np.empty(len(choices), dtype=object)
            table[:] = choices
            return table[positions]
        return np.asarray(choices)[positions]


def make_grid(surfaces, grid, optimizers: dict) -> Grid:
    """Check a grid against the optimizers' parameters and order its axes.

    Parameters
    ----------
    surfaces : sequence of str
        Spec text of the surfaces.
    grid : mapping
        ``key -> sequence of values``; keys are parameters of every
        optimizer, or ``batch_size``.
    optimizers : dict
        Spec text of each optimizer -> its factory's parameters
        (``landscape.optim.parameters``).

    Raises
    ------
    InvalidArgument
        For a key that is not a parameter of every optimizer, an empty axis,
        repeated or mixed values, or a grid larger than ``MAX_CONFIGURATIONS``.
    """
    if not hasattr(grid, "items"):
        raise invalid("grid", grid, "a dict such as {'lr': [0.01, 0.1], 'beta': [0.0, 0.9]}")
    values, vectorized = {}, set()
    for key, raw in grid.items():
        for label, parameters in optimizers.items():
            if key not in (*parameters, *TRACE_KEYS):
                name = label.partition(":")[0]
                raise invalid(
                    "grid key", key, f"batch_size or a parameter of {name}: " + ", ".join(parameters)
                )
        values[key] = _axis(key, raw)
        if key not in TRACE_KEYS and all(_is_number(v) for v in values[key]):
            vectorized.add(key)
    if "batch_size" in values and not all(_is_count(v) for v in values["batch_size"]):
        raise invalid("grid['batch_size']", list(values["batch_size"]), "integers >= 1")
    keys = tuple(k for k in values if k not in vectorized) + tuple(k for k in values if k in vectorized)
    made = Grid(tuple(surfaces), tuple(optimizers), keys, values, frozenset(vectorized))
    if made.size > MAX_CONFIGURATIONS:
        raise invalid("grid", f"{made.size} configurations", f"at most {MAX_CONFIGURATIONS:.0e}")
    return made


def _axis(key: str, raw) -> tuple:
    accepted = "a non-empty list of distinct numbers, names, true/false or schedules"
    if isinstance(raw, (str, bytes)) or not hasattr(raw, "__len__") or np.ndim(raw) != 1 or not len(raw):
        raise invalid(f"grid[{key!r}]", raw, accepted)
    items = tuple(_plain(v) for v in raw)
    kinds = {_kind(v) for v in items}
    if None in kinds or len(kinds) > 1:
        raise invalid(f"grid[{key!r}]", raw, accepted + ", all of one kind")
    if kinds == {"number"} and not all(np.isfinite(items)):
        raise invalid(f"grid[{key!r}]", raw, "finite numbers")
    if len({repr(v) for v in items}) != len(items):
        raise invalid(f"grid[{key!r}]", raw, accepted + " (a value repeats)")
    return items


def _plain(value):
    """NumPy scalars as Python numbers, so values print and serialize simply."""
    return value.item() if isinstance(value, np.generic) else value


def _kind(value) -> str | None:
    if _is_number(value):
        return "number"
    if isinstance(value, bool):
        return "flag"
    if isinstance(value, str):
        return "name"
    if isinstance(value, Schedule):
        return "schedule"
    return None


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _is_count(value) -> bool:
    return _is_number(value) and float(value).is_integer() and value >= 1


def parse_grid_item(text: str) -> tuple[str, tuple]:
    """Read one ``KEY=VALUES`` from the command line (with ``ast``, never evaluated).

    ``VALUES`` is a comma-separated list of numbers, names, ``true``/``false``
    or schedules (``inverse_time(0.2,1)``), or one of ``linspace(a,b,n)``,
    ``logspace(a,b,n)`` (``10**a .. 10**b``), ``geomspace(a,b,n)`` and
    ``range(a,b[,step])``, as in NumPy.

    Examples
    --------
    >>> from landscape.sweeping import parse_grid_item
    >>> parse_grid_item("beta=0.0,0.5,0.9")
    ('beta', (0.0, 0.5, 0.9))
    >>> key, values = parse_grid_item("lr=logspace(-2,0,3)")
    >>> [round(v, 12) for v in values]
    [0.01, 0.1, 1.0]
    """
    malformed = InvalidArgument(f"grid {text!r} is malformed; expected KEY=VALUES such as {GRID_EXAMPLE}")
    if not isinstance(text, str) or len(text) > 1000:
        raise malformed
    key, equals, rest = text.partition("=")
    key = key.strip()
    if not equals or not key.isidentifier() or not rest.strip() or "\n" in rest:
        raise malformed
    try:  # the values read like the positional arguments of a call
        call = parse_typed(f"_({rest})").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise malformed from None
    if not isinstance(call, ast.Call) or call.keywords or not call.args:
        raise malformed
    first = call.args[0]
    if len(call.args) == 1 and isinstance(first, ast.Call) and getattr(first.func, "id", None) in _RANGES:
        return key, _expand(first, key, rest)
    values = tuple(literal(node, key, rest) for node in call.args)
    if any(isinstance(v, np.ndarray) or v is None for v in values):
        raise InvalidArgument(
            f"grid {text!r} is not accepted; expected one value per item, e.g. {GRID_EXAMPLE}"
        )
    return key, values


def _expand(node: ast.Call, key: str, source: str) -> tuple:
    name = node.func.id
    order = _RANGES[name]
    shown = f"{key}={ast.unparse(node)}"
    if node.keywords or not 2 <= len(node.args) <= 3:
        raise invalid("grid", shown, f"{name}({', '.join(order)})")
    args = [literal(arg, key, source) for arg in node.args]
    if not all(_is_number(a) for a in args):
        raise invalid("grid", shown, f"{name}({', '.join(order)}) with numbers")
    if name == "range":
        if not all(isinstance(a, int) for a in args) or (len(args) == 3 and args[2] == 0):
            raise invalid("grid", shown, "range(start, stop[, step]) with integers and step != 0")
        count = len(range(*args))
        if not 0 < count <= MAX_AXIS:
            raise invalid("grid", shown, f"a range of 1 to {MAX_AXIS} values")
        return tuple(range(*args))
    if len(args) != 3 or not isinstance(args[2], int) or not 1 <= args[2] <= MAX_AXIS:
        raise invalid("grid", shown, f"{name}(start, stop, num) with an integer num from 1 to {MAX_AXIS}")
    if name == "geomspace" and not (args[0] * args[1] > 0):
        raise invalid("grid", shown, "geomspace(start, stop, num) with start and stop of one sign, not 0")
    return tuple(float(v) for v in getattr(np, name)(*args))
