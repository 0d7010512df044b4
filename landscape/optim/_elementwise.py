"""Building blocks written once, as elementwise rules that every engine runs.

A *rule* is a plain Python function of one coordinate, in the lecture's
notation. Its parameters say what it needs, by name and in this order:

``u``
    the incoming update of the coordinate (the gradient ``dW`` for the first
    block of a chain); always first;
``x``
    optional: the position ``W`` of the coordinate (e.g. weight decay);
``t``
    optional: the 1-based count of updates (e.g. bias correction ``1 - β^t``);
state names
    the block's state, one value per coordinate, zero before the first update;
hyperparameter names
    the block's arguments (``arguments`` of ``elementwise``): a number, one
    number per particle, a schedule (evaluated at the epoch first), a
    ``PerUpdate`` value (evaluated at ``t`` first) or a ``True``/``False``
    switch.

It returns the outgoing update, followed by the new state in the order of
its parameters: ``return u`` without state, ``return u, velocity`` with one.

The numpy engine calls the rule on whole ``(K, dim)`` arrays (hyperparameters
with one value per particle arrive as ``(K, 1)``), and the compiled engine
compiles the same function for one coordinate of one particle, so a rule
uses arithmetic, comparisons and numpy's elementwise functions (``np.sqrt``,
``np.exp``, ``np.sign``, ``np.maximum``...) only, and picks between values
with those rather than with ``if`` on anything but a switch.
"""

from __future__ import annotations

import dataclasses
import inspect
import numbers
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .._validation import InvalidArgument, invalid
from ..schedules import Schedule, evaluate
from ._base import GradientTransformation, per_particle

RESERVED = ("u", "x", "t")


@dataclasses.dataclass(frozen=True)
class PerUpdate:
    """A rule's argument that depends on the update count only: ``formula(t, **params)``.

    The engines evaluate it once per update, before the rule (per particle
    only where ``params`` differ between particles), so that the rule does
    not repeat it for every coordinate. Write ``formula`` like a rule.

    Examples
    --------
    Adam's bias correction as a factor, :math:`1/(1-β_1^t)`:

    >>> import landscape as ls
    >>> correction = ls.optim.PerUpdate(ls.optim.bias_correction, {"beta": 0.9})
    >>> round(correction(1), 6), round(correction(2), 6)
    (10.0, 5.263158)
    """

    formula: Callable
    params: dict

    def __call__(self, t):
        return self.formula(t, **self.params)

    def sliced(self, part: slice) -> PerUpdate:
        """The same value for particles ``part`` (per-particle parameters cut)."""
        return PerUpdate(self.formula, {k: _sliced(v, part) for k, v in self.params.items()})


def bias_correction(t, beta):
    """The lecture's bias correction as a factor: an average of ``t`` updates times ``1 / (1 - β^t)``."""
    return 1.0 / (1.0 - beta**t)


@dataclasses.dataclass(frozen=True)
class Block:
    """One building block of an optimizer as the engines see it.

    Attributes
    ----------
    name : str
        What it is called in specs and descriptions (``"scale_by_adam"``).
    params : dict
        The public arguments that rebuild it (its ``spec``).
    rule : callable
        The elementwise rule (see the module's documentation).
    arguments : dict
        The rule's hyperparameters by name: floats, float arrays of shape
        ``(K,)``, schedules, ``PerUpdate`` values or ``True``/``False`` switches.
    state : tuple of str
        Names of the rule's state, in order.
    uses_position, uses_count : bool
        Whether the rule reads ``x`` and ``t``.
    """

    name: str
    params: dict
    rule: Callable
    arguments: dict
    state: tuple
    uses_position: bool
    uses_count: bool

    def values(self, epoch, count: int, like: np.ndarray) -> dict:
        """The hyperparameters for update ``count`` at ``epoch``, shaped to broadcast against ``like``."""
        out = {}
        for name, value in self.arguments.items():
            if isinstance(value, Schedule):
                value = evaluate(value, epoch)
            elif isinstance(value, PerUpdate):
                value = value(float(count))
            if np.ndim(value) == 0 and not isinstance(value, bool):  # float32 arrays stay float32
                value = float(value)
            out[name] = per_particle(value, like) if isinstance(value, np.ndarray) else value
        return out

    def sliced(self, part: slice) -> Block:
        """The same block for particles ``part`` of the ensemble."""
        return dataclasses.replace(
            self, arguments={k: _sliced(v, part) for k, v in self.arguments.items()}
        )

    def apply(self, u, x, count, state: tuple, values: dict):
        """One update with prepared ``values``: ``(u, new_state)``."""
        inputs = [u]
        if self.uses_position:
            inputs.append(x)
        if self.uses_count:
            inputs.append(float(count))
        result = self.rule(*inputs, *state, **values)
        if not self.state:
            return result, ()
        return result[0], tuple(result[1:])


def _sliced(value, part: slice):
    if isinstance(value, np.ndarray):
        return value[part]
    if isinstance(value, (Schedule, PerUpdate)):
        return value.sliced(part)
    return value


