"""Figures of the Hessian analysis: spectra, the fraction of minima, and index against loss."""

from __future__ import annotations

import numbers
import textwrap

import numpy as np

from .._resources import check, random_hessians_seconds
from .._validation import check_int, invalid
from ..style import figure_style, series_color
from ..surfaces import RandomQuadratic
from ._axes import new_axes
from ._labels import surface_title

EXACT_UP_TO = 1000  # dimensions whose exact eigenvalues are drawn as a histogram
TITLE_WIDTH = 44  # characters per title line: a title stays inside the figure
TREND_BIN = 10  # critical points per bin of the index-vs-loss trend
EXACT_THEORY_UP_TO = 24  # largest GOE size with an exact positive-definite probability


def spectrum(surface, x=None, *, ax=None, probes=20, lanczos_steps=80, seed=0, bins=60):
    r"""The Hessian's eigenvalue density at a point, with the theoretical density where known.

    Parameters
    ----------
    surface : Surface
        Any dimension; only Hessian-vector products are used for the density.
    x : array_like, shape (dim,), optional
        The point (default ``surface.default_start``).
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure).
    probes, lanczos_steps : int
        Hutchinson probes and Lanczos steps of the stochastic Lanczos
        quadrature (``landscape.analysis.spectral_density``).
    seed : int
        Seed of the probes.
    bins : int
        Histogram bins of the exact eigenvalues (drawn when ``dim <= 1000``).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    For a ``random_quadratic`` surface the theory is drawn as a dashed line:
    Wigner's semicircle for the GOE and the Marchenko-Pastur law for Wishart
    matrices (``landscape.analysis.semicircle_density`` and
    ``marchenko_pastur_density``). The extreme eigenvalues from
    ``hessian_spectrum`` are marked by vertical lines.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("random_quadratic", dim=1000, ensemble="goe")
    >>> fig = ls.plot.spectrum(s)
    """
    from .. import analysis

    point = np.asarray(surface.default_start if x is None else x, dtype=float)
    density = analysis.spectral_density(surface, point, probes=probes, lanczos_steps=lanczos_steps, seed=seed)
    extremes = analysis.hessian_spectrum(surface, point, k=1, which="both")
    theory = _theory(surface, density.grid)
    with figure_style():
        fig, ax = new_axes(ax)
        if surface.dim <= EXACT_UP_TO:
            exact = _exact_eigenvalues(surface, point)
            ax.hist(exact, bins=bins, density=True, color="0.8", label=f"exact ({surface.dim} eigenvalues)")
        ax.plot(
            density.grid,
            density.density,
            color=series_color(0),
            label=f"stochastic Lanczos ({probes} probes, {lanczos_steps} steps)",
        )
        if theory is not None:
            label, values = theory
            ax.plot(density.grid, values, color="black", linestyle="--", linewidth=1.8, label=label)
        for value in (np.min(extremes.smallest), np.max(extremes.largest)):
            ax.axvline(value, color=series_color(1), linewidth=1.2, linestyle=":")
        ax.plot([], [], color=series_color(1), linewidth=1.2, linestyle=":", label="λ_min, λ_max (Lanczos)")
        ax.set(
            xlabel="eigenvalue λ of the Hessian",
            ylabel="density",
            title=textwrap.fill(f"Hessian spectrum of {surface_title(surface)}", TITLE_WIDTH),
        )
        ax.set_ylim(bottom=0)
        ax.legend(loc="best", framealpha=0.9)
    return fig


def _exact_eigenvalues(surface, point) -> np.ndarray:
    if isinstance(surface, RandomQuadratic):
        return surface.eigenvalues()  # exact from its stored form, cheaper than a dense Hessian
    return np.linalg.eigvalsh(surface.hessian(point))


def _theory(surface, grid):
    """``(label, density)`` of the random-matrix law of a random quadratic, or None."""
    from .. import analysis

    if not isinstance(surface, RandomQuadratic):
        return None
    if surface.ensemble == "goe":
        return "Wigner semicircle", analysis.semicircle_density(grid, surface.dim, surface.scale)
    if surface.ensemble == "wishart":
        ratio = surface.dim / surface.samples
        return "Marchenko–Pastur", analysis.marchenko_pastur_density(grid, ratio, surface.scale)
    return None


