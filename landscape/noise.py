r"""Gradient noise models for analytic surfaces.

A finite-sum surface gets exact mini-batches from ``trace(..., batch_size=B)``.
An analytic surface has no data set, so these models add Gaussian noise to
its gradient instead:

* ``gaussian(sigma)``: :math:`g = ∇f + σ ξ` with :math:`ξ \sim N(0, I)`.
* ``minibatch(batch_size, dataset_size, scale)``: the noise of the mean
  gradient over ``B`` examples drawn without replacement from ``m`` whose
  per-example gradients scatter with standard deviation ``scale``:

  .. math:: \operatorname{Var} = \text{scale}^2\,\frac{m - B}{B\,(m - 1)}

  (the finite-population factor), so ``B = m`` is noise-free and ``B = 1``
  has the full per-example variance. One epoch is ``ceil(m / B)`` steps.

Draws come from a counter-based generator keyed by the seed and the particle
index, so particle ``k``'s noise does not depend on how many particles run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validation import check_hyperparameter, check_int, invalid

__all__ = ["GaussianNoise", "MinibatchNoise", "from_spec", "gaussian", "minibatch", "minibatch_order"]


@dataclass(frozen=True)
class GaussianNoise:
    """Isotropic Gaussian gradient noise of standard deviation ``sigma``."""

    sigma: float | np.ndarray

    @property
    def std(self):
        """Standard deviation per coordinate (number or per-particle array)."""
        return self.sigma

    @property
    def steps_per_epoch(self) -> int:
        return 1

    @property
    def spec(self) -> dict:
        return {"name": "gaussian", "params": {"sigma": _jsonable(self.sigma)}}


@dataclass(frozen=True)
class MinibatchNoise:
    """Gaussian model of mini-batch noise with the finite-population factor."""

    batch_size: int
    dataset_size: int
    scale: float | np.ndarray

    @property
    def std(self):
        """``scale · sqrt((m - B) / (B (m - 1)))`` (0 when ``B = m``)."""
        m, b = self.dataset_size, self.batch_size
        factor = 0.0 if b == m else math.sqrt((m - b) / (b * (m - 1)))
        return self.scale * factor

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.dataset_size // self.batch_size)

    @property
    def spec(self) -> dict:
        params = {"batch_size": self.batch_size, "dataset_size": self.dataset_size}
        return {"name": "minibatch", "params": params | {"scale": _jsonable(self.scale)}}


def gaussian(sigma=0.1) -> GaussianNoise:
    """Gradient noise ``σ ξ``, ``ξ ~ N(0, I)``; ``sigma`` may be per particle."""
    return GaussianNoise(check_hyperparameter("sigma", sigma, low=0.0))


def minibatch(batch_size=64, dataset_size=1000, scale=1.0) -> MinibatchNoise:
    """Noise of a mini-batch of ``batch_size`` out of ``dataset_size`` examples.

    Parameters
    ----------
    batch_size : int
        ``B``, between 1 and ``dataset_size``.
    dataset_size : int
        ``m``, >= 1.
    scale : float or array of shape (K,)
        Standard deviation of one example's gradient around the mean, >= 0.
    """
    dataset_size = check_int("dataset_size", dataset_size, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if batch_size > dataset_size:
        raise invalid("batch_size", batch_size, f"an integer between 1 and dataset_size={dataset_size}")
    scale = check_hyperparameter("scale", scale, low=0.0)
    return MinibatchNoise(batch_size, dataset_size, scale)


def minibatch_order(dataset_size, *, epoch=1, seed=0, particle=0) -> np.ndarray:
    """The order in which ``trace(..., batch_size=B, seed=seed)`` takes the examples in an epoch.

    Every particle reshuffles the data set each epoch and takes consecutive
    mini-batches of this order: mini-batch ``t`` of the epoch is
    ``order[(t - 1) * B : t * B]``, and the last one holds what is left.

    Parameters
    ----------
    dataset_size : int
        ``m``, the number of examples.
    epoch : int
        The epoch, counting from 1.
    seed : int
        The seed given to ``trace``.
    particle : int
        The particle (its index in the ensemble).

    Returns
    -------
    ndarray of int, shape (m,)
        A permutation of ``range(m)``.

    Examples
    --------
    >>> import landscape as ls
    >>> order = ls.noise.minibatch_order(10, seed=0)
    >>> sorted(order.tolist()) == list(range(10))
    True
    """
    from . import _random

    dataset_size = check_int("dataset_size", dataset_size, minimum=1)
    epoch = check_int("epoch", epoch, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    particle = check_int("particle", particle, minimum=0)
    keys = _random.particle_keys(seed, np.array([particle]), _random.SHUFFLE_STREAM)
    return _random.shuffled_indices(keys, epoch - 1, np.arange(dataset_size), dataset_size)[0]


def from_spec(spec: dict):
    """Rebuild a noise model from its ``spec``."""
    builders = {"gaussian": gaussian, "minibatch": minibatch}
    if spec["name"] not in builders:
        raise invalid("noise", spec["name"], "'gaussian' or 'minibatch'")
    params = {k: np.asarray(v) if isinstance(v, list) else v for k, v in spec["params"].items()}
    return builders[spec["name"]](**params)


def _jsonable(value):
    return value.tolist() if isinstance(value, np.ndarray) else value
