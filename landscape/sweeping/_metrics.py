r"""Metrics of a configuration: what each seed's run reached, and the spread over seeds.

Per run (one particle):

* ``final_value`` -- :math:`f` after the last step; ``+inf`` if the run diverged.
* ``best_value`` -- the lowest recorded :math:`f` (before any divergence).
* ``steps_to_tol`` -- the first recorded step with :math:`f - f^* \le` ``tol``;
  ``+inf`` if never; ``nan`` when the surface's minimum value :math:`f^*` is
  unknown (it comes from ``surface.minima``).
* ``diverged`` -- whether the run left the divergence radius.

Your own per-run metrics are functions ``trajectory -> (K,) array`` (one
number per particle). Per configuration, over its ``S`` seeds: the median and
quartiles of every per-run metric (NumPy's default linear interpolation, with
``+inf`` kept as a value: a median of ``+inf`` means most seeds failed), the
fraction of seeds that reached the tolerance and the fraction that diverged.
"""

from __future__ import annotations

import numpy as np

from .._validation import InvalidArgument

PER_RUN = ("final_value", "best_value", "steps_to_tol")
STATISTICS = {"median": 0.5, "q25": 0.25, "q75": 0.75}
FRACTIONS = ("reached_fraction", "diverged_fraction")
COLUMNS = tuple(f"{m}_{s}" for m in PER_RUN for s in STATISTICS) + FRACTIONS


def is_metric_column(name: str) -> bool:
    """Whether a result column is a metric (built in, or a statistic of one of your own)."""
    return name in COLUMNS or name.rpartition("_")[2] in STATISTICS


def run_metrics(trajectory, optimum: float, tol: float, extra=None) -> dict[str, np.ndarray]:
    """``(K,)`` arrays of the per-run metrics of a trajectory, and of the functions in ``extra``."""
    values = np.asarray(trajectory.values, dtype=np.float64)
    diverged = trajectory.diverged
    reached = np.full(values.shape[1], np.nan)
    steps = np.full(values.shape[1], np.nan)
    if np.isfinite(optimum):
        hit = values - optimum <= tol
        reached = hit.any(axis=0)
        steps = np.where(reached, trajectory.steps[hit.argmax(axis=0)], np.inf)
    metrics = {
        "final_value": np.where(diverged, np.inf, values[-1]),
        "best_value": values.min(axis=0),
        "steps_to_tol": steps,
        "reached": reached.astype(np.float64),
        "diverged": diverged.astype(np.float64),
    }
    for name, function in (extra or {}).items():
        value = np.asarray(function(trajectory), dtype=np.float64)
        if value.shape != diverged.shape:
            raise InvalidArgument(
                f"metrics[{name!r}] returned shape {value.shape}; expected one number per particle, "
                f"shape {diverged.shape}"
            )
        metrics[name] = value
    return metrics


def over_seeds(per_run: dict[str, np.ndarray], seeds: int) -> dict[str, np.ndarray]:
    """Reduce ``(C * S,)`` per-run arrays (configuration-major) to ``(C,)`` metric columns."""
    out = {}
    for name in [n for n in per_run if n not in ("reached", "diverged")]:
        table = np.sort(per_run[name].reshape(-1, seeds), axis=1)
        for statistic, q in STATISTICS.items():
            out[f"{name}_{statistic}"] = quantile_of_sorted(table, q)
    out["reached_fraction"] = per_run["reached"].reshape(-1, seeds).mean(axis=1)
    out["diverged_fraction"] = per_run["diverged"].reshape(-1, seeds).mean(axis=1)
    return out


def quantile_of_sorted(table: np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q`` of each row of a sorted ``(C, S)`` table, linear between order statistics.

    Unlike ``numpy.quantile``, two infinite neighbours give ``inf`` (not
    ``nan``): the interpolation is skipped where it is not needed.
    """
    position = (table.shape[1] - 1) * q
    low = int(np.floor(position))
    high = min(low + 1, table.shape[1] - 1)
    fraction = position - low
    a, b = table[:, low], table[:, high]
    if fraction == 0:
        return a.copy()
    with np.errstate(invalid="ignore"):
        return np.where(a == b, a, a + fraction * (b - a))
