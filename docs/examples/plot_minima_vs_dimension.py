r"""
Minima become rare as the dimension grows
=========================================

The lecture's argument against local optima in high dimensions: a critical point is a minimum
only if every one of its :math:`n` curvatures is positive. For Hessians from the Gaussian
orthogonal ensemble the chance falls faster than exponentially with :math:`n`; most critical
points of a high-dimensional cost are saddles.
"""

import landscape as ls

fig = ls.plot.minima_vs_dim(dims=(1, 2, 3, 4, 5, 6, 7), samples=200_000, seed=0)

# %%
# The Monte Carlo fractions next to the exact probabilities:

for dim in (1, 2, 3, 5):
    estimate = ls.analysis.minimum_fraction(dim, samples=200_000, seed=0)
    exact = ls.analysis.goe_positive_definite_probability(dim)
    print(f"n = {dim}: {estimate.fraction:.5f} measured, {exact:.5f} exact")
