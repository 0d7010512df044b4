"""Surfaces by name: ``names()``, ``get(name, **params)``, ``register(name, factory)``."""

from __future__ import annotations

import numbers
from collections.abc import Callable

from .._registry import Registry
from .._resources import check, surface_cost
from ._base import Surface

_SURFACES = Registry("surface")
names = _SURFACES.names
parameters = _SURFACES.parameters
describe = _SURFACES.describe


def register(name: str, factory: Callable[..., Surface] | None = None, *, replace: bool = False):
    """Make a surface available to ``get`` (and to the command line) under ``name``.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"my_bowl"``.
    factory : callable, optional
        A ``Surface`` subclass or a function returning a ``Surface``; its
        keyword arguments are the surface's parameters. Without it, ``register``
        returns a decorator.
    replace : bool
        Allow replacing an existing name.

    Examples
    --------
    >>> import landscape as ls
    >>> @ls.surfaces.register("tilted_bowl", replace=True)
    ... def tilted_bowl(tilt=0.5):
    ...     "A round bowl tilted along x."
    ...     return ls.surfaces.from_functions(
    ...         lambda p: p[..., 0] ** 2 + p[..., 1] ** 2 + tilt * p[..., 0],
    ...         bounds=[[-2, 2], [-2, 2]])
    >>> ls.surfaces.get("tilted_bowl", tilt=1.0).value([0.0, 0.0])
    array(0.)
    """
    if factory is None:
        return lambda f: _SURFACES.register(name, f, replace=replace)
    return _SURFACES.register(name, factory, replace=replace)


def get(name: str, **params) -> Surface:
    """Build a registered surface.

    Parameters
    ----------
    name : str
        One of ``names()``.
    **params
        The surface's parameters (see ``parameters(name)``).

    Raises
    ------
    InvalidArgument
        For an unknown name or parameter, listing what exists, or a ``dim``
        too large for this machine (see ``landscape.allow_large``).
    """
    dim = params.get("dim")
    if isinstance(dim, numbers.Integral):  # refused before its arrays are made
        check("dim", dim, memory=surface_cost(dim), what=f"a {name} surface", advice="a smaller dim")
    surface = _SURFACES.get(name, **params)
    if not isinstance(surface, Surface):
        raise TypeError(f"factory for {name!r} returned {type(surface).__name__}, not a Surface")
    surface.name = name
    if not surface.params:  # a plain factory function: record what rebuilds it
        defaults = {k: v for k, v in parameters(name).items() if v is not None}
        surface.params = {**defaults, **params}
    return surface
