"""The compiled engine: one fused numba driver per combination of parts.

``run(problem)`` returns the same records as the numpy engine. The driver is
assembled from the kernels of the surface, the optimizer's blocks, the
schedule and the noise (see ``_kernels.assemble``), compiled once and cached
on disk. ``unsupported(problem)`` says why a run has no kernel (the numpy
engine then runs it); ``available()`` whether numba can be imported at all.

Random numbers come from the same counter-based streams as in the numpy
engine (``_kernels.random``): particle ``k``'s draws depend on the seed and
``k`` only, so results are identical for any number of particles, threads or
blocks.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np

from .. import _random
from .._machine import map_on_threads, one_blas_thread
from .._validation import InvalidArgument
from ._problem import TraceProblem

DENSE_NUMPY_ABOVE = 32
MIN_BLOCK = 64
BLOCK_WORK_BYTES = 64 << 20
RANGES_PER_THREAD = 6  # several ranges per thread balance a shared machine
SMALL_PARAMS = 8  # surface parameters passed as a tuple, not an array


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
    """The kernel description of ``surface``, or None if it has none.

    Built-in surfaces are matched by exact type (a subclass may change the
    maths); any surface can provide ``point_functions()``.
    """
    from ._kernels import surfaces

    builtin = _builtin_kernel(surface)
    if builtin is not None:
        return builtin(surface)
    functions = surface.point_functions()
    if functions is None:
        return None
    return surfaces.PointKernel("point", functions.value_and_grad, functions.params)


def _builtin_kernel(surface):
    """The package's own kernel factory for ``surface``'s exact type, or None."""
    from ._kernels import data, surfaces

    return surfaces.ANALYTIC.get(type(surface)) or data.DATA.get(type(surface))


def unsupported(problem: TraceProblem) -> str | None:
    """Why ``problem`` cannot run on this engine, or None if it can."""
    if not available():
        return "numba cannot be imported"
    from ._kernels import config, optimizers

    kernel = surface_kernel(problem.surface)
    if kernel is None:
        return f"the surface {problem.surface.name!r} has no compiled kernel"
    if not kernel.block and problem.dim > config.FUSED_MAX_DIM:
        return f"point functions are fused up to dim={config.FUSED_MAX_DIM}, not {problem.dim}"
    if problem.batch_size is not None and not hasattr(kernel, "emit_batch"):
        return f"the surface {problem.surface.name!r} has no mini-batch kernel"
    return optimizers.unsupported(problem.optimizer)


def prefers_numpy(problem: TraceProblem) -> bool:
    """Whether the numpy engine is expected to be faster (``engine="auto"``).

    Only for a dense random quadratic above dimension ``DENSE_NUMPY_ABOVE``:
    there the matrix product is the work, and the numpy engine hands all of
    a block's particles to BLAS at once. Measured (heavy ball, 4 096
    particles, 200 steps, median of 5): dim 16 to 28, the compiled engine 2x
    faster; dim 32 to 300, within 25 % either way; dim 1000 x 256 particles
    (W2), numpy 1.2x to 1.4x. Gradient descent and momentum without noise
    run in the eigenbasis on numpy (``_eigenbasis``): W2 3x to 5x faster.
    """
    from ..surfaces import RandomQuadratic

    surface = problem.surface
    return type(surface) is RandomQuadratic and not surface.structured and problem.dim > DENSE_NUMPY_ABOVE


def _description(problem: TraceProblem, mode: str) -> str:
    parts = " → ".join(p["name"] for p in problem.optimizer.parts)
    noise = "with gradient noise" if problem.noise is not None else "without noise"
    batches = "exact mini-batches" if problem.batch_size is not None else "full gradients"
    return (
        f"{mode} driver: {type(problem.surface).__name__}, dim {problem.dim}; {parts}; "
        f"{batches}, {noise}; {np.dtype(problem.dtype).name}."
    )


def build(problem: TraceProblem):
    """The driver module and the arrays that parametrize it: ``(module, builder, kernel)``."""
    from ._kernels import assemble, config, optimizers

    reason = unsupported(problem)
    if reason is not None:
        raise InvalidArgument(f"engine='numba' cannot run this trace: {reason}")
    kernel = surface_kernel(problem.surface)
    b = assemble.Builder()
    update = optimizers.emit(problem.optimizer, b)
    noise_std = None
    if problem.noise is not None:
        noise_std = b.hyper(problem.noise.std)
    fused = not kernel.block or (
        hasattr(kernel, "emit_fused") and problem.dim <= config.FUSED_MAX_DIM
        and problem.batch_size is None
    )
    if fused:
        body = assemble._fused(b, kernel.emit_fused(b, problem.dim), update, noise_std, problem.dim)
    else:
        full = kernel.emit_block(b)
        batch = None
        if problem.batch_size is not None:
            use_full = problem.batch_size >= problem.surface.data_size
            batch = full if use_full else kernel.emit_batch(b)
        body = assemble._blocked(b, full, batch, update, noise_std)
    text = assemble.source(
        b,
        description=_description(problem, "fused" if fused else "blocked"),
        dim=problem.dim,
        dtype=problem.dtype,
        body=body,
    )
    return assemble.load(text, b.functions), b, kernel


def run(problem: TraceProblem, on_compile=None) -> dict:
    """Trace all particles with the compiled driver; same records as the numpy engine.

    ``on_compile()`` is called just before a driver is compiled (not when it
    comes from the disk cache), e.g. to say "compiling" on a progress bar.
    """
    module, b, kernel = build(problem)
    k, dim, dtype, steps = problem.particles, problem.dim, problem.dtype, problem.steps
    recorded = len(problem.record_steps)
    record_rows = np.full(steps + 1, -1, dtype=np.int64)
    record_rows[problem.record_steps] = np.arange(recorded)
    minibatches = problem.batch_size is not None

    x0 = np.asarray(problem.x0, dtype=dtype)
    diverged_step = np.full(k, -1, dtype=np.int64)
    positions, values, grad_norms = _record_arrays(recorded, k, dim, dtype)
    batch_values = np.empty((recorded, k) if minibatches else (1, 1), dtype)
    batch_value = np.zeros(k)

    params = np.array(kernel.params, dtype=np.float64)
    if minibatches:
        params[1] = problem.batch_size
    if _builtin_kernel(problem.surface) is not None and params.size <= SMALL_PARAMS:
        # values in registers (users' point functions get the documented array): the compiler
        # need not reload them at every particle, as from an array the loop's stores might
        # overwrite (W1: 4 % faster)
        params = tuple(params.tolist())
    scalars = np.array(b.scalars or [0.0])
    hyper = np.stack(b.rows) if b.rows else np.zeros((1, k))
    noise_keys = _keys(problem, _random.NOISE_STREAM, problem.noise is not None)
    shuffle_keys = _keys(problem, _random.SHUFFLE_STREAM, minibatches)
    arguments = (
        steps, problem.steps_per_epoch, _square(problem.divergence_radius),
        x0, max(1, b.states) * dim, max(1, b.powers), diverged_step, batch_value, record_rows,
        positions, values, grad_norms, batch_values,
        params, tuple(kernel.data), scalars, hyper, noise_keys, shuffle_keys,
    )
    from numba.core.errors import NumbaError

    try:
        with _compile_listener(module.run, on_compile):
            _run_blocks(module.run, k, dim, arguments)
    except NumbaError as error:
        first = str(error).strip().splitlines()[0]
        raise CompileError(f"the compiled engine cannot compile this run: {first}") from error
    if (diverged_step == 0).any():
        raise InvalidArgument(
            f"x0: the gradient or value is not finite at {int((diverged_step == 0).sum())} starting "
            "point(s); expected starting points where the surface is defined"
        )
    return {
        "positions": positions,
        "values": values,
        "grad_norms": grad_norms,
        "diverged_step": diverged_step,
        "batch_values": batch_values if minibatches else None,
    }


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


def _run_blocks(driver, particles, dim, arguments):
    """Call ``driver`` on ranges of blocks, shared among threads (it releases the GIL)."""
    from ._kernels import config

    size = block_size(particles, config.threads(), dim)
    blocks = -(-particles // size)
    threads = min(config.threads(), blocks)
    # ranges of equal size (to one block), so the threads finish together
    ranges = min(blocks, RANGES_PER_THREAD * threads)
    bounds = [blocks * r // ranges for r in range(ranges + 1)]
    # the kernels of dense quadratics and random fields call BLAS on each block: one BLAS thread
    # under each of ours, and the same bits whatever the number of threads
    with one_blas_thread():
        map_on_threads(lambda r: driver(bounds[r], bounds[r + 1], size, *arguments), range(ranges), threads)


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
    for blocks of 4 MiB and more, and the records of a short run of many
    particles otherwise cost more in page faults than the steps themselves
    (Adam on Rosenbrock, 100 000 particles x 300 steps recorded every 100:
    37.4 ms -> 33.7 ms).
    """
    size = recorded * particles
    block = np.empty(size * (dim + 2), dtype)
    positions = block[: size * dim].reshape(recorded, particles, dim)
    values = block[size * dim : size * (dim + 1)].reshape(recorded, particles)
    grad_norms = block[size * (dim + 1) :].reshape(recorded, particles)
    return positions, values, grad_norms


def _square(radius: float) -> float:
    """``radius**2``, infinite past the largest float (as in the numpy engine)."""
    with np.errstate(over="ignore"):
        return float(np.float64(radius) ** 2)


def _keys(problem, stream, needed):
    if not needed:
        return np.zeros(1, dtype=np.uint64)
    return _random.particle_keys(problem.seed, problem.particle_ids, stream)
