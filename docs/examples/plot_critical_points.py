r"""
Critical points of the six-hump camel
=====================================

``ls.critical_points`` finds every point where the gradient vanishes inside the surface's
window, by Newton's method from many starts, deduplicates them and classifies each by the
eigenvalues of its Hessian: 6 minima (two of them global), 7 saddles and 2 maxima.
"""

import matplotlib.pyplot as plt

import landscape as ls

camel = ls.surfaces.get("six_hump_camel")
points = ls.critical_points(camel, seed=0)
points

# %%
# On the contours: minima as circles, saddles as crosses, maxima as triangles.

fig, ax = plt.subplots(figsize=(8, 5))
ls.plot.contour(camel, ax=ax)
markers = {"minimum": "o", "saddle": "x", "maximum": "^"}
for kind, marker in markers.items():
    chosen = points.of_kind(kind)
    ax.plot(*chosen.positions.T, marker, color="white", markeredgecolor="black", markersize=9, label=kind)
ax.legend(loc="upper right")
