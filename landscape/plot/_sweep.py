r"""The sweep heatmap: a metric over two grid axes, diverged cells marked, theory on top.

For momentum on a quadratic the classic learning-rate x momentum diagram has
a closed-form edge: heavy ball :math:`x_{t+1} = x_t - α∇f + β(x_t - x_{t-1})`
is stable exactly when :math:`0 < αλ < 2(1 + β)` for every Hessian eigenvalue
:math:`λ` (``landscape.analysis.heavy_ball_stable``), and fastest at Polyak's
:math:`α^* = 4/(\sqrt{L} + \sqrt{μ})^2`, :math:`β^* = ((\sqrt{κ} - 1)/(\sqrt{κ} + 1))^2`
(``landscape.analysis.quadratic_rates``). The lecture's form
:math:`v = βv + (1-β)dW` is heavy ball with :math:`α(1-β)` in place of
:math:`α`, and plain gradient descent is :math:`β = 0`.
"""

from __future__ import annotations

import numpy as np

from .. import optim, specs
from .._validation import InvalidArgument, invalid
from ..style import FIGURE_SIZE, OKABE_ITO, SURFACE_COLORMAP, figure_style
from ._axes import new_axes, new_figure

DIVERGED_SHARE = 0.5  # a cell is drawn as diverged when at least this share of its seeds diverged
COLOUR_DECADES = 10  # a log colour scale spans at most this many decades below its largest value
_NAMES = {
    "final_value": "final value",
    "best_value": "best value",
    "steps_to_tol": "steps to tolerance",
    "reached_fraction": "share of seeds that reached the tolerance",
    "diverged_fraction": "share of seeds that diverged",
}
_STATISTICS = {"median": "median", "q25": "25th percentile", "q75": "75th percentile"}
_SYMBOLS = {"lr": "learning rate α", "beta": "momentum β", "batch_size": "batch size"}


def sweep_heatmap(
    results, metric="final_value_median", *, x=None, y=None, where=None, boundary=True, ax=None
):
    """A metric of a sweep over two grid axes: the learning-rate x momentum stability diagram.

    Parameters
    ----------
    results : SweepResult, str or Path
        A sweep result or its ``.parquet`` / ``.csv`` file.
    metric : str
        A metric column, e.g. ``"final_value_median"``, ``"steps_to_tol_q75"``
        or ``"diverged_fraction"``; a bare ``"final_value"`` (or the name of
        one of your own metrics) means its median.
    x, y : str, optional
        Grid columns along the axes (default ``lr`` and ``beta`` when swept,
        else the first two grid columns that vary).
    where : dict, optional
        A value for every other grid column that varies, e.g. ``{"batch_size": 64}``.
    boundary : bool
        Draw the theory when the surface is a convex quadratic, the optimizer
        is ``sgd`` or (non-Nesterov) ``momentum`` and ``lr`` is an axis: the
        stability boundary, and on an ``lr`` x ``beta`` map a star at the
        fastest ``(α*, β*)``.
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Cells where at least half the seeds diverged are hatched; cells where
    fewer diverged carry a dot; cells whose metric is infinite or undefined
    (the tolerance never reached) are left grey. Value metrics use a
    logarithmic colour scale when they are positive and span more than two
    decades. Numeric axes spanning more than two decades are logarithmic.

    Examples
    --------
    >>> import landscape as ls
    >>> result = ls.sweep("elongated_bowl:kappa=10", "momentum:style=heavy_ball",
    ...                   {"lr": [0.01, 0.05, 0.2, 0.3], "beta": [0.0, 0.5, 0.9]},
    ...                   steps=100, workers=0)
    >>> fig = ls.plot.sweep_heatmap(result)
    """
    from ..sweeping import SweepResult, load_sweep

    result = results if isinstance(results, SweepResult) else load_sweep(results)
    if metric not in result.columns and f"{metric}_median" in result.columns:
        metric = f"{metric}_median"
    if metric not in result.metrics:
        raise invalid("metric", metric, "one of " + ", ".join(result.metrics))
    x, y = _axes_names(result, x, y, where)
    compared = np.unique(result.columns["optimizer"][result.select(where)])
    facets = (
        [where]
        if len(compared) == 1 or "optimizer" in (x, y) or "optimizer" in (where or {})
        else [(where or {}) | {"optimizer": name} for name in compared]
    )
    if len(facets) > 1 and ax is not None:
        raise invalid(
            "ax",
            ax,
            f"None: this sweep compares {len(facets)} optimizers, drawn side by side "
            "(or give where={'optimizer': ...} to draw one)",
        )
    panels = [(part, *result.pivot(metric, x, y, part)) for part in facets]
    values = np.concatenate([table[np.isfinite(table)] for *_, table in panels])
    norm, cmap = _norm(metric, values), _colormap()
    with figure_style():
        if len(facets) == 1:
            fig, ax = new_axes(ax)
            axes = [ax]
        else:
            fig = new_figure(figsize=(FIGURE_SIZE[0] * 0.62 * len(facets), FIGURE_SIZE[1]))
            axes = list(fig.subplots(1, len(facets), sharey=True, squeeze=False)[0])
        handles = {}
        for ax, (part, xs, ys, table) in zip(axes, panels, strict=True):
            mesh, drawn = _panel(ax, result, metric, x, y, part, xs, ys, table, norm, cmap, boundary)
            handles |= {handle.get_label(): handle for handle in drawn}
            ax.set_xlabel(_SYMBOLS.get(x, x))
            rows = result.select(part)
            title = _title(result, rows) if len(axes) == 1 else _names(result, "optimizer", rows)
            ax.set_title(title, fontsize="medium")
        if len(axes) > 1:
            fig.suptitle(_names(result, "surface", result.select(where)))
        axes[0].set_ylabel(_SYMBOLS.get(y, y))
        below = bool(values.size and values.min() < norm.vmin)  # below the colours' ten decades
        bar = fig.colorbar(mesh, ax=axes, extend="min" if below else "neither")
        bar.set_label(_metric_label(metric, result))
        if handles:
            axes[0].legend(
                handles=list(handles.values()),
                loc="upper left",
                bbox_to_anchor=(0.0, -0.14),
                ncol=2,
                frameon=False,
            )
    return fig


