"""The compiled engine against the numpy engine and the alternatives, as ratios in one run.

Workloads:
  W1  Adam on rosenbrock, 100 000 particles x 300 steps, float64 and float32 (records every 100 steps)
  W2  heavy-ball momentum on a dim-1 000 random_quadratic, 256 particles x 200 steps
  W3  exact mini-batch SGD (B = 64) on logistic_regression (m = 100 000, n = 10),
      256 particles x one epoch (1 563 steps)
  W4  Adam on rosenbrock in 16 dimensions (the compiled engine's blocked loop),
      50 000 particles x 100 steps

Columns: landscape.trace with engine="numba" and engine="numpy", plain vectorized
numpy without the library (from bench_core), the hand-written single-purpose
fused numba kernel in _fused_reference.py (W1: the speed of light), a loop
that does nothing but the square roots and divisions of those Adam steps (the
machine's bound for any float64 Adam: one unit does both), and JAX + optax
(jit, lax.scan) and torch.optim when they are installed. Times are medians of
interleaved repeats (after a warm-up that also compiles). Also: the engine's
and the hand-written kernel's rates on W1's steps alone and their fixed costs
(from runs of four times the steps and of the steps), in both precisions,
W1 in float32 against a hand-written float32 kernel and JAX's default float32,
the engine against the hand-written kernel of its precision also as the median
ratio of back-to-back pairs (steadier than a ratio of two tables' medians), the
accuracy of float32 against float64 on W1, and the memory peak of
100 000 particles x 10 000 steps recorded every 100 steps.

Run: python bench/bench_engines.py [--quick]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# numba's OpenMP layer (the default, used by the hand-written kernel's prange) leaves
# its threads holding on to the cores after each run, which slows whatever is timed
# next by 10-20 %; the workqueue layer runs the kernel as fast and lets go.
os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")

import bench_core  # noqa: E402
import numpy as np  # noqa: E402
from _timing import interleaved_medians, machine_line, print_table, speed_ratio  # noqa: E402

import landscape as ls  # noqa: E402

QUICK = "--quick" in sys.argv
REPEATS = 3 if QUICK else 5


def _installed(name) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- W1
def w1_sizes():
    return (20_000, 100) if QUICK else (100_000, 300)


def w1_trace(engine, dtype=np.float64):
    def build(k, steps):
        s = ls.surfaces.get("rosenbrock")
        x0 = s.sample(k, seed=0)
        opt = ls.optim.adam(0.01)
        return lambda: ls.trace(s, opt, x0, steps=steps, record_every=100, dtype=dtype, engine=engine)

    return build


def w1_trace_mixed(k, steps):
    s = ls.surfaces.get("rosenbrock")
    x0, opt = s.sample(k, seed=0), ls.optim.adam(0.01)
    return lambda: ls.trace(
        s, opt, x0, steps=steps, record_every=100, dtype=np.float32, compute_dtype=np.float64, engine="numba"
    )


LONG = 4  # the long run of ``w1_split``, in runs of W1's steps


def w1_split(dtype=np.float64):
    """Steps alone and fixed cost on W1, of the engine and of the hand-written kernel of ``dtype``.

    Runs of ``LONG`` times the steps and of the steps, the engine's recording
    its first and last step only: their difference holds steps and nothing
    else (no set-up, no driver lookup, no records), and the short run less
    its share of that difference is the fixed cost. A float32 run of W1 takes
    15 ms: with twice the steps, the split moved by 0.3 between runs.
    Returns ``{"engine": (rate, seconds), "hand": (rate, seconds)}``.
    """
    k, steps = w1_sizes()
    s = ls.surfaces.get("rosenbrock")
    x0, opt = s.sample(k, seed=0), ls.optim.adam(0.01)
    hand = w1_hand_kernel_single if dtype == np.float32 else w1_hand_kernel
    runs = {}
    for n in (1, LONG):
        runs["engine", n] = lambda n=n: ls.trace(
            s, opt, x0, steps=n * steps, record_every=n * steps, dtype=dtype, engine="numba"
        )
        runs["hand", n] = hand(k, n * steps)
    seconds = interleaved_medians(runs, repeats=2 * REPEATS + 1)
    return {
        who: (k * steps * (LONG - 1) / (seconds[who, LONG] - seconds[who, 1]),
              seconds[who, 1] - (seconds[who, LONG] - seconds[who, 1]) / (LONG - 1))
        for who in ("engine", "hand")
    }


def print_split(dtype):
    split = w1_split(dtype)
    (engine, engine_fixed), (hand, hand_fixed) = split["engine"], split["hand"]
    print(f"  -> {np.dtype(dtype).name} steps alone ({LONG} times the steps, minus once): numba engine "
          f"{engine:.3e}, hand-written kernel {hand:.3e} particle-steps/s ({engine / hand:.2f}); "
          f"fixed cost {1e3 * engine_fixed:.1f} ms against {1e3 * hand_fixed:.1f} ms")


def w1_hand_kernel(k, steps):
    from _fused_reference import adam_rosenbrock

    x0 = np.ascontiguousarray(ls.surfaces.get("rosenbrock").sample(k, seed=0).T)
    return lambda: adam_rosenbrock(x0.copy(), steps, 0.01, 0.9, 0.999, 1e-8)


def w1_hand_kernel_single(k, steps):
    from _fused_reference import adam_rosenbrock_single

    single = np.float32
    x0 = np.ascontiguousarray(ls.surfaces.get("rosenbrock").sample(k, seed=0).T, dtype=single)
    hyper = [single(v) for v in (0.01, 0.9, 0.999, 1e-8)]
    return lambda: adam_rosenbrock_single(x0.copy(), steps, *hyper)


def w1_sqrt_divide_bound(k, steps):
    from _fused_reference import sqrt_divide_bound

    x0 = np.random.default_rng(0).uniform(1.0, 2.0, (4, k))
    return lambda: sqrt_divide_bound(x0.copy(), steps, 1e-8)


def w1_jax(k, steps, single=False):
    import jax
    import jax.numpy as jnp
    import optax

    jax.config.update("jax_enable_x64", not single)
    x0 = jnp.asarray(ls.surfaces.get("rosenbrock").sample(k, seed=0), dtype=jnp.float32 if single else None)
    opt = optax.adam(0.01)

    def loss(x):
        return ((1.0 - x[:, 0]) ** 2 + 100.0 * (x[:, 1] - x[:, 0] ** 2) ** 2).sum()

    @jax.jit
    def run(x):
        def step(carry, _):
            x, state = carry
            updates, state = opt.update(jax.grad(loss)(x), state)
            return (optax.apply_updates(x, updates), state), None

        (x, _), _ = jax.lax.scan(step, (x, opt.init(x)), None, length=steps)
        return x

    return lambda: run(x0).block_until_ready()


PAIRS = 11 if QUICK else 31


def w1_paired_ratio(dtype):
    """The engine's speed on W1 over the hand-written kernel's of the same precision, the median
    of ``PAIRS`` back-to-back pairs: the tables' medians of five runs each moved by up to 15 %
    from one run of the bench to the next."""
    hand = w1_hand_kernel_single if dtype == np.float32 else w1_hand_kernel
    return speed_ratio(w1_trace("numba", dtype)(*w1_sizes()), hand(*w1_sizes()), PAIRS)


def w1_accuracy():
    """Largest differences of final positions and losses, float32 (two ways) against float64."""
    k, steps = w1_sizes()
    s = ls.surfaces.get("rosenbrock")
    x0, opt = s.sample(k, seed=0), ls.optim.adam(0.01)
    runs = {
        name: ls.trace(s, opt, x0, steps=steps, record_every=steps, engine="numba", **options)
        for name, options in (
            ("float64", {}),
            ("float32", {"dtype": np.float32}),
            ("float32 storage, float64 arithmetic", {"dtype": np.float32, "compute_dtype": np.float64}),
        )
    }
    reference = runs.pop("float64")
    print(f"\nAccuracy on W1 ({k} particles x {steps} steps), against float64:")
    for name, run in runs.items():
        position = np.abs(run.final_positions.astype(float) - reference.final_positions).max()
        loss = np.abs(run.final_values.astype(float) - reference.final_values)
        print(f"  {name:>36}: final positions within {position:.2e}, final losses within "
              f"{loss.max():.2e} (median {np.median(loss):.1e}; float64 losses median "
              f"{np.median(reference.final_values):.1e})")


def jax_in_fresh_processes(sizes, processes=3, single=False):
    """W1 on JAX, each time in a new process: its speed is set per process.

    In one process of three or four, XLA's compiled loop runs about 4x slower
    (1.0e8 against 4.3e8 particle-steps/s here) for the whole life of the
    process; the interleaved table may catch either. The fastest of these
    runs is the fair reference.
    """
    k, steps = sizes
    code = (
        "import sys, statistics, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import bench_engines\n"
        f"run = bench_engines.w1_jax({k}, {steps}, single={single})\n"
        "run()\n"
        "times = []\n"
        "for _ in range(3):\n"
        "    start = time.perf_counter(); run(); times.append(time.perf_counter() - start)\n"
        f"print({k * steps} / statistics.median(times))\n"
    )
    rates = []
    for _ in range(processes):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        rates.append(float(out.stdout.split()[-1]))
    return rates


# ---------------------------------------------------------------- W2
def w2_trace(engine):
    def build(k, steps):
        s = bench_core.w2_surface()
        opt = ls.optim.momentum(0.5, 0.9, style="heavy_ball")
        return lambda: ls.trace(s, opt, np.ones((k, s.dim)), steps=steps, record_every=10, engine=engine)

    return build


def w2_jax(k, steps):
    import jax
    import jax.numpy as jnp
    import optax

    jax.config.update("jax_enable_x64", True)
    h = jnp.asarray(bench_core.w2_surface().matrix)
    opt = optax.sgd(0.5, momentum=0.9)

    @jax.jit
    def run(x):
        def step(carry, _):
            x, state = carry
            updates, state = opt.update(x @ h, state)
            return (optax.apply_updates(x, updates), state), None

        (x, _), _ = jax.lax.scan(step, (x, opt.init(x)), None, length=steps)
        return x

    x0 = jnp.ones((k, 1000))
    return lambda: run(x0).block_until_ready()


# ---------------------------------------------------------------- W3
def w3_trace(engine):
    def build(k, steps):
        s = bench_core.w3_surface()
        x0 = np.zeros((k, s.dim))
        return lambda: ls.trace(
            s, ls.optim.sgd(0.1), x0, steps=steps, batch_size=64, record_every=steps, engine=engine
        )

    return build


# ---------------------------------------------------------------- W4
W4_DIM = 16


def w4_sizes():
    return (10_000, 50) if QUICK else (50_000, 100)


def w4_trace(engine):
    def build(k, steps):
        s = ls.surfaces.get("rosenbrock", dim=W4_DIM)
        x0 = s.sample(k, seed=0)
        return lambda: ls.trace(s, ls.optim.adam(0.001), x0, steps=steps, record_every=steps, engine=engine)

    return build


def w4_plain_numpy(k, steps):
    """Adam on the chain sum of 100 (x_{d+1} - x_d^2)^2 + (1 - x_d)^2, whole arrays per step."""
    x0 = ls.surfaces.get("rosenbrock", dim=W4_DIM).sample(k, seed=0)

    def run():
        x, m, v = x0.copy(), np.zeros_like(x0), np.zeros_like(x0)
        for t in range(1, steps + 1):
            head, tail = x[:, :-1], x[:, 1:]
            inner = tail - head * head
            g = np.zeros_like(x)
            g[:, :-1] = -2.0 * (1.0 - head) - 400.0 * head * inner
            g[:, 1:] += 200.0 * inner
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            x = x - 0.001 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        return x

    return run


# ---------------------------------------------------------------- tables
def measure(title, sizes, implementations, reference):
    k, steps = sizes
    runs = {label: build(k, steps) for label, build in implementations}
    seconds = interleaved_medians(runs, repeats=REPEATS)
    rows = [(label, k * steps / seconds[label]) for label in runs]
    print_table(f"{title}: {k} particles x {steps} steps", rows, reference)
    return dict(rows)


def memory_peak():
    """Peak resident memory of 100 000 particles x 10 000 steps recorded every 100 steps."""
    print("\nMemory: 100 000 particles x 10 000 steps, record_every=100, Adam on rosenbrock")
    steps = 1_000 if QUICK else 10_000
    for engine in ("numba", "numpy"):
        for dtype in ("float64", "float32"):
            # VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's
            code = (
                "import time, numpy as np, landscape as ls\n"
                "s = ls.surfaces.get('rosenbrock')\n"
                "x0 = s.sample(100_000)\n"
                "start = time.perf_counter()\n"
                f"t = ls.trace(s, ls.optim.adam(0.01), x0, steps={steps}, record_every=100,\n"
                f"             dtype=np.{dtype}, engine='{engine}')\n"
                "seconds = time.perf_counter() - start\n"
                "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
                "print(seconds, t.positions.nbytes + t.values.nbytes + t.grad_norms.nbytes,\n"
                "      int(status) * 1024)\n"
            )
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            seconds, records, peak = (float(v) for v in out.stdout.split())
            print(
                f"  {engine:>5} {dtype}: {seconds:6.1f} s, records {records / 2**20:5.0f} MiB, "
                f"peak resident {peak / 2**20:5.0f} MiB"
            )


def main():
    print(machine_line())
    jax_rows, torch_rows = _installed("jax") and _installed("optax"), _installed("torch")
    numba_label, hand_label, bound_label, jax_label = (
        "landscape.trace (numba engine)",
        "hand-written fused numba kernel",
        "bound: only Adam's 2 square roots + 2 divisions",
        "JAX + optax (jit, lax.scan)",
    )
    w1 = [
        (numba_label, w1_trace("numba")),
        ("landscape.trace (numpy engine)", w1_trace("numpy")),
        ("plain vectorized numpy", bench_core.w1_plain_numpy),
        (hand_label, w1_hand_kernel),
        (bound_label, w1_sqrt_divide_bound),
    ]
    w1 += [(jax_label, w1_jax)] if jax_rows else []
    w1 += [("torch.optim.Adam", bench_core.w1_torch)] if torch_rows else []
    rates = measure("W1 Adam on rosenbrock, float64", w1_sizes(), w1, hand_label)
    print(f"  -> numba engine / hand-written kernel: {rates[numba_label] / rates[hand_label]:.2f}"
          " (target >= 0.67, i.e. within 1.5x)")
    print_split(np.float64)
    if jax_rows:
        print(f"  -> numba engine / JAX: {rates[numba_label] / rates[jax_label]:.2f} (target >= 2.5)")
        fresh = jax_in_fresh_processes(w1_sizes())
        print(f"  JAX alone in {len(fresh)} fresh processes: "
              + ", ".join(f"{rate:.3e}" for rate in fresh) + " particle-steps/s")
        print(f"  -> numba engine / fastest of them: {rates[numba_label] / max(fresh):.2f}; "
              f"hand-written kernel / fastest: {rates[hand_label] / max(fresh):.2f}; "
              f"bound / fastest: {rates[bound_label] / max(fresh):.2f}")

    single_label, hand_single_label, jax_single_label = (
        "landscape.trace (numba engine), float32",
        "hand-written fused numba kernel, float32",
        "JAX + optax, float32 (its default)",
    )
    single = [
        (single_label, w1_trace("numba", np.float32)),
        ("landscape.trace (numba engine), float32 storage, float64 arithmetic", w1_trace_mixed),
        ("landscape.trace (numpy engine), float32", w1_trace("numpy", np.float32)),
        (hand_single_label, w1_hand_kernel_single),
        (numba_label + ", float64", w1_trace("numba")),
        (hand_label + ", float64", w1_hand_kernel),
    ]
    # JAX runs in processes of its own here: after a JAX run of W1 in the same process, the next
    # trace ran 10-35 % slower (the hand-written kernel 4 %), with no thread of JAX's on the cores
    rates = measure("W1 Adam on rosenbrock, float32", w1_sizes(), single, hand_single_label)
    print(f"  -> numba engine float32 / hand-written float32 kernel: "
          f"{rates[single_label] / rates[hand_single_label]:.2f} in this table, "
          f"{w1_paired_ratio(np.float32):.2f} in {PAIRS} pairs (target >= 0.8)")
    print(f"  -> numba engine float64 / hand-written float64 kernel: "
          f"{rates[numba_label + ', float64'] / rates[hand_label + ', float64']:.2f} in this table, "
          f"{w1_paired_ratio(np.float64):.2f} in {PAIRS} pairs (target >= 0.9)")
    print_split(np.float32)
    if jax_rows:
        fresh = jax_in_fresh_processes(w1_sizes(), single=True)
        print(f"  {jax_single_label} in {len(fresh)} fresh processes: "
              + ", ".join(f"{rate:.3e}" for rate in fresh) + " particle-steps/s")
        print(f"  -> numba engine float32 / fastest of them: {rates[single_label] / max(fresh):.2f}"
              f" (target >= 3); hand-written float32 kernel / fastest: "
              f"{rates[hand_single_label] / max(fresh):.2f}")
    w1_accuracy()

    w2 = [
        (numba_label, w2_trace("numba")),
        ("landscape.trace (numpy engine)", w2_trace("numpy")),
        ("landscape.trace (engine='auto')", w2_trace("auto")),
        ("plain vectorized numpy", bench_core.w2_plain_numpy),
    ]
    w2 += [(jax_label, w2_jax)] if jax_rows else []
    w2 += [("torch.optim.SGD(momentum)", bench_core.w2_torch)] if torch_rows else []
    measure("W2 heavy-ball momentum, random_quadratic dim 1000", bench_core.w2_sizes(), w2,
            "plain vectorized numpy")

    bench_core.QUICK = QUICK
    w3 = [
        (numba_label, w3_trace("numba")),
        ("landscape.trace (numpy engine)", w3_trace("numpy")),
        ("landscape.trace (engine='auto')", w3_trace("auto")),
        ("plain vectorized numpy", bench_core.w3_plain_numpy),
    ]
    measure("W3 mini-batch SGD B=64, logistic_regression m=100000", bench_core.w3_sizes(), w3,
            "plain vectorized numpy")
    w4 = [
        (numba_label, w4_trace("numba")),
        ("landscape.trace (numpy engine)", w4_trace("numpy")),
        ("plain vectorized numpy", w4_plain_numpy),
    ]
    measure(f"W4 Adam on rosenbrock dim {W4_DIM}", w4_sizes(), w4, "plain vectorized numpy")
    missing = [name for name, ok in (("JAX/optax", jax_rows), ("torch", torch_rows)) if not ok]
    if missing:
        print(f"\n(not installed: {', '.join(missing)}; no rows for them)")
    memory_peak()
    print("\n" + machine_line())


if __name__ == "__main__":
    bench_core.QUICK = QUICK
    main()
