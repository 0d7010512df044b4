"""Core tracer throughput against the alternatives a user would write (issue: core library).

Workloads:
  W1  Adam on rosenbrock, 100 000 particles x 1 000 steps (records every 100 steps)
  W2  heavy-ball momentum on a dim-1 000 random_quadratic, 256 particles x 200 steps
  W3  exact mini-batch SGD (B = 64) on logistic_regression (m = 100 000, n = 10),
      256 particles x one epoch (1 563 steps)

Each is timed as: landscape.trace (numpy engine), plain vectorized numpy written
without the library, a plain per-particle Python loop (on a subset, scaled to a
rate), and torch.optim when torch is installed. On W2 the numpy engine works in
the eigenbasis of H, decomposed once per surface; a second W2 row pays for the
decomposition at every call. Run: python bench/bench_core.py
"""

from __future__ import annotations

import math

import numpy as np
from _timing import interleaved_medians, machine_line, median_seconds, print_table

import landscape as ls

QUICK = False  # set by --quick: smaller sizes for a smoke run


# ---------------------------------------------------------------- W1: Adam on Rosenbrock
def w1_sizes():
    return (10_000, 200) if QUICK else (100_000, 1_000)


def w1_library(k, steps):
    s = ls.surfaces.get("rosenbrock")
    x0 = s.sample(k, seed=0)
    return lambda: ls.trace(s, ls.optim.adam(0.01), x0, steps=steps, record_every=100, engine="numpy")


def w1_plain_numpy(k, steps):
    x0 = ls.surfaces.get("rosenbrock").sample(k, seed=0)

    def run():
        x = x0.copy()
        m = np.zeros_like(x)
        v = np.zeros_like(x)
        history, values = [], []
        for t in range(1, steps + 1):
            a, b = x[:, 0], x[:, 1]
            inner = b - a * a
            g = np.empty_like(x)
            g[:, 0] = -2.0 * (1.0 - a) - 400.0 * a * inner
            g[:, 1] = 200.0 * inner
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            x = x - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
            if t % 100 == 0:
                history.append(x.copy())
                values.append((1 - x[:, 0]) ** 2 + 100 * (x[:, 1] - x[:, 0] ** 2) ** 2)
        return history, values

    return run


def w1_python_loop(k, steps):
    x0 = ls.surfaces.get("rosenbrock").sample(k, seed=0).tolist()

    def run():
        out = []
        for a, b in x0:
            m0 = m1 = v0 = v1 = 0.0
            for t in range(1, steps + 1):
                inner = b - a * a
                g0, g1 = -2.0 * (1.0 - a) - 400.0 * a * inner, 200.0 * inner
                m0, m1 = 0.9 * m0 + 0.1 * g0, 0.9 * m1 + 0.1 * g1
                v0, v1 = 0.999 * v0 + 0.001 * g0 * g0, 0.999 * v1 + 0.001 * g1 * g1
                c1, c2 = 1 - 0.9**t, 1 - 0.999**t
                a -= 0.01 * (m0 / c1) / (math.sqrt(v0 / c2) + 1e-8)
                b -= 0.01 * (m1 / c1) / (math.sqrt(v1 / c2) + 1e-8)
            out.append((a, b))
        return out

    return run


def w1_torch(k, steps):
    import torch

    x0 = torch.tensor(ls.surfaces.get("rosenbrock").sample(k, seed=0))

    def run():
        x = x0.clone().requires_grad_(True)
        opt = torch.optim.Adam([x], lr=0.01)
        for _ in range(steps):
            opt.zero_grad()
            loss = ((1 - x[:, 0]) ** 2 + 100 * (x[:, 1] - x[:, 0] ** 2) ** 2).sum()
            loss.backward()
            opt.step()
        return x

    return run


# ---------------------------------------------------------------- W2: heavy ball, dim 1000
def w2_sizes():
    return (256, 50) if QUICK else (256, 200)