def _panel(ax, result, metric, x, y, where, xs, ys, table, norm, cmap, boundary):
    """One heatmap: the metric, divergence marks and the theory. Returns the mesh and legend handles."""
    diverged = result.pivot("diverged_fraction", x, y, where)[2]
    rows = result.select(where)
    xe, x_log, x_ticks = _edges(xs)
    ye, y_log, y_ticks = _edges(ys)
    finite = np.isfinite(table)
    mesh = ax.pcolormesh(xe, ye, np.ma.masked_invalid(table), cmap=cmap, norm=norm)
    handles = _mark_divergence(ax, xe, ye, diverged, x_log, y_log)
    if (~finite & (diverged < DIVERGED_SHARE)).any():
        from matplotlib.patches import Patch

        what = "tolerance not reached" if metric.startswith("steps_to_tol") else "no value"
        handles.append(Patch(facecolor=cmap.get_bad(), label=what))
    theory = _theory(result, rows, x, y) if boundary else None
    if theory is not None:
        handles += _draw_theory(ax, theory, x, y, xe, ye, x_log, y_log)
    for axis, log, ticks, values in ((ax.xaxis, x_log, x_ticks, xs), (ax.yaxis, y_log, y_ticks, ys)):
        _format_axis(ax, axis, log, ticks, values)
    return mesh, handles


def _axes_names(result, x, y, where):
    """The columns along x and y: as given, else ``lr`` and ``beta``, else the first two that vary.

    The optimizer is a column too, after the grid's: a sweep of one key over
    several optimizers draws the key against the optimizer.
    """
    swept = [k for k in ("surface", *result.grid_keys, "optimizer") if np.unique(result.columns[k]).size > 1]
    varying = [k for k in swept if k not in (where or {})]
    if x is None and y is None and {"lr", "beta"} <= set(varying):
        return "lr", "beta"
    chosen = [k for k in (x, y) if k is not None]
    rest = [k for k in varying if k not in chosen]
    x = x if x is not None else (rest.pop(0) if rest else None)
    y = y if y is not None else (rest.pop(0) if rest else None)
    if x is not None and y is not None:
        return x, y
    listing = ", ".join(swept) or "nothing"
    if where and len(swept) >= 2:
        left = ", ".join(k for k in varying if k not in chosen) or "nothing"
        raise InvalidArgument(
            f"where={where} leaves {', '.join(chosen + [left])} to draw; expected two columns left "
            f"varying for the axes (this sweep varies {listing}; fix fewer of them)"
        )
    raise invalid("axes", [x, y], f"two columns that vary (this sweep varies {listing})")


