r"""
A hundred thousand particles in one call
========================================

Every particle lives in one ``(K, dim)`` array, and the compiled engine runs surface, optimizer
and noise in one loop per block of particles. Here 100 000 particles of Adam with gradient
noise start uniformly over Himmelblau's window; where they end shows the basins of its four
minima. The time printed is the wall time of this build (the first run of a new combination
of parts also compiles it, about two seconds, then it is cached on disk).
"""

import time

import numpy as np

import landscape as ls

surface = ls.surfaces.get("himmelblau")
starts = surface.sample(100_000, seed=0)
began = time.perf_counter()
run = ls.trace(
    surface, ls.optim.adam(lr=0.05), starts, steps=300, noise=ls.noise.gaussian(1.0), record_every=100, seed=0
)
seconds = time.perf_counter() - began
steps, engine = run.config["steps"], run.config["engine"]
print(f"{run.particles:,} particles x {steps} steps in {seconds:.2f} s on the {engine} engine")
print(f"{run.particles * steps / seconds / 1e6:.1f} million particle-steps per second")
run

# %%
# The final positions, coloured by the minimum each particle reached.

import matplotlib.pyplot as plt

nearest = np.argmin(np.linalg.norm(run.final_positions[:, None] - surface.minima[None], axis=-1), axis=1)
fig, ax = plt.subplots(figsize=(6, 5))
ls.plot.contour(surface, ax=ax, levels=16)
ax.scatter(*starts[::50].T, c=nearest[::50], cmap="tab10", vmin=0, vmax=9, s=4)
ax.set_title("starting points, by the minimum they reached")
for k in range(len(surface.minima)):
    print(f"minimum {surface.minima[k].round(3)}: {np.mean(nearest == k):.1%} of the particles")
