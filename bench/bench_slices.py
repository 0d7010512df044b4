"""Slice benchmarks (issue: seeing models of any dimension).

  S1  A 51 x 51 filter-normalized plane of mlp 2-32-32-1 (ReLU, sigmoid output, 1 185
      weights) on the moons data set, m = 10 000, through its weights after one epoch of
      mini-batch Adam: every grid point is the full-data cost.
        - landscape: ls.slices.random_slice(net, x).grid(51), blocks of grid points as
          particles, in float64 and with grid(dtype=np.float32);
        - a plain torch loop on the torch twin of the same network (same weights, same
          directions): one forward pass per grid point, in float64 (the library's
          precision) and in float32 (torch's default);
        - the loss-landscapes package (3.0.6): loss_landscapes.random_plane(model, Loss(...),
          steps=51, normalization="filter") on the float32 twin (its own random directions:
          the same amount of work).
      The float64 torch loop must give the library's numbers (largest difference printed).

Rates are grid points per second; ratios against the plain torch loop in float32. Timed in
turns (interleaved medians), so a change of load hits every contender alike.

Needs torch (pip install torch==2.13.0) and loss-landscapes (pip install --no-deps
loss-landscapes==3.0.6: its only dependency is numpy, and --no-deps keeps pip from fetching
another torch).

Run: python bench/bench_slices.py [--quick]   (--quick: a 21 x 21 plane, m = 2 000)
"""

from __future__ import annotations

import sys

import numpy as np
from _timing import interleaved_medians, machine_line

import landscape as ls

QUICK = "--quick" in sys.argv
STEPS = 21 if QUICK else 51
EXAMPLES = 2_000 if QUICK else 10_000
REPEATS = 1 if not QUICK else 3


def torch_twin(net, point, dtype):
    """nn.Sequential with the mlp's weights at ``point`` (torch's Linear: weight (out, in), then bias)."""
    import torch

    layers = []
    for (w, b), last in zip(net.unflatten(point), [False] * (len(net.layers) - 2) + [True], strict=True):
        linear = torch.nn.Linear(w.shape[1], w.shape[0]).to(dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.as_tensor(w))
            linear.bias.copy_(torch.as_tensor(b))
        layers += [linear] if last else [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers)


def torch_loop(net, plane, dtype):
    """The plane's grid by a Python loop over grid points, one forward pass each."""
    import torch

    model = torch_twin(net, plane.center, dtype)
    inputs = torch.as_tensor(net.inputs, dtype=dtype)
    targets = torch.as_tensor(net.outputs, dtype=dtype)
    loss = torch.nn.BCEWithLogitsLoss()
    center = torch.as_tensor(plane.center, dtype=dtype)
    d1, d2 = (torch.as_tensor(d, dtype=dtype) for d in plane.directions)
    alphas, betas = plane.axes(STEPS)

    def run():
        values = np.empty((STEPS, STEPS))
        with torch.no_grad():
            for i, b in enumerate(betas):
                for j, a in enumerate(alphas):
                    torch.nn.utils.vector_to_parameters(center + a * d1 + b * d2, model.parameters())
                    values[i, j] = loss(model(inputs), targets).item()
        return values

    return run


def loss_landscapes_plane(net, point):
    import loss_landscapes
    import loss_landscapes.metrics
    import torch

    model = torch_twin(net, point, torch.float32)
    metric = loss_landscapes.metrics.Loss(
        torch.nn.BCEWithLogitsLoss(),
        torch.as_tensor(net.inputs, dtype=torch.float32),
        torch.as_tensor(net.outputs, dtype=torch.float32),
    )
    return lambda: loss_landscapes.random_plane(
        model, metric, distance=1, steps=STEPS, normalization="filter"
    )


def s1():
    import torch

    net = ls.surfaces.mlp(layers=(2, 32, 32, 1), data="moons", m=EXAMPLES)
    # the plane through weights after one epoch of mini-batch Adam (loss-landscapes divides by
    # the norms of the biases, which are zero at initialization)
    run = ls.trace(net, ls.optim.adam(lr=0.01), net.default_start, epochs=1, batch_size=100)
    point = run.positions[-1, 0]
    print(f"\nS1  {STEPS} x {STEPS} filter-normalized plane of mlp 2-32-32-1 ({net.dim} weights)", end="")
    print(f", m = {EXAMPLES}")
    print(f"  {machine_line()}; torch threads: {torch.get_num_threads()}")

    def library(dtype):
        def run():
            plane = ls.slices.random_slice(net, point, seed=0, resolution=STEPS)
            return plane.grid(dtype=dtype).values

        return run

    plane = ls.slices.random_slice(net, point, seed=0, resolution=STEPS)
    ours = plane.grid().values
    theirs = torch_loop(net, plane, torch.float64)()
    single = plane.grid(dtype=np.float32).values
    print(
        f"  largest |difference| to the float64 torch loop: {np.abs(ours - theirs).max():.2e}"
        f" (values {ours.min():.3f} .. {ours.max():.3f}); float32 grid against float64: "
        f"{np.abs(single - ours).max():.1e}"
    )
    contenders = {
        "landscape: random_slice(...).grid(), float64": library(np.float64),
        "landscape: grid(dtype=np.float32)": library(np.float32),
        "plain torch loop, float64": torch_loop(net, plane, torch.float64),
        "plain torch loop, float32": torch_loop(net, plane, torch.float32),
        "loss-landscapes random_plane, float32": loss_landscapes_plane(net, point),
    }
    seconds = interleaved_medians(contenders, repeats=REPEATS)
    base = seconds["plain torch loop, float32"]
    print(f"  {'implementation':<48} {'seconds':>9} {'points/s':>10} {'vs torch f32':>13}")
    for name, elapsed in seconds.items():
        print(f"  {name:<48} {elapsed:9.2f} {STEPS * STEPS / elapsed:10.1f} {base / elapsed:12.2f}x")


if __name__ == "__main__":
    s1()
