"""Trace several optimizers on one surface from specs: the work behind ``landscape trace``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from .._validation import check_int, invalid
from ..surfaces import Surface
from ..tracing import Trajectory, trace
from ._build import parse_noise, parse_optimizer, parse_surface, per_particle_count

DEFAULT_STEPS = 200  # the length of a run when neither steps nor epochs are given


def trace_specs(
    surface,
    optimizers: Sequence,
    *,
    steps=None,
    epochs=None,
    particles=None,
    x0=None,
    batch_size=None,
    noise=None,
    seed=0,
    record_every=1,
    dtype=np.float64,
    compute_dtype=None,
    engine="auto",
    progress: Callable[[Iterable], Iterable] | None = None,
    on_compile: Callable[[], None] | None = None,
) -> list[Trajectory]:
    """Trace each optimizer on the same surface with the same settings.

    Parameters
    ----------
    surface : str or Surface
        A surface spec (``"elongated_bowl:kappa=50"``) or a surface.
    optimizers : sequence of str or GradientTransformation
        Optimizer specs (``"adam:lr=0.05"``) or optimizers, at least one.
    steps, epochs : int, optional
        Length of each run (see ``landscape.trace``); default ``steps=DEFAULT_STEPS`` (200).
    particles : int, optional
        Particles per optimizer. Default: the length of the optimizer's
        per-particle lists (``lr=[0.01,0.1]``), else 1.
    x0 : None, "random", or array_like of shape (dim,) or (K, dim)
        Starting points: ``None`` is the surface's ``default_start``;
        ``"random"`` draws each particle uniformly in ``surface.bounds``
        (seeded by ``seed``).
    batch_size, noise, seed, record_every, dtype, compute_dtype, engine
        As in ``landscape.trace``; ``noise`` may be a spec (see
        ``parse_noise``).
    progress : callable, optional
        Wraps the iterable of optimizers, e.g. a progress bar.
    on_compile : callable, optional
        Called before the compiled engine compiles a new combination (see
        ``landscape.trace``), e.g. to relabel a progress bar.

    Returns
    -------
    list of Trajectory
        One per optimizer, in order.

    Examples
    --------
    >>> import landscape as ls
    >>> runs = ls.specs.trace_specs("elongated_bowl", ["sgd:lr=0.07", "adam:lr=0.1"], steps=50)
    >>> [r.config["optimizer"]["name"] for r in runs]
    ['sgd', 'adam']
    """
    surface = surface if isinstance(surface, Surface) else parse_surface(surface)
    if isinstance(optimizers, str) or not len(optimizers):
        raise invalid(
            "optimizers",
            optimizers,
            "a list of one or more optimizer specs such as ['adam:lr=0.05']",
        )
    built = [parse_optimizer(spec) for spec in optimizers]  # every spec checked before any work
    noise = parse_noise(noise)
    if steps is None and epochs is None:
        steps = DEFAULT_STEPS
    seed = check_int("seed", seed, minimum=0)
    if particles is not None:
        particles = check_int("particles", particles, minimum=1)
    items = []
    for optimizer in built:  # every run's particles and starts checked before any runs
        params = optimizer.spec["params"] if optimizer.spec else {}
        k = particles or per_particle_count(params) or 1
        start = _starting_points(surface, x0, k, seed)
        k = start.shape[0] if start.ndim == 2 else k
        per_particle_count(params, particles=k)
        items.append((optimizer, start, k))
    runs = []
    for optimizer, start, k in progress(items) if progress else items:
        runs.append(
            trace(
                surface,
                optimizer,
                start,
                steps,
                particles=None if start.ndim == 2 else k,
                batch_size=batch_size,
                noise=noise,
                epochs=epochs,
                seed=seed,
                record_every=record_every,
                dtype=dtype,
                compute_dtype=compute_dtype,
                engine=engine,
                on_compile=on_compile,
            )
        )
    return runs


def _starting_points(surface: Surface, x0, k: int, seed: int) -> np.ndarray:
    if x0 is None:
        return np.asarray(surface.default_start, dtype=float)
    if isinstance(x0, str):
        if x0 != "random":
            raise invalid("x0", x0, f"'random' or {surface.dim} numbers")
        return surface.sample(k, seed=seed)
    return np.asarray(x0, dtype=float)
