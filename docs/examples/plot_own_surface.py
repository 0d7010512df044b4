r"""
Your own surface from a formula
===============================

A formula in ``x`` and ``y`` becomes a surface with exact derivatives (SymPy differentiates it;
the text is parsed through a whitelist, never evaluated). It then works with every tool: here
momentum and Adam cross a tilted double well, and ``critical_points`` finds its two minima and
the saddle between them.
"""

import landscape as ls

wells = ls.surfaces.expression("(x**2 - 1)**2 + 0.3*x + 2*y**2", bounds=[[-2, 2], [-1.5, 1.5]])
wells

# %%

runs = {
    "momentum": ls.trace(wells, ls.optim.momentum(lr=0.05, beta=0.9), [1.6, 1.2], steps=120),
    "Adam": ls.trace(wells, ls.optim.adam(lr=0.1), [1.6, 1.2], steps=120),
}
fig = ls.plot.contour(wells, runs)

# %%

ls.critical_points(wells)
