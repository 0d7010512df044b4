"""Surfaces written once, as formulas of one point that every engine runs.

A formula gives the value and the gradient together, in the shape that
fits the surface:

``PointFunctions``
    ``value_and_grad(x, p) -> (value, (g_0, ..., g_{dim-1}))`` for a whole
    point ``x = (x_0, ..., x_{dim-1})``: the surfaces of fixed dimension.
``SeparableFunctions``
    ``f(x) = offset + scale · Σ_d term(x_d)`` with
    ``term(x_d, p) -> (value, derivative)``: Rastrigin, Styblinski-Tang.
``ChainFunctions``
    ``f(x) = Σ_d term(x_d, x_{d+1})`` with
    ``term(a, b, p) -> (value, ∂/∂a, ∂/∂b)``: Rosenbrock.

``p`` holds the surface's parameters (``p[0]``, ``p[1]``...). The numpy code
calls a formula on whole arrays (``evaluate``): ``x_d`` is then an array of
every point's coordinate ``d``. The compiled engine compiles the same
function for one point. So a formula uses arithmetic, comparisons, loops
over constants and numpy's elementwise functions (``np.exp``, ``np.cos``,
``np.tanh``...) only, and depends on nothing but its arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class PointFunctions(NamedTuple):
    """The value and gradient of a surface at one point, for every engine.

    Attributes
    ----------
    value_and_grad : callable
        ``value_and_grad(x, p) -> (value, grad)``: ``x`` is a tuple of ``dim``
        coordinates, ``p`` the parameters (indexable, ``p[0]``...); ``grad``
        is a tuple of ``dim`` partial derivatives. The numpy engine calls it
        with arrays of coordinates, the compiled engine (numba, nopython
        mode) with numbers, so write it with arithmetic and numpy's
        elementwise functions.
    params : array_like
        Parameters passed as ``p`` (so one compiled kernel serves every value).

    Examples
    --------
    A surface of your own needs nothing more to run on both engines:

    >>> import numpy as np, landscape as ls
    >>> def value_and_grad(x, p):
    ...     return x[0] ** 2 + p[0] * x[1] ** 2, (2.0 * x[0], 2.0 * p[0] * x[1])
    >>> class Bowl(ls.surfaces.Surface):
    ...     thread_safe = True
    ...     def __init__(self, kappa=4.0):
    ...         self.kappa = kappa
    ...         super().__init__(dim=2, bounds=[[-2, 2], [-2, 2]], name="bowl")
    ...     def point_functions(self):
    ...         return ls.surfaces.PointFunctions(value_and_grad, [self.kappa])
    >>> Bowl().value([1.0, 1.0])
    5.0
    """

    value_and_grad: Callable
    params: tuple | np.ndarray = ()


class SeparableFunctions(NamedTuple):
    """``f(x) = offset + scale · Σ_d term(x_d, p)``; ``term`` returns ``(value, derivative)``."""

    term: Callable
    offset: float = 0.0
    scale: float = 1.0
    params: tuple | np.ndarray = ()


class ChainFunctions(NamedTuple):
    """``f(x) = Σ_d term(x_d, x_{d+1}, p)``; ``term`` returns ``(value, ∂/∂x_d, ∂/∂x_{d+1})``."""

    term: Callable
    params: tuple | np.ndarray = ()


FORMULAS = (PointFunctions, SeparableFunctions, ChainFunctions)


def parameters(functions) -> tuple:
    """The parameters as a tuple of Python floats: numbers that keep float32 arrays float32."""
    return tuple(float(v) for v in np.asarray(functions.params, dtype=np.float64).reshape(-1))


def evaluate(functions, x: np.ndarray, p: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Values ``(...)`` and gradients ``(..., dim)`` of a formula at points ``x`` of shape ``(..., dim)``."""
    if isinstance(functions, SeparableFunctions):
        values, derivatives = functions.term(x, p)
        value = functions.offset + functions.scale * np.sum(values, axis=-1)
        return value, functions.scale * derivatives
    if isinstance(functions, ChainFunctions):
        values, left, right = functions.term(x[..., :-1], x[..., 1:], p)
        grad = np.empty_like(x)
        grad[..., :-1] = left
        grad[..., -1] = 0.0
        grad[..., 1:] += right
        return np.sum(values, axis=-1), grad
    value, partials = functions.value_and_grad(tuple(np.moveaxis(x, -1, 0)), p)
    shape = x.shape[:-1]
    grad = np.empty(x.shape, dtype=np.result_type(x, *partials))
    for d, partial in enumerate(partials):
        grad[..., d] = partial
    return np.broadcast_to(value, shape) if np.ndim(value) < len(shape) else value, grad
