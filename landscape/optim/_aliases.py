"""The familiar optimizers as chains of building blocks."""

from __future__ import annotations

from ._base import GradientTransformation, chain, named
from ._transforms import (
    add_decayed_weights,
    scale_by_adam,
    scale_by_learning_rate,
    scale_by_momentum,
    scale_by_rms,
)


def sgd(lr=0.01) -> GradientTransformation:
    r"""Gradient descent :math:`W := W - α\,dW` (stochastic with mini-batches)."""
    return named("sgd", {"lr": lr}, chain(scale_by_learning_rate(lr)))


def momentum(lr=0.01, beta=0.9, style="ewa", nesterov=False, bias_correction=False):
    r"""Gradient descent with momentum.

    The lecture's form (``style="ewa"``):

    .. math:: v_{dW} = β v_{dW} + (1-β)\,dW,\qquad W := W - α\, v_{dW}

    ``style="heavy_ball"`` uses :math:`v_{dW} = β v_{dW} + dW` (PyTorch's SGD
    momentum; the same path as ``"ewa"`` with ``α`` scaled by ``1/(1-β)``).
    ``nesterov=True`` steps with the look-ahead ``β v + (1-β) dW``
    (``β v + dW``). ``bias_correction=True`` uses :math:`v/(1-β^t)`.
    """
    params = {"lr": lr, "beta": beta, "style": style}
    params |= {"nesterov": nesterov, "bias_correction": bias_correction}
    blocks = chain(
        scale_by_momentum(beta, style, nesterov, bias_correction), scale_by_learning_rate(lr)
    )
    return named("momentum", params, blocks)


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