def w2_surface():
    return ls.surfaces.get("random_quadratic", dim=1000, ensemble="spectrum", mu=0.01, L=1.0, seed=0)


def w2_library(k, steps):
    s = w2_surface()
    x0 = np.ones((k, s.dim))
    opt = ls.optim.momentum(0.5, 0.9, style="heavy_ball")
    return lambda: ls.trace(s, opt, x0, steps=steps, record_every=10, engine="numpy")


def w2_library_fresh(k, steps):
    """The same, paying each time for the eigendecomposition the numpy engine keeps on the surface."""
    s = w2_surface()
    x0 = np.ones((k, s.dim))
    opt = ls.optim.momentum(0.5, 0.9, style="heavy_ball")

    def run():
        s._eigenbasis = None
        return ls.trace(s, opt, x0, steps=steps, record_every=10, engine="numpy")

    return run


def w2_plain_numpy(k, steps):
    h = w2_surface().matrix

    def run():
        x = np.ones((k, 1000))
        v = np.zeros_like(x)
        history = []
        for t in range(1, steps + 1):
            v = 0.9 * v + x @ h
            x = x - 0.5 * v
            if t % 10 == 0:
                history.append(x.copy())
        return history

    return run


def w2_python_loop(k, steps):
    h = w2_surface().matrix

    def run():
        out = []
        for _ in range(k):
            x, v = np.ones(1000), np.zeros(1000)
            for _ in range(steps):
                v = 0.9 * v + h @ x
                x = x - 0.5 * v
            out.append(x)
        return out

    return run


