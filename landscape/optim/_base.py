"""Gradient transformations: pure ``init``/``update`` pairs, composable by ``chain``.

Conventions (as in optax, with numpy arrays):

* ``init(params) -> state`` and ``update(updates, state, params=None, *,
  epoch=None) -> (updates, new_state)``. ``update`` never modifies ``updates``,
  ``state`` or ``params``; it returns fresh arrays and a fresh state.
* Parameters are ``(K, dim)``: one row per particle. Every hyperparameter is a
  number or an array of shape ``(K,)`` with one value per particle.
* ``epoch`` is the 1-based epoch number used by learning-rate schedules; when
  omitted, every update counts as one epoch (full-batch gradient descent).
* The sign of descent lives in one place, ``scale_by_learning_rate``; the
  other blocks only rescale the gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .._validation import InvalidArgument


class GradientTransformation(NamedTuple):
    """An optimizer or one of its building blocks.

    Attributes
    ----------
    init : callable
        ``init(params) -> state``.
    update : callable
        ``update(updates, state, params=None, *, epoch=None) -> (updates, state)``.
        It returns new arrays and never writes into its arguments: the
        updates it returns may be arrays of its new state.
    spec : dict or None
        ``{"name": ..., "params": {...}}`` naming the factory that rebuilds it;
        ``None`` for transformations written by hand.
    parts : tuple
        The building blocks (``Block``) in application order, what the
        engines run; ``(None,)`` for a transformation written by hand, which
        only the numpy engine runs, through ``update``.
    """

    init: Callable[[np.ndarray], Any]
    update: Callable[..., tuple[np.ndarray, Any]]
    spec: dict | None = None
    parts: tuple = (None,)

    def __repr__(self) -> str:
        """What rebuilds it, ``GradientTransformation(adam(lr=0.05, b1=0.9, ...))``, not its functions."""
        return f"GradientTransformation({'written by hand' if self.spec is None else _spec_repr(self.spec)})"


def _spec_repr(spec: dict) -> str:
    params = spec.get("params") or {}
    if spec["name"] == "chain":
        return "chain(" + ", ".join(_spec_repr(part) for part in params.get("transforms", ())) + ")"
    return f"{spec['name']}(" + ", ".join(f"{key}={value!r}" for key, value in params.items()) + ")"


def chain(*transforms: GradientTransformation) -> GradientTransformation:
    """Apply transformations one after another; the state is the tuple of states.

    Examples
    --------
    >>> import landscape as ls
    >>> adam = ls.optim.chain(ls.optim.scale_by_adam(), ls.optim.scale_by_learning_rate(0.1))
    """
    for i, t in enumerate(transforms):
        if not isinstance(t, GradientTransformation):
            raise InvalidArgument(
                f"transforms[{i}]={t!r} is not accepted; expected a GradientTransformation"
            )

    def init(params):
        return tuple(t.init(params) for t in transforms)

    def update(updates, state, params=None, *, epoch=None):
        new_state = []
        for t, s in zip(transforms, state, strict=True):
            updates, s = t.update(updates, s, params, epoch=epoch)
            new_state.append(s)
        return updates, tuple(new_state)

    specs = [t.spec for t in transforms]
    spec = None if None in specs else {"name": "chain", "params": {"transforms": specs}}
    parts = tuple(p for t in transforms for p in t.parts)
    return GradientTransformation(init, update, spec, parts)


def named(name: str, params: dict, transform: GradientTransformation) -> GradientTransformation:
    """The same transformation, described as the call ``name(**params)``."""
    return transform._replace(spec={"name": name, "params": dict(params)})


def per_particle(value, like: np.ndarray):
    """Broadcast a hyperparameter against ``like`` of shape ``(K, ...)``.

    Scalars stay Python floats (so float32 arrays stay float32); arrays of
    shape ``(K,)`` become ``(K, 1, ...)`` in the dtype of ``like``.
    """
    if not isinstance(value, np.ndarray):
        return value
    if like.ndim == 0 or like.shape[0] != value.shape[0]:
        raise InvalidArgument(
            f"a hyperparameter has {value.shape[0]} values (one per particle) but the "
            f"parameters have shape {like.shape}; expected shape ({value.shape[0]}, dim)"
        )
    return value.astype(like.dtype, copy=False).reshape((-1,) + (1,) * (like.ndim - 1))
