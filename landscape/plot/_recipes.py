"""Figures from a plain configuration: what ``landscape plot`` runs and its sidecar replays.

A configuration is a JSON-ready dict; ``figure_from_config`` turns it into a
Figure with nothing else as input, so a figure's sidecar (see
``save_figure``) rebuilds it bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .._validation import invalid
from ..specs import parse_surface, trace_specs
from ._contour import contour, surface3d
from ._curves import learning_rate, loss
from ._ewa import LECTURE_BETAS, ewa_temperature

# Settings of the traced runs (see ``landscape.specs.trace_specs``).
TRACE_DEFAULTS = {
    "steps": 200,
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
}
DEFAULTS = {"kind": "contour", "surface": None, "optimizers": [], "seed": 0, "dpi": None}
DEFAULTS |= TRACE_DEFAULTS | OPTION_DEFAULTS


@dataclass(frozen=True)
class Kind:
    """One kind of figure: what it needs and which options it reads."""

    build: Callable
    surface: bool  # needs a SURFACE
    traces: bool  # traces the optimizers (and reads the trace settings)
    options: tuple[str, ...] = ()
    description: str = ""
    needs_optimizers: bool = False


def _contour(config, surface, runs):
    return contour(surface, runs, bounds=config["bounds"], levels=config["levels"])


def _surface3d(config, surface, runs):
    return surface3d(surface, runs, bounds=config["bounds"])


def _loss(config, surface, runs):
    minima = np.asarray(surface.minima, dtype=float)
    optimum = float(np.min(surface.value(minima))) if minima.size else None
    return loss(runs, optimum=optimum)


def _learning_rate(config, surface, runs):
    return learning_rate(runs)


def _ewa(config, surface, runs):
    return ewa_temperature(betas=config["betas"], unit=config["unit"], seed=config["seed"])


KINDS: dict[str, Kind] = {
    "contour": Kind(
        _contour,
        True,
        True,
        ("bounds", "levels"),
        "contours (log-spaced levels) with each optimizer's path",
    ),
    "surface3d": Kind(
        _surface3d, True, True, ("bounds",), "the surface in 3-D with the paths on it"
    ),
    "loss": Kind(
        _loss,
        True,
        True,
        (),
        "loss against step: median and 10-90th percentile band",
        needs_optimizers=True,
    ),
    "lr": Kind(
        _learning_rate,
        True,
        True,
        (),
        "the learning rate of each optimizer against step",
        needs_optimizers=True,
    ),
    "ewa": Kind(
        _ewa,
        False,
        False,
        ("betas", "unit"),
        "the lecture's temperature plot: EWA with beta 0.5/0.9/0.98, with/without bias correction",
    ),
}


def complete_config(config: dict) -> dict:
    """The configuration with defaults filled in; unknown keys and kinds are refused."""
    if not isinstance(config, dict):
        raise invalid(
            "config", config, "a dict such as {'kind': 'contour', 'surface': 'rosenbrock'}"
        )
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        raise invalid("config", unknown[0], "keys among " + ", ".join(sorted(DEFAULTS)))
    full = DEFAULTS | config
    if full["kind"] not in KINDS:
        raise invalid("kind", full["kind"], "one of " + ", ".join(KINDS))
    kind = KINDS[full["kind"]]
    name = full["kind"]
    if kind.surface and not full["surface"]:
        raise ValueError(
            f"kind={name!r} draws a surface; expected a surface spec such as 'rosenbrock'"
        )
    if not kind.surface and full["surface"]:
        raise ValueError(
            f"kind={name!r} draws no surface; expected no surface spec (got {full['surface']!r})"
        )
    if kind.needs_optimizers and not full["optimizers"]:
        raise ValueError(
            f"kind={name!r} compares optimizers; expected at least one optimizer spec such as "
            "'adam:lr=0.05' (-O on the command line)"
        )
    if not kind.traces and full["optimizers"]:
        raise ValueError(f"kind={name!r} traces no optimizer; expected no optimizer specs")
    return full


def figure_from_config(config: dict, *, progress: Callable[[Iterable], Iterable] | None = None):
    """Build the figure a configuration describes.

    Parameters
    ----------
    config : dict
        ``kind`` (one of ``KINDS``), ``surface`` (a spec), ``optimizers`` (a
        list of specs), ``seed``, the trace settings ``steps``, ``epochs``,
        ``particles``, ``x0``, ``batch_size``, ``noise``, ``record_every``,
        and the options of the kind (``bounds``, ``levels``, ``betas``,
        ``unit``, ...). Missing keys take the values in ``DEFAULTS``.
    progress : callable, optional
        Wraps iterables of long work (one item per optimizer traced).

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
            surface, config["optimizers"], seed=config["seed"], progress=progress, **settings
        )
    return kind.build(config, surface, runs)
