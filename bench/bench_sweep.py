"""Sweep throughput: configurations per second on a 10 000-configuration grid (issue: sweeps on Dask).

Workload: heavy-ball momentum on elongated_bowl (kappa = 25), a grid of 100
learning rates (geomspace 1e-3 .. 1) x 100 momenta (linspace 0 .. 0.99),
4 seeds per configuration with Gaussian gradient noise (sigma = 0.1), 200
steps: 10 000 configurations, 40 000 runs, 8 million particle-steps.

Each sweep is timed as the median of 3 after an untimed one (which loads the
compiled kernel into every process), all in one run:
  plain loop      -- one landscape.trace call per configuration (its 4 seeds as
                     particles), timed on every 25th configuration and scaled
  ls.sweep        -- in this process (workers=0), then on LocalClusters of 1 and
                     2 single-threaded worker processes on 127.0.0.1, started
                     beforehand (start-up reported on its own line)
The three sweeps must agree bit for bit; the script checks it. On a shared
machine the CPU time the workers actually got (cores per second of wall time)
is printed with each sweep: the ratios between 1 and 2 workers mean little
unless 2 workers got about 2 cores.
Run: python bench/bench_sweep.py [--quick]
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings

import numpy as np
from _timing import machine_line, print_table

import landscape as ls

SURFACE = "elongated_bowl:kappa=25"
SEEDS, STEPS, NOISE = 4, 200, 0.1


def grid(side: int) -> dict:
    return {"lr": np.geomspace(1e-3, 1.0, side).tolist(), "beta": np.linspace(0.0, 0.99, side).tolist()}


def plain_loop(axes: dict, every: int) -> float:
    """Configurations per second of one trace call per configuration (on every ``every``-th one)."""
    surface = ls.specs.parse_surface(SURFACE)
    pairs = [(lr, beta) for lr in axes["lr"] for beta in axes["beta"]][::every]
    noise = ls.noise.gaussian(NOISE)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.DivergenceWarning)
        for lr, beta in pairs:
            ls.trace(
                surface,
                ls.optim.momentum(lr, beta, style="heavy_ball"),
                surface.default_start,
                STEPS,
                particles=SEEDS,
                noise=noise,
            )
    return len(pairs) / (time.perf_counter() - start)


def timed_sweep(axes: dict, repeats: int = 3, **where):
    """The result, the median seconds of ``repeats`` sweeps after one that is not timed, and the total.

    The untimed sweep loads the compiled kernel (from the disk cache) into
    each process, as the first sweep of a session would.
    """
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        result = ls.sweep(
            SURFACE, "momentum:style=heavy_ball", axes, seeds=SEEDS, steps=STEPS, noise=NOISE, **where
        )
        times.append(time.perf_counter() - start)
    return result, statistics.median(times[1:]), sum(times)


def main():
    from landscape.sweeping._runner import local_client

    quick = "--quick" in sys.argv
    axes = grid(20 if quick else 100)
    size = len(axes["lr"]) * len(axes["beta"])
    print(machine_line())
    print(f"grid: {size} configurations x {SEEDS} seeds x {STEPS} steps on {SURFACE}")
    rows = [("plain loop", plain_loop(axes, every=5 if quick else 25))]
    cpu = time.process_time()
    here, seconds, total = timed_sweep(axes, workers=0)
    rows.append(("ls.sweep in this process (workers=0)", size / seconds))
    print(f"  (in this process: {(time.process_time() - cpu) / total:.2f} cores of CPU time per second)")
    for workers in (1, 2):
        started = time.perf_counter()
        with local_client(workers) as client:
            client.wait_for_workers(workers)
            startup = time.perf_counter() - started
            cpu = client.run(time.process_time)
            result, seconds, total = timed_sweep(axes, client=client)
            used = sum(client.run(time.process_time).values()) - sum(cpu.values())
        rows.append((f"ls.sweep on a LocalCluster, {workers} worker{'s' * (workers > 1)}", size / seconds))
        print(
            f"  ({workers} worker{'s' * (workers > 1)}: cluster started in {startup:.1f} s, not counted; "
            f"workers got {used / total:.2f} cores of CPU time per second)"
        )
        for name in here.columns:
            np.testing.assert_array_equal(result.columns[name], here.columns[name], err_msg=name)
    print_table(
        "Sweep throughput (plain loop: one ls.trace call per configuration; the sweeps agree bit for bit)",
        rows,
        rows[0][0],
        unit="configurations/s",
    )
    print(machine_line())


if __name__ == "__main__":
    main()
