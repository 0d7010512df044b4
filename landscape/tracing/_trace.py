"""``trace``: run an optimizer from many starting points at once."""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import InvalidArgument
from ..optim import learning_rate
from ..schedules import Schedule
from . import _numba_engine, _numpy_engine
from ._problem import build_problem, configuration, engine_choice
from ._trajectory import Trajectory


class DivergenceWarning(RuntimeWarning):
    """Some particles diverged and were frozen."""


class EngineWarning(RuntimeWarning):
    """``engine="auto"`` could not use the compiled engine (numba is missing)."""


_warned_unavailable = False


def select_engine(problem, engine) -> str:
    """The engine that runs ``problem``: ``"numpy"`` or ``"numba"``.

    ``"auto"`` picks the compiled engine when every part of the run has a
    kernel and the numpy engine is not expected to be faster; without numba
    it falls back to numpy and warns once per process. Asking for
    ``"numba"`` when the run has no kernel is an error that says why.
    """
    global _warned_unavailable
    name = engine_choice(engine)
    if name == "numpy":
        return name
    if name == "numba":
        reason = _numba_engine.unsupported(problem)
        if reason is not None:
            raise InvalidArgument(
                f"engine='numba' is not accepted for this trace: {reason}; "
                "expected 'auto' or 'numpy'"
            )
        return name
    if not _numba_engine.available():
        if not _warned_unavailable:
            _warned_unavailable = True
            warnings.warn(
                "numba cannot be imported, so trace(engine='auto') runs the numpy engine "
                "(install numba for the compiled engine)",
                EngineWarning,
                stacklevel=3,
            )
        return "numpy"
    if _numba_engine.unsupported(problem) is None and not _numba_engine.prefers_numpy(problem):
        return "numba"
    return "numpy"


