"""AdaGrad: divide by the root of the sum of all past squared gradients."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from ._base import GradientTransformation, chain, named
from ._elementwise import elementwise
from ._learning_rate import scale_by_learning_rate


class ScaleByAdagradState(NamedTuple):
    count: int
    sum_of_squares: np.ndarray


def adagrad_rule(u, sum_of_squares, eps):
    """``G = G + dW²``, output ``dW / (√G + ε)``."""
    sum_of_squares = sum_of_squares + u**2
    return u / (np.sqrt(sum_of_squares) + eps), sum_of_squares


def scale_by_adagrad(eps=1e-10) -> GradientTransformation:
    r"""AdaGrad's scaling :math:`G = G + dW^2`, output :math:`dW / (\sqrt{G} + ε)`.

    Every coordinate's step shrinks with the gradients it has seen: RMSprop
    is the same with an exponentially weighted average in place of the sum.
    """
    return elementwise(
        "scale_by_adagrad", adagrad_rule, {"eps": _checks.eps(eps)}, state_type=ScaleByAdagradState
    )


def adagrad(lr=0.01, eps=1e-10) -> GradientTransformation:
    r"""AdaGrad (Duchi, Hazan & Singer 2011), with PyTorch's defaults.

    .. math:: G_{dW} = G_{dW} + dW^2,\qquad W := W - α\,\frac{dW}{\sqrt{G_{dW}} + ε}

    References
    ----------
    .. [1] J. Duchi, E. Hazan and Y. Singer, "Adaptive subgradient methods for
       online learning and stochastic optimization", JMLR 12 (2011) 2121-2159.
    """
    params = {"lr": lr, "eps": eps}
    return named("adagrad", params, chain(scale_by_adagrad(eps), scale_by_learning_rate(lr)))
