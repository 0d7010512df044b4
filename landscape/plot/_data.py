"""A classifier's data set and the regions its network assigns to each class."""

from __future__ import annotations

import numpy as np

from .. import style
from .._validation import check_int, invalid
from ..style import figure_style
from ._axes import new_axes
from ._runs import as_runs

MARGIN = 0.1  # of the data's extent, around it


def decision_regions(surface, x=None, *, runs=None, ax=None, resolution=300):
    """The data set of a 2-input classifier, coloured by class, over the regions of each class.

    Parameters
    ----------
    surface : MLP
        A network with two inputs and a sigmoid or softmax output (``mlp``).
    x : array_like, shape (dim,), optional
        The parameters whose regions are drawn. Default: the best particle
        (lowest final cost) of the first run in ``runs``, else
        ``surface.default_start``.
    runs : Trajectory or list of Trajectory, optional
        Traced runs; the title gives the cost and accuracy of ``x``.
    ax : matplotlib Axes, optional
    resolution : int
        Grid points per axis of the regions.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Regions are the class the network predicts (``argmax`` of a softmax
    output; ``ŷ > 0.5`` for a sigmoid one), shaded lightly, with the
    decision boundary drawn where the prediction changes.

    Examples
    --------
    >>> import landscape as ls
    >>> net = ls.surfaces.mlp(layers=(2, 8, 1), activation="tanh", m=200)
    >>> run = ls.trace(net, ls.optim.adam(0.05), net.init(4, "xavier"), epochs=20, batch_size=50)
    >>> fig = ls.plot.decision_regions(net, runs=[run])
    """
    layers = getattr(surface, "layers", None)
    if layers is None or layers[0] != 2 or getattr(surface, "output", None) not in ("sigmoid", "softmax"):
        raise invalid(
            "surface", getattr(surface, "name", surface),
            "a network with 2 inputs and a sigmoid or softmax output, e.g. mlp:layers=[2,16,1]",
        )
    resolution = check_int("resolution", resolution, minimum=2)
    runs = as_runs(runs) if runs is not None else []
    if x is None:
        if runs:
            final = runs[0].trajectory
            x = final.positions[-1, int(np.argmin(final.values[-1]))]
        else:
            x = surface.default_start
    x = np.asarray(x, dtype=float)
    if x.shape != (surface.dim,):
        raise invalid("x", f"shape {x.shape}", f"one parameter vector of shape ({surface.dim},)")
    X, Y = surface.X, surface.Y
    labels = np.argmax(Y, axis=0) if Y.shape[0] > 1 else (Y[0] > 0.5).astype(int)
    classes = max(2, Y.shape[0])
    low, high = X.min(axis=1), X.max(axis=1)
    pad = MARGIN * (high - low)
    u, v = np.meshgrid(np.linspace(low[0] - pad[0], high[0] + pad[0], resolution),
                       np.linspace(low[1] - pad[1], high[1] + pad[1], resolution))
    outputs = surface.predict(x, np.stack([u.ravel(), v.ravel()]))
    regions = (np.argmax(outputs, axis=0) if outputs.shape[0] > 1 else (outputs[0] > 0.5)).astype(int)
    regions = regions.reshape(u.shape)
    colors = [style.series_color(c) for c in range(classes)]
    with figure_style():
        from matplotlib.colors import ListedColormap

        fig, ax = new_axes(ax)
        cmap = ListedColormap(colors)
        levels = np.arange(classes + 1) - 0.5
        ax.contourf(u, v, regions, levels=levels, cmap=cmap, alpha=0.18)
        ax.contour(u, v, regions, levels=levels[1:-1], colors=style.OKABE_ITO["black"], linewidths=1.5)
        for c in range(classes):
            mine = labels == c
            ax.scatter(X[0, mine], X[1, mine], s=14, color=colors[c], edgecolors="white", linewidths=0.4,
                       label=f"class {c}")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_aspect("equal", adjustable="box")
        cost, accuracy = float(surface.value(x)), float(surface.accuracy(x))
        ax.set_title(f"{_describe(surface)}: J = {cost:.3g}, accuracy {accuracy:.1%}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", frameon=False)
    return fig


def _describe(surface) -> str:
    layers = "-".join(str(n) for n in surface.layers)
    return f"{layers} {surface.activation} network on {surface.params.get('data', 'data')}"
