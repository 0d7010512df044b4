r"""
Saddles are high, minima are low
================================

Dauphin et al.'s observation on a random landscape in 20 dimensions: critical points with many
descent directions (a high index) sit at high loss, and the only critical points at low loss are
minima or nearly so. Getting stuck in a bad local minimum is therefore unlikely; slowing down near
saddles and on plateaus is the real problem.
"""

import landscape as ls

field = ls.surfaces.get("random_field", dim=20)
fig = ls.plot.index_vs_loss(field, starts=200, seed=0)