def w2_torch(k, steps):
    import torch

    h = torch.tensor(w2_surface().matrix)

    def run():
        x = torch.ones((k, 1000), dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([x], lr=0.5, momentum=0.9)
        for _ in range(steps):
            opt.zero_grad()
            (0.5 * ((x @ h) * x).sum()).backward()
            opt.step()
        return x

    return run


# ---------------------------------------------------------------- W3: mini-batch SGD
def w3_sizes():
    return (64, 300) if QUICK else (256, 1563)


def w3_surface():
    return ls.surfaces.get("logistic_regression", m=100_000, n=10, seed=0)


def w3_library(k, steps):
    s = w3_surface()
    x0 = np.zeros((k, s.dim))
    # records the full cost at the start and the end (a full pass costs as much as an epoch)
    return lambda: ls.trace(
        s, ls.optim.sgd(0.1), x0, steps=steps, batch_size=64, record_every=steps, engine="numpy"
    )


def _logistic_batch_grad(features, targets, w, b, rows):
    x = features[rows]  # (K, B, n)
    z = np.einsum("kbn,kn->kb", x, w) + b[:, None]
    residual = 1.0 / (1.0 + np.exp(-z)) - targets[rows]
    return np.einsum("kb,kbn->kn", residual, x) / rows.shape[1], residual.mean(axis=1)


def _full_cost(features, targets, w, b):
    z = w @ features.T + b[:, None]
    return (np.logaddexp(0.0, z) - targets * z).mean(axis=1)


def w3_plain_numpy(k, steps):
    s = w3_surface()
    features, targets, m = s.features, s.targets, s.data_size

    def run():
        rng = np.random.default_rng(0)
        w, b = np.zeros((k, 10)), np.zeros(k)
        per_epoch = -(-m // 64)
        history = [(w.copy(), b.copy(), _full_cost(features, targets, w, b))]
        for t in range(steps):
            j = t % per_epoch
            if j == 0:
                order = rng.permuted(np.broadcast_to(np.arange(m), (k, m)), axis=1)
            rows = order[:, j * 64 : (j + 1) * 64]
            gw, gb = _logistic_batch_grad(features, targets, w, b, rows)
            w, b = w - 0.1 * gw, b - 0.1 * gb
        history.append((w.copy(), b.copy(), _full_cost(features, targets, w, b)))
        return history

    return run


def w3_python_loop(k, steps):
    s = w3_surface()
    features, targets, m = s.features, s.targets, s.data_size

    def run():
        rng = np.random.default_rng(0)
        per_epoch = -(-m // 64)
        out = []
        for _ in range(k):
            w, b = np.zeros(10), 0.0
            for t in range(steps):
                j = t % per_epoch
                if j == 0:
                    order = rng.permutation(m)
                rows = order[j * 64 : (j + 1) * 64]
                x = features[rows]
                residual = 1.0 / (1.0 + np.exp(-(x @ w + b))) - targets[rows]
                w = w - 0.1 * (residual @ x) / len(rows)
                b = b - 0.1 * residual.mean()
            out.append((w, b))
        return out

    return run


def _torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def measure(name, sizes, implementations, subset):
    """Rates of each implementation; the Python loop runs ``subset`` of the particles."""
    k, steps = sizes
    loop_label, loop_build = implementations[2]
    vectorized = {label: build(k, steps) for label, build in implementations if label != loop_label}
    seconds = interleaved_medians(vectorized, repeats=3)
    rows = [(label, k * steps / seconds[label]) for label in vectorized]
    loop_particles = subset(k)
    loop_seconds = median_seconds(loop_build(loop_particles, steps), repeats=1)
    rows.insert(2, (f"{loop_label} ({loop_particles} particles)", loop_particles * steps / loop_seconds))
    print_table(f"{name}: {k} particles x {steps} steps", rows, "plain vectorized numpy")


def memory_peak():
    """Peak resident memory (VmHWM) of 100 000 particles x 10 000 steps recorded every 100 steps."""
    import subprocess
    import sys

    print("\nMemory: 100 000 particles x 10 000 steps, record_every=100 (one process per dtype)")
    for dtype in ("float64", "float32"):
        code = (
            "import re, numpy as np, landscape as ls\n"
            "s = ls.surfaces.get('rosenbrock')\n"
            "t = ls.trace(s, ls.optim.adam(0.01), s.sample(100_000), steps=10_000, record_every=100,\n"
            f"             dtype=np.{dtype}, engine='numpy')\n"
            "peak = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)\n"
            "print(t.positions.nbytes + t.values.nbytes + t.grad_norms.nbytes, int(peak) * 1024)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        records, peak = (int(v) for v in result.stdout.split())
        print(f"  {dtype}: records {records / 2**20:.0f} MiB, peak resident {peak / 2**20:.0f} MiB")


def main():
    global QUICK
    import sys

    QUICK = "--quick" in sys.argv
    print(machine_line())
    torch_rows = _torch_available()
    w1 = [
        ("landscape.trace (numpy engine)", w1_library),
        ("plain vectorized numpy", w1_plain_numpy),
        ("per-particle Python loop", w1_python_loop),
    ] + ([("torch.optim.Adam", w1_torch)] if torch_rows else [])
    measure("W1 Adam on rosenbrock", w1_sizes(), w1, subset=lambda k: 200)
    w2 = [
        ("landscape.trace (numpy engine)", w2_library),
        ("plain vectorized numpy", w2_plain_numpy),
        ("per-particle Python loop (numpy matvec)", w2_python_loop),
        ("landscape.trace, eigendecomposition included", w2_library_fresh),
    ] + ([("torch.optim.SGD(momentum)", w2_torch)] if torch_rows else [])
    measure("W2 heavy-ball momentum, random_quadratic dim 1000", w2_sizes(), w2, subset=lambda k: 16)
    w3 = [
        ("landscape.trace (numpy engine)", w3_library),
        ("plain vectorized numpy", w3_plain_numpy),
        ("per-particle Python loop (numpy batch)", w3_python_loop),
    ]
    measure("W3 mini-batch SGD B=64, logistic_regression m=100000", w3_sizes(), w3, subset=lambda k: 8)
    if not torch_rows:
        print("\n(torch not installed: no torch.optim rows)")
    if not QUICK:
        memory_peak()


if __name__ == "__main__":
    main()
