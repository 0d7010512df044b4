"""Nadam: Adam with Nesterov's look-ahead."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from ._adam import adam_bias_corrections
from ._base import GradientTransformation, chain, named
from ._elementwise import PerUpdate, bias_correction, elementwise
from ._learning_rate import scale_by_learning_rate


class ScaleByNadamState(NamedTuple):
    count: int
    velocity: np.ndarray
    mean_square: np.ndarray


def nadam_rule(
    u, velocity, mean_square, b1, b2, eps, correction_ahead, velocity_correction, mean_square_correction
):
    """Adam with Nesterov's look-ahead on the corrected first moment (corrections at t + 1, t, t)."""
    velocity = b1 * velocity + (1.0 - b1) * u
    mean_square = b2 * mean_square + (1.0 - b2) * u**2
    look_ahead = b1 * velocity * correction_ahead + (1.0 - b1) * u * velocity_correction
    mean_square_corrected = mean_square * mean_square_correction
    return look_ahead / (np.sqrt(mean_square_corrected) + eps), velocity, mean_square


def bias_correction_ahead(t, beta):
    """``bias_correction`` one update ahead: ``1 / (1 - β^(t+1))``."""
    return bias_correction(t + 1.0, beta)


def scale_by_nadam(b1=0.9, b2=0.999, eps=1e-8) -> GradientTransformation:
    r"""Nadam's direction (Dozat 2016, as optax writes it).

    .. math:: \hat v = \frac{β_1 v}{1-β_1^{t+1}} + \frac{(1-β_1)\,dW}{1-β_1^t},\quad
              \text{output} = \frac{\hat v}{\sqrt{S / (1-β_2^t)} + ε}
    """
    params = {"b1": _checks.beta("b1", b1), "b2": _checks.beta("b2", b2), "eps": _checks.eps(eps)}
    arguments = params | {"correction_ahead": PerUpdate(bias_correction_ahead, {"beta": params["b1"]})}
    arguments |= adam_bias_corrections(params["b1"], params["b2"])
    return elementwise("scale_by_nadam", nadam_rule, arguments, params=params, state_type=ScaleByNadamState)


def nadam(lr=0.001, b1=0.9, b2=0.999, eps=1e-8) -> GradientTransformation:
    r"""Nadam: Adam whose momentum looks ahead as Nesterov's does.

    References
    ----------
    .. [1] T. Dozat, "Incorporating Nesterov momentum into Adam", ICLR 2016 workshop.
    """
    params = {"lr": lr, "b1": b1, "b2": b2, "eps": eps}
    return named("nadam", params, chain(scale_by_nadam(b1, b2, eps), scale_by_learning_rate(lr)))