def trace(
    surface,
    optimizer,
    x0,
    steps=None,
    *,
    particles=None,
    batch_size=None,
    noise=None,
    epochs=None,
    seed=0,
    record_every=1,
    dtype=np.float64,
    compute_dtype=None,
    engine="auto",
    divergence_radius=None,
    on_compile=None,
    particle_ids=None,
    record_state=False,
) -> Trajectory:
    """Run ``optimizer`` on ``surface`` from one or many starting points.

    Parameters
    ----------
    surface : Surface or str
        The surface (or a registered name with default parameters).
    optimizer : GradientTransformation
        E.g. ``landscape.optim.adam(lr=0.05)``; hyperparameters may be arrays of
        shape ``(K,)`` to run a grid side by side.
    x0 : array_like, shape (dim,) or (K, dim)
        One starting point copied to every particle, or one per particle.
    steps : int, optional
        Number of updates. Give either ``steps`` or ``epochs``.
    particles : int, optional
        Number of particles ``K`` when ``x0`` is a single point (default 1).
    batch_size : int, optional
        Exact mini-batches of this size on a finite-sum surface: each particle
        reshuffles the data set every epoch and takes consecutive batches, the
        last one partial. ``batch_size = m`` is batch gradient descent exactly,
        ``batch_size = 1`` stochastic gradient descent.
    noise : GaussianNoise or MinibatchNoise, optional
        Gradient noise model (see ``landscape.noise``).
    epochs : int, optional
        Number of passes through the data (``steps = epochs · steps_per_epoch``;
        without mini-batches an epoch is one step).
    seed : int
        Seed of all random draws. Particle ``k``'s draws depend only on
        ``(seed, k)``, not on ``K``, so results are reproducible bit for bit.
    particle_ids : array_like of int, shape (K,), optional
        Which particle's random draws each particle takes (default
        ``0 .. K-1``): with ``particle_ids=ids`` particle ``k`` sees exactly
        the noise and mini-batches of particle ``ids[k]`` of a run with the
        same seed, so any part of a large ensemble can be rerun on its own
        (sweeps use this to make results independent of how they are cut).
    record_every : int
        Record every this many steps (and always the last one).
    dtype : numpy.float64 or numpy.float32
        Precision of positions, optimizer state and records, and (unless
        ``compute_dtype`` says otherwise) of every step's arithmetic. float32
        halves the memory and runs faster, as in JAX and PyTorch.
    compute_dtype : numpy.float64, optional
        With ``dtype=float32``: compute each step in float64 and store in
        float32 (at 0.9 to 1.0 times the speed of float64 with half its
        memory; the rounding of the stored positions still dominates the
        difference from float64).
    engine : {"auto", "numpy", "numba"}
        Which step loop runs; recorded in ``Trajectory.config["engine"]``.
        ``"numba"`` fuses surface, optimizer, schedule and noise into one
        compiled loop per block of particles (compiled once per combination
        of parts, then cached on disk); ``"auto"`` uses it when every part
        has a kernel and numpy is not expected to be faster, and the numpy
        engine otherwise. Both give the same numbers (to rounding). The numpy
        engine runs noise-free gradient descent and momentum on a dense
        ``random_quadratic`` in the eigenbasis of its Hessian, where each
        step is elementwise (one decomposition per surface, kept on it).
    divergence_radius : float, optional
        A particle whose position leaves this radius, or becomes non-finite,
        is frozen and flagged (default: 1000 times the reach of
        ``surface.bounds``).
    record_state : bool
        Record the optimizer's state (momentum's velocity ``v``, RMSprop's
        mean square ``S``...) at every recorded step, in ``Trajectory.state``.
    on_compile : callable, optional
        Called without arguments just before the compiled engine compiles a
        combination of parts it has not compiled before (a second or two;
        never when the compiled code comes from the disk cache), so a
        progress display can say "compiling".

    Returns
    -------
    Trajectory

    Warns
    -----
    DivergenceWarning
        Once, if any particle diverged.

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("rosenbrock")
    >>> traj = ls.trace(s, ls.optim.adam(lr=0.05), s.default_start, steps=500, particles=4)
    >>> traj.positions.shape
    (501, 4, 2)
    """
    problem = build_problem(
        surface, optimizer, x0, steps, particles=particles, batch_size=batch_size, noise=noise,
        epochs=epochs, seed=seed, record_every=record_every, dtype=dtype,
        divergence_radius=divergence_radius, particle_ids=particle_ids, compute_dtype=compute_dtype,
        record_state=record_state,
    )
    name = select_engine(problem, engine)
    records = None
    if name == "numba":
        try:
            records = _numba_engine.run(problem, on_compile)
        except _numba_engine.CompileError as error:
            if engine != "auto":
                raise
            warnings.warn(f"{error}; running the numpy engine instead", EngineWarning, stacklevel=2)
            name = "numpy"
    if records is None:
        records = _numpy_engine.run(problem)
    diverged_step = records["diverged_step"]
    if (diverged_step >= 0).any():
        count = int((diverged_step >= 0).sum())
        first = int(diverged_step[diverged_step >= 0].min())
        warnings.warn(
            f"{count} of {problem.particles} particles diverged (first at step {first}); "
            "they are frozen at their last good position (see Trajectory.diverged_step)",
            DivergenceWarning,
            stacklevel=2,
        )
    return Trajectory(
        positions=records["positions"],
        values=records["values"],
        grad_norms=records["grad_norms"],
        steps=problem.record_steps,
        diverged_step=diverged_step,
        config=configuration(problem, name, record_every, epochs),
        learning_rates=_learning_rates(problem),
        batch_values=records["batch_values"],
        state=records.get("state"),
        metrics=_metrics(problem.surface, records["positions"]),
    )


def _metrics(surface, positions):
    """A model's extra series (``surface.metrics``, e.g. its accuracy) at the recorded positions."""
    measure = getattr(surface, "metrics", None)
    series = measure(positions) if callable(measure) else {}
    return {name: np.asarray(v, dtype=positions.dtype) for name, v in series.items()} or None


def _learning_rates(problem):
    """Rate of the update that produced each recorded step (step 0: the first update)."""
    lr = learning_rate(problem.optimizer)
    if lr is None:
        return None
    update_index = np.maximum(problem.record_steps, 1) - 1
    epochs = update_index // problem.steps_per_epoch + 1
    if isinstance(lr, Schedule):
        return np.asarray(lr(epochs), dtype=problem.dtype)
    if isinstance(lr, np.ndarray):
        return np.broadcast_to(lr, (len(epochs), lr.shape[0])).astype(problem.dtype)
    return np.full(len(epochs), lr, dtype=problem.dtype)
