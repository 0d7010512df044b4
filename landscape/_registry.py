"""Named factories with their parameters: the one lookup behind every ``get(name, **params)``."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from ._validation import InvalidArgument, invalid


class Registry:
    """Factories by name, for one kind of thing (surfaces, optimizers, schedules).

    Parameters
    ----------
    kind : str
        What the names name, for error messages (``"surface"``).
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._factories: dict[str, Callable] = {}

    def register(self, name: str, factory: Callable, *, replace: bool = False) -> Callable:
        """Add ``factory`` under ``name``; refuse to replace silently."""
        if not isinstance(name, str) or not name.isidentifier():
            raise invalid("name", name, "a Python identifier such as 'my_bowl'")
        if not callable(factory):
            raise invalid("factory", factory, f"a callable returning a {self.kind}")
        if name in self._factories and not replace and self._factories[name] is not factory:
            raise InvalidArgument(f"name={name!r} is already registered; pass replace=True to replace it")
        self._factories[name] = factory
        return factory

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._factories)

    def factory(self, name: str) -> Callable:
        """The factory registered under ``name``."""
        try:
            return self._factories[name]
        except (KeyError, TypeError):
            raise invalid(self.kind, name, "one of " + ", ".join(self.names())) from None

    def parameters(self, name: str) -> dict[str, object]:
        """Parameter names of ``name`` and their defaults (``None`` when required)."""
        return {
            p.name: (None if p.default is inspect.Parameter.empty else p.default)
            for p in inspect.signature(self.factory(name)).parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        }

    def describe(self, name: str) -> str:
        """First line of the factory's docstring."""
        doc = (inspect.getdoc(self.factory(name)) or "").strip()
        return doc.splitlines()[0] if doc else ""

    def get(self, name: str, **params):
        """Call the factory of ``name`` after checking the parameter names."""
        factory = self.factory(name)
        accepted = self.parameters(name)
        unknown = sorted(set(params) - set(accepted))
        if unknown:
            listing = ", ".join(accepted) if accepted else "none"
            raise InvalidArgument(
                f"{self.kind} {name!r} has no parameter {unknown[0]!r}; its parameters are: {listing}"
            )
        required = [
            p.name
            for p in inspect.signature(factory).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD
        ]
        missing = [p for p in required if p not in params]
        if missing:
            raise InvalidArgument(f"{self.kind} {name!r} needs parameter {missing[0]!r}")
        return factory(**params)
