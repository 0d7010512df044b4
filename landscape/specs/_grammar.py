"""The spec grammar ``NAME[:key=value,...]``, read with ``ast`` (never evaluated).

Values are literals only: numbers (``0.05``, ``-1``, ``1e-3``), ``true`` /
``false`` / ``none``, bare or quoted names (``heavy_ball``, ``"goe"``),
lists of numbers (``[0.01,0.1]``: one value per particle; nested lists give
2-D arrays such as bounds) and schedule calls (``inverse_time(0.2,1)``,
positional arguments in the order of the schedule's parameters, or keywords).
"""

from __future__ import annotations

import ast

import numpy as np

from .. import schedules
from .._validation import InvalidArgument, parse_typed

MAX_LENGTH = 1000  # characters of one spec; longer text is refused before parsing
_KEYWORDS = {"true": True, "false": False, "none": None, "True": True, "False": False, "None": None}


def split_spec(text, what: str, example: str) -> tuple[str, dict]:
    """Split ``NAME[:key=value,...]`` into the name and its parameters.

    Parameters
    ----------
    text : str
        The spec.
    what : str
        What it names, for messages (``"optimizer"``).
    example : str
        A correct spec shown in messages (``"adam:lr=0.05,b1=0.9"``).

    Returns
    -------
    name : str
    params : dict
        Parameter values: int, float, bool, None, str, ndarray (from lists) or
        ``Schedule``.

    Raises
    ------
    ValueError
        One line naming the spec and the accepted form.
    """
    malformed = _malformed(text, what, example)
    if not isinstance(text, str) or not 0 < len(text) <= MAX_LENGTH:
        raise malformed
    name, colon, rest = text.partition(":")
    name = name.strip()
    if not name.isidentifier():
        raise malformed
    if not colon:
        return name, {}
    return name, parse_params(rest, text, what, example)


def parse_params(rest: str, text: str, what: str, example: str) -> dict:
    """``key=value,...`` as a dict (``text`` is the whole spec, for messages)."""
    malformed = _malformed(text, what, example)
    if not rest.strip() or "\n" in rest or len(rest) > MAX_LENGTH:
        raise malformed
    try:  # the parameter list reads exactly like the keyword arguments of a call
        tree = parse_typed(f"_({rest})")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise malformed from None
    call = tree.body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "_"):
        raise malformed
    if call.args or any(keyword.arg is None for keyword in call.keywords):
        raise malformed
    keys = [keyword.arg for keyword in call.keywords]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise InvalidArgument(f"{what} spec {text!r} gives {repeated[0]!r} twice")
    return {keyword.arg: literal(keyword.value, keyword.arg, rest) for keyword in call.keywords}


def literal(node: ast.AST, key: str, source: str):
    """The value of one parameter from its syntax tree (see the module docstring)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, type(None))):
        if isinstance(node.value, float) and not np.isfinite(node.value):
            raise _bad_value(node, key, source)
        return node.value  # bool is an int subclass: True/False land here too
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = node.operand
        if isinstance(inner, ast.Constant) and _is_number(inner.value):
            value = literal(inner, key, source)
            return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Name):
        return _KEYWORDS.get(node.id, node.id)
    if isinstance(node, (ast.List, ast.Tuple)):
        return _array(node, key, source)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _schedule(node, key, source)
    raise _bad_value(node, key, source)


def _array(node, key, source) -> np.ndarray:
    values = [literal(element, key, source) for element in node.elts]
    if not values:
        raise _bad_value(node, key, source)
    try:
        array = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise _bad_value(node, key, source) from None
    if any(isinstance(v, (str, bool)) or v is None for v in values):
        raise _bad_value(node, key, source)
    return array


def _schedule(node: ast.Call, key, source) -> schedules.Schedule:
    name = node.func.id
    if name not in schedules.names():
        raise InvalidArgument(
            f"{key}={_segment(source, node)} is not accepted; schedules are "
            + ", ".join(f"{n}(...)" for n in schedules.names())
        )
    order = list(schedules.parameters(name))
    if len(node.args) > len(order) or any(k.arg is None for k in node.keywords):
        raise InvalidArgument(
            f"{key}={_segment(source, node)} is not accepted; {name} takes "
            f"({', '.join(order)}) as positional or key=value arguments"
        )
    params = {order[i]: literal(arg, key, source) for i, arg in enumerate(node.args)}
    for keyword in node.keywords:
        if keyword.arg in params:
            raise InvalidArgument(f"{key}={_segment(source, node)} gives {keyword.arg!r} twice")
        params[keyword.arg] = literal(keyword.value, key, source)
    return schedules.get(name, **params)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _segment(source: str, node: ast.AST) -> str:
    # The tree was parsed from "_(" + source + ")": shift columns back by two.
    start, end = node.col_offset - 2, node.end_col_offset - 2
    return source[start:end] if 0 <= start < end <= len(source) else ast.unparse(node)


def _bad_value(node, key, source) -> InvalidArgument:
    return InvalidArgument(
        f"{key}={_segment(source, node)} is not accepted; expected a number, true/false, a name, "
        "a list of numbers [a,b,...] (one per particle) or a schedule such as inverse_time(0.2,1)"
    )


def _malformed(text, what: str, example: str) -> InvalidArgument:
    shown = text if not isinstance(text, str) or len(text) <= 80 else text[:77] + "..."
    return InvalidArgument(
        f"{what} spec {shown!r} is malformed; expected NAME or NAME:key=value,... (e.g. {example})"
    )
