"""The lecture's temperature plot: exponentially weighted averages and bias correction."""

from __future__ import annotations

import numpy as np

from .._validation import check_int, check_scalar, invalid
from ..ewa import effective_window, ewa, london_temperature
from ..style import figure_style, series_color
from ._axes import new_figure

LECTURE_BETAS = (0.5, 0.9, 0.98)


def ewa_temperature(theta=None, betas=LECTURE_BETAS, *, fig=None, unit="F", seed=0, zoom_days=60):
    r"""Daily temperatures with exponentially weighted averages, with and without bias correction.

    Parameters
    ----------
    theta : array_like, shape (n,), optional
        The series (default: ``landscape.london_temperature(seed=seed, unit=unit)``).
    betas : sequence of float
        The averages drawn (default the lecture's 0.5, 0.9 and 0.98: about 2,
        10 and 50 days).
    fig : matplotlib Figure, optional
        Where to draw two axes (default: a new Figure).
    unit : {"F", "C"}
        Unit of the default series and of the axis label.
    seed : int
        Seed of the default series.
    zoom_days : int
        Length of the right panel, which zooms on the start where bias
        correction matters.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Solid lines are the bias-corrected averages :math:`v_t / (1-β^t)`, dashed
    lines the plain :math:`v_t` with :math:`v_0 = 0`, which start near 0 and
    catch up after about :math:`1/(1-β)` days. The legend gives each
    :math:`β` with its effective window :math:`1/(1-β)`.

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.ewa_temperature()
    """
    if unit not in ("F", "C"):
        raise invalid("unit", unit, "'F' or 'C'")
    series = london_temperature(seed=seed, unit=unit) if theta is None else np.asarray(theta, dtype=float)
    betas = [
        check_scalar("betas", b, low=0.0, high=1.0, high_open=True)
        for b in np.atleast_1d(np.asarray(betas, dtype=object)).tolist()
    ]
    if not betas:
        raise invalid("betas", betas, "one or more numbers in [0, 1)")
    zoom_days = min(check_int("zoom_days", zoom_days, minimum=2), len(series))
    day = np.arange(1, len(series) + 1)
    with figure_style():
        fig = new_figure(fig, figsize=(14.0, 5.8))
        year, start = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1.0]})
        for ax, days in ((year, len(series)), (start, zoom_days)):
            ax.scatter(
                day[:days],
                series[:days],
                s=10,
                color="0.6",
                linewidths=0,
                label=r"daily $\theta_t$",
            )
            for index, beta in enumerate(betas):
                color = series_color(index)
                window = effective_window(beta)
                ax.plot(
                    day[:days],
                    ewa(series, beta, bias_correction=True)[:days],
                    color=color,
                    label=rf"$\beta$ = {beta:g} (≈ {window:.0f} days)",
                )
                ax.plot(day[:days], ewa(series, beta)[:days], color=color, linestyle="--", linewidth=1.6)
        ax_label = f"temperature (°{unit})"
        year.set(xlabel="day", ylabel=ax_label, title="exponentially weighted averages")
        start.set(xlabel="day", title=f"first {zoom_days} days: bias correction")
        start.set_ylim(bottom=min(0.0, float(series[:zoom_days].min())))
        handles, labels = year.get_legend_handles_labels()
        from matplotlib.lines import Line2D

        handles += [
            Line2D([], [], color="0.2"),
            Line2D([], [], color="0.2", linestyle="--", linewidth=1.6),
        ]
        labels += [r"$v_t\,/\,(1-\beta^t)$: bias-corrected", r"$v_t$: no correction"]
        # below the axes: inside, it would cover the averages of some β
        year.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
    return fig
