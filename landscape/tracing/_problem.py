"""Checking a ``trace`` call once and packing it for an engine."""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass

import numpy as np

from .. import __version__
from .._resources import check_trace
from .._validation import (
    FLOAT_DTYPES,
    InvalidArgument,
    check_choice,
    check_float_dtype,
    check_int,
    check_scalar,
    float_dtype_name,
    invalid,
)
from ..noise import GaussianNoise, MinibatchNoise
from ..optim import GradientTransformation, PerUpdate, spec_to_json
from ..schedules import Schedule
from ..surfaces import FiniteSumSurface, Surface
from ..surfaces import get as get_surface


@dataclass(frozen=True)
class TraceProblem:
    """Everything an engine needs, already validated.

    ``x0`` has shape ``(K, dim)`` in the run's dtype; ``record_steps`` are the
    step numbers to record (always including 0 and ``steps``); a step ``t``
    (0-based update count) belongs to epoch ``t // steps_per_epoch + 1``;
    ``particle_ids`` ``(K,)`` name the random stream each particle draws
    (None: particles ``0 .. K-1``, see ``streams``);
    ``compute_dtype`` is the precision of the arithmetic of each step
    (``dtype`` is that of positions, state and records); ``record_state``
    asks for the optimizer's state at every record.
    """

    surface: Surface
    optimizer: GradientTransformation
    x0: np.ndarray
    steps: int
    record_steps: np.ndarray
    steps_per_epoch: int
    batch_size: int | None
    noise: GaussianNoise | MinibatchNoise | None
    seed: int
    divergence_radius: float
    dtype: type
    particle_ids: np.ndarray | None
    compute_dtype: type = np.float64
    record_state: bool = False

    @property
    def particles(self) -> int:
        return self.x0.shape[0]

    @property
    def dim(self) -> int:
        return self.x0.shape[1]

    @property
    def streams(self):
        """What ``_random.particle_keys`` takes: the particle ids, or the count ``K`` for ``0 .. K-1``."""
        return self.particles if self.particle_ids is None else self.particle_ids

    @property
    def noise_std(self):
        """The gradient noise's standard deviation (a number or one per particle), or None
        where there is none: no noise model, or one that adds nothing (a full batch)."""
        if self.noise is None or not np.any(self.noise.std):
            return None
        return self.noise.std

    def block(self, start: int, stop: int) -> TraceProblem:
        """The same run restricted to particles ``start:stop`` (per-particle values sliced)."""
        if (start, stop) == (0, self.particles):
            return self
        part = slice(start, stop)
        optimizer = self.optimizer
        if None not in optimizer.parts:
            optimizer = optimizer._replace(parts=tuple(block.sliced(part) for block in optimizer.parts))
        noise = self.noise
        if noise is not None:
            field = "sigma" if isinstance(noise, GaussianNoise) else "scale"
            noise = dataclasses.replace(noise, **{field: _sliced(getattr(noise, field), part)})
        return dataclasses.replace(
            self, optimizer=optimizer, noise=noise, x0=self.x0[part],
            particle_ids=np.arange(start, stop) if self.particle_ids is None else self.particle_ids[part],
        )


def _sliced(value, part: slice):
    """A per-particle array cut to ``part``; anything else as it is."""
    return value[part] if isinstance(value, np.ndarray) else value


def squared_radius(problem: TraceProblem):
    """The divergence radius squared, in the run's arithmetic (infinite past its largest number).

    Both engines compare squared distances with this number, so a float32 run
    compares float32 numbers (and its loops stay in float32).
    """
    with np.errstate(over="ignore"):
        return problem.compute_dtype(np.float64(problem.divergence_radius) ** 2)


