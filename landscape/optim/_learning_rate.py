"""The learning rate: the one place where the sign of descent lives; and gradient descent."""

from __future__ import annotations

from typing import NamedTuple

from .._validation import check_hyperparameter, invalid
from ..schedules import Schedule
from ._base import GradientTransformation, chain, named
from ._elementwise import elementwise


class ScaleByLearningRateState(NamedTuple):
    count: int


def learning_rate_rule(u, lr):
    """The step ``W := W - α u``: the update is ``-α u``."""
    return -lr * u


def scale_by_learning_rate(lr) -> GradientTransformation:
    r"""Multiply by ``-α``: the step ``W := W - α u``.

    Parameters
    ----------
    lr : float, array of shape (K,), or Schedule
        ``α > 0``; a schedule is called with the epoch number.
    """
    if not isinstance(lr, Schedule):
        try:
            lr = check_hyperparameter("lr", lr, low=0.0, low_open=True)
        except ValueError:
            raise invalid("lr", lr, "a number > 0, one per particle, or a schedule") from None
    return elementwise(
        "scale_by_learning_rate", learning_rate_rule, {"lr": lr}, state_type=ScaleByLearningRateState
    )


def sgd(lr=0.01) -> GradientTransformation:
    r"""Gradient descent :math:`W := W - α\,dW` (stochastic with mini-batches)."""
    return named("sgd", {"lr": lr}, chain(scale_by_learning_rate(lr)))
