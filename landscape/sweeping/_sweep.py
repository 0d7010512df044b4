"""``sweep``: run a grid of hyperparameters x seeds, in chunks, here or on a Dask cluster."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from collections.abc import Callable, Iterable

import numpy as np

from .. import __version__, optim
from .._resources import check, trace_cost
from .._text import counted
from .._validation import check_int, check_scalar, invalid
from ..noise import GaussianNoise
from ..optim import GradientTransformation, spec_to_json
from ..schedules import Schedule
from ..specs import parse_noise, parse_optimizer, parse_surface_spec
from ..surfaces import FiniteSumSurface, Surface
from ..tracing import trace
from ._chunk import Settings, chunks
from ._grid import make_grid
from ._metrics import PER_RUN, run_metrics
from ._result import SweepResult
from ._runner import Completed, check_place, open_runner
from ._store import Store
from ._text import optimizer_text, surface_text, value_text

CHUNK_BYTES = 64 * 2**20  # records of one chunk (positions, values, gradient norms)
MIN_CHUNK_PARTICLES = 256  # below this, a trace call is mostly overhead
SWEEP_VERSION = 1


def sweep(
    surfaces,
    optimizer,
    grid,
    *,
    seeds=1,
    steps=None,
    epochs=None,
    x0=None,
    batch_size=None,
    noise=None,
    seed=0,
    tol=1e-6,
    metrics=None,
    record_every=1,
    dtype=np.float64,
    divergence_radius=None,
    chunk_size=None,
    workers=None,
    scheduler=None,
    client=None,
    store=None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> SweepResult:
    r"""Run every configuration of a hyperparameter grid, with several seeds each.

    The grid is cut into chunks of consecutive configurations; each chunk is
    one vectorized ``landscape.trace`` call whose particles carry the
    chunk's hyperparameters as per-particle arrays. Chunks run on a Dask
    cluster (a local one by default) and, with ``store``, are saved as they
    finish, so a killed sweep resumes where it stopped.

    Parameters
    ----------
    surfaces : Surface, str, or sequence of them
        The surface(s): objects or specs such as ``"elongated_bowl:kappa=50"``.
        Several surfaces are one more axis of the grid (the first).
    optimizer : GradientTransformation, str, or sequence of them
        A registered optimizer, e.g. ``"momentum:style=heavy_ball"``; grid
        keys override its parameters. Several optimizers are one more axis
        of the grid (the second): every configuration runs with each, and
        every grid key must be a parameter of each.
    grid : dict
        ``key -> sequence of values``. Keys are parameters of the optimizer
        (``lr``, ``beta``, ``style`` ...) or ``batch_size`` (exact
        mini-batches of a finite-sum surface). Numeric hyperparameters run
        side by side in one call; names, flags, schedules and batch sizes take
        one call per value.
    seeds : int
        Runs per configuration, ``S``. Seed ``r`` of every configuration is
        particle ``r`` of ``trace(..., particles=S, seed=seed)``: the same
        starting point (with ``x0="random"``) and the same noise and
        mini-batches (common random numbers across configurations).
    steps, epochs : int
        Length of every run (exactly one of them; see ``landscape.trace``).
    x0 : None, "random", or array_like of shape (dim,) or (S, dim)
        Starting points: the surface's ``default_start``, one point per seed
        drawn uniformly in ``surface.bounds`` (as ``Surface.sample(S, seed)``),
        one point, or one per seed.
    batch_size : int, optional
        Exact mini-batches for every configuration (or a grid key).
    noise : GaussianNoise, MinibatchNoise or spec, optional
        Gradient noise with scalar parameters (see ``landscape.noise``).
    seed : int
        Seed of every random draw.
    tol : float
        Tolerance of ``steps_to_tol``: the first recorded step with
        :math:`f - f^* \le` ``tol`` (:math:`f^*` from ``surface.minima``).
    metrics : dict, optional
        Your own per-run metrics, ``name -> function(trajectory)`` returning
        one number per particle (shape ``(K,)``), e.g.
        ``{"distance": lambda t: np.linalg.norm(t.final_positions, axis=1)}``;
        each gives columns ``NAME_median``, ``NAME_q25``, ``NAME_q75``. On a
        cluster the functions travel by cloudpickle; the store tells them apart
        by their module and qualified name.
    record_every : int
        Record every this many steps (the resolution of ``steps_to_tol``).
    dtype, divergence_radius
        As in ``landscape.trace``.
    chunk_size : int, optional
        Configurations per chunk. Default: enough for at least 256 particles,
        at most 64 MiB of records, and a few chunks per worker. The results
        do not depend on it.
    workers : int, optional
        Worker processes of a new Dask LocalCluster on 127.0.0.1 (default:
        one per core); ``0`` runs in this process without Dask.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); its
        workers need ``landscape`` installed.
    client : distributed.Client, optional
        A Dask client to use (left open).
    store : str or Path, optional
        Folder that keeps finished chunks (one file each plus a manifest).
        Calling ``sweep`` again with the same arguments and store runs only
        what is missing; a store of another sweep is refused.
    progress : callable, optional
        Wraps the iterable of finished chunks (it has a length), e.g. a
        progress bar.

    Returns
    -------
    SweepResult
        One row per configuration, in grid order (the surface, the
        optimizer, then grouped keys, then numeric keys; the last varies
        fastest).

    Notes
    -----
    Metrics per configuration over its ``S`` seeds (see
    ``landscape.sweeping.METRIC_COLUMNS``): the median and quartiles of the
    final value (``+inf`` for a diverged run), of the best value and of
    ``steps_to_tol`` (``+inf`` if never reached, ``nan`` if :math:`f^*` is
    unknown), the fraction of seeds that reached ``tol`` and the fraction
    that diverged. The numbers depend only on the configuration, the seed
    and the settings -- not on the chunking, the number of workers, the
    order in which chunks finish, or whether the sweep was resumed.

    Examples
    --------
    >>> import landscape as ls
    >>> result = ls.sweep("elongated_bowl:kappa=10", "momentum:style=heavy_ball",
    ...                   {"lr": [0.01, 0.1, 0.3], "beta": [0.0, 0.9]}, steps=100, workers=0)
    >>> result.columns["diverged_fraction"]
    array([0., 0., 0., 0., 1., 0.])
    >>> xs, ys, table = result.pivot("final_value_median", x="lr", y="beta")
    >>> table.shape
    (2, 3)
    """
    check_place(workers=workers, scheduler=scheduler, client=client)
    if chunk_size is not None:
        chunk_size = check_int("chunk_size", chunk_size, minimum=1)
    built = [_surface(s) for s in _as_list(surfaces)]
    texts = [text for text, _ in built]
    if len(set(texts)) != len(texts):
        raise invalid("surfaces", texts, "distinct surfaces")
    optimizers = _optimizers(optimizer, grid)
    labels = {optimizer_text(name, base): optim.parameters(name) for name, base in optimizers}
    if len(labels) != len(optimizers):
        raise invalid("optimizer", list(labels), "distinct optimizers (once the grid sets its keys)")
    made = make_grid(texts, grid, labels)
    if batch_size is not None and "batch_size" in made.values:
        raise invalid("batch_size", batch_size, "None when the grid has a batch_size key")
    seeds = check_int("seeds", seeds, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if (steps is None) == (epochs is None):
        raise invalid("steps", steps, "exactly one of steps= or epochs= (an epoch is one pass)")
    steps = None if steps is None else check_int("steps", steps, minimum=0)
    epochs = None if epochs is None else check_int("epochs", epochs, minimum=1)
    tol = check_scalar("tol", tol, low=0.0)
    record_every = check_int("record_every", record_every, minimum=1)
    noise = _noise(noise)
    _check_size(built, made, seeds, steps, epochs, batch_size, noise, record_every, dtype)
    metrics = _metrics(metrics, made)
    starts = tuple(_starts(surface, x0, seeds, seed) for _, surface in built)
    settings = Settings(
        optimizers=optimizers,
        seeds=seeds,
        seed=seed,
        steps=steps,
        epochs=epochs,
        batch_size=batch_size,
        noise=noise,
        record_every=record_every,
        dtype=dtype,
        divergence_radius=divergence_radius,
        tol=tol,
        starts=starts,
        optima=tuple(_optimum(surface) for _, surface in built),
        metrics=metrics,
    )
    _check_runs(built, made, settings)

    description = _description(texts, grid, made, settings, x0)
    identity = hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()
    kept = _Memory(made.size) if store is None else Store(store, description, identity, made.size)
    missing = kept.missing()
    if missing:
        with open_runner(
            workers=workers, scheduler=scheduler, client=client, name=f"landscape-sweep-{identity[:10]}"
        ) as runner:
            size = chunk_size or chunk_size_for(built, made, settings, runner.workers)
            todo = list(chunks(made, missing, size))
            finished = Completed(runner.run(todo, [s for _, s in built], settings), len(todo))
            with contextlib.closing(finished):  # an interrupted run stops before its cluster closes
                for chunk, columns in progress(finished) if progress else finished:
                    kept.write(chunk.start, chunk.stop, columns)

    columns = {"surface": made.column("surface"), "optimizer": made.column("optimizer")}
    for key in grid:
        columns[key] = _grid_column(made, key)
    return SweepResult(columns | kept.read(), description)


def _description(texts, grid, made, settings: Settings, x0) -> dict:
    """The JSON-ready description of a sweep: what its results depend on, and nothing else."""
    optimizers = [{"name": name, "params": spec_to_json(base)} for name, base in settings.optimizers]
    return {
        "landscape_sweep": SWEEP_VERSION,
        "surfaces": texts,
        "optimizer": optimizers[0] if len(optimizers) == 1 else optimizers,
        "grid": {key: [spec_to_json(v) for v in made.values[key]] for key in grid},
        "seeds": settings.seeds,
        "seed": settings.seed,
        "steps": settings.steps,
        "epochs": settings.epochs,
        "x0": x0 if x0 is None or isinstance(x0, str) else np.asarray(x0, dtype=float).tolist(),
        "batch_size": settings.batch_size,
        "noise": None if settings.noise is None else settings.noise.spec,
        "tol": settings.tol,
        "metrics": {name: f"{f.__module__}.{f.__qualname__}" for name, f in settings.metrics.items()},
        "record_every": settings.record_every,
        "dtype": np.dtype(settings.dtype).name,
        "divergence_radius": settings.divergence_radius,
        "versions": {"landscape": __version__},
    }


def chunk_size_for(built, made, settings: Settings, workers: int) -> int:
    """Configurations per chunk: >= 256 particles, <= 64 MiB of records, a few chunks per worker."""
    per_particle = max(
        (_recorded(surface, b, settings) * (surface.dim + 4) * np.dtype(settings.dtype).itemsize)
        for _, surface in built
        for b in made.values.get("batch_size", (settings.batch_size,))
    )
    by_memory = max(1, CHUNK_BYTES // (per_particle * settings.seeds))
    by_workers = max(
        math.ceil(MIN_CHUNK_PARTICLES / settings.seeds), math.ceil(made.size / (4 * max(1, workers)))
    )
    return int(min(by_memory, by_workers))


def _recorded(surface, batch_size, settings: Settings) -> int:
    steps = _run_steps(surface, batch_size, settings.steps, settings.epochs, settings.noise)
    return steps // settings.record_every + 2


def _run_steps(surface, batch_size, steps, epochs, noise) -> int:
    """Updates in one run: ``steps``, or ``epochs`` passes of the data."""
    if steps is not None:
        return steps
    if batch_size is not None and isinstance(surface, FiniteSumSurface):
        per_epoch = -(-surface.data_size // batch_size)
    else:
        per_epoch = 1 if noise is None else noise.steps_per_epoch
    return epochs * per_epoch


def _check_size(built, made, seeds, steps, epochs, batch_size, noise, record_every, dtype) -> None:
    """Refuse a sweep too large for this machine before its starting points are drawn.

    A configuration (its ``seeds`` runs) is the smallest chunk, so it must
    fit in memory; the whole grid must not take hours (see ``landscape._resources``).
    """
    try:
        itemsize = np.dtype(dtype).itemsize
    except TypeError:
        itemsize = 8  # trace refuses the dtype in its own words
    longest = 0.0
    for _, surface in built:
        for b in made.values.get("batch_size", (batch_size,)):
            length = _run_steps(surface, b, steps, epochs, noise)
            memory, seconds = trace_cost(seeds, surface.dim, length, length // record_every + 2, itemsize)
            size = f"{counted(seeds, 'seed')} x {counted(length, 'step')} in dimension {surface.dim}"
            what = f"one configuration ({size})"
            check("seeds", seeds, memory=memory, what=what, advice="fewer seeds or a larger record_every")
            longest = max(longest, seconds)
    total = longest * made.size
    what = f"{counted(made.size, 'configuration')} x {counted(seeds, 'seed')}"
    if seeds >= made.size:
        check("seeds", seeds, seconds=total, what=what, advice="fewer seeds")
    else:
        check("grid", f"{made.size} configurations", seconds=total, what=what, advice="a smaller grid")


class _Memory:
    """Finished chunks kept in memory (a sweep without a store)."""

    def __init__(self, size: int):
        self.size, self.parts = size, {}

    def missing(self):
        return [(0, self.size)]

    def write(self, start, stop, columns):
        self.parts[start] = columns

    def read(self):
        parts = [self.parts[start] for start in sorted(self.parts)]
        return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


def _as_list(surfaces) -> list:
    if isinstance(surfaces, (str, Surface)):
        return [surfaces]
    if not isinstance(surfaces, (list, tuple)) or not surfaces:
        raise invalid("surfaces", surfaces, "a surface, a surface spec, or a non-empty list of them")
    return list(surfaces)


def _surface(surface) -> tuple[str, Surface]:
    if isinstance(surface, Surface):
        return surface_text(surface), surface
    spec = parse_surface_spec(surface)
    return spec.text, spec.build()


def _optimizers(optimizer, grid) -> tuple[tuple[str, dict], ...]:
    """``(name, parameters)`` of each optimizer, without the parameters the grid sets."""
    given = [optimizer] if isinstance(optimizer, (str, GradientTransformation)) else optimizer
    if not isinstance(given, (list, tuple)) or not given:
        raise invalid("optimizer", optimizer, "an optimizer, its spec, or a non-empty list of them")
    keys = set(grid) if hasattr(grid, "keys") else set()
    found = []
    for one in given:
        name, base = _optimizer(one)
        found.append((name, {k: v for k, v in base.items() if k not in keys}))
    return tuple(found)


def _optimizer(optimizer) -> tuple[str, dict]:
    """The registered name and parameters of an optimizer or its spec."""
    if isinstance(optimizer, str):
        optimizer = parse_optimizer(optimizer)
    accepted = "a registered optimizer or its spec, e.g. 'momentum:style=heavy_ball' (one of "
    accepted += ", ".join(optim.names()) + ")"
    if not isinstance(optimizer, GradientTransformation) or optimizer.spec is None:
        raise invalid("optimizer", optimizer, accepted)
    name, params = optimizer.spec["name"], dict(optimizer.spec["params"])
    if name not in optim.names():
        raise invalid("optimizer", name, accepted)
    for key, value in params.items():
        if isinstance(value, np.ndarray) or (isinstance(value, Schedule) and value.per_particle):
            raise invalid(key, value, "one value; give several values as a grid key instead")
    return name, params


def _noise(noise):
    noise = parse_noise(noise)
    if noise is not None:
        field = "sigma" if isinstance(noise, GaussianNoise) else "scale"
        if isinstance(getattr(noise, field), np.ndarray):
            raise invalid(f"noise {field}", getattr(noise, field), "one number for the whole sweep")
    return noise


def _metrics(metrics, made) -> dict:
    """Your own metrics: names that make clear columns, each with a function."""
    if metrics is None:
        return {}
    accepted = (
        "a dict of new names to functions, e.g. {'distance': lambda t: np.abs(t.final_positions).max(1)}"
    )
    if not isinstance(metrics, dict):
        raise invalid("metrics", metrics, accepted)
    taken = {"surface", "optimizer", "reached", "diverged", *PER_RUN, *made.values}
    for name, function in metrics.items():
        if not isinstance(name, str) or not name.isidentifier() or name in taken or not callable(function):
            raise invalid("metrics", {name: function}, accepted)
    return dict(metrics)


def _starts(surface: Surface, x0, seeds: int, seed: int) -> np.ndarray:
    """``(S, dim)`` or ``(1, dim)`` starting points (checked by ``trace`` in ``_check_runs``)."""
    if x0 is None:
        return np.asarray(surface.default_start, dtype=float)[None]
    if isinstance(x0, str):
        if x0 != "random":
            raise invalid(
                "x0", x0, f"None, 'random', a point of shape ({surface.dim},) or ({seeds}, {surface.dim})"
            )
        return surface.sample(seeds, seed=seed)
    array = np.array(x0, dtype=float)
    if array.ndim == 1:
        return array[None]
    if array.shape[:1] != (seeds,):
        raise invalid(
            "x0", array, f"a point of shape ({surface.dim},) or one per seed, shape ({seeds}, {surface.dim})"
        )
    return array


def _optimum(surface: Surface) -> float:
    """The lowest value over the surface's known minima (``nan`` if none is known)."""
    minima = np.asarray(surface.minima, dtype=float)
    return float(np.min(surface.value(minima))) if minima.size else math.nan