class BlockState(NamedTuple):
    """State of a building block: the update count and the rule's state arrays by name."""

    count: int
    arrays: tuple


def layout(rule: Callable, arguments: dict) -> tuple[tuple, bool, bool]:
    """``(state names, uses x, uses t)`` read from the rule's signature.

    Raises a ValueError naming what does not fit the conventions.
    """
    if not callable(rule):
        raise invalid("rule", rule, "a function u, [x], [t], *state, *hyperparameters -> update")
    names = [
        p.name
        for p in inspect.signature(rule).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if not names or names[0] != "u":
        raise invalid("rule", rule, "a function whose first parameter is u, the incoming update")
    unknown = sorted(set(arguments) - set(names))
    if unknown:
        raise invalid(f"arguments[{unknown[0]!r}]", arguments[unknown[0]], "a parameter of the rule")
    rest = [n for n in names[1:] if n not in arguments]
    uses_position = bool(rest) and rest[0] == "x"
    rest = rest[uses_position:]
    uses_count = bool(rest) and rest[0] == "t"
    rest = rest[uses_count:]
    misplaced = [n for n in rest if n in RESERVED]
    if misplaced:
        accepted = f"parameters in the order u, x, t, state...; {misplaced[0]!r} is out of place"
        raise invalid("rule", rule, accepted)
    hyper_at = [names.index(n) for n in arguments]
    state_at = [names.index(n) for n in rest]
    if hyper_at and state_at and min(hyper_at) < max(state_at):
        raise invalid("rule", rule, "the state's parameters before the hyperparameters")
    return tuple(rest), uses_position, uses_count


def check_argument(name: str, value):
    """A rule argument: a switch, a finite number, one finite number per particle, a schedule or
    a ``PerUpdate`` value (whose parameters are checked alike)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, Schedule):
        return value
    if isinstance(value, PerUpdate):
        params = {k: check_argument(f"{name}.{k}", v) for k, v in value.params.items()}
        return PerUpdate(value.formula, params)
    if isinstance(value, numbers.Real) and np.isfinite(value):
        return float(value)
    accepted = "True/False, a finite number, a 1-D array of them (one per particle) or a schedule"
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise invalid(name, value, accepted) from None
    if isinstance(value, str) or array.ndim != 1 or array.size == 0 or not np.isfinite(array).all():
        raise invalid(name, value, accepted)
    return array.copy()


def elementwise(
    name: str, rule: Callable, arguments: dict | None = None, *, params: dict | None = None,
    state_type=None,
) -> GradientTransformation:
    """A building block from its elementwise rule: runs on every engine.

    Parameters
    ----------
    name : str
        Its name in specs and descriptions.
    rule : callable
        ``rule(u, [x], [t], *state, **hyperparameters) -> u`` or
        ``(u, *state)`` for one coordinate (see the module's documentation).
    arguments : dict, optional
        The rule's hyperparameters: numbers, arrays of one number per
        particle, schedules (evaluated at the epoch of each update) or
        ``True``/``False`` switches (fixed when the compiled engine compiles).
    params : dict, optional
        The public arguments that rebuild the block (default: ``arguments``).
    state_type : NamedTuple class, optional
        The state's class, with fields ``count`` and the rule's state names.

    Returns
    -------
    GradientTransformation

    Examples
    --------
    AdaGrad's scaling, :math:`G = G + dW^2`, output :math:`dW / (\\sqrt{G} + ε)`:

    >>> import numpy as np, landscape as ls
    >>> def adagrad_rule(u, sum_of_squares, eps):
    ...     sum_of_squares = sum_of_squares + u * u
    ...     return u / (np.sqrt(sum_of_squares) + eps), sum_of_squares
    >>> block = ls.optim.elementwise("my_adagrad", adagrad_rule, {"eps": 1e-7})
    >>> opt = ls.optim.chain(block, ls.optim.scale_by_learning_rate(0.1))
    """
    arguments = {k: check_argument(k, v) for k, v in (arguments or {}).items()}
    state, uses_position, uses_count = layout(rule, arguments)
    if state_type is None:
        state_type = BlockState
    elif tuple(state_type._fields) != ("count", *state):
        raise invalid("state_type", state_type, f"a NamedTuple with fields {('count', *state)}")
    block = Block(name, dict(arguments if params is None else params), rule, arguments, state,
                  uses_position, uses_count)

    def pack(count, arrays):
        return BlockState(count, arrays) if state_type is BlockState else state_type(count, *arrays)

    def unpack(s):
        return s.arrays if isinstance(s, BlockState) else tuple(s[1:])

    def init(x):
        return pack(0, tuple(np.zeros_like(x) for _ in state))

    def update(updates, s, params=None, *, epoch=None):
        if uses_position and params is None:
            raise InvalidArgument(f"params=None is not accepted; {name} needs the parameters")
        count = s.count + 1
        values = block.values(count if epoch is None else epoch, count, updates)
        u, arrays = block.apply(updates, params, count, unpack(s), values)
        return u, pack(count, arrays)

    spec = {"name": name, "params": block.params}
    return GradientTransformation(init, update, spec, (block,))