def _edges(values: np.ndarray):
    """Cell edges around sorted axis values; ``(edges, log, tick positions or None)``.

    Names, flags and schedules become equal cells at 0, 1, 2, ... labelled
    with the values.
    """
    if values.dtype.kind not in "fiu":
        positions = np.arange(len(values), dtype=float)
        return np.arange(len(values) + 1) - 0.5, False, positions
    v = values.astype(float)
    ratio = v.max() / v.min() if v.min() > 0 else 0.0
    log = bool(ratio > 100 or (ratio > 10 and _even(np.log(v)) and not _even(v)))
    u = np.log10(v) if log else v
    if len(u) == 1:
        edges = u[0] + np.array([-0.5, 0.5])
    else:
        middle = (u[1:] + u[:-1]) / 2
        edges = np.concatenate([[u[0] - (middle[0] - u[0])], middle, [u[-1] + (u[-1] - middle[-1])]])
    return (10.0**edges if log else edges), log, None


def _format_axis(ax, axis, log, ticks, values):
    if ticks is not None:
        axis.set_ticks(ticks)
        axis.set_ticklabels([str(v) for v in values])
    elif log:
        (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
    elif len(values) <= 8 and _apart(values.astype(float)):
        axis.set_ticks(values.astype(float))
        axis.set_ticklabels([f"{v:.3g}" for v in values])


def _even(values: np.ndarray) -> bool:
    """Whether sorted values are evenly spaced."""
    steps = np.diff(values)
    return len(steps) < 2 or bool(np.allclose(steps, steps[0], rtol=1e-6))


def _apart(values: np.ndarray) -> bool:
    """Whether sorted values are far enough apart for a label each."""
    return len(values) < 2 or bool(np.diff(values).min() >= np.ptp(values) / (3 * len(values)))


def _colormap():
    import matplotlib

    # grey where the metric is infinite or undefined: never reached, or diverged
    return matplotlib.colormaps[SURFACE_COLORMAP].with_extremes(bad="#d9d9d9")


def _norm(metric: str, finite: np.ndarray):
    from matplotlib.colors import LogNorm, Normalize

    value_like = metric.startswith(("final_value", "best_value", "steps_to_tol"))
    if value_like and finite.size and finite.min() > 0 and finite.max() / finite.min() > 100:
        # Runs that converge reach 1e-30 and below: ten decades under the largest value, the colours
        # stop changing (the bar's arrow), so that the scale shows the cells that differ.
        return LogNorm(max(finite.min(), finite.max() * 10.0**-COLOUR_DECADES), finite.max())
    if metric.endswith("_fraction"):
        return Normalize(0.0, 1.0)
    return Normalize(*(finite.min(), finite.max()) if finite.size else (0.0, 1.0))


def _mark_divergence(ax, xe, ye, diverged, x_log, y_log):
    """Hatch cells where most seeds diverged; dot cells where some did. Returns legend handles."""
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    colour = OKABE_ITO["vermillion"]
    most = diverged >= DIVERGED_SHARE
    if most.any():
        cover = ax.pcolor(
            xe,
            ye,
            np.ma.masked_where(~most, np.ones_like(diverged)),
            cmap=ListedColormap(["none"]),
            edgecolors=colour,
            linewidth=0.0,
        )
        cover.set_hatch("xxx")
        cover.set_edgecolor(colour)
        handles.append(
            Patch(facecolor="none", edgecolor=colour, hatch="xxx", label="diverged (≥ half the seeds)")
        )
    some = (diverged > 0) & ~most
    if some.any():
        cx, cy = _centres(xe, x_log), _centres(ye, y_log)
        j, i = np.nonzero(some)
        ax.plot(cx[i], cy[j], linestyle="none", marker="o", markersize=3.5, color=colour)
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=3.5,
                color=colour,
                label="some seeds diverged",
            )
        )
    return handles


def _centres(edges: np.ndarray, log: bool) -> np.ndarray:
    return np.sqrt(edges[1:] * edges[:-1]) if log else (edges[1:] + edges[:-1]) / 2


def _theory(result, rows, x, y) -> dict | None:
    """What the heavy-ball theory needs -- ``style``, ``beta`` (when not an axis), ``eigenvalues`` --
    or ``None`` where it does not apply."""
    # the learning rate on an axis, one update rule per row and column, one quadratic surface
    if "lr" not in (x, y) or {x, y} & {"surface", "style", "nesterov"}:
        return None
    surfaces = np.unique(result.columns["surface"][rows])
    names = np.unique(result.columns["optimizer"][rows])
    if len(surfaces) != 1 or len(names) != 1:
        return None
    name, params = specs.split_spec(str(names[0]), "optimizer", "momentum:style=heavy_ball")
    if name not in ("sgd", "momentum"):
        return None
    settings = optim.parameters(name) | params
    settings.setdefault("beta", 0.0)  # gradient descent is heavy ball with β = 0
    for key in ("beta", "style", "nesterov"):  # grid columns fixed by ``where`` override the spec
        if key in result.columns and key not in (x, y):
            settings[key] = np.unique(result.columns[key][rows])[0].item()
    if settings.get("nesterov"):
        return None
    eigenvalues = _quadratic_eigenvalues(str(surfaces[0]))
    if eigenvalues is None:
        return None
    return {
        "style": settings.get("style", "heavy_ball"),
        "beta": settings["beta"],
        "eigenvalues": eigenvalues,
    }


