"""Curves over steps: the loss of each optimizer and its learning rate."""

from __future__ import annotations

import numpy as np

from .. import style
from .._validation import invalid
from ..style import figure_style
from ._axes import new_axes
from ._runs import MANY_PARTICLES, as_runs, band


def loss(runs, *, ax=None, percentiles=(10, 90), optimum=None, log=None):
    """Loss against step for each optimizer: median over particles and a band.

    Parameters
    ----------
    runs : Trajectory, list of Trajectory or dict label -> Trajectory
        The runs to compare.
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure).
    percentiles : (float, float)
        The band spans these percentiles over particles (runs with one
        particle show just the line).
    optimum : float, optional
        Known minimum value ``f*``; the curves then show ``f - f*``, whose log
        plot makes linear convergence a straight line.
    log : bool, optional
        Logarithmic y axis (default: when every plotted value is positive).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    With exact mini-batches the noisy mini-batch cost ``J^{t}`` of each update
    (``Trajectory.batch_values``, the lecture's jagged curve) is drawn faintly
    behind the full cost.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("rosenbrock")
    >>> runs = [ls.trace(s, ls.optim.adam(lr=0.05), s.default_start, steps=300, particles=50,
    ...                  noise=ls.noise.gaussian(1.0))]
    >>> fig = ls.plot.loss(runs, optimum=0.0)
    """
    runs = as_runs(runs)
    if not runs:
        raise invalid("runs", runs, "at least one Trajectory")
    low, high = _percentiles(percentiles)
    shift = 0.0 if optimum is None else float(optimum)
    with figure_style():
        fig, ax = new_axes(ax)
        lowest = np.inf
        for run in runs:
            t = run.trajectory
            median, lower, upper = band(t.values - shift, (low, high))
            if t.batch_values is not None:
                ax.plot(
                    t.steps,
                    np.median(t.batch_values - shift, axis=1),
                    color=run.color,
                    linewidth=0.8,
                    alpha=0.35,
                )
            ax.plot(t.steps, median, color=run.color, linestyle=run.linestyle, label=_label(run))
            if t.particles > 1:
                ax.fill_between(t.steps, lower, upper, color=run.color, alpha=0.18, linewidth=0)
            lowest = min(lowest, float(np.min(lower)), float(np.min(median)))
        if log or (log is None and lowest > 0):
            ax.set_yscale("log")
        ax.set(
            xlabel="step",
            ylabel="f − f*" if optimum is not None else "f",
            title="loss" + (f" (band: {low:g}–{high:g}th percentile)" if _any_ensemble(runs) else ""),
        )
        ax.legend(loc="best", framealpha=0.9)
    return fig


def learning_rate(runs, *, ax=None, max_paths=MANY_PARTICLES):
    """The learning rate each optimizer used at every step (its schedule).

    Parameters
    ----------
    runs : Trajectory, list of Trajectory or dict label -> Trajectory
        Runs whose ``learning_rates`` are drawn; per-particle rates are drawn
        one line per particle (up to ``max_paths``, else median and range).
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure).
    max_paths : int
        Most per-particle lines drawn individually.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("elongated_bowl")
    >>> opt = ls.optim.sgd(lr=ls.schedules.inverse_time(lr0=0.2, decay_rate=1.0))
    >>> fig = ls.plot.learning_rate(ls.trace(s, opt, s.default_start, steps=10))
    """
    runs = [run for run in as_runs(runs) if run.trajectory.learning_rates is not None]
    if not runs:
        raise invalid("runs", "runs without a learning rate", "runs of optimizers that have a learning rate")
    with figure_style():
        fig, ax = new_axes(ax)
        for order, run in enumerate(runs):
            t = run.trajectory
            rates = t.learning_rates
            # Equal rates overlap: earlier runs are drawn wider so that each stays visible.
            width = style.LINE_WIDTH * (1.0 + 0.8 * (len(runs) - 1 - order) / max(len(runs) - 1, 1))
            # Step 0 records the first update's rate; draw rates at the updates 1 .. T.
            steps = np.maximum(t.steps, 1)
            if rates.ndim == 1:
                ax.step(
                    steps,
                    rates,
                    where="post",
                    color=run.color,
                    linestyle=run.linestyle,
                    label=_label(run),
                    linewidth=width,
                )
            elif rates.shape[1] <= max_paths:
                for index in range(rates.shape[1]):
                    ax.step(
                        steps,
                        rates[:, index],
                        where="post",
                        color=run.color,
                        linestyle=run.linestyle,
                        alpha=0.85,
                        label=_label(run) if index == 0 else None,
                    )
            else:
                ax.step(
                    steps,
                    np.median(rates, axis=1),
                    where="post",
                    color=run.color,
                    linestyle=run.linestyle,
                    label=f"{_label(run)}, median",
                )
                ax.fill_between(
                    steps,
                    rates.min(axis=1),
                    rates.max(axis=1),
                    step="post",
                    color=run.color,
                    alpha=0.18,
                    linewidth=0,
                )
        ax.set(xlabel="step", ylabel="learning rate α", title="learning-rate schedule")
        ax.set_ylim(bottom=0)
        ax.legend(loc="best", framealpha=0.9)
    return fig


def _label(run) -> str:
    k = run.trajectory.particles
    return run.label if k == 1 else f"{run.label}, {k} particles"


def _any_ensemble(runs) -> bool:
    return any(run.trajectory.particles > 1 for run in runs)


def _percentiles(percentiles) -> tuple[float, float]:
    try:
        low, high = (float(p) for p in percentiles)
    except (TypeError, ValueError):
        raise invalid("percentiles", percentiles, "two numbers 0 <= low < high <= 100") from None
    if not 0 <= low < high <= 100:
        raise invalid("percentiles", percentiles, "two numbers 0 <= low < high <= 100")
    return low, high
