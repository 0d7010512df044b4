"""Finite-sum surfaces: a cost averaged over a data set, the lecture's setting.

The parameters are ``θ = (w_1, ..., w_n, b)`` (``dim = n + 1``); example ``i``
has features ``x⁽ⁱ⁾`` (a row of ``features``, shape ``(m, n)``) and target
``y⁽ⁱ⁾``. On a mini-batch ``𝔅`` of ``|𝔅|`` examples the cost is, as in the
notes ("one step of gradient descent using X^{t}, Y^{t} as if m were the
batch size"),

.. math:: J_𝔅(θ) = \\frac{1}{|𝔅|} \\sum_{i∈𝔅} ℓ(ŷ^{(i)}, y^{(i)})
          + \\frac{λ}{2|𝔅|} \\lVert w \\rVert^2,

so the whole data set (``|𝔅| = m``) gives the cost ``J``. The bias ``b`` is
not regularized.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int, check_positive, check_scalar
from ._base import Surface
from ._registry import register

_CHUNK_ELEMENTS = 1 << 22  # bound on points x examples per evaluation chunk


class FiniteSumSurface(Surface):
    """A cost averaged over ``m`` examples, with gradients on any mini-batch.

    Subclasses define the per-example loss ``ℓ(z, y)`` of the linear score
    ``z = w·x + b`` and its derivatives through ``_loss``, ``_slope``
    (``dℓ/dz``) and ``_curvature`` (``d²ℓ/dz²``).

    Attributes
    ----------
    features : ndarray, shape (m, n)
    targets : ndarray, shape (m,)
    data_size : int
        ``m``.
    regularization : float
        ``λ``.
    """

    thread_safe = True

    def __init__(self, features, targets, regularization, *, name, params):
        self.features = np.ascontiguousarray(features, dtype=float)
        self.targets = np.ascontiguousarray(targets, dtype=float)
        self.data_size, self.n_features = self.features.shape
        self.regularization = regularization
        self._weight_mask = np.append(np.ones(self.n_features), 0.0)
        self.dim = self.n_features + 1
        optimum = self._minimize()
        center = np.zeros(self.dim) if optimum is None else optimum
        half = 2.0 + np.max(np.abs(center))
        super().__init__(
            dim=self.dim,
            bounds=np.stack([center - half, center + half], axis=1),
            name=name,
            params=params,
            default_start=center + np.where(np.arange(self.dim) % 2 == 0, -0.75, 0.75) * half,
            minima=None if optimum is None else optimum[None, :],
        )

    def _loss(self, z, y):
        raise NotImplementedError

    def _slope(self, z, y):
        raise NotImplementedError

    def _curvature(self, z, y):
        raise NotImplementedError

    # ---- mini-batches --------------------------------------------------------
    def batch_grad(self, x: np.ndarray, indices: np.ndarray) -> np.ndarray:
        """Mini-batch gradients ``(K, dim)``, one batch ``indices[k]`` per particle."""
        return self._batch(x, indices, with_value=False)[1]

    def batch_value_and_grad(self, x: np.ndarray, indices: np.ndarray):
        """Mini-batch costs and gradients, one batch per particle.

        Parameters
        ----------
        x : ndarray, shape (K, dim)
            Parameters of each particle.
        indices : ndarray of int, shape (K, b)
            Example indices of each particle's mini-batch.

        Returns
        -------
        values : ndarray, shape (K,)
        grads : ndarray, shape (K, dim)
        """
        return self._batch(x, indices, with_value=True)

    def _batch(self, x, indices, with_value):
        batch = indices.shape[-1]
        inputs = np.take(self.features, indices, axis=0)  # (K, b, n); faster than fancy indexing
        targets = np.take(self.targets, indices)
        w = x[:, :-1]
        z = np.matmul(inputs, w[:, :, None])[:, :, 0]
        z += x[:, -1:]
        slope = self._slope(z, targets)
        penalty = self.regularization / (2.0 * batch)
        grads = np.empty_like(x)
        grads[:, :-1] = np.matmul(slope[:, None, :], inputs)[:, 0, :]
        grads[:, :-1] /= batch
        if penalty:
            grads[:, :-1] += (2.0 * penalty) * w
        grads[:, -1] = slope.mean(axis=1)
        if not with_value:
            return None, grads
        values = self._loss(z, targets).mean(axis=1) + penalty * np.einsum("kn,kn->k", w, w)
        return values, grads

    # ---- the whole data set ------------------------------------------------
    def _chunks(self, x):
        flat = x.reshape(-1, self.dim)
        size = max(1, _CHUNK_ELEMENTS // self.data_size)
        for start in range(0, flat.shape[0], size):
            yield flat[start : start + size]

    def _scores(self, points):
        return points[:, :-1] @ self.features.T + points[:, -1:]  # (P, m)

    def _penalty(self, x):
        w = x[..., :-1]
        return self.regularization / (2.0 * self.data_size) * np.einsum("...n,...n->...", w, w)

    def _value(self, x):
        parts = [self._loss(self._scores(p), self.targets).mean(axis=1) for p in self._chunks(x)]
        data = np.concatenate(parts) if parts else np.empty(0)
        return data.reshape(x.shape[:-1]) + self._penalty(x)

    def _grad(self, x):
        return self._value_and_grad(x)[1]

    def _value_and_grad(self, x):
        values, grads = [], []
        for p in self._chunks(x):
            z = self._scores(p)
            slope = self._slope(z, self.targets)
            values.append(self._loss(z, self.targets).mean(axis=1))
            g = np.empty_like(p)
            g[:, :-1] = slope @ self.features / self.data_size
            g[:, -1] = slope.mean(axis=1)
            grads.append(g)
        value = np.concatenate(values).reshape(x.shape[:-1]) + self._penalty(x)
        reg = self.regularization / self.data_size * x * self._weight_mask
        return value, np.concatenate(grads).reshape(x.shape) + reg

    def _hessian(self, x):
        design = np.column_stack([self.features, np.ones(self.data_size)])  # (m, dim)
        out = []
        for p in self._chunks(x):
            curvature = self._curvature(self._scores(p), self.targets)  # (P, m)
            out.append(np.einsum("pm,mi,mj->pij", curvature, design, design) / self.data_size)
        hessian = np.concatenate(out).reshape(x.shape + (self.dim,))
        return hessian + self.regularization / self.data_size * np.diag(self._weight_mask)

    def _minimize(self, iterations=100):
        """Newton's method from the origin on the full cost; None if it fails."""
        theta = np.zeros(self.dim)
        for _ in range(iterations):
            _, g = self._value_and_grad(theta)
            step = np.linalg.lstsq(self._hessian(theta), g, rcond=None)[0]
            theta = theta - step
            if np.linalg.norm(step) <= 1e-13 * max(1.0, np.linalg.norm(theta)):
                break
        gradient_norm = np.linalg.norm(self._grad(theta))
        return theta if np.isfinite(theta).all() and gradient_norm < 1e-9 else None


