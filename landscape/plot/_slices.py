"""Figures of slices: paths projected onto them, and a surface along a line."""

from __future__ import annotations

import dataclasses

import numpy as np

from .. import style
from .._validation import invalid
from ..slices import Slice
from ..style import figure_style
from ._axes import new_axes
from ._labels import surface_title
from ._runs import Run, as_runs

IN_SLICE = 1e-9  # paths this close to the slice, relative to their reach, lie in it


def on_slice(surface, runs) -> tuple[list[Run], str | None]:
    """The runs as seen on ``surface``, and a note saying how, when they were projected.

    On a ``Slice``, paths of the surface that was sliced are projected onto
    it (their coordinates on the line or plane; their values stay those of
    the path), and each label says how far its path is from the slice: its
    largest distance to the slice, in percent of its largest distance from
    the slice's center. Paths already in the slice's coordinates are drawn
    as they are.
    """
    runs = as_runs(runs)
    if not isinstance(surface, Slice) or not runs:
        return runs, None
    base = surface.surface
    seen, projected = [], False
    for run in runs:
        trajectory = run.trajectory
        if trajectory.dim == base.dim:
            projection = surface.project(trajectory)
            offsets = trajectory.positions - surface.center
            reach = float(np.sqrt(np.einsum("...d,...d->...", offsets, offsets).max()))
            run = dataclasses.replace(
                run,
                label=run.label + _off(surface.kind, float(projection.distance.max()), reach),
                trajectory=dataclasses.replace(trajectory, positions=projection.coordinates),
            )
            projected = True
        elif trajectory.dim != surface.dim:
            raise invalid(
                "runs",
                f"a path of dim {trajectory.dim}",
                f"paths of {base.name} (dim {base.dim}) or in the slice's coordinates (dim {surface.dim})",
            )
        seen.append(run)
    if not projected:
        return seen, None
    return seen, f"paths projected; % off: largest distance to the {surface.kind} / from its center"


def _off(kind: str, distance: float, reach: float) -> str:
    if distance <= IN_SLICE * reach:
        return f", in the {kind}"
    return f", {100 * distance / reach:.2g}% off the {kind}"


def line_slice(surface, runs=None, *, ax=None, resolution=None):
    """A surface along a line (``landscape.slices.line``), with paths projected onto it.

    Parameters
    ----------
    surface : Slice
        A slice of dim 1.
    runs : Trajectory, list of Trajectory or dict label -> Trajectory, optional
        Paths of the sliced surface: each recorded point is drawn at its
        coordinate along the line and at its own value.
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure).
    resolution : int, optional
        Points along the line (default the slice's own, 401).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    The ends ``a`` (``α = 0``) and ``b`` (``α = 1``) are marked; a path's
    projection onto the line says where along it the path is, not that it
    is on it: the figure says how far the path is from the line.

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("rosenbrock", dim=20)
    >>> traj = ls.trace(s, ls.optim.adam(lr=0.01), s.default_start, steps=300)
    >>> fig = ls.plot.line_slice(ls.slices.line(s, s.default_start, traj.positions[-1, 0]), traj)
    """
    if not isinstance(surface, Slice) or surface.dim != 1:
        raise invalid("surface", getattr(surface, "name", surface), "a line slice (landscape.slices.line)")
    runs, note = on_slice(surface, runs)
    grid = surface.grid(resolution)
    alpha, values = grid.axes[0], grid.values
    with figure_style():
        fig, ax = new_axes(ax)
        ax.plot(
            alpha,
            values,
            color=style.OKABE_ITO["black"],
            linewidth=style.LINE_WIDTH,
            label="f along the line",
        )
        if surface.how.get("method") == "line":
            ends = surface.value(np.array([[0.0], [1.0]]))
            ax.scatter([0.0, 1.0], ends, s=70, color="white", edgecolors="black", linewidths=1.5, zorder=6)
            for position, value, name in zip((0.0, 1.0), ends, ("a", "b"), strict=True):
                ax.annotate(name, (position, value), xytext=(0, 10), textcoords="offset points", ha="center")
        for run in runs:
            positions, path_values = run.trajectory.positions[..., 0], run.trajectory.values
            for index in range(positions.shape[1]):
                ax.plot(
                    positions[:, index],
                    path_values[:, index],
                    color=run.color,
                    linestyle=run.linestyle,
                    marker="o" if positions.shape[0] <= 101 else None,
                    markersize=3,
                    alpha=0.8,
                    label=run.label if index == 0 else None,
                    zorder=5,
                )
        finite = values[np.isfinite(values)]
        if finite.size and finite.min() > 0 and finite.max() / finite.min() > 100:
            ax.set_yscale("log")
        ax.set(xlim=surface.bounds[0], xlabel=surface.axis_labels[0], ylabel="f")
        title_and_note(ax, surface, note)
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=min(2, len(handles)), frameon=False)
    return fig


def title_and_note(ax, surface, note: str | None) -> None:
    """The surface's title and below it, just above the axes, a note in small print.

    A slice's coordinates get a few more ticks' room: its window, -1 to 1 by
    default, would otherwise crowd the horizontal axis with labels.
    """
    title = surface_title(surface)
    if isinstance(surface, Slice):
        ax.locator_params(axis="x", nbins=6)
    if not note:
        ax.set_title(title)
        return
    size = style.FONT_SIZE - 5
    ax.set_title(title, pad=6 + 1.6 * size)
    text = ax.text2D if ax.name == "3d" else ax.text
    text(0.5, 1.01, note, transform=ax.transAxes, ha="center", va="bottom", fontsize=size)
