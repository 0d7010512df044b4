"""Where root searches start: spread over a window, or along descent trajectories."""

from __future__ import annotations

import numpy as np

from ..optim import adam
from ..tracing import trace

RECORDS = 256  # positions kept per descent trajectory
MODEL_LR = 0.01  # Adam's step for descents on models (parameters of order one)


def origins(surface, bounds, count, rng) -> np.ndarray:
    """``count`` points: the model's own initialization (``surface.init``) or uniform in ``bounds``."""
    init = getattr(surface, "init", None)
    if callable(init):
        return init(count, seed=int(rng.integers(2**31)))
    low, high = bounds[:, 0], bounds[:, 1]
    return low + (high - low) * rng.random((count, surface.dim))


def model_descent(surface):
    """Steps and optimizer of the descents for a model's search: Adam, as a model is trained."""
    return max(1000, 20 * surface.dim), adam(lr=MODEL_LR)


def descent_points(surface, starts, *, steps, optimizer, rng) -> np.ndarray:
    """One point per start along its gradient-descent path, after a log-uniform number of steps.

    Newton-type searches converge to the critical point near their start;
    from uniform starts they find mostly saddles of high index and loss, so
    part of the starts are taken where descent leads (Dauphin et al. 2014):
    each path is stopped after a number of steps drawn log-uniformly from
    ``1 .. steps``. ``optimizer`` is gradient descent with step ``1/C`` for a
    surface, Adam for a model (``model_descent``), as it is trained.
    """
    every = -(-steps // RECORDS)  # bounded memory: about RECORDS positions per descent
    path = trace(surface, optimizer, starts, steps=steps, record_every=every)
    stops = np.exp(rng.uniform(0.0, np.log(steps + 1), len(starts)))
    rows = np.searchsorted(path.steps, stops).clip(max=len(path.steps) - 1)
    return path.positions[rows, np.arange(len(starts))]
