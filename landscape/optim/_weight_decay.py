"""Decoupled weight decay: add ``λ W`` to the update."""

from __future__ import annotations

from typing import NamedTuple

from .._validation import check_hyperparameter
from ._base import GradientTransformation
from ._elementwise import elementwise


class AddDecayedWeightsState(NamedTuple):
    count: int


def decayed_weights_rule(u, x, weight_decay):
    """``u + λ W``."""
    return u + weight_decay * x


def add_decayed_weights(weight_decay=0.01) -> GradientTransformation:
    r"""Add ``weight_decay · W`` to the update (decoupled weight decay, needs ``params``)."""
    weight_decay = check_hyperparameter("weight_decay", weight_decay, low=0.0)
    return elementwise(
        "add_decayed_weights", decayed_weights_rule, {"weight_decay": weight_decay},
        state_type=AddDecayedWeightsState,
    )
