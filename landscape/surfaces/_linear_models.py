r"""Linear and logistic regression: finite sums of a loss of the linear score ``z = w·x + b``.

The parameters are ``θ = (w_1, ..., w_n, b)`` (``dim = n + 1``); example ``i``
has features ``x⁽ⁱ⁾`` (a row of ``features``, shape ``(m, n)``) and target
``y⁽ⁱ⁾``. On a mini-batch ``𝔅`` the cost is
``J_𝔅 = (1/|𝔅|) Σ ℓ(z⁽ⁱ⁾, y⁽ⁱ⁾) + λ/(2|𝔅|) ‖w‖²`` (see ``FiniteSumSurface``);
the bias is not regularized. The per-example loss is one of
``landscape.surfaces._losses``, the same functions the compiled engine runs.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._machine import one_blas_thread
from .._validation import check_int, check_positive, check_scalar
from . import _losses
from ._base import ParameterGroup
from ._finite_sum import CHUNK_ELEMENTS, FiniteSumSurface, _slices
from ._registry import register

LOSSES = {
    "squared": (_losses.squared_loss, _losses.squared_curvature),
    "logistic": (_losses.logistic_loss, _losses.logistic_curvature),
}


class NoMinimizerWarning(UserWarning):
    """A data-set cost has no minimizer (e.g. logistic regression on separable classes)."""


class LinearModel(FiniteSumSurface):
    """A loss of the linear score ``w·x + b`` averaged over a data set.

    Parameters
    ----------
    features : array_like, shape (m, n)
    targets : array_like, shape (m,)
    regularization : float
        ``λ``.
    loss : {"squared", "logistic"}
        The per-example loss (see ``landscape.surfaces._losses``).
    name : str
    params : dict

    Attributes
    ----------
    features : ndarray, shape (m, n)
    targets : ndarray, shape (m,)
    regularization : float
    loss : str
    n_features : int
    """

    def __init__(self, features, targets, regularization, *, loss, name, params):
        self.features = np.ascontiguousarray(features, dtype=float)
        self.targets = np.ascontiguousarray(targets, dtype=float)
        m, self.n_features = self.features.shape
        self.regularization = regularization
        self.loss = loss
        self._loss, self._curvature = LOSSES[loss]
        dim = self.n_features + 1
        self.data_size, self.dim = m, dim  # _minimize runs before Surface.__init__
        with one_blas_thread():  # small dense problems: threads cost more than they bring
            optimum = self._minimize()
        center = np.zeros(dim) if optimum is None else optimum
        half = 2.0 + np.max(np.abs(center))
        super().__init__(
            data_size=m,
            dim=dim,
            bounds=np.stack([center - half, center + half], axis=1),
            name=name,
            params=params,
            default_start=center + np.where(np.arange(dim) % 2 == 0, -0.75, 0.75) * half,
            minima=None if optimum is None else optimum[None, :],
        )

    @property
    def critical_point_bound(self) -> int | None:
        """1 when the cost is strictly convex (``λ > 0`` or features of full column rank), else None.

        The Hessian ``Dᵀ diag(c) D / m + λ/m diag(1, .., 1, 0)`` with
        ``D = [X, 1]`` and every curvature ``c > 0`` is then positive definite
        everywhere, so there is at most one critical point.
        """
        if self.regularization > 0:
            return 1
        design = np.column_stack([self.features, np.ones(self.data_size)])
        return 1 if np.linalg.matrix_rank(design) == self.dim else None

    def parameter_groups(self):
        """``w`` (one filter of ``n`` weights, shape ``(1, n)``), then the bias ``b``."""
        return (
            ParameterGroup("w", 0, (1, self.n_features), "weight"),
            ParameterGroup("b", self.n_features, (1,), "bias"),
        )

    def _example_size(self):
        return self.n_features + 2

    # ---- the cost ------------------------------------------------------------
    def _inputs(self, rows):
        """Features and targets of the examples: all (shared) or each particle's batch."""
        if rows is None:
            return self.features, self.targets
        return np.take(self.features, rows, axis=0), np.take(self.targets, rows)  # (P, b, n), (P, b)

    def _scores(self, x, inputs):
        """``z = w·x + b``, shape ``(P, examples)``."""
        if inputs.ndim == 2:
            z = x[:, :-1] @ inputs.T
        else:
            z = np.matmul(inputs, x[:, :-1, None])[:, :, 0]
        z += x[:, -1:]
        return z

    def _cost(self, x, rows, want_value):
        inputs, targets = self._inputs(rows)
        count = inputs.shape[-2]
        z = self._scores(x, inputs)
        losses, slope = self._loss(z, targets, want_value)
        w = x[:, :-1]
        penalty = self.regularization / (2.0 * count)
        grads = np.empty_like(x)
        if inputs.ndim == 2:
            grads[:, :-1] = slope @ inputs
        else:
            grads[:, :-1] = np.matmul(slope[:, None, :], inputs)[:, 0, :]
        grads[:, :-1] /= count
        if penalty:
            grads[:, :-1] += (2.0 * penalty) * w
        grads[:, -1] = slope.mean(axis=1)
        if not want_value:
            return None, grads
        return losses.mean(axis=1) + penalty * np.einsum("kn,kn->k", w, w), grads

    def _cost_hvp(self, x, v, rows):
        """``Dᵀ(c ⊙ D v) / b + (λ/b) v_w``, ``D = [X, 1]``, ``c = ℓ''(z)``: two passes over the data."""
        inputs, targets = self._inputs(rows)
        return self._curvature_product(self._curvature(self._scores(x, inputs), targets), v, inputs)

    def hvp_operator(self, x):
        """``v ↦ H(x) v`` on the whole data set, with the curvatures ``ℓ''(z)`` at ``x`` computed once."""
        points = self._points(x).reshape(-1, self.dim)
        curvature = self._curvature(self._scores(points, self.features), self.targets)  # (P, m)

        def product(v):
            with one_blas_thread():  # two passes over the data: memory-bound, BLAS threads only contend
                return self._curvature_product(curvature, np.asarray(v, dtype=float).reshape(-1, self.dim),
                                               self.features)

        return product

    def _curvature_product(self, curvature, v, inputs):
        count = inputs.shape[-2]
        weighted = curvature * self._scores(v, inputs)
        out = np.empty_like(v)
        if inputs.ndim == 2:
            out[:, :-1] = weighted @ inputs
        else:
            out[:, :-1] = np.matmul(weighted[:, None, :], inputs)[:, 0, :]
        out[:, :-1] /= count
        out[:, :-1] += (self.regularization / count) * v[:, :-1]
        out[:, -1] = weighted.mean(axis=1)
        return out

    def _hessian(self, x):
        """``Dᵀ diag(c) D / m + λ/m diag(1, .., 1, 0)``: one matrix product per point."""
        design = np.column_stack([self.features, np.ones(self.data_size)])  # (m, dim)
        flat = x.reshape(-1, self.dim)
        out = np.empty((len(flat), self.dim, self.dim))
        size = max(1, CHUNK_ELEMENTS // (self.data_size * self.dim))
        for part in _slices(len(flat), size):
            curvature = self._curvature(self._scores(flat[part], self.features), self.targets)
            weighted = curvature[:, :, None] * design  # (P, m, dim)
            out[part] = np.matmul(np.swapaxes(weighted, 1, 2), design) / self.data_size
        mask = np.append(np.ones(self.n_features), 0.0)
        out += self.regularization / self.data_size * np.diag(mask)
        return out.reshape(x.shape + (self.dim,))

    # ---- the minimizer ---------------------------------------------------------
    def _minimize(self, iterations=100):
        """Newton's method with step halving from the origin; None if there is no minimizer."""
        theta = np.zeros(self.dim)
        value, grad = self._value_and_grad(theta)
        for _ in range(iterations):
            step = _solve(self._hessian(theta), grad)
            scale = 1.0
            while True:  # halve until the cost does not rise (Newton overshoots on flat logistic tails)
                trial = theta - scale * step
                trial_value, trial_grad = self._value_and_grad(trial)
                if trial_value <= value or scale < 1e-10:
                    break
                scale *= 0.5
            theta, value, grad = trial, trial_value, trial_grad
            if self._has_no_minimizer(theta):
                return None
            if np.linalg.norm(scale * step) <= 1e-13 * max(1.0, np.linalg.norm(theta)):
                break
        good = np.isfinite(theta).all() and np.linalg.norm(grad) < 1e-9
        if not good and self._has_no_minimizer(None):
            return None
        return theta if good else None

    def _has_no_minimizer(self, theta) -> bool:
        """Whether the cost provably has no minimizer (only logistic regression can say so)."""
        return False


def _solve(hessian, grad):
    """``H⁻¹ g`` by Cholesky, or least squares when ``H`` is singular."""
    from scipy.linalg import LinAlgError, cho_factor, cho_solve

    try:
        return cho_solve(cho_factor(hessian), grad)
    except (LinAlgError, ValueError):
        return np.linalg.lstsq(hessian, grad, rcond=None)[0]


def _synthetic_inputs(rng, m, n, feature_scale):
    """Standard normal features with spreads growing geometrically from 1 to ``feature_scale``."""
    spreads = np.geomspace(1.0, feature_scale, n) if n > 1 else np.array([feature_scale])
    return rng.standard_normal((m, n)) * spreads, spreads


@register("linear_regression")
class LinearRegression(LinearModel):
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
        super().__init__(inputs, targets, regularization, loss="squared", name="linear_regression",
                         params=params)


@register("logistic_regression")
class LogisticRegression(LinearModel):
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

    Attributes
    ----------
    separable : bool
        Whether the two classes are linearly separable. Without a penalty
        the cost then has no minimizer: it decreases towards 0 along any
        separating direction and never reaches it. ``minima`` is empty, and a
        ``NoMinimizerWarning`` says so when the surface is built; any
        ``regularization > 0`` gives a unique minimizer.

    Notes
    -----
    ``ŷ = σ(w·x + b)``. Labels are drawn from the logistic model with
    ``w*_j ~ 2 N(0, 1)/s_j`` and ``b* ~ N(0, 1)``. The classes overlap for
    few features, but their labels become nearly deterministic as ``n``
    grows (the score's spread grows like ``2√n``), and with ``m`` below
    about ``2n`` any labels are separable (Cover 1965): e.g. ``m = 2000,
    n = 200`` is separable. Losses are ``log(1 + e^z) − y z`` without
    overflow.

    Separability is proven, not guessed: Newton's method from the origin
    either converges to a minimizer, or meets an iterate ``θ`` whose score
    has the sign of every label (``(2y − 1) z > 0`` for all examples), a
    certificate that the classes are separable; when neither happens a
    linear program looks for a separating ``θ`` with margins at least 1.
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
        self.separable = False
        params = {"m": m, "n": n, "seed": seed}
        params |= {"feature_scale": feature_scale, "regularization": regularization}
        super().__init__(inputs, targets, regularization, loss="logistic", name="logistic_regression",
                         params=params)
        if self.separable and regularization == 0:
            warnings.warn(
                f"logistic_regression(m={m}, n={n}, seed={seed}): the classes are linearly separable, "
                "so the cost has no minimizer (it falls towards 0 along a separating direction); "
                "pass regularization > 0 (e.g. 1e-3) for a unique one",
                NoMinimizerWarning,
                stacklevel=2,
            )

    def _has_no_minimizer(self, theta) -> bool:
        if self.regularization > 0:
            return False
        if theta is None:
            self.separable = _separating_program(self.features, self.targets)
        else:
            margins = (2.0 * self.targets - 1.0) * (self.features @ theta[:-1] + theta[-1])
            self.separable = bool(np.all(margins > 0))
        return self.separable


def _separating_program(features, targets) -> bool:
    """Whether some ``(w, b)`` has ``(2y − 1)(w·x + b) >= 1`` on every example (a linear program)."""
    from scipy.optimize import linprog

    signs = 2.0 * targets - 1.0
    design = np.column_stack([features, np.ones(len(targets))]) * signs[:, None]
    result = linprog(
        np.zeros(design.shape[1]), A_ub=-design, b_ub=-np.ones(len(targets)), bounds=(None, None),
        method="highs",
    )
    return result.status == 0
