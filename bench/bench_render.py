"""Rendering speed of every lecture scene (issue: Manim scenes).

For each scene: wall time of ``landscape.rendering.render`` at low quality
(768x432, 15 fps) and at medium (1280x720, 30 fps), and the ratio of video
length to render time (> 1: faster than real time). Then one 2-D scene at
high quality (1920x1080, 60 fps) with one and with two processes (--jobs 2).

Each figure is the median of --repeats renders after one warm-up render (the
warm-up compiles LaTeX into the cache and imports everything), timed in turns
so that load from other work on the machine hits every variant alike. The
machine's load average is printed before and after, and next to each wall
time the CPU time the render used (Manim draws in one thread, the encoder
runs in others): on a busy machine the wall time grows, the CPU time less.

Run: python bench/bench_render.py [--repeats N] [--quick] [--scenes a,b]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import av
from _timing import machine_line

from landscape.rendering import QUALITIES, render, scene_catalog

HIGH_SCENE = "momentum"


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.frames / float(stream.average_rate)


def timed(name, output, **options) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of this process (all its threads) and video seconds of one render."""
    start, cpu = time.perf_counter(), time.process_time()
    render(name, output, **options)
    return time.perf_counter() - start, time.process_time() - cpu, video_seconds(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a quarter of each scene's run time, one repeat")
    parser.add_argument("--scenes", default=None, help="comma-separated scene names (default: all)")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    params = {"time_scale": 0.25} if args.quick else {}
    names = args.scenes.split(",") if args.scenes else [scene.name for scene in scene_catalog()]
    variants = {"low": {"quality": "low"}, "medium": {"quality": "medium"}}
    print(machine_line())
    print(f"median of {repeats} render(s) after a warm-up; ratio = video seconds / render seconds")

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        rows = []
        for name in names:
            walls = {variant: [] for variant in variants}
            cpus = {variant: [] for variant in variants}
            for options in variants.values():  # warm-up
                timed(name, folder / f"{name}.mp4", params=params, **options)
            for _ in range(repeats):
                for variant, options in variants.items():
                    wall, cpu, length = timed(name, folder / f"{name}.mp4", params=params, **options)
                    walls[variant].append(wall)
                    cpus[variant].append(cpu)
            medians = [(statistics.median(walls[v]), statistics.median(cpus[v])) for v in variants]
            rows.append((name, length, *medians))
            (low_wall, low_cpu), (mid_wall, mid_cpu) = medians
            print(
                f"  {name:<16} video {length:5.1f} s   low {low_wall:6.1f} s ({length / low_wall:4.2f}x,"
                f" cpu {low_cpu:5.1f} s)   medium {mid_wall:6.1f} s ({length / mid_wall:4.2f}x,"
                f" cpu {mid_cpu:5.1f} s)",
                flush=True,
            )

        low, medium = QUALITIES["low"], QUALITIES["medium"]
        low_name, medium_name = f"{low[1]}p{low[2]}", f"{medium[1]}p{medium[2]}"
        print(
            f"\n| scene | video (s) | {low_name} wall (s) | ratio | cpu (s) "
            f"| {medium_name} wall (s) | ratio | cpu (s) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, length, (slow, slow_cpu), (fast, fast_cpu) in rows:
            print(
                f"| {name} | {length:.1f} | {slow:.1f} | {length / slow:.2f} | {slow_cpu:.1f} "
                f"| {fast:.1f} | {length / fast:.2f} | {fast_cpu:.1f} |"
            )

        if HIGH_SCENE in names:
            high = {1: [], 2: []}
            for jobs in high:  # warm-up
                timed(HIGH_SCENE, folder / "high.mp4", quality="high", jobs=jobs, params=params)
            for _ in range(repeats):
                for jobs in high:
                    seconds, _, length = timed(
                        HIGH_SCENE, folder / "high.mp4", quality="high", jobs=jobs, params=params
                    )
                    high[jobs].append(seconds)
            width, height, fps = QUALITIES["high"]
            print(f"\n{HIGH_SCENE} at {width}x{height}, {fps} fps ({length:.1f} s of video):")
            for jobs, seconds in high.items():
                median = statistics.median(seconds)
                print(f"  --jobs {jobs}: {median:6.1f} s  ratio {length / median:4.2f}")
    print(machine_line())


if __name__ == "__main__":
    main()
