"""Which slice ``landscape plot --slice`` cuts, from a figure's configuration alone.

Everything that shapes the slice is in the configuration -- the method, the
seed, the window, the resolution and the trajectory file (by path and by the
SHA-256 of its bytes) -- so a sidecar rebuilds the same figure bit for bit,
or says why it cannot.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from .._validation import check_int, invalid
from ..slices import Slice, line, pca_slice, random_slice, through_points
from ..tracing import load_trajectory

SLICE_METHODS = ("filter", "random", "pca", "line", "points")
SLICE_KINDS = {"contour": 2, "surface3d": 2, "line": 1}  # the kinds that draw a slice, and its dim
NORMALIZATION = {"filter": "filter", "random": "unit"}
SLICE_DEFAULTS = {"slice": None, "trace": None, "trace_sha256": None, "span": None, "resolution": None}
SLICE_DESCRIPTIONS = {  # the ways to cut a slice, as `landscape plot --help` lists them
    "filter": "random directions, each filter scaled like the center's (Li et al. 2018)",
    "random": "random orthonormal directions",
    "pca": "the principal directions of the first path",
    "line": "the line from the first path's start to its end",
    "points": "the plane through the first path's start and the ends of two paths",
}


def trace_file(path) -> dict:
    """``{"trace": absolute path, "trace_sha256": digest}`` of a file of ``landscape trace``."""
    path = Path(path).expanduser().resolve()
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise invalid("trace", str(path), f"a readable trajectory file ({error.strerror})") from None
    return {"trace": str(path), "trace_sha256": digest}


def check_slice_config(config: dict) -> dict:
    """A complete configuration with its slice settings checked (``--kind line`` implies ``--slice line``)."""
    kind, method = config["kind"], config["slice"]
    if kind == "line" and method is None:
        config = config | {"slice": "line"}
        method = "line"
    if config["trace"] is not None and kind not in SLICE_KINDS:
        raise invalid("trace", config["trace"], "no trajectory file for kind=" + repr(kind))
    if method is None:
        if config["span"] is not None:
            raise invalid("span", config["span"], "no span without a slice (--slice)")
        return config
    if method not in SLICE_METHODS:
        raise invalid("slice", method, "one of " + ", ".join(SLICE_METHODS))
    if kind not in SLICE_KINDS:
        raise invalid(
            "slice", method, "no slice for kind=" + repr(kind) + "; slices draw as " + ", ".join(SLICE_KINDS)
        )
    if method == "line" and SLICE_KINDS[kind] != 1:
        raise invalid("slice", method, f"a plane (filter, random, pca or points) for kind={kind!r}")
    if method == "points" and SLICE_KINDS[kind] != 2:
        raise invalid("slice", method, "a line (line, filter, random or pca) for kind='line'")
    span = config["span"]
    if span is not None and (
        np.shape(span) != (2,) or not np.all(np.isfinite(span)) or not span[0] < span[1]
    ):
        raise invalid("span", span, "two finite numbers LOW,HIGH with LOW < HIGH")
    if config["resolution"] is not None:
        check_int("resolution", config["resolution"], minimum=2)
    return config


def traced_files(config: dict, surface) -> list:
    """The trajectory of ``config["trace"]``, checked against its recorded digest and the surface."""
    if config["trace"] is None:
        return []
    recorded = config["trace_sha256"]
    if recorded is not None and trace_file(config["trace"])["trace_sha256"] != recorded:
        raise invalid(
            "trace",
            config["trace"],
            "the file the figure was drawn from: its bytes have changed since (SHA-256 differs)",
        )
    trajectory = load_trajectory(config["trace"])
    if trajectory.dim != surface.dim:
        raise invalid(
            "trace",
            config["trace"],
            f"paths of {surface.name} (dim {surface.dim}); this file has paths of dim {trajectory.dim}",
        )
    return [trajectory]


def cut(config: dict, surface, runs) -> Slice:
    """The slice ``config["slice"]`` of ``surface``, placed by the paths in ``runs``.

    ``filter`` and ``random`` are centred at the end of the first path (else
    the surface's first known minimum, else its default start); ``pca`` and
    ``line`` follow the first path (a line without a path runs from the
    default start to the known minimum); ``points`` passes through the first
    path's start and the ends of the first two paths (two particles of one
    run, or the first particles of two runs).
    """
    method, seed = config["slice"], config["seed"]
    k = SLICE_KINDS[config["kind"]]
    paths = [run.positions[:, particle] for run in runs for particle in range(run.particles)]
    options = {"resolution": config["resolution"]}
    if config["span"] is not None:
        options["span"] = config["span"]
    if method in NORMALIZATION:
        center = paths[0][-1] if paths else _known_point(surface)
        if method == "random" and config["span"] is None:
            options["span"] = _half_window(surface)
        try:
            return random_slice(
                surface,
                center,
                k,
                seed=seed,
                normalization=NORMALIZATION[method],
                orthogonalize=method == "random",
                **options,
            )
        except ValueError:
            if method != "filter":
                raise
            raise invalid(
                "slice",
                method,
                "a center with nonzero parameters for filter normalization; "
                "at a point of zeros use --slice random",
            ) from None
    if method == "pca":
        _need(paths, 1, method)
        return pca_slice(surface, paths[0], k, **options)
    if method == "line":
        if paths:
            return line(surface, paths[0][0], paths[0][-1], **options)
        if not len(surface.minima):
            _need(paths, 1, method)
        return line(surface, surface.default_start, surface.minima[0], **options)
    _need(paths, 2, method)
    return through_points(surface, paths[0][0], paths[0][-1], paths[1][-1], **options)


def _need(paths, count: int, method: str) -> None:
    if len(paths) < count:
        what = "a path" if count == 1 else f"{count} paths (particles or runs)"
        raise invalid("slice", method, f"{what} to follow: optimizers (-O) or a trajectory file (--trace)")


def _known_point(surface) -> np.ndarray:
    return np.asarray(surface.minima[0] if len(surface.minima) else surface.default_start, dtype=float)


def _half_window(surface) -> tuple[float, float]:
    """``±`` half the mean width of the surface's window: unit directions then cross it."""
    half = float(np.mean(surface.bounds[:, 1] - surface.bounds[:, 0])) / 2
    return (-half, half)