def minima_vs_dim(
    dims=(1, 2, 3, 4, 5, 6), *, ensemble="goe", samples=100_000, seed=0, ax=None, progress=None
):
    r"""The fraction of random critical points that are minima, against dimension.

    Parameters
    ----------
    dims : sequence of int
        Dimensions measured.
    ensemble : str
        The random-matrix ensemble of the Hessians (as in ``random_quadratic``).
    samples : int
        Random Hessians per dimension.
    seed : int
        Seed of the draws.
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure).
    progress : callable, optional
        Wraps the iterable of dimensions (a progress bar).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    The measured fraction (``landscape.analysis.minimum_fraction``) is drawn
    with ±2 standard errors on a log axis; dimensions where no minimum was
    drawn show the upper bound ``1/samples`` as an open marker. For the GOE
    the theory -- the probability that a GOE matrix is positive definite,
    decaying like :math:`\exp(-θ N^2)` (Dean & Majumdar 2006) -- is drawn as
    a line.

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.minima_vs_dim([1, 2, 3, 4], samples=20_000)
    """
    from .. import analysis

    dims = [check_int("dims", d, minimum=1) for d in np.atleast_1d(np.asarray(dims, dtype=object)).tolist()]
    if not dims:
        raise invalid("dims", dims, "one or more dimensions >= 1")
    if isinstance(samples, numbers.Integral):  # the time of all dimensions together, before the first
        seconds = random_hessians_seconds(samples, dims)
        what = f"{samples} random Hessians in each of {len(dims)} dimensions"
        check("samples", samples, seconds=seconds, what=what, advice="fewer samples")
    results = [
        analysis.minimum_fraction(d, ensemble=ensemble, samples=samples, seed=seed)
        for d in (progress(dims) if progress else dims)
    ]
    fraction = np.array([r.fraction for r in results])
    stderr = np.array([r.stderr for r in results])
    dims_array = np.array(dims)
    seen = fraction > 0
    with figure_style():
        fig, ax = new_axes(ax)
        ax.errorbar(
            dims_array[seen],
            fraction[seen],
            yerr=2 * stderr[seen],
            fmt="o",
            capsize=4,
            color=series_color(0),
            label=f"measured ({samples:,} Hessians per dimension, ±2σ)",
        )
        if (~seen).any():
            ax.scatter(
                dims_array[~seen],
                np.full((~seen).sum(), 1.0 / samples),
                marker="v",
                facecolors="white",
                edgecolors=series_color(0),
                s=60,
                label="no minimum drawn (below 1/samples)",
            )
        if ensemble == "goe":
            _draw_goe_theory(ax, min(dims), max(dims))
        ax.set_yscale("log")
        ax.set(
            xlabel="dimension N",
            ylabel="fraction of minima",
            title=f"random critical points ({ensemble}): minima are rare",
        )
        handles, labels = ax.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda i: not labels[i].startswith("measured"))
        ax.legend(  # below the axes: inside, it would cover the points of the larger N
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            frameon=False,
        )
    return fig


def _draw_goe_theory(ax, low: int, high: int) -> None:
    """The exact probability that a GOE matrix is positive definite, and its large-N law."""
    from .. import analysis

    exact = np.arange(low, min(high, EXACT_THEORY_UP_TO) + 1)
    if exact.size:
        ax.plot(
            exact,
            analysis.goe_positive_definite_probability(exact),
            color="black",
            linewidth=1.8,
            label="exact: P(GOE matrix positive definite)",
        )
    sizes = np.arange(low, high + 1)
    ax.plot(
        sizes,
        analysis.goe_positive_definite_probability(sizes, method="asymptotic"),
        color="black",
        linestyle=":",
        linewidth=1.5,
        label=r"large-$N$ rate $e^{-\theta N^2}$, $\theta = (\ln 3)/4$, no prefactor (Dean & Majumdar)",
    )
    ax.plot(
        sizes,
        0.5**sizes,
        color=series_color(4),
        linestyle="--",
        linewidth=1.5,
        label=r"$2^{-N}$: if the $N$ curvature signs were coin flips",
    )


def index_vs_loss(surface, *, starts=200, seed=0, ax=None):
    """Critical points by value and index: high-loss ones are saddles, low-loss ones minima.

    Parameters
    ----------
    surface : Surface
        Any dimension (e.g. ``random_field`` in dimension 10-100).
    starts : int
        Starting points of the search (``landscape.analysis.index_vs_value``).
    seed : int
        Seed of the search.
    ax : matplotlib Axes, optional
        Where to draw (default: a new Figure).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Each critical point is a dot at its value ``f`` and its index fraction
    (share of negative Hessian eigenvalues); minima lie on 0. The trend is the
    one Dauphin et al. (2014) report for neural networks: the higher the loss,
    the larger the index, so the lecture's "bad local optima are rare" is seen
    directly.

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.index_vs_loss(ls.surfaces.get("himmelblau"), starts=50)
    """
    from .. import analysis

    result = analysis.index_vs_value(surface, starts=starts, seed=seed)
    values, fractions = np.asarray(result.values), np.asarray(result.index_fraction)
    with figure_style():
        fig, ax = new_axes(ax)
        minima = np.asarray(result.kinds) == "minimum"
        ax.scatter(
            values[~minima],
            fractions[~minima],
            s=40,
            color=series_color(1),
            alpha=0.8,
            edgecolors="white",
            linewidths=0.5,
            label=f"saddles and maxima ({(~minima).sum()})",
        )
        ax.scatter(
            values[minima],
            fractions[minima],
            s=60,
            marker="*",
            color=series_color(0),
            label=f"minima ({minima.sum()})",
        )
        if values.size >= 2 * TREND_BIN:
            centres, means = _binned_means(values, fractions)
            ax.plot(
                centres,
                means,
                color="black",
                marker="o",
                markersize=4,
                linewidth=1.5,
                label=f"mean index fraction (bins of {TREND_BIN} points)",
            )
        ax.set(
            xlabel="f at the critical point",
            ylabel="index / dim (share of negative eigenvalues)",
            title=textwrap.fill(f"critical points of {surface_title(surface)}", TITLE_WIDTH),
        )
        ax.set_ylim(-0.03, 1.03)
        ax.legend(loc="best", framealpha=0.9)
    return fig


def _binned_means(values, fractions):
    """Means of ``fractions`` over consecutive groups of ``TREND_BIN`` points sorted by value."""
    order = np.argsort(values)
    groups = np.array_split(order, max(1, values.size // TREND_BIN))
    return (np.array([values[g].mean() for g in groups]), np.array([fractions[g].mean() for g in groups]))
