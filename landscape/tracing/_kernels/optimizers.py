"""An optimizer's building blocks as lines of a driver: each block's rule, called per coordinate.

A block's rule (``landscape.optim.elementwise``) is compiled as it is; its
parameters say what each argument is, so any chain of blocks in any order
compiles: ``u`` the update, ``x`` the coordinate's position, ``t`` the update
count, then the block's state and its hyperparameters.
"""

from __future__ import annotations

import functools
import inspect


def unsupported(optimizer) -> str | None:
    """Why ``optimizer`` has no compiled form, or None."""
    if None in optimizer.parts:
        return "an optimizer written by hand (a GradientTransformation without building blocks)"
    return None


def emit(optimizer, builder) -> list[str]:
    """Lines applying every block to ``u`` (placeholders ``{d}``, ``{x}``)."""
    return [_emit_block(block, builder) for block in optimizer.parts]


def _emit_block(block, builder) -> str:
    hyper = {name: builder.hyper(f"{block.name}_{name}", value) for name, value in block.arguments.items()}
    state = {name: builder.state_slot() for name in block.state}
    known = {"u": "u", "x": "{x}", "t": "count"} | state | hyper
    arguments = [known[name] for name in _parameters(block.rule)]
    targets = ", ".join(["u", *state.values()])
    # inlined: see config.inlined
    rule = builder.function(block.rule, inline=True)
    return f"{targets} = {rule}({', '.join(arguments)})"


@functools.lru_cache(maxsize=256)
def _parameters(rule) -> tuple[str, ...]:
    """The names of a rule's parameters (read once per rule: ``inspect`` is slow for every trace)."""
    return tuple(inspect.signature(rule).parameters)
