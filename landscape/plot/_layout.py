"""``check_figure``: what a reader would see wrong in a figure -- a legend over the data, texts on texts."""

from __future__ import annotations

import numpy as np

OVERLAP_PIXELS = 1.0  # texts may touch; more than this much overlap in both directions is a fault


def check_figure(fig) -> list[str]:
    """The layout faults of a drawn figure; an empty list when there are none.

    Checks, after drawing the figure:

    * a legend inside an axes covers no data point of that axes (the vertices
      of its lines, the centres of its markers and scatter points);
    * no two texts overlap: tick labels, axis labels, titles, legend entries,
      annotations, colour-bar labels.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    list of str
        One line per fault.

    Examples
    --------
    >>> import landscape as ls
    >>> ls.plot.check_figure(ls.plot.ewa_temperature())
    []
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lays out every text, so its extent is known
    renderer = canvas.get_renderer()
    problems = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        covered = _covered_points(ax, box)
        if covered:
            problems.append(f"the legend of {_name(ax)} covers {covered} data points")
    texts = _texts(fig, renderer)
    boxes = np.array([[b.x0, b.y0, b.x1, b.y1] for _, b in texts]).reshape(-1, 4)
    for first in range(len(texts)):
        for second in range(first + 1, len(texts)):
            a, b = boxes[first], boxes[second]
            width = min(a[2], b[2]) - max(a[0], b[0])
            height = min(a[3], b[3]) - max(a[1], b[1])
            if width > OVERLAP_PIXELS and height > OVERLAP_PIXELS:
                problems.append(f"text {texts[first][0]!r} overlaps {texts[second][0]!r}")
    return problems


def _covered_points(ax, box) -> int:
    """How many data points of ``ax`` lie inside the display box ``box``."""
    from matplotlib.collections import PathCollection

    points = []
    for line in ax.get_lines():
        if line.get_visible() and len(line.get_xydata()):
            points.append(line.get_transform().transform(line.get_xydata()))
    for collection in ax.collections:  # scatter points; filled areas (contours, bands) are not points
        offsets = collection.get_offsets()
        if isinstance(collection, PathCollection) and collection.get_visible() and len(offsets):
            points.append(collection.get_offset_transform().transform(offsets))
    if not points:
        return 0
    xy = np.concatenate(points)
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    inside = (xy[:, 0] > box.x0) & (xy[:, 0] < box.x1) & (xy[:, 1] > box.y0) & (xy[:, 1] < box.y1)
    return int(inside.sum())


def _texts(fig, renderer) -> list:
    """``(text, extent)`` of every text the figure shows."""
    artists = list(fig.texts)
    if getattr(fig, "_suptitle", None) is not None:
        artists.append(fig._suptitle)
    for ax in fig.axes:
        artists += [ax.title, *ax.texts]
        axes = [ax.xaxis, ax.yaxis] + ([ax.zaxis] if hasattr(ax, "zaxis") else [])
        for axis in axes:
            artists.append(axis.label)
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                location = tick.get_loc()
                if location is not None and low - 1e-9 * abs(high - low) <= location <= high + 1e-9 * abs(
                    high - low
                ):
                    artists += [tick.label1, tick.label2]
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            artists += [*legend.get_texts(), legend.get_title()]
    found, seen = [], set()
    for artist in artists:
        if id(artist) in seen or not artist.get_visible() or not artist.get_text().strip():
            continue
        seen.add(id(artist))
        box = artist.get_window_extent(renderer)
        if box.width > 0 and box.height > 0 and np.all(np.isfinite([box.x0, box.y0, box.x1, box.y1])):
            found.append((artist.get_text(), box))
    return found


def _name(ax) -> str:
    title = ax.get_title()
    return f"the axes {title!r}" if title else "an axes"
