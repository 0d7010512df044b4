"""Surfaces from plain Python functions."""

from __future__ import annotations

import numpy as np

from ._base import Surface


class FunctionSurface(Surface):
    """A surface whose value (and optionally derivatives) are user functions.

    See ``from_functions``.
    """

    def __init__(
        self, value, grad=None, hessian=None, *, dim, bounds, name="custom", value_and_grad=None,
        thread_safe=False, **kwargs,
    ):
        if not callable(value):
            raise ValueError(f"value={value!r} is not accepted; expected a function of points (..., dim)")
        for key, function in (("grad", grad), ("hessian", hessian), ("value_and_grad", value_and_grad)):
            if function is not None and not callable(function):
                raise ValueError(f"{key}={function!r} is not accepted; expected None or a function of points")
        self._user = {"value": value, "grad": grad, "hessian": hessian, "value_and_grad": value_and_grad}
        self.thread_safe = bool(thread_safe)
        super().__init__(dim=dim, bounds=bounds, name=name, **kwargs)

    def _value(self, x):
        return np.asarray(self._user["value"](x), dtype=float)

    def _grad(self, x):
        if self._user["grad"] is None:
            if self._user["value_and_grad"] is not None:
                return self._value_and_grad(x)[1]
            return super()._grad(x)
        return np.asarray(self._user["grad"](x), dtype=float)

    def _value_and_grad(self, x):
        if self._user["value_and_grad"] is None:
            return super()._value_and_grad(x)
        value, grad = self._user["value_and_grad"](x)
        return np.asarray(value, dtype=float), np.asarray(grad, dtype=float)

    def _hessian(self, x):
        if self._user["hessian"] is None:
            return super()._hessian(x)
        return np.asarray(self._user["hessian"](x), dtype=float)

    @property
    def has_analytic_hessian(self) -> bool:
        return self._user["hessian"] is not None


def from_functions(
    value, grad=None, hessian=None, *, dim=2, bounds, name="custom", default_start=None,
    value_and_grad=None, thread_safe=False,
):
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
    value_and_grad : callable, optional
        ``value_and_grad(x) -> (value, grad)`` in one pass: ``trace`` calls it
        at every recorded step (one forward pass instead of two), and
        ``grad`` falls back on it when not given.
    thread_safe : bool
        Whether the functions may run on several threads at once (each on its
        own points); the numpy engine then runs blocks of particles on every
        core.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.from_functions(lambda p: p[..., 0] ** 2 + 3 * p[..., 1] ** 2,
    ...                                bounds=[[-1, 1], [-1, 1]])
    >>> s.grad([1.0, 1.0]).round(8)
    array([2., 6.])
    """
    return FunctionSurface(
        value, grad, hessian, dim=dim, bounds=bounds, name=name, default_start=default_start,
        value_and_grad=value_and_grad, thread_safe=thread_safe,
    )