def _synthetic_inputs(rng, m, n, feature_scale):
    """Standard normal features with spreads growing geometrically from 1 to ``feature_scale``."""
    spreads = np.geomspace(1.0, feature_scale, n) if n > 1 else np.array([feature_scale])
    return rng.standard_normal((m, n)) * spreads, spreads


@register("linear_regression")
class LinearRegression(FiniteSumSurface):
    r"""Least squares on a seeded synthetic data set: ℓ = ½(ŷ − y)².

    Parameters
    ----------
    m : int
        Number of examples, >= 1.
    n : int
        Number of features, >= 1 (``dim = n + 1`` with the bias).
    seed : int
        Seed of the data set.
    noise : float
        Standard deviation of the target noise, >= 0.
    feature_scale : float
        Spread of the last feature (features spread geometrically from 1):
        large values make the bowl elongated (condition number about
        ``feature_scale²``).
    regularization : float
        ``λ >= 0``.

    Notes
    -----
    Data: ``x⁽ⁱ⁾ ~ N(0, diag(s²))``, ``y = w*·x + b* + noise·ε`` with
    ``w*_j ~ N(0, 1)/s_j`` and ``b* ~ N(0, 1)``. The cost is quadratic, so the
    minimizer is exact.
    """

    def __init__(self, m=1000, n=1, seed=0, noise=0.5, feature_scale=1.0, regularization=0.0):
        m, n = check_int("m", m, minimum=1), check_int("n", n, minimum=1)
        seed = check_int("seed", seed, minimum=0)
        noise = check_scalar("noise", noise, low=0.0)
        feature_scale = check_positive("feature_scale", feature_scale)
        regularization = check_scalar("regularization", regularization, low=0.0)
        rng = np.random.default_rng(seed)
        inputs, spreads = _synthetic_inputs(rng, m, n, feature_scale)
        w_true = rng.standard_normal(n) / spreads
        b_true = rng.standard_normal()
        targets = inputs @ w_true + b_true + noise * rng.standard_normal(m)
        self.true_parameters = np.append(w_true, b_true)
        params = {"m": m, "n": n, "seed": seed, "noise": noise}
        params |= {"feature_scale": feature_scale, "regularization": regularization}
        super().__init__(inputs, targets, regularization, name="linear_regression", params=params)

    def _loss(self, z, y):
        return 0.5 * np.square(z - y)

    def _slope(self, z, y):
        return z - y

    def _curvature(self, z, y):
        return np.ones_like(z)


