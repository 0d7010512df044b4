r"""
Learning-rate decay
===================

The lecture's decay :math:`\alpha = \alpha_0 / (1 + \text{decay\_rate} \cdot \text{epoch})`
against a constant rate, with mini-batches of 8 on a linear regression. With a constant rate the
mini-batch noise keeps the parameters wandering around the minimum; the decaying rate shrinks
the wandering as it shrinks the steps.
"""

import landscape as ls

cost = ls.surfaces.get("linear_regression", m=256)
optimizers = {
    "α = 0.2 / (1 + epoch)": ls.optim.sgd(lr=ls.schedules.inverse_time(lr0=0.2, decay_rate=1.0)),
    "α = 0.1": ls.optim.sgd(lr=0.1),
}
runs = {
    name: ls.trace(cost, opt, cost.default_start, epochs=10, batch_size=8, particles=24, seed=0)
    for name, opt in optimizers.items()
}

fig = ls.plot.learning_rate(runs)

# %%

fig = ls.plot.loss(runs)

# %%
# The other schedules, each a function of the 1-based epoch number:

for name in ls.schedules.names():
    print(f"{name:>13}: {ls.schedules.describe(name)}")
