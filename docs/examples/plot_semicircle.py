r"""
The Hessian spectrum of a random quadratic and Wigner's semicircle
==================================================================

The Hessian of a random quadratic in 1000 dimensions is drawn from the Gaussian orthogonal
ensemble. Its eigenvalue density, estimated by stochastic Lanczos quadrature from
Hessian-vector products alone, follows the semicircle law.
"""

import landscape as ls

quadratic = ls.surfaces.get("random_quadratic", dim=1000, seed=0)
fig = ls.plot.spectrum(quadratic)

# %%
# The extreme eigenvalues, by Lanczos. With :math:`H = (A + A^\top)/2` and :math:`A` standard normal,
# the semicircle's edges are at :math:`\pm\sqrt{2n} \approx \pm 44.7` for :math:`n = 1000`; a
# random Hessian this large is almost surely indefinite.

extremes = ls.analysis.hessian_spectrum(quadratic, quadratic.default_start, k=3)
extremes
