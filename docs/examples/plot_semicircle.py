"""
The Hessian spectrum of a random quadratic and Wigner's semicircle
=================================================================

The Hessian of a random quadratic in 2000 dimensions is drawn from the Gaussian orthogonal
ensemble. Its eigenvalue density, estimated by stochastic Lanczos quadrature from
Hessian-vector products alone (the Hessian is never formed), follows the semicircle law.
"""

import landscape as ls

quadratic = ls.surfaces.get("random_quadratic", dim=2000, seed=0)
fig = ls.plot.spectrum(quadratic)

# %%
# The extreme eigenvalues, by Lanczos: the semicircle's edges are at :math:`\\pm 2` for this
# scaling, and a random Hessian this large is almost surely indefinite.

extremes = ls.analysis.hessian_spectrum(quadratic, quadratic.default_start, k=3)
extremes