@register("logistic_regression")
class LogisticRegression(FiniteSumSurface):
    r"""Logistic regression on a seeded synthetic data set: ℓ = −y log ŷ − (1 − y) log(1 − ŷ).

    Parameters
    ----------
    m : int
        Number of examples, >= 1.
    n : int
        Number of features, >= 1 (``dim = n + 1`` with the bias).
    seed : int
        Seed of the data set.
    feature_scale : float
        Spread of the last feature (features spread geometrically from 1).
    regularization : float
        ``λ >= 0``.

    Notes
    -----
    ``ŷ = σ(w·x + b)``. Labels are drawn from the logistic model with
    ``w*_j ~ 2 N(0, 1)/s_j`` and ``b* ~ N(0, 1)``, so classes overlap and the
    unregularized minimizer exists for all but tiny ``m``. Losses are computed
    as ``log(1 + e^z) − y z`` without overflow.
    """

    def __init__(self, m=1000, n=1, seed=0, feature_scale=1.0, regularization=0.0):
        m, n = check_int("m", m, minimum=1), check_int("n", n, minimum=1)
        seed = check_int("seed", seed, minimum=0)
        feature_scale = check_positive("feature_scale", feature_scale)
        regularization = check_scalar("regularization", regularization, low=0.0)
        rng = np.random.default_rng(seed)
        inputs, spreads = _synthetic_inputs(rng, m, n, feature_scale)
        w_true = 2.0 * rng.standard_normal(n) / spreads
        b_true = rng.standard_normal()
        probability = 1.0 / (1.0 + np.exp(-(inputs @ w_true + b_true)))
        targets = (rng.random(m) < probability).astype(float)
        self.true_parameters = np.append(w_true, b_true)
        params = {"m": m, "n": n, "seed": seed}
        params |= {"feature_scale": feature_scale, "regularization": regularization}
        super().__init__(inputs, targets, regularization, name="logistic_regression", params=params)

    def _loss(self, z, y):
        return np.logaddexp(0.0, z) - y * z  # softplus without overflow

    def _slope(self, z, y):
        return _expit(z) - y

    def _curvature(self, z, y):
        p = _expit(z)
        return p * (1.0 - p)


def _expit(z):
    """The logistic function; scipy.special is imported on use (it takes 0.2 s to import)."""
    from scipy.special import expit

    return expit(z)
