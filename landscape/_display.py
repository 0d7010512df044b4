"""Rich display in Jupyter: the HTML behind the ``_repr_html_`` of the library's result objects.

Each function returns a compact HTML summary (a small table and, where it
helps, a small plot as an inline PNG); the objects keep their plain
``__repr__``. matplotlib is imported only when a plot is drawn, so
``import landscape`` stays light.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np

MAX_ROWS = 12  # table rows shown before "... and N more"
PLOT_PIXELS = (336, 208)  # width, height of the small plots
PLOT_DPI = 96
_BOX = (
    'style="display:flex;flex-wrap:wrap;gap:0.4em 1.6em;align-items:flex-start;'
    'overflow-x:auto;max-width:100%;font-size:0.92em;line-height:1.35"'
)
_TABLE = 'style="border-collapse:collapse;font-variant-numeric:tabular-nums;margin:0 0 0.4em"'
_CELL = 'style="text-align:left;padding:0.1em 0.8em 0.1em 0;vertical-align:top"'
_HEAD = 'style="text-align:left;padding:0.1em 0.8em 0.1em 0;font-weight:600;vertical-align:top"'


# ---- the objects --------------------------------------------------------------------------------
def trajectory_html(trajectory) -> str:
    """``Trajectory``: configuration, final and best values, and the loss curve."""
    c = trajectory.config
    final = trajectory.final_values
    rows = [
        ("surface", _spec(c.get("surface"))),
        ("optimizer", _spec(c.get("optimizer"))),
        ("noise", _spec(c.get("noise")) if c.get("noise") else "none"),
        ("batch size", c.get("batch_size") or "full"),
        ("particles × dim", f"{trajectory.particles:,} × {trajectory.dim}"),
        ("steps", f"{int(trajectory.steps[-1]):,} ({len(trajectory.steps):,} recorded)"),
        ("final value", _spread(final)),
        ("best value", _number(trajectory.best_values.min())),
        ("diverged", f"{int(trajectory.diverged.sum()):,} of {trajectory.particles:,}"),
        ("engine, seed", f"{c.get('engine')}, {c.get('seed')}"),
    ]
    return _box("Trajectory", _table(rows), _loss_plot(trajectory))


def surface_html(surface) -> str:
    """``Surface``: name, parameters, window, known minima and, in 2-D, its contours."""
    rows = [("name", surface.name), ("dim", surface.dim)]
    rows += [(f"· {key}", _value(value)) for key, value in surface.params.items()]
    if surface.dim <= 4:
        rows.append(("bounds", " × ".join(f"[{_number(lo)}, {_number(hi)}]" for lo, hi in surface.bounds)))
        rows.append(("start", _vector(surface.default_start)))
    if len(surface.minima):
        rows.append(("global minima", [_vector(m) for m in surface.minima[:4]]))
    rows.append(("Hessian", "analytic" if surface.has_analytic_hessian else "finite differences"))
    plot = _contour_plot(surface) if surface.dim == 2 else ""
    return _box(type(surface).__name__, _table(rows), plot)


def critical_points_html(points) -> str:
    """``CriticalPoints``: the verdict, counts by kind, and the points by value."""
    from .analysis._critical_points import _PLURAL

    counts = ", ".join(f"{n} {_PLURAL[k] if n != 1 else k}" for k, n in points.counts.items() if n) or "none"
    verdict = "complete" if points.complete else "likely incomplete"
    rows = [("points", f"{len(points)}: {counts}"), ("search", f"{verdict}, {points.starts:,} starts")]
    if points.note:
        rows.append(("note", points.note))
    header = ("position", "value", "kind", "index", "eigenvalues")
    body = [
        (_vector(p.position), _number(p.value), p.kind, p.index, _vector(p.eigenvalues))
        for p in list(points)[:MAX_ROWS]
    ]
    listing = _grid(header, body, more=len(points) - len(body)) if len(points) else ""
    return _box("CriticalPoints", _table(rows) + listing)


def hessian_spectrum_html(spectrum) -> str:
    """``HessianSpectrum``: the extreme eigenvalues and what they cost."""
    rows = [("dim", f"{spectrum.dim:,}")]
    if spectrum.smallest is not None:
        rows.append(("smallest", _vector(spectrum.smallest)))
    if spectrum.largest is not None:
        rows.append(("largest", _vector(spectrum.largest)))
    rows.append(("condition number", _number(spectrum.condition_number)))
    rows.append(
        ("Hessian-vector products", f"{spectrum.products:,}" if spectrum.products else "none (dense)")
    )
    return _box("HessianSpectrum", _table(rows))


def sweep_result_html(result) -> str:
    """``SweepResult``: the grid's axes, the seeds and the first rows."""
    rows = [("configurations", f"{len(result):,}")]
    for key in result.grid_keys:
        values = np.unique(result.columns[key])
        rows.append((f"· {key}", f"{len(values)} values: {_values(values)}"))
    if result.description is not None:
        rows.append(("seeds, steps", f"{result.description.get('seeds')}, {result.description.get('steps')}"))
    if "diverged_fraction" in result.columns:
        rows.append(("diverged runs", f"{float(np.mean(result.columns['diverged_fraction'])):.1%}"))
    shown = [k for k in result.columns if k not in ("surface", "optimizer")][:8]
    body = [tuple(_value(result.columns[k][i]) for k in shown) for i in range(min(len(result), MAX_ROWS))]
    return _box("SweepResult", _table(rows) + _grid(shown, body, more=len(result) - len(body)))


