"""Argument checks shared by the whole package.

Every check raises a one-line ``InvalidArgument`` (a ``ValueError``) that
names the parameter, the value given and what is accepted, so the command
line can print it as is. Only this class means "bad input": any other
exception -- from a user's own surface, or a bug -- is shown as itself.
"""

from __future__ import annotations

import ast
import numbers
import threading
import warnings

import numpy as np


class InvalidArgument(ValueError):
    """Bad input: a one-line message naming the parameter, the value given and what is accepted.

    A subclass of ``ValueError``, so ``except ValueError`` still catches it;
    the ``landscape`` command prints it as a usage error (exit status 2).

    Examples
    --------
    >>> import landscape as ls
    >>> try:
    ...     ls.optim.adam(lr=-1)
    ... except ls.InvalidArgument as error:
    ...     print(error)
    lr=-1 is not accepted; expected a number > 0, one per particle, or a schedule
    """


_PARSING = threading.Lock()  # the warnings filters are global: one parse at a time changes them


def parse_typed(source: str) -> ast.Expression:
    """``ast.parse(source, mode="eval")`` of text a user typed, without Python's warnings.

    Python's tokenizer warns about text such as ``1or 2`` ("invalid decimal
    literal") and ``'\\d'`` (an invalid escape) and parses it anyway; the
    command line would print that warning as a line of its own next to the
    one-line refusal. Raises ``SyntaxError``, ``ValueError``, ``RecursionError``
    or ``MemoryError`` as ``ast.parse`` does.
    """
    with _PARSING, warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(source, mode="eval")


def invalid(name: str, value, accepted: str) -> InvalidArgument:
    """Build the package's standard error for a bad argument."""
    return InvalidArgument(f"{name}={_short(value)} is not accepted; expected {accepted}")


def _short(value) -> str:
    if isinstance(value, np.ndarray):
        if value.size > 6:
            return f"array of shape {value.shape}"
        formatter = {"float_kind": _number_as_typed}
        return np.array2string(value, separator=", ", formatter=formatter).replace("\n", "")
    text = repr(value)
    # both ends: a long path keeps its file name
    return text if len(text) <= 80 else text[:38] + "..." + text[-39:]


def _number_as_typed(x) -> str:
    """``2`` for 2.0 (a spec's list ``[2,0,1]`` arrives as a float array), else the shortest form."""
    return f"{x:.0f}" if x.is_integer() and abs(x) < 2**53 else str(x)


def check_int(name: str, value, *, minimum: int | None = None) -> int:
    """An integer (not a bool, not a float) at least ``minimum``."""
    accepted = "an integer" if minimum is None else f"an integer >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise invalid(name, value, accepted)
    if minimum is not None and value < minimum:
        raise invalid(name, value, accepted)
    return int(value)


def check_hyperparameter(
    name: str,
    value,
    *,
    low: float = -np.inf,
    high: float = np.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float | np.ndarray:
    """A finite scalar, or a 1-D array with one value per particle, in a range.

    Returns a Python float for scalars and a float64 array of shape ``(K,)``
    for per-particle values.
    """
    accepted = "a number " + _interval(low, high, low_open, high_open)
    accepted += " or a 1-D array of such numbers (one per particle)"
    if isinstance(value, (bool, str, bytes)) or _holds_text(value):  # "0.1" is text, not a number
        raise invalid(name, value, accepted)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise invalid(name, value, accepted) from None
    if array.ndim > 1 or array.size == 0:
        raise invalid(name, value, accepted)
    inside = np.isfinite(array)
    inside &= (array > low) if low_open else (array >= low)
    inside &= (array < high) if high_open else (array <= high)
    if not inside.all():
        raise invalid(name, value, accepted)
    return float(array) if array.ndim == 0 else array.copy()


def _holds_text(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "USO" and any(isinstance(v, (str, bytes)) for v in value.ravel().tolist())
    return isinstance(value, (list, tuple)) and any(isinstance(v, (str, bytes)) for v in value)


def _interval(low, high, low_open, high_open) -> str:
    if np.isinf(low) and np.isinf(high):
        return "(finite)"
    if np.isinf(high):
        return f"{'>' if low_open else '>='} {low:g}"
    if np.isinf(low):
        return f"{'<' if high_open else '<='} {high:g}"
    return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def check_choice(name: str, value, choices) -> str:
    """One of a fixed set of strings."""
    if value not in choices:
        raise invalid(name, value, "one of " + ", ".join(repr(c) for c in choices))
    return value


def check_points(name: str, x, dim: int) -> np.ndarray:
    """Finite points of shape ``(..., dim)`` as a float array."""
    try:
        array = np.asarray(x, dtype=float) if not _is_float_array(x) else x
    except (TypeError, ValueError):
        raise invalid(name, x, f"numbers of shape (..., {dim})") from None
    if array.ndim == 0 or array.shape[-1] != dim:
        raise InvalidArgument(f"{name} has shape {array.shape}; expected points of shape (..., {dim})")
    return array


def _is_float_array(x) -> bool:
    return isinstance(x, np.ndarray) and x.dtype.kind == "f"


def check_scalar(
    name: str,
    value,
    *,
    low: float = -np.inf,
    high: float = np.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A single finite number in a range, as a Python float."""
    accepted = "a single number " + _interval(low, high, low_open, high_open)
    if np.ndim(value) != 0:
        raise invalid(name, value, accepted)
    try:
        bounds = {"low": low, "high": high, "low_open": low_open, "high_open": high_open}
        checked = check_hyperparameter(name, value, **bounds)
    except InvalidArgument:  # its message offers one value per particle, which this parameter is not
        raise invalid(name, value, accepted) from None
    return float(checked)


def check_positive(name: str, value) -> float:
    """A single finite number > 0."""
    return check_scalar(name, value, low=0.0, low_open=True)


FLOAT_DTYPES = {"float64": np.float64, "float32": np.float32}
_FLOAT_NAMES = {np.dtype(kind): name for name, kind in FLOAT_DTYPES.items()}


def float_dtype_name(value) -> str | None:
    """``"float64"`` or ``"float32"`` when ``value`` names that dtype (``np.float32``, ``"float32"``)."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        return None
    # a dict of dtypes: numpy's ``dtype.name`` is Python code, and every trace asks twice
    return _FLOAT_NAMES.get(dtype) or _FLOAT_NAMES.get(dtype.newbyteorder("="))


def check_float_dtype(name: str, value):
    """``numpy.float64`` or ``numpy.float32`` for a value naming one of them."""
    found = float_dtype_name(value)
    if found is None:
        raise invalid(name, value, "numpy.float64 or numpy.float32")
    return FLOAT_DTYPES[found]
