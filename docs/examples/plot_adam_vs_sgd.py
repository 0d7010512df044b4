r"""
Adam against gradient descent on a badly scaled bowl
====================================================

On a bowl a hundred times steeper in one direction than the other, gradient descent must keep
its step below :math:`2 / 100` to stay stable, and then crawls along the flat direction; momentum
speeds the crawl up. RMSprop and Adam divide each coordinate's step by the root mean square of its
gradients, so both directions move at the same pace. With a constant rate, RMSprop's steps keep a
size of about :math:`\alpha` near the minimum and it hovers there; Adam averages the gradients
first, their signs cancel as it oscillates, and it settles.
"""

import landscape as ls

bowl = ls.surfaces.get("elongated_bowl", kappa=100)
optimizers = {
    "gradient descent": ls.optim.sgd(lr=0.019),
    "momentum": ls.optim.momentum(lr=0.019, beta=0.9),
    "RMSprop": ls.optim.rmsprop(lr=0.05),
    "Adam": ls.optim.adam(lr=0.1),
}
runs = {name: ls.trace(bowl, opt, bowl.default_start, steps=150) for name, opt in optimizers.items()}
for name, run in runs.items():
    print(f"{name:>16}: f = {run.final_values[0]:.2e} after 150 steps")

fig = ls.plot.contour(bowl, runs)

# %%
# The value against the step:

fig = ls.plot.loss(runs)
