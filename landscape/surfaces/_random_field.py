"""A smooth random function in any dimension: random Fourier features in a weak bowl."""

from __future__ import annotations

import numpy as np

from .._linalg import rows_times
from .._validation import check_int, check_positive, check_scalar
from ._base import Surface
from ._registry import register

WINDOW = 4.0  # half-width of the domain in correlation lengths


@register("random_field")
class RandomField(Surface):
    r"""Random field: a sum of random cosines plus a weak quadratic confinement.

    .. math::
        f(x) = a \sqrt{2/F} \sum_{j=1}^{F} \cos(\omega_j^\top x + \varphi_j)
               + \tfrac{c}{2} \lVert x \rVert^2,
        \qquad \omega_j \sim N(0, I/\ell^2),\ \varphi_j \sim U[0, 2\pi)

    The cosine sum is the random-feature approximation of a stationary
    Gaussian random field with covariance ``a² exp(−‖x − y‖² / (2ℓ²))``
    (Rahimi & Recht): unit variance at ``a = 1``, as many critical points of
    every index as the confinement lets in. It is the toy model of a
    high-dimensional nonconvex loss (Bray & Dean; Dauphin et al.): low-lying
    critical points are mostly minima, high ones mostly saddles of large index.

    Parameters
    ----------
    dim : int
        Dimension, >= 1.
    features : int
        Number ``F`` of random cosines, >= 1. The field's Hessian is a rank-``F``
        matrix plus ``c I``, so ``F`` should exceed ``dim`` for a rich landscape.
    seed : int
        Seed of the draw of ``ω`` and ``φ``.
    confinement : float
        ``c >= 0``, curvature of the bowl that keeps critical points near the
        origin (critical points need ``‖∇ field‖ = c ‖x‖``).
    lengthscale : float
        ``ℓ > 0``, the correlation length of the field.
    amplitude : float
        ``a > 0``, the field's standard deviation.

    Notes
    -----
    With ``z = W x + φ`` (``W`` of shape ``(F, dim)``, rows ``ω_j``) and
    ``s = a √(2/F)``:

    * ``∇f = −s Wᵀ sin z + c x``
    * ``∇²f = −s Wᵀ diag(cos z) W + c I``
    * ``∇²f v = −s Wᵀ (cos z ⊙ W v) + c v``

    Evaluating ``n`` points costs ``O(n F dim)``; the Hessian ``O(n F dim²)``.
    Domain: the cube ``[−4ℓ, 4ℓ]^dim``, a few correlation lengths across (in
    2-D it holds a few dozen critical points). The bowl keeps descent from
    wandering off; it is weak (``c ≪ a/ℓ²``, the field's curvature scale), so
    inside the window the field shapes the landscape.

    References
    ----------
    .. [1] A. Rahimi and B. Recht, "Random features for large-scale kernel
       machines", NeurIPS 2007.
    .. [2] A. J. Bray and D. S. Dean, "Statistics of critical points of
       Gaussian fields on large-dimensional spaces", Phys. Rev. Lett. 98
       (2007) 150201.
    .. [3] Y. Dauphin et al., "Identifying and attacking the saddle point
       problem in high-dimensional non-convex optimization", NeurIPS 2014.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("random_field", dim=10, seed=1)
    >>> s.value(s.default_start).shape
    ()
    """

    thread_safe = True

    def __init__(self, dim=2, features=256, seed=0, confinement=0.05, lengthscale=1.0, amplitude=1.0):
        dim = check_int("dim", dim, minimum=1)
        features = check_int("features", features, minimum=1)
        seed = check_int("seed", seed, minimum=0)
        self.confinement = check_scalar("confinement", confinement, low=0.0)
        self.lengthscale = check_positive("lengthscale", lengthscale)
        self.amplitude = check_positive("amplitude", amplitude)
        rng = np.random.default_rng(seed)
        self.frequencies = rng.standard_normal((features, dim)) / self.lengthscale  # W
        self.phases = rng.uniform(0.0, 2.0 * np.pi, features)
        self.weight = self.amplitude * np.sqrt(2.0 / features)
        reach = WINDOW * self.lengthscale
        params = {"dim": dim, "features": features, "seed": seed}
        params |= {"confinement": self.confinement, "lengthscale": self.lengthscale}
        params |= {"amplitude": self.amplitude}
        super().__init__(
            dim=dim,
            bounds=np.tile([-reach, reach], (dim, 1)),
            name="random_field",
            params=params,
            default_start=np.full(dim, 0.6 * reach / np.sqrt(dim)),
        )

    def _phase(self, x):
        return rows_times(x, self.frequencies.T) + self.phases  # (..., F)

    def _value(self, x):
        field = self.weight * np.cos(self._phase(x)).sum(axis=-1)
        return field + 0.5 * self.confinement * np.einsum("...i,...i->...", x, x)

    def _grad(self, x):
        return -self.weight * rows_times(np.sin(self._phase(x)), self.frequencies) + self.confinement * x

    def _value_and_grad(self, x):
        z = self._phase(x)
        value = self.weight * np.cos(z).sum(axis=-1)
        value = value + 0.5 * self.confinement * np.einsum("...i,...i->...", x, x)
        return value, -self.weight * rows_times(np.sin(z), self.frequencies) + self.confinement * x

    def _hessian(self, x):
        weights = -self.weight * np.cos(self._phase(x))  # (..., F)
        scaled = self.frequencies.T * weights[..., None, :]  # (..., dim, F)
        return scaled @ self.frequencies + self.confinement * np.eye(self.dim)

    def _hvp(self, x, v):
        weights = -self.weight * np.cos(self._phase(x))
        return (weights * (v @ self.frequencies.T)) @ self.frequencies + self.confinement * v
