"""Surfaces by name: ``names()``, ``get(name, **params)``, ``register(name, factory)``."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from .._validation import invalid
from ._base import Surface

_FACTORIES: dict[str, Callable[..., Surface]] = {}


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
    ...     return ls.surfaces.from_functions(
    ...         lambda p: p[..., 0] ** 2 + p[..., 1] ** 2 + tilt * p[..., 0],
    ...         dim=2, bounds=[[-2, 2], [-2, 2]])
    >>> ls.surfaces.get("tilted_bowl", tilt=1.0).value([0.0, 0.0])
    array(0.)
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise invalid("name", name, "a Python identifier such as 'my_bowl'")

    def decorate(factory):
        if not callable(factory):
            raise invalid("factory", factory, "a Surface subclass or a function returning one")
        if name in _FACTORIES and not replace and _FACTORIES[name] is not factory:
            raise ValueError(f"name={name!r} is already registered; pass replace=True to replace it")
        _FACTORIES[name] = factory
        return factory

    return decorate if factory is None else decorate(factory)


def names() -> list[str]:
    """Registered surface names, sorted."""
    return sorted(_FACTORIES)


def parameters(name: str) -> dict[str, object]:
    """The parameters of a registered surface and their defaults."""
    factory = _factory(name)
    return {
        p.name: (None if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(factory).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }


def describe(name: str) -> str:
    """The one-line description of a registered surface."""
    doc = inspect.getdoc(_factory(name)) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


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
    ValueError
        For an unknown name or parameter, listing what exists.
    """
    factory = _factory(name)
    accepted = parameters(name)
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        listing = ", ".join(accepted) if accepted else "none"
        raise ValueError(
            f"surface {name!r} has no parameter {unknown[0]!r}; its parameters are: {listing}"
        )
    surface = factory(**params)
    if not isinstance(surface, Surface):
        raise TypeError(f"factory for {name!r} returned {type(surface).__name__}, not a Surface")
    surface.name = name
    if not surface.params:  # a plain factory function: record what rebuilds it
        surface.params = {**{k: v for k, v in accepted.items() if v is not None}, **params}
    return surface


def _factory(name: str):
    try:
        return _FACTORIES[name]
    except (KeyError, TypeError):
        raise invalid("surface", name, "one of " + ", ".join(names())) from None
