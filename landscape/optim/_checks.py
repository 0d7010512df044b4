"""Checks of the hyperparameters that several building blocks share."""

from __future__ import annotations

import numpy as np

from .._validation import check_hyperparameter, invalid


def beta(name: str, value):
    """A decay rate β in [0, 1), or one per particle."""
    return check_hyperparameter(name, value, low=0.0, high=1.0, high_open=True)


def eps(value, name: str = "eps"):
    """A positive ε, or one per particle."""
    return check_hyperparameter(name, value, low=0.0, low_open=True)


def flag(name: str, value) -> bool:
    """A switch: True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise invalid(name, value, "True or False")
    return bool(value)