def _check_runs(built, made, settings: Settings) -> None:
    """Every value of the grid with every optimizer, every surface with every batch size, and the
    metrics, checked first."""
    first = {k: made.values[k][0] for k in made.keys if k != "batch_size"}
    vectors = {k: np.asarray(made.values[k], dtype=float) for k in made.vectorized}
    for name, base in settings.optimizers:
        for key in made.keys:
            if key in made.vectorized or key == "batch_size":
                continue
            for value in made.values[key]:
                optim.get(name, **(base | first | vectors | {key: value}))
        if vectors:
            optim.get(name, **(base | first | vectors))
    name, base = settings.optimizers[0]
    plain = optim.get(name, **(base | first))
    for (text, surface), starts in zip(built, settings.starts, strict=True):
        for b in made.values.get("batch_size", (settings.batch_size,)):
            if b is not None and not isinstance(surface, FiniteSumSurface):
                raise invalid("batch_size", b, f"None for {text}, a surface without a data set")
            start = trace(
                surface,
                plain,
                starts,
                0,
                batch_size=b,
                noise=settings.noise,
                seed=settings.seed,
                record_every=settings.record_every,
                dtype=settings.dtype,
                divergence_radius=settings.divergence_radius,
                engine="numpy",  # no steps: nothing worth compiling a driver for
            )
            run_metrics(start, math.nan, settings.tol, settings.metrics)  # your metrics' shapes, on step 0


def _grid_column(made, key: str) -> np.ndarray:
    values = made.values[key]
    if all(isinstance(v, Schedule) for v in values):
        labels = np.array([value_text(v) for v in values])
        return labels[np.unravel_index(np.arange(made.size), made.shape)[1 + made.keys.index(key)]]
    return made.column(key)
