"""``Trajectory``: the recorded history of an ensemble of particles."""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np

from .. import _display
from .._io import atomic_path, save_npz
from .._validation import invalid

_ARRAYS = ("positions", "values", "grad_norms", "steps", "diverged_step")
_OPTIONAL = ("learning_rates", "batch_values")
_STATE = "state."  # prefix of the optimizer's state arrays in a saved file
_METRIC_PREFIX = "metric_"  # file keys of the metrics' arrays


@dataclass(frozen=True, eq=False, repr=False)
class Trajectory:
    """Positions, values and diagnostics of ``K`` particles over recorded steps.

    Attributes
    ----------
    positions : ndarray, shape (R, K, dim)
        Positions at the recorded steps (``R = steps + 1`` with
        ``record_every=1``); ``positions[0]`` are the starting points.
    values : ndarray, shape (R, K)
        Full objective ``f`` at the recorded positions.
    grad_norms : ndarray, shape (R, K)
        ``‖∇f‖`` of the full objective (without noise) at the recorded positions.
    steps : ndarray of int, shape (R,)
        The step numbers recorded (0, ``record_every``, ..., and the last step).
    learning_rates : ndarray, shape (R,) or (R, K), or None
        Learning rate of the update that produced each recorded position (for
        step 0, the first update's rate); ``(R, K)`` when rates differ per
        particle; ``None`` if the optimizer has no learning rate.
    diverged_step : ndarray of int, shape (K,)
        The step at which a particle diverged (its position became non-finite
        or left the divergence radius), ``-1`` where it never did. A diverged
        particle is frozen at its last good position, so every recorded value
        stays finite.
    config : dict
        The full configuration of the run (JSON-ready), including the engine.
    batch_values : ndarray, shape (R, K), or None
        With exact mini-batches: the mini-batch cost ``J^{t}`` of the update
        that produced each recorded position (the lecture's noisy cost curve);
        at step 0 the full cost.
    state : dict or None
        With ``trace(..., record_state=True)``: the optimizer's state at the
        recorded steps, ``"<block>.<name>"`` (``"scale_by_adam.velocity"``)
        to an array of shape ``(R, K, dim)``; zeros at step 0.
    metrics : dict of str to ndarray of shape (R, K), or None
        Extra series of a model at the recorded positions, e.g.
        ``metrics["accuracy"]``, a classifier's training-set accuracy (see
        ``FiniteSumSurface.metrics``); ``None`` when the surface has none.
    """

    positions: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    steps: np.ndarray
    diverged_step: np.ndarray
    config: dict
    learning_rates: np.ndarray | None = None
    batch_values: np.ndarray | None = None
    state: dict | None = None
    metrics: dict | None = None

    # ---- derived views ------------------------------------------------------
    @property
    def diverged(self) -> np.ndarray:
        """``(K,)`` bool: which particles diverged."""
        return self.diverged_step >= 0

    @property
    def particles(self) -> int:
        return self.positions.shape[1]

    @property
    def dim(self) -> int:
        return self.positions.shape[2]

    @property
    def final_positions(self) -> np.ndarray:
        """``(K, dim)`` positions after the last step."""
        return self.positions[-1]

    @property
    def final_values(self) -> np.ndarray:
        """``(K,)`` values after the last step."""
        return self.values[-1]

    @property
    def best_values(self) -> np.ndarray:
        """``(K,)`` lowest recorded value of each particle."""
        return self.values.min(axis=0)

    def summary(self) -> str:
        """A few lines a person reads: configuration and final loss statistics."""
        final = self.final_values
        q = np.percentile(final, [0, 50, 100])
        lines = [
            repr(self),
            f"final value: min {q[0]:.6g}, median {q[1]:.6g}, max {q[2]:.6g}",
            f"diverged: {int(self.diverged.sum())} of {self.particles}",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        c = self.config
        return (
            f"Trajectory(surface={c.get('surface', {}).get('name')!r}, "
            f"optimizer={c.get('optimizer', {}).get('name') if c.get('optimizer') else None!r}, "
            f"particles={self.particles}, dim={self.dim}, steps={int(self.steps[-1])}, "
            f"recorded={len(self.steps)}, diverged={int(self.diverged.sum())}, "
            f"engine={c.get('engine')!r})"
        )

    def _repr_html_(self) -> str:
        return _display.trajectory_html(self)

    # ---- files --------------------------------------------------------------
    def save(self, path) -> None:
        """Write an ``.npz`` file (arrays plus the configuration as JSON), atomically."""
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        arrays |= {n: getattr(self, n) for n in _OPTIONAL if getattr(self, n) is not None}
        arrays |= {_STATE + name: array for name, array in (self.state or {}).items()}
        arrays |= {_METRIC_PREFIX + n: a for n, a in (self.metrics or {}).items()}
        arrays["config"] = np.array(json.dumps(self.config))
        save_npz(path, arrays)

    def to_csv(self, path) -> None:
        """Write one row per recorded step and particle, atomically.

        Columns: ``step, particle, x1 .. x{dim}, value, grad_norm`` and, when
        present, ``learning_rate``, ``batch_value`` and each metric.
        """
        r, k, d = self.positions.shape
        columns = [
            np.repeat(self.steps, k),
            np.tile(np.arange(k), r),
            *self.positions.reshape(r * k, d).T,
            self.values.ravel(),
            self.grad_norms.ravel(),
        ]
        header = ["step", "particle", *(f"x{i + 1}" for i in range(d)), "value", "grad_norm"]
        if self.learning_rates is not None:
            rates = self.learning_rates
            columns.append((np.repeat(rates, k) if rates.ndim == 1 else rates).ravel())
            header.append("learning_rate")
        if self.batch_values is not None:
            columns.append(self.batch_values.ravel())
            header.append("batch_value")
        for name, series in (self.metrics or {}).items():
            columns.append(series.ravel())
            header.append(name)
        table = np.column_stack(columns)
        formats = ["%d", "%d"] + ["%.17g"] * (table.shape[1] - 2)
        with atomic_path(path) as temporary:
            np.savetxt(temporary, table, fmt=formats, delimiter=",", header=",".join(header), comments="")

    def to_json(self, path) -> None:
        """Write the configuration and all arrays as one JSON document, atomically."""
        document = {"config": self.config}
        for name in _ARRAYS + _OPTIONAL:
            value = getattr(self, name)
            document[name] = None if value is None else value.tolist()
        metrics = self.metrics
        document["metrics"] = None if metrics is None else {n: a.tolist() for n, a in metrics.items()}
        with atomic_path(path) as temporary:
            temporary.write_text(json.dumps(document))


def load_trajectory(path) -> Trajectory:
    """Read a trajectory written by ``Trajectory.save`` (nothing in it is unpickled).

    Raises
    ------
    InvalidArgument
        Naming the file, if it is missing, damaged, or not a saved trajectory.
    """
    try:
        if not os.path.isfile(path) or not zipfile.is_zipfile(path):
            raise OSError(0, "not an .npz archive" if os.path.isfile(path) else "no such file")
        with np.load(path, allow_pickle=False) as data:
            fields = {name: data[name] for name in _ARRAYS}
            fields |= {n: data[n] if n in data.files else None for n in _OPTIONAL}
            state = {n.removeprefix(_STATE): data[n] for n in data.files if n.startswith(_STATE)}
            fields["state"] = state or None
            metrics = {k[len(_METRIC_PREFIX) :]: data[k] for k in data.files if k.startswith(_METRIC_PREFIX)}
            fields["metrics"] = metrics or None
            config = json.loads(str(data["config"]))
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        reason = getattr(error, "strerror", None) or " ".join(str(error).split())[:100]
        raise invalid("path", str(path), f"a trajectory saved by Trajectory.save ({reason})") from None
    return Trajectory(config=config, **fields)
