"""Figures of single lecture points: decay schedules, Adam's first steps, local optima in 2-D, tuning.

Each computes with the library (schedules, ``trace``, ``critical_points``,
``sweep``) and draws in the house style; ``figure_from_config`` builds them
by kind (``schedules``, ``adam-start``, ``critical-points``, ``tuning``).
"""

from __future__ import annotations

import numpy as np

from .. import specs
from .._text import counted
from .._validation import check_int, invalid
from ..style import OKABE_ITO, figure_style, optimizer_color, series_color
from ._axes import new_axes, new_figure
from ._contour import contour
from ._labels import format_value, surface_title


def schedules(texts, *, epochs=10, manual=None, ax=None):
    """Learning rate against epoch for several decay schedules, and a manual decay.

    Parameters
    ----------
    texts : sequence of str
        Schedule specs as on the command line, e.g. ``"inverse_time(0.2,1)"``,
        ``"exponential(0.2,0.95)"``, ``"inverse_sqrt(0.2,1)"``, ``"staircase(0.2,0.5,3)"``.
    epochs : int
        Epochs shown (epochs count from 1).
    manual : sequence of (epoch, rate), optional
        Rates a person sets by hand, each from its epoch on (manual decay).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.schedules(["inverse_time(0.2,1)", "exponential(0.2,0.95)"], epochs=8)
    """
    epochs = check_int("epochs", epochs, minimum=1)
    built = [specs.parse_schedule(text) for text in texts]
    if not built and not manual:
        raise invalid("schedules", texts, "one or more schedule specs such as 'inverse_time(0.2,1)'")
    epoch = np.arange(1, epochs + 1)
    with figure_style():
        fig, ax = new_axes(ax)
        for index, schedule in enumerate(built):
            ax.plot(
                epoch,
                schedule(epoch),
                color=series_color(index),
                marker="o",
                markersize=4,
                label=_schedule_label(schedule),
            )
        if manual:
            points = np.asarray(manual, dtype=float).reshape(-1, 2)
            if np.any(np.diff(points[:, 0]) <= 0) or points[0, 0] != 1:
                raise invalid("manual", manual, "(epoch, rate) pairs from epoch 1 on, epochs increasing")
            rates = points[np.searchsorted(points[:, 0], epoch, side="right") - 1, 1]
            changes = ", ".join(f"{rate:g} from epoch {start:g}" for start, rate in points)
            ax.step(epoch, rates, where="post", color="black", linestyle="--", label=f"manual: {changes}")
        ax.set(xlabel="epoch", ylabel="learning rate α", title="learning-rate decay, per epoch")
        ax.set_ylim(bottom=0)
        ax.set_xticks(epoch if epochs <= 12 else ax.get_xticks())
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
    return fig


def _schedule_label(schedule) -> str:
    p = schedule.params
    formulas = {
        "inverse_time": lambda: f"α₀ / (1 + {p['decay_rate']:g} · epoch), α₀ = {p['lr0']:g}",
        "exponential": lambda: f"{p['base']:g}^epoch · α₀, α₀ = {p['lr0']:g}",
        "inverse_sqrt": lambda: f"{p['k']:g} / √epoch · α₀, α₀ = {p['lr0']:g}",
        "staircase": lambda: (
            f"staircase: α₀ · {p['factor']:g} every {counted(p['every'], 'epoch')}, α₀ = {p['lr0']:g}"
        ),
    }
    return formulas[schedule.name]() if schedule.name in formulas else format_value(schedule)


def adam_start(surface, *, lr=0.1, b1=0.9, b2=0.999, eps=1e-8, steps=30, fig=None):
    r"""What bias correction does in Adam's first steps: the factors, and the steps with and without.

    Parameters
    ----------
    surface : Surface
        Where Adam runs (from ``surface.default_start``).
    lr, b1, b2, eps : float
        Adam's hyperparameters.
    steps : int
        Steps shown.
    fig : matplotlib Figure, optional

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Left: :math:`1-β_1^t` and :math:`1-β_2^t`; with :math:`β_2 = 0.999` the
    second is 0.001 at the first step and 0.03 after 30. Right: the length of
    Adam's step over α, :math:`\lVert \hat v / (\sqrt{\hat S} + ε) \rVert`, as
    taken, and :math:`\lVert v / (\sqrt{S} + ε) \rVert` without the
    correction, from the same run's moments :math:`v` and :math:`S`
    (``landscape.ewa`` of its gradients, which is what Adam keeps): without
    it the first steps are :math:`(1-β_1^t)/\sqrt{1-β_2^t}` times as long,
    3.2 times at :math:`t = 1`.

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.adam_start(ls.surfaces.get("beale"), lr=0.1, steps=20)
    """
    from .. import ewa, optim, trace

    steps = check_int("steps", steps, minimum=2)
    run = trace(surface, optim.adam(lr=lr, b1=b1, b2=b2, eps=eps), surface.default_start, steps=steps)
    grads = surface.grad(run.positions[:-1, 0])  # the gradient of each update
    first = np.stack([ewa(grads[:, i], b1) for i in range(surface.dim)], axis=-1)
    second = np.stack([ewa(grads[:, i] ** 2, b2) for i in range(surface.dim)], axis=-1)
    t = np.arange(1, steps + 1)
    taken = np.linalg.norm(np.diff(run.positions[:, 0], axis=0), axis=1) / lr
    plain = np.linalg.norm(first / (np.sqrt(second) + eps), axis=1)
    with figure_style():
        fig = new_figure(fig, figsize=(13.0, 5.4))
        factors, sizes = fig.subplots(1, 2)
        factors.plot(
            t, 1 - b1**t, color=series_color(0), marker="o", markersize=3, label=f"1 − β₁ᵗ, β₁ = {b1:g}"
        )
        factors.plot(
            t, 1 - b2**t, color=series_color(1), marker="o", markersize=3, label=f"1 − β₂ᵗ, β₂ = {b2:g}"
        )
        factors.set_yscale("log")
        factors.set(xlabel="step t", ylabel="factor", title="what Adam divides its moments by")
        sizes.plot(
            t, taken, color=optimizer_color("adam"), marker="o", markersize=3, label="with correction (Adam)"
        )
        sizes.plot(
            t, plain, color="black", linestyle="--", marker="o", markersize=3, label="without, same moments"
        )
        sizes.set_yscale("log")
        sizes.set(
            xlabel="step t", ylabel="‖step‖ / α", title=f"Adam's first steps on {surface_title(surface)}"
        )
        for ax in (factors, sizes):
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
    return fig


