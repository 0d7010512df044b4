"""Lion: the sign of an interpolation between momentum and gradient."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from ._base import GradientTransformation, chain, named
from ._elementwise import elementwise
from ._learning_rate import scale_by_learning_rate
from ._weight_decay import add_decayed_weights


class ScaleByLionState(NamedTuple):
    count: int
    momentum: np.ndarray


def lion_rule(u, momentum, b1, b2):
    """Output ``sign(β₁ m + (1-β₁) dW)``, then ``m = β₂ m + (1-β₂) dW``."""
    direction = np.sign(b1 * momentum + (1.0 - b1) * u)
    momentum = b2 * momentum + (1.0 - b2) * u
    return direction, momentum


def scale_by_lion(b1=0.9, b2=0.99) -> GradientTransformation:
    r"""Lion's direction :math:`\operatorname{sign}(β_1 m + (1-β_1)\,dW)`, then
    :math:`m = β_2 m + (1-β_2)\,dW`: every coordinate moves by exactly the step size."""
    arguments = {"b1": _checks.beta("b1", b1), "b2": _checks.beta("b2", b2)}
    return elementwise("scale_by_lion", lion_rule, arguments, state_type=ScaleByLionState)


def lion(lr=1e-4, b1=0.9, b2=0.99, weight_decay=0.0) -> GradientTransformation:
    r"""Lion (Chen et al. 2023) with decoupled weight decay.

    .. math:: W := W - α\left(\operatorname{sign}(β_1 m + (1-β_1)\,dW) + λ W\right),\qquad
              m = β_2 m + (1-β_2)\,dW

    References
    ----------
    .. [1] X. Chen et al., "Symbolic discovery of optimization algorithms",
       NeurIPS 2023 (arXiv:2302.06675).
    """
    params = {"lr": lr, "b1": b1, "b2": b2, "weight_decay": weight_decay}
    blocks = chain(scale_by_lion(b1, b2), add_decayed_weights(weight_decay), scale_by_learning_rate(lr))
    return named("lion", params, blocks)
