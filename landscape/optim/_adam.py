"""Adam: momentum and RMSprop with bias correction; AdamW."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from ._base import GradientTransformation, chain, named
from ._elementwise import PerUpdate, bias_correction, elementwise
from ._learning_rate import scale_by_learning_rate
from ._weight_decay import add_decayed_weights


class ScaleByAdamState(NamedTuple):
    count: int
    velocity: np.ndarray
    mean_square: np.ndarray


def adam_rule(u, velocity, mean_square, b1, b2, eps, velocity_correction, mean_square_correction):
    """The lecture's Adam direction; the corrections are ``1/(1-b1**t)`` and ``1/(1-b2**t)``."""
    velocity = b1 * velocity + (1.0 - b1) * u
    mean_square = b2 * mean_square + (1.0 - b2) * u**2
    velocity_corrected = velocity * velocity_correction
    mean_square_corrected = mean_square * mean_square_correction
    return velocity_corrected / (np.sqrt(mean_square_corrected) + eps), velocity, mean_square


def scale_by_adam(b1=0.9, b2=0.999, eps=1e-8) -> GradientTransformation:
    r"""Adam's direction with bias correction, exactly as in the lecture.

    .. math::
        v = β_1 v + (1-β_1)\,dW,\quad S = β_2 S + (1-β_2)\,dW^2,\quad
        \hat v = \frac{v}{1-β_1^t},\quad \hat S = \frac{S}{1-β_2^t},\quad
        \text{output} = \frac{\hat v}{\sqrt{\hat S} + ε}
    """
    params = {"b1": _checks.beta("b1", b1), "b2": _checks.beta("b2", b2), "eps": _checks.eps(eps)}
    arguments = params | adam_bias_corrections(params["b1"], params["b2"])
    return elementwise("scale_by_adam", adam_rule, arguments, params=params, state_type=ScaleByAdamState)


def adam_bias_corrections(b1, b2) -> dict:
    """Adam's two corrections, each computed once per update (not once per coordinate)."""
    return {
        "velocity_correction": PerUpdate(bias_correction, {"beta": b1}),
        "mean_square_correction": PerUpdate(bias_correction, {"beta": b2}),
    }


def adam(lr=0.001, b1=0.9, b2=0.999, eps=1e-8) -> GradientTransformation:
    r"""Adam: momentum plus RMSprop plus bias correction (the lecture's formulas).

    .. math::
        \begin{aligned}
        v_{dW} &= β_1 v_{dW} + (1-β_1)\,dW, & S_{dW} &= β_2 S_{dW} + (1-β_2)\,dW^2,\\
        v^{corr}_{dW} &= v_{dW} / (1-β_1^t), & S^{corr}_{dW} &= S_{dW} / (1-β_2^t),\\
        W &:= W - α\,\frac{v^{corr}_{dW}}{\sqrt{S^{corr}_{dW}} + ε}
        \end{aligned}

    with the lecture's defaults ``β₁ = 0.9``, ``β₂ = 0.999``, ``ε = 1e-8``.
    """
    params = {"lr": lr, "b1": b1, "b2": b2, "eps": eps}
    return named("adam", params, chain(scale_by_adam(b1, b2, eps), scale_by_learning_rate(lr)))


def adamw(lr=0.001, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.01) -> GradientTransformation:
    r"""AdamW (Loshchilov & Hutter), as PyTorch defines it.

    .. math:: W := W - α \left(\frac{v^{corr}}{\sqrt{S^{corr}} + ε} + λ W\right)

    i.e. PyTorch's ``W := W (1 - αλ)`` followed by the Adam step, both from the
    same ``W``.
    """
    params = {"lr": lr, "b1": b1, "b2": b2, "eps": eps, "weight_decay": weight_decay}
    blocks = chain(
        scale_by_adam(b1, b2, eps), add_decayed_weights(weight_decay), scale_by_learning_rate(lr)
    )
    return named("adamw", params, blocks)
