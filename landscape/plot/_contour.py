"""A 2-D surface seen from above (contours) and in perspective, with optimizer paths."""

from __future__ import annotations

import numpy as np

from .. import style
from ..style import figure_style
from ._axes import check_2d, grid, log_levels, new_axes, window
from ._labels import axis_names
from ._runs import MANY_PARTICLES, Run, median_path, shown_particles
from ._slices import on_slice, title_and_note

MARKERS_UP_TO = 101  # recorded steps; longer paths are drawn without a dot per step
SURFACE_ALPHA = 0.75  # a lighter surface lets the optimizers' colours stand out


def contour(
    surface, runs=None, *, ax=None, bounds=None, levels=24, resolution=None, max_paths=MANY_PARTICLES
):
    """Contours of a 2-D surface with the paths of optimizers on it.

    Parameters
    ----------
    surface : Surface
        A surface with ``dim == 2``, such as a plane through a surface of any
        dimension (``landscape.slices``).
    runs : Trajectory, list of Trajectory or dict label -> Trajectory, optional
        Paths to draw; each optimizer keeps its colour from
        ``landscape.style.optimizer_color`` and its label names the
        parameters that differ from the defaults. On a plane slice, paths of
        the sliced surface are projected onto it and the figure says how far
        they are from it.
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure).
    bounds : array_like, shape (2, 2), optional
        Window ``[[xmin, xmax], [ymin, ymax]]`` (default ``surface.bounds``).
    levels : int
        Number of filled contour bands, spaced logarithmically above the
        lowest value in the window.
    resolution : int, optional
        Grid points per axis (default 300; a slice's own, 101, computed once).
    max_paths : int
        Runs with up to this many particles show every path; larger ensembles
        show the median path, this many individual paths faintly, and the
        final positions as dots.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    With log-spaced levels the valley floor of Rosenbrock's function or the
    flat part of a plateau is resolved as finely as the steep walls. Known
    minima (``surface.minima``) are marked with a star.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("elongated_bowl", kappa=25)
    >>> runs = [ls.trace(s, ls.optim.sgd(lr=0.075), s.default_start, steps=40),
    ...         ls.trace(s, ls.optim.momentum(lr=0.075), s.default_start, steps=40)]
    >>> fig = ls.plot.contour(s, runs)
    """
    check_2d(surface, "a contour plot")
    box = window(surface, bounds)
    runs, note = on_slice(surface, runs)
    with figure_style():
        import matplotlib.colors

        fig, ax = new_axes(ax)
        x, y, z = grid(surface, box, resolution or getattr(surface, "resolution", 300))
        bands = log_levels(z, levels)
        norm = matplotlib.colors.BoundaryNorm(bands, ncolors=256)
        filled = ax.contourf(
            x,
            y,
            z,
            levels=bands,
            cmap=style.SURFACE_COLORMAP,
            norm=norm,
            extend="max",
            alpha=SURFACE_ALPHA,
        )
        ax.contour(x, y, z, levels=bands, colors="white", linewidths=0.4, alpha=0.5)
        # The colour bar sits in the axes' coordinates: it keeps the height of an equal-aspect plot.
        colorbar = fig.colorbar(filled, cax=ax.inset_axes([1.03, 0.0, 0.04, 1.0]))
        colorbar.set_ticks(bands[:: max(1, len(bands) // 6)])
        colorbar.ax.set_yticklabels([f"{v:.3g}" for v in bands[:: max(1, len(bands) // 6)]])
        colorbar.set_label("f (log-spaced levels)")
        _mark_minima(ax, surface, box)
        for run in runs:
            _draw_run(ax, run, max_paths)
        names = axis_names(2, surface)
        ax.set(xlim=box[0], ylim=box[1], xlabel=names[0], ylabel=names[1])
        ax.tick_params(pad=6)  # the corner's x and y tick labels apart
        title_and_note(ax, surface, note)
        width, height = np.diff(box, axis=1).ravel()
        if 0.25 <= height / width <= 4:
            ax.set_aspect("equal")
        _legend(ax)
    return fig


def surface_image(surface, bounds=None, *, width=400, height=400, levels=24, resolution=300):
    """The surface alone: its filled log-spaced contours and level lines over ``bounds``, edge to edge.

    A Figure of ``width`` x ``height`` pixels at 100 dpi with no axes, ticks
    or margins, so that pixel ``(i, j)`` of a saved PNG is the point of the
    window at that position: a background for drawings that map the window
    onto an image themselves (the gallery's explorer page).

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.surface_image(ls.surfaces.get("rosenbrock"), width=200, height=150)
    """
    check_2d(surface, "a surface image")
    box = window(surface, bounds)
    with figure_style():
        import matplotlib.colors
        from matplotlib.figure import Figure

        fig = Figure(figsize=(width / 100, height / 100), dpi=100)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        x, y, z = grid(surface, box, resolution)
        bands = log_levels(z, levels)
        norm = matplotlib.colors.BoundaryNorm(bands, ncolors=256)
        ax.contourf(x, y, z, levels=bands, cmap=style.SURFACE_COLORMAP, norm=norm, extend="max")
        ax.contour(x, y, z, levels=bands, colors="white", linewidths=0.4, alpha=0.5)
        ax.set(xlim=box[0], ylim=box[1])
        ax.set_axis_off()
    return fig


def surface3d(
    surface,
    runs=None,
    *,
    ax=None,
    bounds=None,
    resolution=None,
    max_paths=MANY_PARTICLES,
    elevation=35.0,
    azimuth=-60.0,
):
    """A 2-D surface in perspective with optimizer paths lying on it.

    Parameters
    ----------
    surface : Surface
        A surface with ``dim == 2`` (or a plane slice, as in ``contour``).
    runs : Trajectory, list of Trajectory or dict label -> Trajectory, optional
        Paths to draw at height ``f`` (as in ``contour``; projected ones at
        the height of the plane below them).
    ax : mpl_toolkits.mplot3d.Axes3D, optional
        A 3-D axes (``fig.add_subplot(projection="3d")``); default: a new Figure.
    bounds : array_like, shape (2, 2), optional
        Window (default ``surface.bounds``).
    resolution : int, optional
        Grid points per axis of the mesh (default 80; a slice's own).
    max_paths : int
        As in ``contour``.
    elevation, azimuth : float
        Viewing angles in degrees.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("himmelblau")
    >>> fig = ls.plot.surface3d(s, ls.trace(s, ls.optim.adam(lr=0.1), s.default_start, steps=100))
    """
    check_2d(surface, "a 3-D surface plot")
    box = window(surface, bounds)
    runs, note = on_slice(surface, runs)
    with figure_style():
        import mpl_toolkits.mplot3d  # noqa: F401  (registers the 3-D projection)

        fig, ax = new_axes(ax, projection="3d")
        ax.computed_zorder = False  # paths stay on top of the mesh
        x, y, z = grid(surface, box, resolution or getattr(surface, "resolution", 80))
        ax.plot_surface(
            x,
            y,
            z,
            cmap=style.SURFACE_COLORMAP,
            linewidth=0,
            antialiased=True,
            alpha=SURFACE_ALPHA,
            zorder=1,
        )
        for run in runs:
            _draw_run(ax, run, max_paths, surface=surface)
        names = axis_names(2, surface)
        ax.set(
            xlim=box[0],
            ylim=box[1],
            xlabel=names[0],
            ylabel=names[1],
            zlabel="f",
        )
        title_and_note(ax, surface, note)
        ax.view_init(elev=elevation, azim=azimuth)
        from matplotlib.ticker import MaxNLocator

        for axis in (ax.xaxis, ax.yaxis):  # few ticks, none at the ends: x and y meet at the corners
            axis.set_major_locator(MaxNLocator(4, prune="both"))
        ax.zaxis.set_major_locator(MaxNLocator(4))
        _legend(ax)
    return fig


def _draw_run(ax, run: Run, max_paths: int, surface=None) -> None:
    """One optimizer: every path if few particles, else the median path, samples and end points."""
    positions = run.trajectory.positions
    k = positions.shape[1]
    lift = _lifter(surface)
    common = {"color": run.color, "linestyle": run.linestyle, "zorder": 5}
    if k <= max_paths:
        markers = positions.shape[0] <= MARKERS_UP_TO
        for index in range(k):
            path = positions[:, index]
            ax.plot(
                *lift(path),
                marker="o" if markers else None,
                markersize=3.5,
                label=run.label if index == 0 else None,
                alpha=1.0 if k == 1 else 0.8,
                **common,
            )
        _endpoints(ax, positions[0], positions[-1], run.color, lift)
        return
    for index in shown_particles(k, max_paths):
        ax.plot(*lift(positions[:, index]), linewidth=1.0, alpha=0.3, **common)
    ax.scatter(*lift(positions[-1]), s=8, color=run.color, alpha=0.5, zorder=5, linewidths=0)
    median = median_path(positions)
    ax.plot(
        *lift(median),
        linewidth=style.LINE_WIDTH + 0.5,
        label=f"{run.label}, median of {k}",
        **common,
    )
    _endpoints(ax, median[:1], median[-1:], run.color, lift)


def _lifter(surface):
    """Coordinates to plot: ``(x, y)``, or ``(x, y, f)`` on a 3-D axes."""
    if surface is None:
        return lambda points: (points[..., 0], points[..., 1])

    def lift(points):
        with np.errstate(all="ignore"):
            return points[..., 0], points[..., 1], surface.value(points)

    return lift


def _endpoints(ax, starts, ends, color, lift) -> None:
    ax.scatter(
        *lift(np.atleast_2d(starts)),
        s=60,
        marker="o",
        facecolors="white",
        edgecolors=color,
        linewidths=2,
        zorder=6,
    )
    ax.scatter(
        *lift(np.atleast_2d(ends)),
        s=90,
        marker="X",
        color=color,
        edgecolors="white",
        linewidths=0.8,
        zorder=6,
    )


def _mark_minima(ax, surface, box) -> None:
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    inside = np.all((minima >= box[:, 0]) & (minima <= box[:, 1]), axis=1)
    if inside.any():
        ax.scatter(
            minima[inside, 0],
            minima[inside, 1],
            s=220,
            marker="*",
            color="white",
            edgecolors="black",
            linewidths=1.0,
            zorder=7,  # above the paths' end markers: a run that reaches the minimum must not hide it
            label="minimum",
        )


def _legend(ax) -> None:
    """Below the axes, where it never hides a path."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        # A fixed distance (in font sizes) below the axes, clear of the ticks and the axis label
        # whatever the axes' height.
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            borderaxespad=1.5 if ax.name == "3d" else 3.4,
            ncol=min(2, len(handles)),
            frameon=False,
        )
