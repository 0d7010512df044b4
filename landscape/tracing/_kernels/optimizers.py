"""Optimizer building blocks as scalar kernels of one coordinate of one particle.

Each kernel mirrors one block of ``landscape.optim`` (same operations in the
same order) and returns the transformed update followed by its new state.
``emit`` turns an optimizer's ``parts`` into the lines that apply them in
order to the update ``u`` of coordinate ``{d}`` at position ``{x}``; a chain of
any blocks in any order compiles, because each block only reads ``u`` and its
own state.
"""

from __future__ import annotations

import numpy as np

from ...schedules import Schedule
from . import schedules
from .config import kernel


@kernel
def momentum(u, velocity, beta, gain, inverse_correction, nesterov):
    velocity = u * gain + velocity * beta
    v = velocity * inverse_correction
    if nesterov:
        return v * beta + u * gain, velocity
    return v, velocity


@kernel
def rms(u, mean_square, beta, eps, eps_in_sqrt):
    mean_square = u * u * (1.0 - beta) + mean_square * beta
    if eps_in_sqrt:
        return u / np.sqrt(mean_square + eps), mean_square
    return u / (np.sqrt(mean_square) + eps), mean_square


@kernel
def adam(u, velocity, mean_square, b1, b2, eps, inverse_correction1, inverse_correction2):
    velocity = u * (1.0 - b1) + velocity * b1
    mean_square = u * u * (1.0 - b2) + mean_square * b2
    out = velocity / (np.sqrt(mean_square * inverse_correction2) + eps)
    return out * inverse_correction1, velocity, mean_square


@kernel
def decayed_weights(u, x, weight_decay):
    return u + weight_decay * x


@kernel
def learning_rate(u, rate):
    return u * -rate


def _emit_momentum(params, b):
    beta = b.hyper(params["beta"])
    gain = b.derived(f"1.0 - {beta}") if params["style"] == "ewa" else "1.0"
    correction = b.inverse_correction(beta) if params["bias_correction"] else "1.0"
    s = b.state()
    f = b.function("momentum", momentum)
    return [f"u, {s} = {f}(u, {s}, {beta}, {gain}, {correction}, {params['nesterov']})"]


def _emit_rms(params, b):
    beta, eps = b.hyper(params["beta"]), b.hyper(params["eps"])
    s = b.state()
    f = b.function("rms", rms)
    return [f"u, {s} = {f}(u, {s}, {beta}, {eps}, {params['eps_in_sqrt']})"]


def _emit_adam(params, b):
    b1, b2, eps = (b.hyper(params[k]) for k in ("b1", "b2", "eps"))
    c1, c2 = b.inverse_correction(b1), b.inverse_correction(b2)
    s1, s2 = b.state(), b.state()
    f = b.function("adam", adam)
    return [f"u, {s1}, {s2} = {f}(u, {s1}, {s2}, {b1}, {b2}, {eps}, {c1}, {c2})"]


def _emit_decayed_weights(params, b):
    f = b.function("decayed_weights", decayed_weights)
    return [f"u = {f}(u, {{x}}, {b.hyper(params['weight_decay'])})"]


def _emit_learning_rate(params, b):
    lr = params["lr"]
    rate = b.rate(schedules.emit(lr, b)) if isinstance(lr, Schedule) else b.hyper(lr)
    f = b.function("learning_rate", learning_rate)
    return [f"u = {f}(u, {rate})"]


EMITTERS = {
    "scale_by_momentum": _emit_momentum,
    "scale_by_rms": _emit_rms,
    "scale_by_adam": _emit_adam,
    "add_decayed_weights": _emit_decayed_weights,
    "scale_by_learning_rate": _emit_learning_rate,
}


def unsupported(optimizer) -> str | None:
    """Why ``optimizer`` has no kernel, or None if every part has one."""
    for part in optimizer.parts:
        if part is None:
            return "a hand-written transformation (no spec)"
        if part["name"] not in EMITTERS:
            return f"the block {part['name']!r}"
        lr = part["params"].get("lr")
        if isinstance(lr, Schedule) and not schedules.supported(lr):
            return f"the schedule {lr.name!r}"
    return None


def emit(optimizer, builder) -> list[str]:
    """Lines applying every part to ``u`` (placeholders ``{d}``, ``{x}``)."""
    lines = []
    for part in optimizer.parts:
        lines += EMITTERS[part["name"]](part["params"], builder)
    return lines