def video_html(data: bytes, mimetype: str, *, width: int | None = None, alt: str = "") -> str:
    """A video (or an image, for ``image/*``) embedded in the page as a data URL."""
    source = f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"
    size = f' width="{int(width)}"' if width else ""
    if mimetype.startswith("image/"):
        return f'<img src="{source}"{size} alt="{html.escape(alt)}" style="max-width:100%;height:auto">'
    return (
        f'<video controls loop playsinline{size} style="max-width:100%;height:auto" '
        f'src="{source}" title="{html.escape(alt)}"></video>'
    )


# ---- plots ----------------------------------------------------------------------------------------
def _loss_plot(trajectory) -> str:
    values = trajectory.values
    steps = trajectory.steps
    low, median, high = np.percentile(values, [10, 50, 90], axis=1)
    log = bool(np.all(values > 0))

    def draw(ax):
        from .style import OKABE_ITO

        color = OKABE_ITO["blue"]
        if trajectory.particles > 1:
            ax.fill_between(steps, low, high, color=color, alpha=0.25, linewidth=0, label="10–90 %")
        ax.plot(steps, median, color=color, label="median" if trajectory.particles > 1 else None)
        ax.set_yscale("log" if log else "linear")
        ax.set_xlabel("step")
        ax.set_ylabel("value")
        if trajectory.particles > 1:
            ax.legend(frameon=False, loc="upper right")

    return _plot(draw, "loss curve: median value over the particles against the step")


def _contour_plot(surface) -> str:
    (x0, x1), (y0, y1) = surface.bounds
    x, y = np.meshgrid(np.linspace(x0, x1, 80), np.linspace(y0, y1, 80))
    z = surface.value(np.stack([x, y], axis=-1))

    def draw(ax):
        from .style import OKABE_ITO, SURFACE_COLORMAP

        levels = _levels(z)
        ax.contourf(x, y, z, levels=levels, cmap=SURFACE_COLORMAP, extend="both")
        ax.contour(x, y, z, levels=levels, colors="white", linewidths=0.3, alpha=0.5)
        if len(surface.minima):
            ax.plot(*surface.minima.T, "*", color=OKABE_ITO["orange"], markersize=9)
        ax.plot(*surface.default_start, "o", color="white", markeredgecolor="black", markersize=5)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("auto")

    return _plot(draw, f"contours of {surface.name} over its bounds")


