r"""Exponentially weighted averages, the idea behind momentum, RMSprop and Adam.

.. math:: v_0 = 0,\qquad v_t = β v_{t-1} + (1-β)\,θ_t

``v_t`` averages roughly the last :math:`1/(1-β)` values (β = 0.9: ≈ 10 days,
0.98: ≈ 50 days, 0.5: ≈ 2 days), because the weight of :math:`θ_{t-k}` is
:math:`(1-β)β^k` and :math:`β^{1/(1-β)} ≈ 1/e`. Starting from ``v₀ = 0`` biases
the first values low; dividing by :math:`1 - β^t` corrects it.
"""

from __future__ import annotations

import numpy as np

from ._validation import InvalidArgument, check_hyperparameter, check_int, check_scalar, invalid

__all__ = ["effective_window", "ewa", "ewa_weights", "london_temperature"]


def _beta(beta) -> float:
    return check_scalar("beta", beta, low=0.0, high=1.0, high_open=True)


def ewa(theta, beta=0.9, bias_correction=False) -> np.ndarray:
    r"""Exponentially weighted average of a series.

    Parameters
    ----------
    theta : array_like, shape (n,)
        The series ``θ_1 .. θ_n``.
    beta : float
        ``0 <= β < 1``.
    bias_correction : bool
        Return :math:`v_t / (1 - β^t)` instead of :math:`v_t`.

    Returns
    -------
    ndarray, shape (n,)
        ``v_1 .. v_n``.

    Examples
    --------
    The lecture's start-up with β = 0.98: :math:`v_2 = 0.0196 θ_1 + 0.02 θ_2`.

    >>> import landscape as ls
    >>> ls.ewa([1.0, 0.0], beta=0.98)[1], ls.ewa([0.0, 1.0], beta=0.98)[1]
    (np.float64(0.0196...), np.float64(0.02...))
    """
    beta = _beta(beta)
    try:
        series = np.asarray(theta, dtype=float) if not isinstance(theta, (str, bytes)) else None
    except (TypeError, ValueError):
        series = None
    if series is None:
        raise invalid("theta", theta, "a 1-D series of numbers")
    if series.ndim != 1:
        raise InvalidArgument(f"theta has shape {series.shape}; expected a 1-D series")
    if not np.isfinite(series).all():
        raise invalid("theta", "a series with non-finite values", "finite numbers")
    if not isinstance(bias_correction, (bool, np.bool_)):
        raise invalid("bias_correction", bias_correction, "True or False")
    averages = _recursion(series, beta)
    if bias_correction:
        averages = averages / (1.0 - beta ** np.arange(1, series.size + 1))
    return averages


CHUNK = 128  # values of the series averaged by one product with a fixed matrix


def _recursion(series: np.ndarray, beta: float) -> np.ndarray:
    """``v_t = β v_{t-1} + (1-β) θ_t`` from ``v_0 = 0``, chunk by chunk.

    Within a chunk of ``CHUNK`` values, ``v`` is the chunk's own average
    (its values times the weights ``(1-β)β^k``, one matrix product for all
    chunks) plus ``β^{j+1}`` times the average carried in from the chunks
    before. Only the carries go one chunk at a time.
    """
    n = series.size
    if n == 0:
        return series.copy()
    size = min(CHUNK, n)
    chunks = -(-n // size)
    padded = np.zeros(chunks * size)
    padded[:n] = series
    lag = np.subtract.outer(np.arange(size), np.arange(size))
    weights = np.where(lag >= 0, ewa_weights(beta, size)[np.maximum(lag, 0)], 0.0)
    within = padded.reshape(chunks, size) @ weights.T
    decay = beta ** np.arange(1, size + 1)
    carried = np.zeros(chunks)
    for k in range(1, chunks):
        carried[k] = decay[-1] * carried[k - 1] + within[k - 1, -1]
    return (within + carried[:, None] * decay).reshape(-1)[:n]


def effective_window(beta) -> float | np.ndarray:
    """The number of values an average roughly spans, ``1 / (1 - β)``."""
    beta = check_hyperparameter("beta", beta, low=0.0, high=1.0, high_open=True)
    return 1.0 / (1.0 - beta)


def ewa_weights(beta, t: int) -> np.ndarray:
    r"""Weights of :math:`θ_t, θ_{t-1}, ..., θ_1` in :math:`v_t`: :math:`(1-β)β^k`.

    ``ewa_weights(0.9, 100)`` unrolls the lecture's
    :math:`v_{100} = 0.1θ_{100} + 0.1·0.9\,θ_{99} + 0.1·0.9^2\,θ_{98} + ...`.
    """
    beta = _beta(beta)
    t = check_int("t", t, minimum=1)
    return (1.0 - beta) * beta ** np.arange(t)


# The days the lecture lists, in °F: θ₁ = 40, θ₂ = 49, θ₃ = 45, θ₁₈₀ = 60, θ₁₈₁ = 56.
LECTURE_DAYS = {1: 40.0, 2: 49.0, 3: 45.0, 180: 60.0, 181: 56.0}


def london_temperature(days=365, seed=0, unit="F") -> np.ndarray:
    """A seeded synthetic year of daily temperatures in London, the lecture's example.

    A seasonal curve (coldest in mid-January at about 40 °F, warmest in
    mid-July at about 64 °F) plus day-to-day noise of standard deviation 4 °F,
    except on the five days the lecture lists (``LECTURE_DAYS``), which take
    the lecture's values: θ₁ = 40 °F, θ₂ = 49 °F, θ₃ = 45 °F, θ₁₈₀ = 60 °F,
    θ₁₈₁ = 56 °F, whatever the seed.

    Parameters
    ----------
    days : int
        Length of the series, >= 1.
    seed : int
        Seed of the noise.
    unit : {"F", "C"}
        Fahrenheit, as on the slide, or Celsius.

    Returns
    -------
    ndarray, shape (days,)
        ``θ_1 .. θ_days``.
    """
    days = check_int("days", days, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if unit not in ("F", "C"):
        raise invalid("unit", unit, "'F' or 'C'")
    day = np.arange(1, days + 1)
    seasonal = 52.0 - 12.0 * np.cos(2.0 * np.pi * (day - 15.0) / 365.0)
    fahrenheit = seasonal + 4.0 * np.random.default_rng(seed).standard_normal(days)
    for listed, value in LECTURE_DAYS.items():
        if listed <= days:
            fahrenheit[listed - 1] = value
    return fahrenheit if unit == "F" else (fahrenheit - 32.0) * 5.0 / 9.0