_PLURAL = {"minimum": "minima", "saddle": "saddles", "maximum": "maxima", "degenerate": "degenerate"}
_KIND_STYLE = {
    "minimum": ("*", OKABE_ITO["bluish_green"], 140),
    "saddle": ("X", OKABE_ITO["vermillion"], 60),
    "maximum": ("^", OKABE_ITO["orange"], 60),
    "degenerate": ("o", "0.5", 40),
}


def critical_map(surface, *, bounds=None, seed=0, ax=None):
    """A 2-D surface with every critical point in the window, marked by its kind.

    The low-dimensional picture of local optima: in two dimensions a rugged
    surface has many local minima. ``index_vs_loss`` shows the
    high-dimensional one, where almost every critical point is a saddle.

    Parameters
    ----------
    surface : Surface
        A 2-D surface.
    bounds : array_like, shape (2, 2), optional
        The window (default ``surface.bounds``).
    seed : int
        Seed of the search (``landscape.analysis.critical_points``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.critical_map(ls.surfaces.get("himmelblau"))
    """
    from .. import analysis

    box = np.asarray(surface.bounds if bounds is None else bounds, dtype=float)
    found = analysis.critical_points(surface, bounds=box, seed=seed)
    fig = contour(surface, ax=ax, bounds=box)
    ax = fig.axes[0]
    for artist in [ax.get_legend(), *(c for c in ax.collections if c.get_label() == "minimum")]:
        if artist is not None:  # the global minimum is one of the minima marked below
            artist.remove()
    kinds = np.asarray(found.kinds)
    with figure_style():
        for kind, (marker, color, size) in _KIND_STYLE.items():
            chosen = kinds == kind
            if chosen.any():
                ax.scatter(
                    *found.positions[chosen].T,
                    marker=marker,
                    s=size,
                    color=color,
                    edgecolors="black",
                    linewidths=0.6,
                    zorder=8,
                    label=f"{_PLURAL[kind]} ({int(chosen.sum())})",
                )
        ax.set_title(f"{surface_title(surface)}: {len(found)} critical points in 2-D")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
    return fig


