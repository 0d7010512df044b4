r"""
Escaping a saddle
=================

Started exactly on the saddle :math:`x^2 - y^2`, gradient descent never moves: the gradient is
zero. A little gradient noise pushes particles off, and the negative curvature then carries them
away exponentially fast. ``escape_time`` records when each of 2000 particles leaves a small ball;
the distribution, not only its mean, is the result.
"""

import matplotlib.pyplot as plt
import numpy as np

import landscape as ls

saddle = ls.surfaces.get("saddle")
fig, ax = plt.subplots()
for sigma in (0.001, 0.01, 0.1):
    escape = ls.analysis.escape_time(
        saddle, ls.optim.sgd(lr=0.05), [0.0, 0.0], radius=1.0, steps=400, particles=2000,
        noise=ls.noise.gaussian(sigma), seed=0,
    )  # fmt: skip
    steps = escape.steps[escape.steps >= 0]
    ax.hist(steps, bins=np.arange(0, 401, 5), histtype="step", linewidth=2, label=f"σ = {sigma}")
    print(f"σ = {sigma}: median escape after {np.median(steps):.0f} steps")
ax.set_xlabel("steps to leave the unit ball")
ax.set_ylabel("particles")
ax.legend()

# %%
# Each tenfold of noise saves the same number of steps, :math:`\ln 10 / \ln(1 + 2\alpha)`,
# because the escape is exponential in time.
