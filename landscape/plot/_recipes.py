"""Figures from a plain configuration: what ``landscape plot`` runs and its sidecar replays.

A configuration is a JSON-ready dict; ``figure_from_config`` turns it into a
Figure with nothing else as input, so a figure's sidecar (see
``save_figure``) rebuilds it bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .._validation import InvalidArgument, check_int, check_scalar, invalid
from ..specs import DEFAULT_STEPS, parse_optimizer, parse_surface, trace_specs
from ._analysis import index_vs_loss, minima_vs_dim, spectrum
from ._axes import window
from ._contour import contour, surface3d
from ._curves import learning_rate, loss
from ._ewa import LECTURE_BETAS, ewa_temperature
from ._lecture import adam_start, batch_tradeoff, critical_map, schedules, tuning
from ._save import RECIPE_ATTRIBUTE
from ._slice_recipe import SLICE_DEFAULTS, check_slice_config, cut, traced_files
from ._slices import line_slice

MAX_LEVELS = 200  # contour levels
MIN_DPI, MAX_DPI = 10, 1200  # resolution of a PNG
# Settings of the traced runs (see ``landscape.specs.trace_specs``).
TRACE_DEFAULTS = {
    "steps": DEFAULT_STEPS,
    "epochs": None,
    "particles": None,
    "x0": None,
    "batch_size": None,
    "noise": None,
    "record_every": 1,
}
# Options that shape one kind of figure, with their defaults.
OPTION_DEFAULTS = {
    "bounds": None,
    "levels": 24,
    "betas": list(LECTURE_BETAS),
    "unit": "F",
    "point": None,
    "probes": 20,
    "lanczos_steps": 80,
    "dims": [1, 2, 3, 4, 5, 6],
    "samples": 100_000,
    "ensemble": "goe",
    "starts": 256,
    "metric": "final_value_median",
    "axes": None,
    "where": None,
    "sweep": None,
    "schedules": [],
    "manual": None,
    "optimizer": None,
    "lrs": [],
    "batch_sizes": [],
    "lr": None,
    "repeats": 3,
    "window": 50,
}
DEFAULTS = {"kind": "contour", "surface": None, "results": None, "optimizers": [], "seed": 0, "dpi": None}
DEFAULTS |= TRACE_DEFAULTS | OPTION_DEFAULTS | SLICE_DEFAULTS
SLICE_OPTIONS = ("slice", "trace", "span", "resolution")


@dataclass(frozen=True)
class Kind:
    """One kind of figure: how it is built, what it needs and which options it reads.

    ``build(config, surface, runs, progress)`` returns the Figure; ``surface``
    is ``None`` for kinds that draw none, ``runs`` the traced trajectories.
    Kinds with ``results`` draw a sweep's results file (``config["results"]``).
    """

    build: Callable
    description: str
    surface: bool = True  # needs a SURFACE
    traces: bool = True  # traces the optimizers (and reads the trace settings)
    needs_optimizers: bool = False
    options: tuple[str, ...] = ()
    reports_progress: bool = False  # build() passes progress on to a loop of its own
    results: bool = False  # reads a sweep's results file instead of a surface


def _contour(config, surface, runs, progress):
    return contour(
        surface, runs, bounds=config["bounds"], levels=config["levels"], resolution=config["resolution"]
    )


def _surface3d(config, surface, runs, progress):
    return surface3d(surface, runs, bounds=config["bounds"], resolution=config["resolution"])


def _line(config, surface, runs, progress):
    return line_slice(surface, runs, resolution=config["resolution"])


def _loss(config, surface, runs, progress):
    minima = np.asarray(surface.minima, dtype=float)
    optimum = float(np.min(surface.value(minima))) if minima.size else None
    if any(run.batch_values is not None for run in runs):
        # Mini-batch costs J^{t} fall below the full cost's minimum: f - f* would be negative on a log
        # axis. With a data set the lecture plots the cost J itself.
        optimum = None
    return loss(runs, optimum=optimum)


def _learning_rate(config, surface, runs, progress):
    return learning_rate(runs)


def _ewa(config, surface, runs, progress):
    return ewa_temperature(betas=config["betas"], unit=config["unit"], seed=config["seed"])


def _spectrum(config, surface, runs, progress):
    point = config["point"]
    if point is not None and np.shape(point) != (surface.dim,):
        raise InvalidArgument(
            f"point has {np.size(point)} coordinates; expected {surface.dim}, one per coordinate"
        )
    return spectrum(
        surface,
        config["point"],
        probes=config["probes"],
        lanczos_steps=config["lanczos_steps"],
        seed=config["seed"],
    )


def _minima_vs_dim(config, surface, runs, progress):
    return minima_vs_dim(
        config["dims"],
        ensemble=config["ensemble"],
        samples=config["samples"],
        seed=config["seed"],
        progress=progress,
    )


def _index_vs_loss(config, surface, runs, progress):
    return index_vs_loss(surface, starts=config["starts"], seed=config["seed"])


def _data(config, surface, runs, progress):
    from ._data import decision_regions

    return decision_regions(surface, runs=runs)


def _sweep(config, surface, runs, progress):
    from ._sweep import sweep_heatmap

    x, y = config["axes"] or (None, None)
    results = config["results"]
    if results is None:  # a sweep described in the configuration: run here, without Dask
        from ..sweeping import sweep

        spec = dict(config["sweep"])
        results = sweep(spec.pop("surface"), spec.pop("optimizer"), spec.pop("grid"), workers=0, **spec)
    return sweep_heatmap(results, config["metric"], x=x, y=y, where=config["where"])


def _schedules(config, surface, runs, progress):
    return schedules(config["schedules"], epochs=config["epochs"] or 10, manual=config["manual"])


def _adam_start(config, surface, runs, progress):
    spec = parse_optimizer(config["optimizer"] or "adam").spec
    if spec["name"] != "adam":
        raise InvalidArgument(f"optimizer={config['optimizer']!r} is not accepted; expected an adam spec")
    return adam_start(surface, steps=config["steps"], **spec["params"])


def _critical_points(config, surface, runs, progress):
    return critical_map(surface, bounds=config["bounds"], seed=config["seed"])


def _tuning(config, surface, runs, progress):
    return tuning(
        config["surface"], config["optimizers"], config["lrs"], steps=config["steps"], window=config["window"]
    )


def _batch_tradeoff(config, surface, runs, progress):
    sizes = config["batch_sizes"] or [1, 64, 1024, None]
    return batch_tradeoff(
        surface,
        sizes,
        lr=config["lr"] or 0.05,
        epochs=config["epochs"] or 2,
        seed=config["seed"],
        repeats=config["repeats"],
    )


KINDS: dict[str, Kind] = {
    "contour": Kind(
        _contour,
        "contours (log-spaced levels) with each optimizer's path; of a plane (--slice) in any dimension",
        options=("bounds", "levels", *SLICE_OPTIONS),
    ),
    "surface3d": Kind(
        _surface3d,
        "the surface in 3-D with the paths on it; a plane (--slice) in any dimension",
        options=("bounds", *SLICE_OPTIONS),
    ),
    "line": Kind(
        _line,
        "the surface along a line (--slice line, filter, random or pca), paths projected",
        options=SLICE_OPTIONS,
    ),
    "loss": Kind(_loss, "loss against step: median and 10-90th percentile band", needs_optimizers=True),
    "lr": Kind(_learning_rate, "the learning rate of each optimizer against step", needs_optimizers=True),
    "ewa": Kind(
        _ewa,
        "the lecture's temperature plot: EWA with beta 0.5/0.9/0.98, with/without bias correction",
        surface=False,
        traces=False,
        options=("betas", "unit"),
    ),
    "spectrum": Kind(
        _spectrum,
        "Hessian eigenvalue density (stochastic Lanczos) with the random-matrix law",
        traces=False,
        options=("point", "probes", "lanczos_steps"),
    ),
    "minima-vs-dim": Kind(
        _minima_vs_dim,
        "fraction of random critical points that are minima, against dimension, with theory",
        surface=False,
        traces=False,
        options=("dims", "samples", "ensemble"),
        reports_progress=True,
    ),
    "index-vs-loss": Kind(
        _index_vs_loss,
        "critical points by loss and index: the higher the loss, the more descent directions",
        traces=False,
        options=("starts",),
    ),
    "data": Kind(
        _data,
        "a 2-input classifier's data and its decision regions (mlp), trained by the first optimizer if given",
    ),
    "sweep": Kind(
        _sweep,
        "a sweep's metric over two grid axes (learning rate x momentum), diverged cells marked, "
        "the theoretical stability boundary on quadratics",
        surface=False,
        traces=False,
        options=("metric", "axes", "where", "sweep"),
        results=True,
    ),
    "schedules": Kind(
        _schedules,
        "learning rate against epoch for several decay schedules and a manual decay",
        surface=False,
        traces=False,
        options=("schedules", "manual", "epochs"),
    ),
    "adam-start": Kind(
        _adam_start,
        "Adam's first steps: 1 - beta^t, and the steps with and without bias correction",
        traces=False,
        options=("optimizer", "steps"),
    ),
    "critical-points": Kind(
        _critical_points,
        "a 2-D surface with every critical point in the window, marked by kind",
        traces=False,
        options=("bounds",),
    ),
    "tuning": Kind(
        _tuning,
        "where each optimizer ends against its learning rate (one sweep each), the best marked",
        traces=False,
        options=("lrs", "steps", "window", "optimizers"),
    ),
    "batch-tradeoff": Kind(
        _batch_tradeoff,
        "cost against measured wall-clock time and against examples processed, per mini-batch size",
        traces=False,
        options=("batch_sizes", "lr", "epochs", "repeats"),
    ),
}


def complete_config(config: dict) -> dict:
    """The configuration with defaults filled in; unknown keys and kinds are refused."""
    if not isinstance(config, dict):
        raise invalid("config", config, "a dict such as {'kind': 'contour', 'surface': 'rosenbrock'}")
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        raise invalid("config", unknown[0], "keys among " + ", ".join(sorted(DEFAULTS)))
    full = DEFAULTS | config
    if config.get("epochs") is not None and "steps" not in config:
        full["steps"] = None  # the length is given in epochs
    if full["kind"] not in KINDS:
        raise invalid("kind", full["kind"], "one of " + ", ".join(KINDS))
    kind = KINDS[full["kind"]]
    name = full["kind"]
    if kind.results and not full["results"] and not full["sweep"]:
        raise InvalidArgument(
            f"kind={name!r} draws a sweep; expected a results file such as 'results.parquet'"
        )
    if not kind.results and full["results"]:
        raise InvalidArgument(
            f"kind={name!r} draws no sweep results; expected a surface, not the file {full['results']!r}"
        )
    if kind.surface and not full["surface"]:
        raise InvalidArgument(f"kind={name!r} draws a surface; expected a surface spec such as 'rosenbrock'")
    if not kind.surface and full["surface"]:
        raise InvalidArgument(
            f"kind={name!r} draws no surface; expected no surface spec (got {full['surface']!r})"
        )
    if kind.needs_optimizers and not full["optimizers"]:
        raise InvalidArgument(
            f"kind={name!r} compares optimizers; expected at least one optimizer spec such as "
            "'adam:lr=0.05' (-O on the command line)"
        )
    if not kind.traces and full["optimizers"] and "optimizers" not in kind.options:
        raise InvalidArgument(f"kind={name!r} traces no optimizer; expected no optimizer specs")
    # the limits of the command line's options, for configurations read from a sidecar
    full["levels"] = check_int("levels", full["levels"], minimum=2)
    if full["levels"] > MAX_LEVELS:
        raise invalid("levels", full["levels"], f"an integer from 2 to {MAX_LEVELS}")
    if full["dpi"] is not None:
        full["dpi"] = check_scalar("dpi", full["dpi"], low=MIN_DPI, high=MAX_DPI)
    if full["bounds"] is not None:
        window(None, full["bounds"])  # refused before any trace runs, not after
    return check_slice_config(full)


def figure_from_config(
    config: dict,
    *,
    progress: Callable[[Iterable], Iterable] | None = None,
    on_compile: Callable[[], None] | None = None,
):
    """Build the figure a configuration describes.

    Parameters
    ----------
    config : dict
        ``kind`` (one of ``KINDS``), ``surface`` (a spec) or ``results`` (a
        sweep's results file), ``optimizers`` (a list of specs), ``seed``, the
        trace settings ``steps``, ``epochs``, ``particles``, ``x0``,
        ``batch_size``, ``noise``, ``record_every``, and the options of the
        kind (``bounds``, ``levels``, ``betas``, ``unit``, ``metric``,
        ``axes``, ``where``; for a slice ``slice``, ``trace``,
        ``trace_sha256``, ``span``, ``resolution``). Missing keys take the
        values in ``DEFAULTS``.
    progress : callable, optional
        Wraps iterables of long work: one item per optimizer traced, per
        dimension measured, or the whole computation when it is one step.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import landscape as ls
    >>> fig = ls.plot.figure_from_config(
    ...     {"kind": "contour", "surface": "elongated_bowl:kappa=25",
    ...      "optimizers": ["sgd:lr=0.075", "momentum:lr=0.075,beta=0.9"], "steps": 60})
    """
    config = complete_config(config)
    kind = KINDS[config["kind"]]
    surface = parse_surface(config["surface"]) if kind.surface else None
    runs = []
    if kind.traces and config["optimizers"]:
        settings = {key: config[key] for key in TRACE_DEFAULTS}
        runs = trace_specs(
            surface,
            config["optimizers"],
            seed=config["seed"],
            progress=progress,
            on_compile=on_compile,
            **settings,
        )
    runs = runs + traced_files(config, surface)
    if config["slice"] is not None:
        surface = cut(config, surface, runs)
        surface.grid(progress=progress)  # the long part, with a bar of its own
    elif config["kind"] in ("contour", "surface3d") and surface.dim != 2:
        raise invalid(
            "surface",
            config["surface"],
            f"a 2-D surface for {'a contour plot' if config['kind'] == 'contour' else 'a 3-D surface plot'} "
            f"(this one has dim={surface.dim}), or a slice of it: --slice filter, random, pca or points",
        )
    if progress is None or kind.reports_progress or runs:
        figure = kind.build(config, surface, runs, progress)
    else:
        for _ in progress([config["kind"]]):  # one long step: the bar still shows its clock
            figure = kind.build(config, surface, runs, None)
    setattr(figure, RECIPE_ATTRIBUTE, config)  # save_figure records it in the sidecar
    return figure
