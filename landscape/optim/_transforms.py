"""Building blocks: momentum, RMS scaling, Adam moments, weight decay, the learning rate.

Each factory defines its state right above it. Formulas use the lecture's
notation: ``dW`` the gradient, ``v`` the velocity (first moment), ``S`` the
mean square (second moment), ``t`` the 1-based update count.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import InvalidArgument, check_choice, check_hyperparameter, invalid
from ..schedules import Schedule
from ._base import GradientTransformation, block, per_particle

MOMENTUM_STYLES = ("ewa", "heavy_ball")


def _beta(name, value):
    return check_hyperparameter(name, value, low=0.0, high=1.0, high_open=True)


def _eps(value):
    return check_hyperparameter("eps", value, low=0.0, low_open=True)


def _flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise invalid(name, value, "True or False")
    return bool(value)


def learning_rate_value(lr, epoch):
    """The rate in effect at ``epoch`` for a number, per-particle array or schedule."""
    return lr(epoch) if isinstance(lr, Schedule) else lr


class ScaleByLearningRateState(NamedTuple):
    count: int


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

    def init(params):
        return ScaleByLearningRateState(count=0)

    def update(updates, state, params=None, *, epoch=None):
        rate = learning_rate_value(lr, state.count + 1 if epoch is None else epoch)
        return np.multiply(updates, -per_particle(rate, updates)), ScaleByLearningRateState(state.count + 1)

    return block("scale_by_learning_rate", {"lr": lr}, init, update)


class MomentumState(NamedTuple):
    count: int
    velocity: np.ndarray


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
    beta = _beta("beta", beta)
    style = check_choice("style", style, MOMENTUM_STYLES)
    nesterov = _flag("nesterov", nesterov)
    bias_correction = _flag("bias_correction", bias_correction)
    if bias_correction and style == "heavy_ball":
        raise invalid("bias_correction", True, "False for style='heavy_ball' (v is a sum, not an average)")

    def init(params):
        return MomentumState(count=0, velocity=np.zeros_like(params))

    def update(updates, state, params=None, *, epoch=None):
        b = per_particle(beta, updates)
        # gain · dW is dW itself for heavy ball: skip the product (the sum is the same to the bit)
        gained = updates if style == "heavy_ball" else np.multiply(updates, 1.0 - b)
        velocity = np.multiply(state.velocity, b)
        velocity += gained
        count = state.count + 1
        out = np.multiply(velocity, 1.0 / (1.0 - b**count)) if bias_correction else velocity
        if nesterov:  # look-ahead: β v + gain · dW
            out = np.multiply(out, b)
            out += gained
        return out, MomentumState(count, velocity)

    params = {"beta": beta, "style": style, "nesterov": nesterov, "bias_correction": bias_correction}
    return block("scale_by_momentum", params, init, update)


class ScaleByRmsState(NamedTuple):
    mean_square: np.ndarray


def scale_by_rms(beta=0.9, eps=1e-8, eps_in_sqrt=False) -> GradientTransformation:
    r"""RMSprop scaling :math:`S = βS + (1-β)\,dW^2`, output :math:`dW / (\sqrt{S} + ε)`.

    With ``eps_in_sqrt=True`` the output is :math:`dW / \sqrt{S + ε}`, the
    placement on the lecture's slide. The two agree once :math:`S \gg ε^2`
    (outside) or :math:`S \gg ε` (inside); they differ where gradients are
    tiny: inside the root, ``ε = 1e-8`` caps the step at ``dW / 1e-4``, outside
    at ``dW / 1e-8``.
    """
    beta = _beta("beta", beta)
    eps = _eps(eps)
    eps_in_sqrt = _flag("eps_in_sqrt", eps_in_sqrt)

    def init(params):
        return ScaleByRmsState(mean_square=np.zeros_like(params))

    def update(updates, state, params=None, *, epoch=None):
        b = per_particle(beta, updates)
        mean_square = np.square(updates)
        np.multiply(mean_square, 1.0 - b, out=mean_square)
        out = np.multiply(state.mean_square, b)
        np.add(mean_square, out, out=mean_square)
        e = per_particle(eps, updates)
        if eps_in_sqrt:
            np.add(mean_square, e, out=out)
            np.sqrt(out, out=out)
        else:
            np.sqrt(mean_square, out=out)
            np.add(out, e, out=out)
        np.divide(updates, out, out=out)
        return out, ScaleByRmsState(mean_square)

    return block("scale_by_rms", {"beta": beta, "eps": eps, "eps_in_sqrt": eps_in_sqrt}, init, update)


class ScaleByAdamState(NamedTuple):
    count: int
    velocity: np.ndarray
    mean_square: np.ndarray


def scale_by_adam(b1=0.9, b2=0.999, eps=1e-8) -> GradientTransformation:
    r"""Adam's direction with bias correction, exactly as in the lecture.

    .. math::
        v = β_1 v + (1-β_1)\,dW,\quad S = β_2 S + (1-β_2)\,dW^2,\quad
        \hat v = \frac{v}{1-β_1^t},\quad \hat S = \frac{S}{1-β_2^t},\quad
        \text{output} = \frac{\hat v}{\sqrt{\hat S} + ε}
    """
    b1, b2, eps = _beta("b1", b1), _beta("b2", b2), _eps(eps)

    def init(params):
        return ScaleByAdamState(0, np.zeros_like(params), np.zeros_like(params))

    def update(updates, state, params=None, *, epoch=None):
        beta1, beta2 = per_particle(b1, updates), per_particle(b2, updates)
        count = state.count + 1
        # Each step allocates only what it returns; `out` doubles as scratch space.
        velocity = np.multiply(updates, 1.0 - beta1)
        out = np.multiply(state.velocity, beta1)
        np.add(velocity, out, out=velocity)
        mean_square = np.square(updates)
        np.multiply(mean_square, 1.0 - beta2, out=mean_square)
        np.multiply(state.mean_square, beta2, out=out)
        np.add(mean_square, out, out=mean_square)
        np.multiply(mean_square, 1.0 / (1.0 - beta2**count), out=out)
        np.sqrt(out, out=out)
        np.add(out, per_particle(eps, updates), out=out)
        np.divide(velocity, out, out=out)
        np.multiply(out, 1.0 / (1.0 - beta1**count), out=out)
        return out, ScaleByAdamState(count, velocity, mean_square)

    return block("scale_by_adam", {"b1": b1, "b2": b2, "eps": eps}, init, update)


class AddDecayedWeightsState(NamedTuple):
    pass


def add_decayed_weights(weight_decay=0.01) -> GradientTransformation:
    r"""Add ``weight_decay · W`` to the update (decoupled weight decay, needs ``params``)."""
    weight_decay = check_hyperparameter("weight_decay", weight_decay, low=0.0)

    def init(params):
        return AddDecayedWeightsState()

    def update(updates, state, params=None, *, epoch=None):
        if params is None:
            raise InvalidArgument("params=None is not accepted; add_decayed_weights needs the parameters")
        return updates + per_particle(weight_decay, updates) * params, state

    return block("add_decayed_weights", {"weight_decay": weight_decay}, init, update)