def build_problem(
    surface, optimizer, x0, steps, *, particles, batch_size, noise, epochs, seed, record_every,
    dtype, divergence_radius, particle_ids=None, compute_dtype=None, record_state=False,
) -> TraceProblem:
    """Validate the arguments of ``trace``; every error names the parameter."""
    if isinstance(surface, str):
        surface = get_surface(surface)
    if not isinstance(surface, Surface):
        raise invalid("surface", surface, "a Surface or a registered surface name")
    if not isinstance(optimizer, GradientTransformation):
        raise invalid("optimizer", optimizer, "an optimizer such as landscape.optim.adam(lr=0.01)")
    dtype = check_float_dtype("dtype", dtype)
    if compute_dtype is None:
        compute_dtype = dtype
    compute_name = float_dtype_name(compute_dtype)
    if compute_name is None or np.dtype(compute_name).itemsize < np.dtype(dtype).itemsize:
        accepted = "None, numpy.float64, or numpy.float32 with dtype=float32"
        raise invalid("compute_dtype", compute_dtype, accepted)
    compute_dtype = FLOAT_DTYPES[compute_name]
    if not isinstance(record_state, (bool, np.bool_)):
        raise invalid("record_state", record_state, "True or False")
    if isinstance(particles, numbers.Integral) or np.ndim(x0) == 2:  # before the (K, dim) arrays exist
        k = particles if isinstance(particles, numbers.Integral) else np.shape(x0)[0]
        plain = isinstance(steps, numbers.Integral) and isinstance(record_every, numbers.Integral)
        length = (steps, record_every) if plain and steps >= 0 and record_every >= 1 else (0, 1)
        check_trace(int(k), surface.dim, *length, np.dtype(dtype).itemsize)
    x0, largest_coordinate = _starting_points(x0, particles, surface.dim, dtype)
    k = x0.shape[0]
    seed = check_int("seed", seed, minimum=0)
    particle_ids = _particle_ids(particle_ids, k)
    record_every = check_int("record_every", record_every, minimum=1)

    if batch_size is not None:
        if not isinstance(surface, FiniteSumSurface):
            raise invalid(
                "batch_size", batch_size,
                "None for a surface without a data set (use noise=landscape.noise.minibatch(...))",
            )
        batch_size = check_int("batch_size", batch_size, minimum=1)
        if batch_size > surface.data_size:
            raise invalid("batch_size", batch_size, f"an integer between 1 and m={surface.data_size}")
    if noise is not None and not isinstance(noise, (GaussianNoise, MinibatchNoise)):
        raise invalid("noise", noise, "None, landscape.noise.gaussian(...) or landscape.noise.minibatch(...)")
    if batch_size is not None and isinstance(noise, MinibatchNoise):
        raise invalid("noise", noise, "None or gaussian noise when batch_size gives exact mini-batches")
    if batch_size is not None:
        steps_per_epoch = -(-surface.data_size // batch_size)
    else:
        steps_per_epoch = noise.steps_per_epoch if noise is not None else 1

    if (steps is None) == (epochs is None):
        raise invalid("steps", steps, "exactly one of steps= or epochs= (an epoch is one pass)")
    if epochs is not None:
        steps = check_int("epochs", epochs, minimum=1) * steps_per_epoch
    steps = check_int("steps", steps, minimum=0)

    _check_per_particle(optimizer, noise, k)
    if divergence_radius is None:
        reach = np.max(np.abs(surface.bounds), axis=1)
        divergence_radius = 1e3 * float(np.sqrt(np.sum(reach**2)))
    divergence_radius = check_scalar("divergence_radius", divergence_radius, low=0.0, low_open=True)
    # compare lengths, not squares: a radius above 1e154 has no square in floating point;
    # the largest coordinate times √dim bounds every length, and usually settles it
    longest = largest_coordinate * np.sqrt(surface.dim)
    if not longest <= divergence_radius and np.any(
        np.sqrt(np.einsum("kd,kd->k", x0, x0, dtype=np.float64)) > divergence_radius
    ):
        raise invalid("x0", "points outside the divergence radius", f"|x0| <= {divergence_radius:g}")
    if record_state and None in optimizer.parts:
        raise invalid("record_state", True, "False for an optimizer written by hand (its state has no names)")
    state_rows = sum(len(part.state) for part in optimizer.parts if part is not None) if record_state else 0
    check_trace(
        k, surface.dim, steps, record_every, np.dtype(dtype).itemsize, epochs=epochs,
        record_width=surface.dim * (1 + state_rows),
    )
    record_steps = np.arange(0, steps + 1, record_every)
    if record_steps[-1] != steps:
        record_steps = np.append(record_steps, steps)
    return TraceProblem(
        surface, optimizer, x0, steps, record_steps, steps_per_epoch, batch_size, noise, seed,
        divergence_radius, dtype, particle_ids, compute_dtype, bool(record_state),
    )


def _particle_ids(ids, k: int) -> np.ndarray | None:
    """None for the default ``0 .. K-1``, else ``K`` non-negative integers (repeats allowed)."""
    if ids is None:
        return None
    accepted = f"None or {k} integers >= 0 (one per particle)"
    array = np.asarray(ids)
    if array.shape != (k,) or array.dtype.kind not in "iu" or (array.dtype.kind == "i" and (array < 0).any()):
        raise invalid("particle_ids", ids, accepted)
    return array.astype(np.int64)


def _starting_points(x0, particles, dim, dtype) -> tuple[np.ndarray, float]:
    """``x0`` as ``(K, dim)`` points of ``dtype`` (a copy only where needed: the engines never
    write to it), and the largest absolute coordinate."""
    try:
        x0 = np.ascontiguousarray(x0, dtype=dtype)
    except (TypeError, ValueError):
        raise invalid("x0", x0, f"a point of shape ({dim},) or points of shape (K, {dim})") from None
    if not x0.flags.writeable:  # numba compiles a driver for read-only arrays apart
        x0 = x0.copy()
    if x0.shape == (dim,):
        k = 1 if particles is None else check_int("particles", particles, minimum=1)
        x0 = np.broadcast_to(x0, (k, dim)).copy()
    elif x0.ndim == 2 and x0.shape[1] == dim and x0.shape[0] >= 1:
        if particles is not None and check_int("particles", particles, minimum=1) != x0.shape[0]:
            raise invalid("particles", particles, f"None or {x0.shape[0]}, the number of rows of x0")
    else:
        raise InvalidArgument(
            f"x0 has shape {x0.shape}; expected a point of shape ({dim},) or points of shape (K, {dim})"
        )
    # the extremes settle finiteness without an array of flags (NaN fails both comparisons)
    low, high = float(x0.min()), float(x0.max())
    largest = float(np.finfo(x0.dtype).max)
    if not (-largest <= low and high <= largest):
        raise invalid("x0", "non-finite coordinates", "finite starting points")
    return x0, max(high, -low)


def _check_per_particle(optimizer, noise, k):
    """Every per-particle hyperparameter must have exactly ``K`` values."""
    values = []
    for part in optimizer.parts:
        if part is not None:
            values.extend(part.arguments.items())
    if noise is not None:
        values.extend((n, v) for n, v in noise.spec["params"].items())
    while values:
        name, value = values.pop()
        if isinstance(value, (Schedule, PerUpdate)):
            values.extend(value.params.items())
        elif np.ndim(value) == 1 and len(value) != k:
            raise invalid(name, f"{len(value)} values", f"one value per particle ({k} values) or a number")


def configuration(problem: TraceProblem, engine: str, record_every: int, epochs) -> dict:
    """The JSON-ready record of a run, stored in its ``Trajectory``."""
    x0 = problem.x0
    # most ensembles with their own starts differ at the ends: skip the full comparison
    same_start = np.array_equal(x0[0], x0[-1]) and bool(np.all(x0 == x0[0]))
    return {
        "surface": problem.surface.spec,
        "optimizer": spec_to_json(problem.optimizer.spec),
        "x0": x0[0].tolist() if same_start else "per-particle (positions[0])",
        "particles": problem.particles,
        "steps": problem.steps,
        "epochs": epochs,
        "steps_per_epoch": problem.steps_per_epoch,
        "batch_size": problem.batch_size,
        "noise": None if problem.noise is None else problem.noise.spec,
        "seed": problem.seed,
        "particle_ids": _ids_record(problem.particle_ids),
        "record_every": record_every,
        "dtype": np.dtype(problem.dtype).name,
        "compute_dtype": np.dtype(problem.compute_dtype).name,
        "divergence_radius": problem.divergence_radius,
        "engine": engine,
        "versions": {"landscape": __version__, "numpy": np.__version__},
    }


ENGINE_NAMES = ("auto", "numpy", "numba")


def _ids_record(ids: np.ndarray | None):
    """``None`` for the default ``0 .. K-1``, else the list (JSON-ready)."""
    return None if ids is None or np.array_equal(ids, np.arange(len(ids))) else ids.tolist()


def engine_choice(engine) -> str:
    return check_choice("engine", engine, ENGINE_NAMES)
