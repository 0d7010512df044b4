"""Timing helpers shared by the benchmarks: medians of repeated runs, one table."""

from __future__ import annotations

import os
import statistics
import time


def median_seconds(function, repeats: int = 3) -> float:
    """Median wall time of ``function()`` over ``repeats`` runs (after one warm-up run)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


PAUSE = 0.3  # seconds between timed runs: the threads of one library go idle before the next runs


def interleaved_medians(functions: dict, repeats: int = 3) -> dict:
    """Median seconds of each function, timing them in turns so load changes hit all alike.

    Between runs the benchmark pauses: torch's OpenMP threads, for one, keep
    spinning on the cores for a while after each call, and would slow down
    whatever comes next.
    """
    for function in functions.values():
        function()  # warm-up
    times = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            time.sleep(PAUSE)
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def speed_ratio(function, reference, pairs: int = 31) -> float:
    """How many times faster ``function()`` runs than ``reference()``: the median over ``pairs``
    back-to-back pairs of the ratio of their times.

    A ratio within each pair cancels what drifts between pairs (the load, the clock); the
    order within a pair alternates, so that neither always runs second.
    """
    function()
    reference()
    ratios = []
    for pair in range(pairs):
        seconds = {}
        for name in (("function", "reference") if pair % 2 else ("reference", "function")):
            time.sleep(PAUSE)
            start = time.perf_counter()
            (function if name == "function" else reference)()
            seconds[name] = time.perf_counter() - start
        ratios.append(seconds["reference"] / seconds["function"])
    return statistics.median(ratios)


def machine_line() -> str:
    """CPU count and load average, printed above every table."""
    load = os.getloadavg()
    return f"cores: {os.cpu_count()}, load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def print_table(
    title: str, rows: list[tuple[str, float]], reference: str, unit: str = "particle-steps/s"
) -> None:
    """Rows of (name, rate in ``unit``), with ratios to the ``reference`` row."""
    base = dict(rows)[reference]
    print(f"\n{title}")
    print(f"  {'implementation':<56} {unit:>16} {'vs ' + reference:>14}")
    for name, rate in rows:
        print(f"  {name:<56} {rate:16.3e} {rate / base:13.2f}x")