def _draw_theory(ax, theory, x, y, xe, ye, x_log, y_log):
    """The stability boundary (``heavy_ball_stable``) and, on an ``lr`` x ``beta`` map, Polyak's
    fastest ``(α*, β*)`` (``quadratic_rates``). Returns legend handles."""
    from matplotlib.lines import Line2D

    from ..analysis import heavy_ball_stable, quadratic_rates

    gx = np.geomspace(xe[0], xe[-1], 400) if x_log else np.linspace(xe[0], xe[-1], 400)
    gy = np.geomspace(ye[0], ye[-1], 400) if y_log else np.linspace(ye[0], ye[-1], 400)
    grid_x, grid_y = np.meshgrid(gx, gy)
    lr = grid_x if x == "lr" else grid_y
    beta = grid_x if x == "beta" else grid_y if y == "beta" else np.full_like(lr, theory["beta"])
    inside = (beta >= 0) & (beta < 1)
    stable = heavy_ball_stable(lr, np.clip(beta, 0.0, 1.0), theory["eigenvalues"], style=theory["style"])
    stable = np.where(inside, stable.astype(float), np.nan)
    handles = []
    if np.nanmin(stable) != np.nanmax(stable):
        colour = OKABE_ITO["sky_blue"]
        ax.contour(grid_x, grid_y, stable, levels=[0.5], colors=[colour], linewidths=2.5, linestyles="--")
        ewa = theory["style"] == "ewa"
        label = "theory: " + (r"$\alpha(1-\beta)\lambda_{\max}$" if ewa else r"$\alpha\lambda_{\max}$")
        label += r"$\;=\;2(1+\beta)$"
        handles.append(Line2D([], [], color=colour, linewidth=2.5, linestyle="--", label=label))
    if {x, y} == {"lr", "beta"}:
        rates = quadratic_rates(theory["eigenvalues"].min(), theory["eigenvalues"].max())
        step = rates.heavy_ball_step_ewa if theory["style"] == "ewa" else rates.heavy_ball_step
        point = {"lr": step, "beta": rates.heavy_ball_beta}
        if xe[0] <= point[x] <= xe[-1] and ye[0] <= point[y] <= ye[-1]:
            style = {"marker": "*", "markersize": 16, "color": "white", "markeredgecolor": "black"}
            ax.plot([point[x]], [point[y]], linestyle="none", **style)
            label = rf"theory: fastest, rate {rates.heavy_ball_rate:.3g} per step"
            handles.append(Line2D([], [], linestyle="none", label=label, **style))
    return handles


def _quadratic_eigenvalues(surface_text: str, max_dim: int = 500):
    """Hessian eigenvalues of a convex quadratic surface, or ``None`` if it is not one.

    The spec comes from a results file, so a surface from a Python file is
    not built (its code would run): the theory is drawn for registered and
    ``expr:`` surfaces only.
    """
    try:
        with specs.read_from("a sweep's results"):
            surface = specs.parse_surface(surface_text)
    except InvalidArgument:
        return None
    if surface.dim > max_dim:
        return None
    points = np.concatenate([np.asarray(surface.default_start, dtype=float)[None], surface.sample(2, seed=0)])
    hessians = surface.hessian(points)
    if not np.allclose(hessians, hessians[0], rtol=1e-9, atol=1e-12 * np.abs(hessians[0]).max()):
        return None
    eigenvalues = np.linalg.eigvalsh(hessians[0])
    return eigenvalues if eigenvalues.min() > 0 else None


def _metric_label(metric: str, result) -> str:
    base, _, statistic = metric.rpartition("_")
    seeds = None if result.description is None else result.description["seeds"]
    if statistic in _STATISTICS and base in _NAMES:
        over = f" over {seeds} seeds" if seeds and seeds > 1 else ""
        return f"{_NAMES[base]} ({_STATISTICS[statistic]}{over})" if over else _NAMES[base]
    return _NAMES.get(metric, metric)


def _title(result, rows) -> str:
    return f"{_names(result, 'surface', rows)} · {_names(result, 'optimizer', rows)}"


def _names(result, column: str, rows) -> str:
    return ", ".join(map(str, np.unique(result.columns[column][rows])))