def tuning(surface, optimizers, lrs, *, steps=300, window=50, seed=0, ax=None):
    """Where each optimizer ends against its learning rate, each from a sweep; the best marked.

    Parameters
    ----------
    surface : Surface or str
    optimizers : sequence of str
        Optimizer specs without ``lr`` (``"momentum:beta=0.9"``).
    lrs : sequence of float
        The learning rates swept (the same for every optimizer).
    steps : int
        Steps of every run.
    window : int
        The score of a run: the median of its value over its last ``window``
        steps (a run that bounces about a low value is scored by where it
        bounces, not by where its last step happens to land); lower is better.
    seed : int
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.tuning("beale", ["sgd", "adam"], [0.001, 0.01, 0.1], steps=50, window=10)
    """
    lrs = np.asarray(lrs, dtype=float)
    window = check_int("window", window, minimum=1)
    with figure_style():
        fig, ax = new_axes(ax)
        for index, text in enumerate(optimizers):
            values = tail_scores(surface, text, lrs, steps=steps, window=window, seed=seed)
            name = specs.parse_optimizer(text).spec["name"]
            color = optimizer_color(name, index)
            shown = np.where(np.isfinite(values), values, np.nan)
            label = name + _rest(text)
            if np.isfinite(values).any():
                best = int(np.nanargmin(shown))
                label += f": best α = {lrs[best]:.3g}"
                ax.scatter(
                    [lrs[best]],
                    [values[best]],
                    s=160,
                    facecolors="none",
                    edgecolors=color,
                    linewidths=2,
                    zorder=6,
                )
            ax.plot(lrs, shown, color=color, marker="o", markersize=4, label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        surface_name = surface if isinstance(surface, str) else surface_title(surface)
        ax.set(
            xlabel="learning rate α",
            ylabel=f"median value over the last {window} steps",
            title=f"tuning α on {surface_name}, {steps} steps",
        )
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    return fig


def tail_scores(surface, optimizer, lrs, *, steps, window=50, seed=0) -> np.ndarray:
    """``ls.sweep`` of ``optimizer`` over ``lrs``: each run's median value over its last ``window`` steps.

    A diverged run scores ``inf``. The score ``tuning`` draws and the
    gallery's Adam scene is tuned by.

    Examples
    --------
    >>> from landscape.plot import tail_scores
    >>> tail_scores("elongated_bowl", "sgd", [0.01, 0.1], steps=50, window=5).shape
    (2,)
    """
    from .. import sweep

    def tail(trajectory):
        values = trajectory.values[-window:]
        return np.where(trajectory.diverged, np.inf, np.median(values, axis=0))

    result = sweep(
        surface,
        optimizer,
        {"lr": np.asarray(lrs, dtype=float)},
        steps=steps,
        seed=seed,
        workers=0,
        metrics={"tail": tail},
    )
    return np.asarray(result.columns["tail_median"], dtype=float)


def _rest(text: str) -> str:
    """The parameters of an optimizer spec, for a legend: ``momentum:beta=0.9`` -> `` (beta=0.9)``."""
    _, _, params = text.partition(":")
    return f" ({params.replace(',', ', ')})" if params else ""


def batch_tradeoff(
    surface, batch_sizes=(1, 64, 1024, None), *, lr=0.05, epochs=2, seed=0, repeats=3, fig=None
):
    """Cost against wall-clock time and against examples processed, for several mini-batch sizes.

    The time is measured here, on this machine: each run is timed as a whole
    (best of ``repeats``) with the numpy engine, a vectorized loop like a
    Python training loop, and without recording, so the time is the steps'
    own; the cost curve comes from the same run traced again with records.

    Parameters
    ----------
    surface : Surface
        A finite-sum surface (``linear_regression``, ``logistic_regression``).
    batch_sizes : sequence of int, None or "m"
        Mini-batch sizes; ``None`` or ``"m"`` is the whole set.
    lr : float
        Learning rate of every run (gradient descent).
    epochs : int or sequence of int
        Passes through the data: one number for every run, or one per size
        (a larger mini-batch needs more passes for as many steps).
    seed : int
        Seed of the shuffling.
    repeats : int
        Timings per run; the fastest counts.
    fig : matplotlib Figure, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("linear_regression", m=1024, n=4)
    >>> fig = ls.plot.batch_tradeoff(s, [1, 64, None], epochs=1, repeats=1)
    """
    import time

    from .. import optim, trace
    from .._machine import usable_cores

    m = getattr(surface, "data_size", None)
    if m is None:
        raise invalid("surface", surface.name, "a finite-sum surface (a data set), such as linear_regression")
    repeats = check_int("repeats", repeats, minimum=1)
    sizes = [m if b is None or b == "m" else check_int("batch_sizes", b, minimum=1) for b in batch_sizes]
    passes = np.broadcast_to(np.asarray(epochs), (len(sizes),)).tolist()
    optimizer = optim.sgd(lr=lr)
    with figure_style():
        fig = new_figure(fig, figsize=(13.0, 5.6))
        clock, seen = fig.subplots(1, 2, sharey=True)
        for index, (size, count) in enumerate(zip(sizes, passes, strict=True)):
            count = check_int("epochs", count, minimum=1)
            settings = {"epochs": count, "batch_size": size, "seed": seed, "engine": "numpy"}
            best = np.inf
            for _ in range(repeats):
                start = time.perf_counter()
                timed = trace(surface, optimizer, surface.default_start, record_every=10**9, **settings)
                best = min(best, time.perf_counter() - start)
            total = int(timed.steps[-1])
            per_epoch = timed.config["steps_per_epoch"]
            run = trace(
                surface, optimizer, surface.default_start, record_every=max(1, total // 400), **settings
            )
            steps = run.steps
            examples = (steps // per_epoch) * m + np.minimum((steps % per_epoch) * size, m)
            cost = run.values[:, 0]
            label = f"B = {'m' if size == m else size}: {best / total * 1e6:.0f} µs per step, {count} epochs"
            color = series_color(index)
            clock.plot(np.maximum(steps, 1) * best / total, cost, color=color, label=label)
            seen.plot(np.maximum(examples, 1), cost, color=color, label=f"B = {'m' if size == m else size}")
        for ax in (clock, seen):
            ax.set_xscale("log")
            ax.set_yscale("log")
        clock.set(xlabel="wall-clock time (s), measured", ylabel="cost J", title="cost against time")
        seen.set(xlabel="examples processed", title="cost against examples")
        clock.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
        seen.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
        fig.suptitle(
            f"gradient descent, α = {lr:g}, on m = {m:,} examples,"
            f" timed here (numpy engine, {usable_cores()} cores)",
            fontsize="medium",
            y=1.02,
        )
    return fig