def _levels(z: np.ndarray) -> np.ndarray:
    """Contour levels spaced evenly in ``log(z - min)``, so valleys and plateaus both show."""
    finite = z[np.isfinite(z)]
    low, high = float(finite.min()), float(finite.max())
    if high <= low:
        return np.array([low - 1.0, low, low + 1.0])
    span = high - low
    return low + span * (np.geomspace(1.0, 1001.0, 16) - 1.0) / 1000.0


def _plot(draw, alt: str) -> str:
    """A small figure in the house style, with fonts sized for a notebook, as an inline PNG."""
    import matplotlib
    from matplotlib.figure import Figure

    from .style import rc_params

    small = {
        "font.size": 8,
        "axes.labelsize": 8,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 7,
        "lines.linewidth": 1.6,
        "savefig.bbox": "standard",  # the size asked for: the page reserves it
    }
    with matplotlib.rc_context(rc_params() | small):
        figure = Figure(figsize=[n / PLOT_DPI for n in PLOT_PIXELS], dpi=PLOT_DPI, layout="constrained")
        draw(figure.add_subplot())
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PLOT_DPI)
    return video_html(buffer.getvalue(), "image/png", width=PLOT_PIXELS[0], alt=alt)


# ---- HTML pieces ------------------------------------------------------------------------------------
def _box(title: str, *parts: str) -> str:
    head = f'<div style="font-weight:600;margin-bottom:0.2em">{html.escape(title)}</div>'
    return f'<div class="landscape-repr" {_BOX}><div>{head}{parts[0]}</div>{"".join(parts[1:])}</div>'


def _table(rows) -> str:
    """Two columns, name and value; a value that is a list is shown one item a line."""
    cells = "".join(
        f"<tr><th {_HEAD}>{html.escape(str(k))}</th><td {_CELL}>{_lines(v)}</td></tr>" for k, v in rows
    )
    return f"<table {_TABLE}>{cells}</table>"


def _lines(value) -> str:
    return "<br>".join(html.escape(str(v)) for v in (value if isinstance(value, list) else [value]))


def _grid(header, body, *, more: int = 0) -> str:
    head = "".join(f"<th {_HEAD}>{html.escape(str(h))}</th>" for h in header)
    rows = "".join(
        "<tr>" + "".join(f"<td {_CELL}>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in body
    )
    tail = f'<tr><td {_CELL} colspan="{len(header)}">… and {more:,} more</td></tr>' if more > 0 else ""
    return f"<table {_TABLE}><tr>{head}</tr>{rows}{tail}</table>"


# ---- numbers as text ------------------------------------------------------------------------------------
def _number(x) -> str:
    x = float(x)
    if not np.isfinite(x):
        return str(x)
    return f"{x:.4g}"


def _vector(a) -> str:
    a = np.asarray(a, dtype=float).ravel()
    shown = ", ".join(_number(v) for v in a[:6])
    return f"[{shown}{', …' if a.size > 6 else ''}]"


def _spread(a) -> str:
    low, median, high = np.percentile(a, [0, 50, 100])
    if low == high:
        return _number(low)
    return f"min {_number(low)}, median {_number(median)}, max {_number(high)}"


def _values(values) -> str:
    shown = [_value(v) for v in values[:5]]
    return ", ".join(shown) + (f", …, {_value(values[-1])}" if len(values) > 5 else "")


def _value(value) -> str:
    if isinstance(value, (float, np.floating)):
        return _number(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return _vector(value) if np.asarray(value).dtype.kind in "fiu" else str(list(value))
    if isinstance(value, dict) and "name" in value:
        return _spec(value)
    return str(value.item() if isinstance(value, np.generic) else value)


def _spec(spec) -> str:
    """``{"name": "adam", "params": {...}}`` as ``adam(lr=0.05, ...)``."""
    if not spec:
        return "none"
    params = spec.get("params") or {}
    if spec.get("name") == "chain":
        return " → ".join(_spec(part) for part in params.get("transforms", []))
    args = ", ".join(f"{k}={_value(v)}" for k, v in params.items())
    return f"{spec.get('name')}({args})"
