r"""
Mini-batch sizes compared
=========================

Linear regression on :math:`m = 1024` examples, trained for two epochs with batch gradient
descent (:math:`B = m`), mini-batches of 256 and of 32, and stochastic gradient descent
(:math:`B = 1`). Each curve is the median cost of 32 particles (independent shufflings) and
the band holds 10 % to 90 % of them. An epoch is one step for batch gradient descent and
:math:`m / B` steps otherwise, so per epoch the small batches make far more progress, and
pay for it with noise.
"""

import landscape as ls

cost = ls.surfaces.get("linear_regression", m=1024)
runs = {
    f"B = {size}": ls.trace(
        cost, ls.optim.sgd(lr=0.1), cost.default_start, epochs=2, batch_size=size, particles=32, seed=0
    )
    for size in (1024, 256, 32, 1)
}
for label, run in runs.items():
    print(f"{label:>8}: {run.config['steps']:5d} steps, final cost {run.final_values.mean():.4f}")

# %%
# The cost against the step: one epoch of :math:`B = 1` is 1024 steps, one of :math:`B = m`
# a single step. Steps are drawn on a logarithmic axis so all four fit.

fig = ls.plot.loss(runs)
fig.axes[0].set_xscale("log")
