"""The compiled engine: one fused numba driver per combination of parts.

``run(problem)`` returns the same records as the numpy engine. The driver is
assembled from the formulas of the surface, the optimizer's blocks, the
schedules and the noise (see ``_kernels.assemble``), compiled once and cached
on disk; a process writes its source once and finds it again by the run's
structure (``build``). ``unsupported(problem)`` says why a run cannot be compiled (the
numpy engine then runs it); ``available()`` whether numba can be imported.

Random numbers come from the same counter-based streams as in the numpy
engine (``_kernels.random``): particle ``k``'s draws depend on the seed and
``k`` only, so results are identical for any number of particles, threads or
blocks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import operator
import threading

import numpy as np

from .. import _random
from .._machine import map_on_threads, one_blas_thread
from .._validation import InvalidArgument
from ._numpy_engine import state_names
from ._problem import TraceProblem, squared_radius

DENSE_NUMPY_ABOVE = 32
MIN_BLOCK = 64
BLOCK_WORK_BYTES = 64 << 20
GUIDED = 2  # each range of blocks is a 1 / (GUIDED * threads) share of those left
SMALL_PARAMS = 8  # surface parameters passed as a tuple, not an array
VECTORIZE_CHECKS = 128  # LLVM's limit on run-time alias checks of a loop it vectorizes


class CompileError(RuntimeError):
    """The driver of a run did not compile (e.g. a user's point functions are not nopython code)."""


@functools.cache
def available() -> bool:
    """Whether numba (and so this engine) can be used in this process."""
    try:
        import numba  # noqa: F401

        from ._kernels import assemble  # noqa: F401
    except ImportError:
        return False
    return True


def surface_kernel(surface):
    """How the compiled engine evaluates ``surface``, or None if it cannot.

    Surfaces given by a formula of one point (``point_functions()``) run as
    that formula; random quadratics, random fields and data-set costs have
    block kernels of their own, matched by exact type (a subclass may
    change the maths).
    """
    from ._kernels import data, formulas

    builtin = data.DATA.get(type(surface))
    if builtin is not None:
        return builtin(surface)
    functions = surface.point_functions()
    return None if functions is None else formulas.formula_kernel(functions)


def unsupported(problem: TraceProblem) -> str | None:
    """Why ``problem`` cannot run on this engine, or None if it can."""
    if not available():
        return "numba cannot be imported"
    from ._kernels import config, optimizers

    kernel = surface_kernel(problem.surface)
    if kernel is None:
        return f"the surface {problem.surface.name!r} has no formula the engine can compile"
    if not kernel.block and problem.dim > config.FUSED_MAX_DIM:
        return f"point functions are fused up to dim={config.FUSED_MAX_DIM}, not {problem.dim}"
    if problem.batch_size is not None and not hasattr(kernel, "emit_batch"):
        return f"the surface {problem.surface.name!r} has no mini-batch kernel"
    return optimizers.unsupported(problem.optimizer)


def prefers_numpy(problem: TraceProblem) -> bool:
    """Whether the numpy engine is expected to be faster (``engine="auto"``).

    * A dense random quadratic above dimension ``DENSE_NUMPY_ABOVE``: there
      the matrix product is the work, and the numpy engine hands a whole
      block of particles to BLAS at once, or runs gradient descent and
      momentum in the Hessian's eigenbasis.
    * Logistic regression: an exponential and a logarithm per particle and
      example, which numpy computes on whole arrays with SIMD and the
      compiled loops one at a time (one epoch of B = 64 on m = 100 000:
      numpy 2.2x faster at 256 particles, 2.3x at 8; only a single particle
      runs faster compiled, 0.08 s against 0.13 s).

    The choice depends on the surface alone, not on the number of particles,
    so that a part of an ensemble (``particle_ids``) runs where the whole ran.
    See ``bench/bench_engines.py``.
    """
    from ..surfaces import LogisticRegression, RandomQuadratic

    surface = problem.surface
    if type(surface) is LogisticRegression:
        return True
    return type(surface) is RandomQuadratic and not surface.structured and problem.dim > DENSE_NUMPY_ABOVE


def _description(problem: TraceProblem, mode: str) -> str:
    from ._kernels import assemble

    parts = " → ".join(p.name for p in problem.optimizer.parts)
    noise = "with gradient noise" if problem.noise_std is not None else "without noise"
    batches = "exact mini-batches" if problem.batch_size is not None else "full gradients"
    precision = assemble.precision_name(problem.compute_dtype, problem.dtype)
    return (
        f"{mode} driver: {type(problem.surface).__name__}, dim {problem.dim}; {parts}; "
        f"{batches}, {noise}; {precision}."
    )


@dataclasses.dataclass(frozen=True)
class Driver:
    """A compiled driver and the numbers of one run of it."""

    module: object
    state_slots: int  # state arrays per coordinate
    fused: bool  # one particle's coordinates in registers (its surface code calls no BLAS)
    scalars: list
    rows: list  # per-particle hyperparameters, the rows of the driver's ``hyper``


_BUILT: dict = {}  # a run's structure -> (driver module, state slots, fused)
BUILT_KEPT = 256
_BUILT_LOCK = threading.Lock()  # traces may run on several threads (Dask workers, for one)


def build(problem: TraceProblem) -> tuple[Driver, object]:
    """The driver of ``problem`` with its numbers, and the surface's kernel.

    Runs of the same structure (``_structure``) share a driver: their source
    is written once per process, and later runs only gather their numbers.
    """
    from ._kernels import assemble

    reason = unsupported(problem)
    if reason is not None:
        raise InvalidArgument(f"engine='numba' cannot run this trace: {reason}")
    kernel = surface_kernel(problem.surface)
    noise_std = problem.noise_std
    arguments = [value for block in problem.optimizer.parts for value in block.arguments.values()]
    leaves = assemble.hyper_leaves([*arguments, *([] if noise_std is None else [noise_std])])
    key = _structure(problem, kernel, noise_std)
    built = _BUILT.get(key) if key is not None else None
    if built is None:
        module, b, fused = _assemble(problem, kernel, noise_std)
        built = module, b.state_slots, fused
        # the walk must meet the very objects the emitters read, in their order
        if key is not None and len(b.leaves) == len(leaves) and all(map(operator.is_, b.leaves, leaves)):
            with _BUILT_LOCK:
                if len(_BUILT) >= BUILT_KEPT:
                    del _BUILT[next(iter(_BUILT))]
                _BUILT[key] = built
        leaves = b.leaves
    scalars, rows = assemble.scalars_and_rows(leaves)
    return Driver(*built, scalars, rows), kernel


def _structure(problem: TraceProblem, kernel, noise_std):
    """Everything a driver's source depends on, or None when something in it cannot be a key.

    Numbers and per-particle values are left out: the driver reads them at
    run time. A surface kernel's emitters read its attributes besides
    ``params`` and ``data`` (the run-time numbers and arrays).
    """
    from ._kernels import assemble, config

    blocks = tuple(
        (block.name, block.rule, tuple(block.state),
         tuple((name, assemble.hyper_structure(v)) for name, v in block.arguments.items()))
        for block in problem.optimizer.parts
    )
    # a float's repr, as the source has it (-0.0 and 0.0 are equal keys)
    fields = tuple(
        (name, repr(v) if isinstance(v, float) else v)
        for name, v in vars(kernel).items() if name not in ("params", "data")
    )
    batches = None if problem.batch_size is None else problem.batch_size >= problem.surface.data_size
    key = (
        type(problem.surface), type(kernel), fields, problem.dim, problem.compute_dtype, problem.dtype,
        problem.record_state, batches, None if noise_std is None else assemble.hyper_structure(noise_std),
        blocks, config.signature(), config.FUSED_MAX_DIM, VECTORIZE_CHECKS,
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _assemble(problem: TraceProblem, kernel, noise_std):
    """Write the driver's source and load its module: ``(module, builder, fused)``."""
    from ._kernels import assemble, config, optimizers

    b = assemble.Builder(problem.compute_dtype)
    update = optimizers.emit(problem.optimizer, b)
    noise_name = None if noise_std is None else b.hyper("noise_std", noise_std)
    fused = not kernel.block or (
        hasattr(kernel, "emit_fused") and problem.dim <= config.FUSED_MAX_DIM
        and problem.batch_size is None and fused_loop_vectorizes(problem, b)
    )
    if fused:
        surface_lines = kernel.emit_fused(b, problem.dim)
        loops = assemble.surface_loops(
            kernel, problem.dim, problem.compute_dtype, problem.dtype, type(problem.surface).__name__
        )
        body = assemble.fused(b, surface_lines, loops, update, noise_name, problem.dim, problem.record_state)
    else:
        full = kernel.emit_block(b)
        batch = None
        if problem.batch_size is not None:
            use_full = problem.batch_size >= problem.surface.data_size
            batch = full if use_full else kernel.emit_batch(b)
        body = assemble.blocked(b, full, batch, update, noise_name, problem.record_state)
    text = assemble.source(
        b,
        description=_description(problem, "fused" if fused else "blocked"),
        dim=problem.dim,
        store_dtype=problem.dtype,
        body=body,
    )
    return assemble.load(text, b.functions), b, fused


def fused_loop_vectorizes(problem: TraceProblem, b) -> bool:
    """Whether the compiler can vectorize the fused driver's loop over particles.

    It does so only after at most ``VECTORIZE_CHECKS`` run-time checks that
    no row the loop writes overlaps a row it reads or writes (LLVM's
    ``-vectorize-memory-check-threshold``): one check per pair of rows of
    which at least one is written. The loop reads ``dim`` rows of positions,
    the particles' status and the rows of per-particle values, and writes
    ``dim`` rows of new positions and every row of optimizer state (measured:
    gradient descent vectorizes up to dim 9, momentum 5, Adam 4, each at 126
    checks, and not one dimension more). Past the limit it runs one
    particle at a time, and the blocked driver is faster (Adam on
    Rosenbrock, 50 000 particles: at dim 5, 60 ms fused against 21 ms
    blocked; within the limit, at dim 4, 16 ms against 17 ms).
    """
    read_only = problem.dim + 1 + len(b.rows) + (problem.noise_std is not None)
    rows = read_only + (1 + b.state_slots) * problem.dim
    checks = rows * (rows - 1) // 2 - read_only * (read_only - 1) // 2
    return checks <= VECTORIZE_CHECKS


def run(problem: TraceProblem, on_compile=None) -> dict:
    """Trace all particles with the compiled driver; same records as the numpy engine.

    ``on_compile()`` is called just before a driver is compiled (not when it
    comes from the disk cache), e.g. to say "compiling" on a progress bar.
    """
    driver, kernel = build(problem)
    k, dim, dtype, steps = problem.particles, problem.dim, problem.dtype, problem.steps
    compute = problem.compute_dtype
    recorded = len(problem.record_steps)
    record_rows = np.full(steps + 1, -1, dtype=np.int64)
    record_rows[problem.record_steps] = np.arange(recorded)
    minibatches = problem.batch_size is not None

    diverged_step = np.full(k, -1, dtype=np.int64)
    positions, values, grad_norms = _record_arrays(recorded, k, dim, dtype)
    batch_values = np.empty((recorded, k) if minibatches else (1, 1), dtype)
    state_shape = (driver.state_slots, recorded, k, dim) if problem.record_state else (1, 1, 1, 1)
    state_records = np.empty(state_shape, dtype)
    params = np.asarray(kernel.params, dtype=np.float64).reshape(-1)
    # up to SMALL_PARAMS numbers travel as a tuple: the compiler keeps them in registers
    # instead of reloading them from an array the loop's stores might overwrite
    small = params.size <= SMALL_PARAMS
    surface_params = tuple(compute(v) for v in params) if small else params.astype(compute)
    scalars = np.array(driver.scalars or [0.0], dtype=compute)
    hyper = np.stack(driver.rows).astype(compute) if driver.rows else np.zeros((0, k), compute)
    arguments = (
        steps, problem.steps_per_epoch, problem.batch_size or 0, squared_radius(problem),
        np.asarray(problem.x0, dtype=dtype), max(1, driver.state_slots) * dim, diverged_step,
        np.zeros(k if minibatches else 1),
        record_rows, positions, values, grad_norms, batch_values, state_records,
        surface_params, tuple(kernel.data), scalars, hyper,
        _keys(problem, _random.NOISE_STREAM, problem.noise_std is not None),
        _keys(problem, _random.SHUFFLE_STREAM, minibatches),
    )
    from numba.core.errors import NumbaError

    try:
        with _compile_listener(driver.module.run, on_compile):
            _run_blocks(driver.module.run, k, dim, arguments, blas=not driver.fused)
    except NumbaError as error:
        reason = _compile_reason(error)
        raise CompileError(f"the compiled engine cannot compile this run: {reason}") from error
    if (diverged_step == 0).any():
        raise InvalidArgument(
            f"x0: the gradient or value is not finite at {int((diverged_step == 0).sum())} starting "
            "point(s); expected starting points where the surface is defined"
        )
    state = None
    if problem.record_state:
        state = dict(zip(state_names(problem), state_records, strict=True))
    return {
        "positions": positions,
        "values": values,
        "grad_norms": grad_norms,
        "diverged_step": diverged_step,
        "batch_values": batch_values if minibatches else None,
        "state": state,
    }


def _compile_reason(error) -> str:
    """The line of numba's message that says what failed: numba wraps it in a line per
    compiler stage ("Failed in nopython mode pipeline (step: ...)")."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    specific = [line for line in lines if not line.startswith("Failed in ")]
    return (specific or lines or ["unknown error"])[0].rstrip(":.")


@contextlib.contextmanager
def _compile_listener(driver, on_compile):
    """Call ``on_compile()`` when numba starts compiling ``driver`` (cache hits do not count)."""
    if on_compile is None or driver.signatures:
        yield
        return
    from numba.core import event

    class Listener(event.Listener):
        def on_start(self, ev):
            if ev.data.get("dispatcher") is driver:
                on_compile()

        def on_end(self, ev):
            pass

    with event.install_listener("numba:compile", Listener()):
        yield


def _run_blocks(driver, particles, dim, arguments, *, blas: bool):
    """Call ``driver`` on ranges of blocks, shared among threads (it releases the GIL);
    ``blas``: whether it may call BLAS on a block."""
    from ._kernels import config

    size = block_size(particles, config.threads(), dim)
    blocks = -(-particles // size)
    threads = min(config.threads(), blocks)
    bounds = guided_bounds(blocks, threads)
    # the block kernels of dense quadratics and random fields call BLAS: one BLAS thread under
    # each of ours, and the same bits whatever the number of threads. Fused drivers never call
    # BLAS and skip the limit (setting and restoring it takes about 0.3 ms)
    with one_blas_thread() if blas else contextlib.nullcontext():
        map_on_threads(
            lambda r: driver(bounds[r], bounds[r + 1], size, *arguments),
            range(len(bounds) - 1),
            threads,
            apart=True,
        )


def guided_bounds(blocks: int, threads: int) -> list[int]:
    """Bounds of ranges of blocks, each a ``GUIDED`` share of the blocks not yet given out.

    Threads take the next range as they finish one: large ranges first
    (few calls of the driver), single blocks at the end, so that the threads
    finish within about a block of each other even when one of them runs
    slower than the others.
    """
    bounds = [0]
    while bounds[-1] < blocks:
        left = blocks - bounds[-1]
        bounds.append(bounds[-1] + max(1, left // (GUIDED * threads)))
    return bounds


def block_size(particles: int, threads: int, dim: int = 1) -> int:
    """Particles per block: ``config.BLOCK``, or fewer so that every thread gets a block.

    A particle's numbers do not depend on its block (nothing is summed across
    particles), so the size may follow the number of threads. Below
    ``MIN_BLOCK`` particles a block has too little to vectorize. In high
    dimensions a block also keeps its arrays (about eight of ``dim`` rows)
    within ``BLOCK_WORK_BYTES``.
    """
    from ._kernels import config

    even = -(-particles // max(1, threads))
    fits = max(1, BLOCK_WORK_BYTES // (8 * 8 * dim))
    return min(config.BLOCK, fits, max(MIN_BLOCK, even))


def _record_arrays(recorded, particles, dim, dtype):
    """Positions, values and gradient norms as views of one allocation.

    One large block instead of three: numpy asks the kernel for huge pages
    for blocks of 4 MiB and more, so the records of a short run of many
    particles cost fewer page faults.
    """
    size = recorded * particles
    block = np.empty(size * (dim + 2), dtype)
    positions = block[: size * dim].reshape(recorded, particles, dim)
    values = block[size * dim : size * (dim + 1)].reshape(recorded, particles)
    grad_norms = block[size * (dim + 1) :].reshape(recorded, particles)
    return positions, values, grad_norms


def _keys(problem, stream, needed):
    if not needed:
        return np.zeros(1, dtype=np.uint64)
    return _random.particle_keys(problem.seed, problem.streams, stream)
