r"""
Paths on a surface in perspective
=================================

Rosenbrock's banana valley with the paths of gradient descent, momentum, RMSprop and Adam lying
on it, as in the lecture's Adam slide.
"""

import landscape as ls

valley = ls.surfaces.get("rosenbrock")
optimizers = [
    ls.optim.sgd(lr=0.002),
    ls.optim.momentum(lr=0.002, beta=0.9),
    ls.optim.rmsprop(lr=0.01),
    ls.optim.adam(lr=0.1),
]
runs = [ls.trace(valley, opt, valley.default_start, steps=500) for opt in optimizers]
fig = ls.plot.surface3d(valley, runs)
