"""RMSprop: divide by the root of an exponentially weighted mean square of the gradients."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from ._base import GradientTransformation, chain, named
from ._elementwise import elementwise
from ._learning_rate import scale_by_learning_rate


class ScaleByRmsState(NamedTuple):
    count: int
    mean_square: np.ndarray


def rms_rule(u, mean_square, beta, eps, eps_in_sqrt):
    """``S = β S + (1-β) dW²``, output ``dW / (√S + ε)`` (or ``dW / √(S + ε)``)."""
    mean_square = beta * mean_square + (1.0 - beta) * u**2
    root = np.sqrt(mean_square + eps) if eps_in_sqrt else np.sqrt(mean_square) + eps
    return u / root, mean_square


def scale_by_rms(beta=0.9, eps=1e-8, eps_in_sqrt=False) -> GradientTransformation:
    r"""RMSprop scaling :math:`S = βS + (1-β)\,dW^2`, output :math:`dW / (\sqrt{S} + ε)`.

    With ``eps_in_sqrt=True`` the output is :math:`dW / \sqrt{S + ε}`, the
    placement on the lecture's slide. The two agree once :math:`S \gg ε^2`
    (outside) or :math:`S \gg ε` (inside); they differ where gradients are
    tiny: inside the root, ``ε = 1e-8`` caps the step at ``dW / 1e-4``, outside
    at ``dW / 1e-8``.
    """
    beta, eps = _checks.beta("beta", beta), _checks.eps(eps)
    eps_in_sqrt = _checks.flag("eps_in_sqrt", eps_in_sqrt)
    arguments = {"beta": beta, "eps": eps, "eps_in_sqrt": eps_in_sqrt}
    return elementwise("scale_by_rms", rms_rule, arguments, state_type=ScaleByRmsState)


def rmsprop(lr=0.01, beta=0.9, eps=1e-8, eps_in_sqrt=False) -> GradientTransformation:
    r"""RMSprop.

    .. math:: S_{dW} = β S_{dW} + (1-β)\,dW^2,\qquad
              W := W - α\,\frac{dW}{\sqrt{S_{dW}} + ε}

    The lecture's slide writes :math:`\sqrt{S_{dW} + ε}`: pass
    ``eps_in_sqrt=True`` for that placement (see ``scale_by_rms``).
    """
    params = {"lr": lr, "beta": beta, "eps": eps, "eps_in_sqrt": eps_in_sqrt}
    blocks = chain(scale_by_rms(beta, eps, eps_in_sqrt), scale_by_learning_rate(lr))
    return named("rmsprop", params, blocks)
