"""Trajectories as labelled, coloured runs: what every figure of optimizers draws."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .._validation import invalid
from ..style import CYCLE, optimizer_color
from ..tracing import Trajectory
from ._labels import optimizer_label

LINESTYLES = ("-", "--", ":", "-.")  # repeats of one optimizer: another colour and dash
MANY_PARTICLES = 10  # above this, paths are summarised by their median


@dataclass(frozen=True)
class Run:
    """One trajectory with the label, colour and line style it is drawn with."""

    label: str
    color: str
    linestyle: str
    trajectory: Trajectory

    @property
    def optimizer(self) -> str:
        spec = self.trajectory.config.get("optimizer") or {}
        return spec.get("name", "optimizer")


def as_runs(runs) -> list[Run]:
    """Accept a Trajectory, a sequence of them, or a mapping label -> Trajectory."""
    if runs is None:
        return []
    if isinstance(runs, Trajectory):
        items = [(None, runs)]
    elif isinstance(runs, Mapping):
        items = list(runs.items())
    else:
        try:
            items = [(None, r) for r in runs]
        except TypeError:
            raise invalid(
                "runs", runs, "a Trajectory, a list of them or a dict label -> Trajectory"
            ) from None
    for _, trajectory in items:
        if not isinstance(trajectory, Trajectory):
            raise invalid("runs", trajectory, "Trajectory objects (from landscape.trace)")
    names = [((t.config.get("optimizer") or {}).get("name", "optimizer")) for _, t in items]
    taken = {optimizer_color(name) for name in names}
    spare = [color for color in CYCLE if color not in taken]  # for repeats of an optimizer
    out, seen = [], {}
    for index, ((label, trajectory), name) in enumerate(zip(items, names, strict=True)):
        spec = trajectory.config.get("optimizer")
        repeat = seen.get(name, 0)
        seen[name] = repeat + 1
        color = optimizer_color(name, index)
        if repeat:  # a second run of one optimizer gets a colour of its own, and a dash
            color = spare.pop(0) if spare else color
        out.append(
            Run(
                label=label if label is not None else optimizer_label(spec) + _diverged_note(trajectory),
                color=color,
                linestyle=LINESTYLES[repeat % len(LINESTYLES)],
                trajectory=trajectory,
            )
        )
    return out


def _diverged_note(trajectory: Trajectory) -> str:
    count = int(trajectory.diverged.sum())
    if count == 0:
        return ""
    if trajectory.particles == 1:
        return f", diverged at step {int(trajectory.diverged_step[0])}"
    return f", {count} of {trajectory.particles} diverged"


def median_path(positions: np.ndarray) -> np.ndarray:
    """Coordinate-wise median over particles, ``(R, K, dim) -> (R, dim)``."""
    return np.median(positions, axis=1)


def shown_particles(k: int, limit: int) -> np.ndarray:
    """Indices of at most ``limit`` particles spread over ``0 .. k-1`` (deterministic)."""
    return np.unique(np.linspace(0, k - 1, min(k, limit)).round().astype(int))


def band(values: np.ndarray, percentiles) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and a percentile band over particles of ``(R, K)`` values."""
    low, high = percentiles
    median = np.median(values, axis=1)
    lower, upper = np.percentile(values, [low, high], axis=1)
    return median, lower, upper
