r"""
Measured convergence rates against the theory
=============================================

On a quadratic with curvatures in :math:`[\mu, L]`, gradient descent with its best step
contracts the error by :math:`(\kappa - 1)/(\kappa + 1)` per step, and heavy-ball momentum with
its best pair by :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`. The rates fitted from traced runs
match.
"""

import matplotlib.pyplot as plt
import numpy as np

import landscape as ls

bowl = ls.surfaces.get("elongated_bowl", kappa=50)
theory = ls.analysis.quadratic_rates(1.0, 50.0)
theory

# %%

runs = {
    "gradient descent": ls.trace(bowl, ls.optim.sgd(lr=theory.gd_step), bowl.default_start, steps=300),
    "momentum": ls.trace(
        bowl,
        ls.optim.momentum(lr=theory.heavy_ball_step, beta=theory.heavy_ball_beta, style="heavy_ball"),
        bowl.default_start,
        steps=300,
    ),
}
fig, ax = plt.subplots()
for (name, run), predicted in zip(runs.items(), (theory.gd_rate, theory.heavy_ball_rate), strict=True):
    distance = np.linalg.norm(run.positions[:, 0], axis=-1)
    measured = ls.analysis.measured_rate(run, bowl.minima[0])[0]
    ax.semilogy(run.steps, distance, label=f"{name}: measured {measured:.4f}, theory {predicted:.4f}")
ax.set_xlabel("step")
ax.set_ylabel("distance to the minimum")
ax.legend()
