"""Momentum: gradient descent on an exponentially weighted average of the gradients."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_choice, invalid
from . import _checks, _elementwise
from ._base import GradientTransformation, chain, named
from ._elementwise import PerUpdate, elementwise
from ._learning_rate import scale_by_learning_rate

MOMENTUM_STYLES = ("ewa", "heavy_ball")


class MomentumState(NamedTuple):
    count: int
    velocity: np.ndarray


def momentum_rule(u, velocity, beta, heavy_ball, nesterov, correction):
    """``v = β v + (1-β) dW`` (heavy ball: ``v = β v + dW``), times ``correction`` (``1 / (1 - β^t)``
    with bias correction, else 1), and optionally Nesterov's look-ahead ``β v + (1-β) dW``."""
    gain = 1.0 if heavy_ball else 1.0 - beta
    velocity = beta * velocity + gain * u
    v = velocity * correction
    return (beta * v + gain * u if nesterov else v), velocity


def scale_by_momentum(
    beta=0.9, style="ewa", nesterov=False, bias_correction=False
) -> GradientTransformation:
    r"""Momentum: an average of past gradients.

    ``style="ewa"`` (the lecture): :math:`v = βv + (1-β)\,dW`;
    ``style="heavy_ball"`` (PyTorch, Polyak): :math:`v = βv + dW`. The output
    is ``v``, or with ``nesterov=True`` the look-ahead ``βv + (1-β) dW``
    (``βv + dW`` for heavy ball). ``bias_correction`` divides ``v`` by
    :math:`1 - β^t` (``"ewa"`` only), removing the start-up bias of ``v₀ = 0``.
    """
    beta = _checks.beta("beta", beta)
    style = check_choice("style", style, MOMENTUM_STYLES)
    nesterov = _checks.flag("nesterov", nesterov)
    bias_correction = _checks.flag("bias_correction", bias_correction)
    if bias_correction and style == "heavy_ball":
        raise invalid("bias_correction", True, "False for style='heavy_ball' (v is a sum, not an average)")
    params = {"beta": beta, "style": style, "nesterov": nesterov, "bias_correction": bias_correction}
    correction = PerUpdate(_elementwise.bias_correction, {"beta": beta}) if bias_correction else 1.0
    arguments = {
        "beta": beta, "heavy_ball": style == "heavy_ball", "nesterov": nesterov, "correction": correction,
    }
    return elementwise("scale_by_momentum", momentum_rule, arguments, params=params, state_type=MomentumState)


def momentum(lr=0.01, beta=0.9, style="ewa", nesterov=False, bias_correction=False):
    r"""Gradient descent with momentum.

    The lecture's form (``style="ewa"``):

    .. math:: v_{dW} = β v_{dW} + (1-β)\,dW,\qquad W := W - α\, v_{dW}

    ``style="heavy_ball"`` uses :math:`v_{dW} = β v_{dW} + dW` (PyTorch's SGD
    momentum; the same path as ``"ewa"`` with ``α`` scaled by ``1/(1-β)``).
    ``nesterov=True`` steps with the look-ahead ``β v + (1-β) dW``
    (``β v + dW``). ``bias_correction=True`` uses :math:`v/(1-β^t)`.
    """
    params = {"lr": lr, "beta": beta, "style": style}
    params |= {"nesterov": nesterov, "bias_correction": bias_correction}
    blocks = chain(
        scale_by_momentum(beta, style, nesterov, bias_correction), scale_by_learning_rate(lr)
    )
    return named("momentum", params, blocks)
