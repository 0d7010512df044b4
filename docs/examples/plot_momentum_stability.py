r"""
Momentum's stability region, from a sweep
=========================================

Heavy-ball momentum :math:`v = \beta v + \nabla f,\ x := x - \alpha v` on a bowl with
curvatures 1 and :math:`\kappa = 10`, swept over 30 learning rates and 6 values of
:math:`\beta`. A run is stable exactly when :math:`\alpha L < 2 (1 + \beta)` for the largest
curvature :math:`L`, the dashed line the heat map draws; the star is the fastest pair
:math:`(\alpha^*, \beta^*)` of the theory. Every cell is a configuration traced from the same
start, all in one vectorized run (``workers=0``: no Dask cluster needed for a grid this size).
"""

import numpy as np

import landscape as ls

result = ls.sweep(
    "elongated_bowl:kappa=10",
    "momentum:style=heavy_ball",
    {"lr": np.geomspace(0.01, 0.6, 30), "beta": [0.0, 0.3, 0.5, 0.7, 0.9, 0.95]},
    steps=200,
    workers=0,
)
result

# %%
# The final value of each configuration; hatched cells diverged.

fig = ls.plot.sweep_heatmap(result)

# %%
# The same boundary, from ``landscape.analysis``:

for beta in (0.0, 0.5, 0.9):
    print(f"beta = {beta}: largest stable step {ls.analysis.max_stable_step(10.0, beta):.3f}")
