"""AMSGrad: Adam that divides by the largest mean square seen so far."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from ._adam import adam_bias_corrections
from ._base import GradientTransformation, chain, named
from ._elementwise import elementwise
from ._learning_rate import scale_by_learning_rate


class ScaleByAmsgradState(NamedTuple):
    count: int
    velocity: np.ndarray
    mean_square: np.ndarray
    max_mean_square: np.ndarray


def amsgrad_rule(
    u, velocity, mean_square, max_mean_square, b1, b2, eps, velocity_correction, mean_square_correction
):
    """Adam that divides by the largest mean square seen so far (PyTorch's ``amsgrad=True``)."""
    velocity = b1 * velocity + (1.0 - b1) * u
    mean_square = b2 * mean_square + (1.0 - b2) * u**2
    max_mean_square = np.maximum(max_mean_square, mean_square)
    velocity_corrected = velocity * velocity_correction
    root = np.sqrt(max_mean_square * mean_square_correction) + eps
    return velocity_corrected / root, velocity, mean_square, max_mean_square


def scale_by_amsgrad(b1=0.9, b2=0.999, eps=1e-8) -> GradientTransformation:
    r"""AMSGrad's direction: :math:`\hat S = \max_{τ \le t} S_τ`, output
    :math:`\frac{v/(1-β_1^t)}{\sqrt{\hat S/(1-β_2^t)} + ε}` (Reddi, Kale & Kumar 2018)."""
    params = {"b1": _checks.beta("b1", b1), "b2": _checks.beta("b2", b2), "eps": _checks.eps(eps)}
    arguments = params | adam_bias_corrections(params["b1"], params["b2"])
    state_type = ScaleByAmsgradState
    return elementwise("scale_by_amsgrad", amsgrad_rule, arguments, params=params, state_type=state_type)


def amsgrad(lr=0.001, b1=0.9, b2=0.999, eps=1e-8) -> GradientTransformation:
    r"""AMSGrad: Adam whose step never grows from a smaller mean square.

    References
    ----------
    .. [1] S. J. Reddi, S. Kale and S. Kumar, "On the convergence of Adam and
       beyond", ICLR 2018.
    """
    params = {"lr": lr, "b1": b1, "b2": b2, "eps": eps}
    return named("amsgrad", params, chain(scale_by_amsgrad(b1, b2, eps), scale_by_learning_rate(lr)))
