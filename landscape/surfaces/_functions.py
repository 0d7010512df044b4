"""Surfaces from plain Python functions."""

from __future__ import annotations

import numpy as np

from .._validation import InvalidArgument
from ._base import Surface


class FunctionSurface(Surface):
    """A surface whose value (and optionally derivatives) are user functions.

    See ``from_functions``.
    """

    def __init__(self, value, grad=None, hessian=None, *, dim, bounds, name="custom", **kwargs):
        if not callable(value):
            raise InvalidArgument(
                f"value={value!r} is not accepted; expected a function of points (..., dim)"
            )
        self._user = {"value": value, "grad": grad, "hessian": hessian}
        super().__init__(dim=dim, bounds=bounds, name=name, **kwargs)

    def _value(self, x):
        return np.asarray(self._user["value"](x), dtype=float)

    def _grad(self, x):
        if self._user["grad"] is None:
            return super()._grad(x)
        return np.asarray(self._user["grad"](x), dtype=float)

    def _hessian(self, x):
        if self._user["hessian"] is None:
            return super()._hessian(x)
        return np.asarray(self._user["hessian"](x), dtype=float)

    @property
    def has_analytic_hessian(self) -> bool:
        return self._user["hessian"] is not None


def from_functions(value, grad=None, hessian=None, *, dim=2, bounds, name="custom", default_start=None):
    """Make a surface from Python functions of batched points.

    Parameters
    ----------
    value : callable
        ``value(x)`` for ``x`` of shape ``(..., dim)`` returns shape ``(...)``;
        it must broadcast over leading axes (write ``x[..., 0]``, not ``x[0]``).
    grad, hessian : callable, optional
        Analytic derivatives with shapes ``(..., dim)`` and ``(..., dim, dim)``.
        Missing ones are computed by fourth-order central differences: about
        12 correct digits for a gradient from values, 10 for a Hessian from a
        given gradient, 7 for a Hessian from values alone.
    dim : int
        Dimension.
    bounds : array_like, shape (dim, 2)
        Plot and search window.
    name : str
        Name in legends and specs.
    default_start : array_like, shape (dim,), optional
        Starting point for demonstrations (default: centre of ``bounds``).

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.from_functions(lambda p: p[..., 0] ** 2 + 3 * p[..., 1] ** 2,
    ...                                bounds=[[-1, 1], [-1, 1]])
    >>> s.grad([1.0, 1.0]).round(8)
    array([2., 6.])
    """
    return FunctionSurface(
        value, grad, hessian, dim=dim, bounds=bounds, name=name, default_start=default_start
    )
