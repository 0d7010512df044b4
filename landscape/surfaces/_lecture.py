"""The lecture's pictures: the elongated bowl, saddles and plateaus."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive, check_scalar
from ._base import Surface
from ._elementwise import PointFunctions
from ._registry import register


@register("elongated_bowl")
class ElongatedBowl(Surface):
    r"""Quadratic bowl ½(u² + κ v²): why gradient descent oscillates.

    .. math:: f(x) = \tfrac12\, x^\top R^\top \operatorname{diag}(1, \kappa) R\, x

    where ``R`` rotates by ``angle`` degrees, so the steep direction (curvature
    ``kappa``) is the y-axis for ``angle=0``.

    Parameters
    ----------
    kappa : float
        Condition number (curvature ratio), > 0.
    angle : float
        Rotation of the axes in degrees.

    Notes
    -----
    Domain: ``[-4, 4] x [-2, 2]`` unrotated, ``[-4, 4]²`` when rotated.
    Minimum ``f(0, 0) = 0``; gradient descent with step ``α`` converges iff
    ``α < 2/κ`` (for ``κ >= 1``).
    """

    thread_safe = True

    def __init__(self, kappa=10.0, angle=0.0):
        kappa = check_positive("kappa", kappa)
        angle = check_scalar("angle", angle, low=-360, high=360)
        theta = np.deg2rad(angle)
        rotation = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
        self.matrix = rotation.T @ np.diag([1.0, kappa]) @ rotation
        bounds = [[-4.0, 4.0], [-2.0, 2.0]] if angle == 0 else [[-4.0, 4.0], [-4.0, 4.0]]
        super().__init__(
            dim=2,
            bounds=bounds,
            name="elongated_bowl",
            params={"kappa": kappa, "angle": angle},
            default_start=rotation.T @ np.array([-3.5, 1.5]),
            minima=[[0.0, 0.0]],
        )

    def point_functions(self):
        return PointFunctions(elongated_bowl, self.matrix.reshape(-1))

    def _hessian(self, x):
        return np.broadcast_to(self.matrix, x.shape + (2,)).copy()

    def _hvp(self, x, v):
        return v @ self.matrix


@register("saddle")
class Saddle(Surface):
    r"""Saddle x² − y²: a critical point that is not an optimum.

    Notes
    -----
    Domain ``[-2, 2]²``. One critical point, the saddle at the origin with
    Hessian ``diag(2, -2)``: index 1, escape direction ``(0, 1)``. Unbounded
    below.
    """

    thread_safe = True

    def __init__(self):
        super().__init__(
            dim=2, bounds=[[-2.0, 2.0], [-2.0, 2.0]], name="saddle", default_start=[1.8, 0.02]
        )

    def point_functions(self):
        return PointFunctions(saddle)

    def _hessian(self, x):
        return np.broadcast_to(np.diag([2.0, -2.0]), x.shape + (2,)).copy()


@register("monkey_saddle")
class MonkeySaddle(Surface):
    r"""Monkey saddle x³ − 3xy²: a degenerate critical point at the origin.

    Notes
    -----
    Domain ``[-1.5, 1.5]²``. The only critical point is the origin, where the
    Hessian vanishes: second-order analysis cannot classify it (degenerate).
    """

    thread_safe = True

    def __init__(self):
        super().__init__(
            dim=2, bounds=[[-1.5, 1.5], [-1.5, 1.5]], name="monkey_saddle", default_start=[1.2, 0.3]
        )

    def point_functions(self):
        return PointFunctions(monkey_saddle)

    def _hessian(self, x):
        u, v = x[..., 0], x[..., 1]
        return np.stack(
            [np.stack([6.0 * u, -6.0 * v], -1), np.stack([-6.0 * v, -6.0 * u], -1)], axis=-2
        )


@register("plateau_well")
class PlateauWell(Surface):
    r"""A narrow well in a wide plateau: depth·(1 − exp(−r²/(2 w²))).

    Far from the origin the gradient is nearly zero, so plain gradient descent
    crawls; methods that normalize the step (RMSprop, Adam) cross quickly.

    Parameters
    ----------
    width : float
        Width ``w`` of the well, > 0.
    depth : float
        Height of the plateau above the minimum, > 0.

    Notes
    -----
    Domain ``[-4, 4]²``. One critical point, the minimum ``f(0, 0) = 0``;
    ``|∇f| = depth · r/w² · exp(−r²/(2w²))``.
    """

    thread_safe = True

    def __init__(self, width=1.0, depth=1.0):
        self.width = check_positive("width", width)
        self.depth = check_positive("depth", depth)
        super().__init__(
            dim=2,
            bounds=[[-4.0, 4.0], [-4.0, 4.0]],
            name="plateau_well",
            params={"width": self.width, "depth": self.depth},
            default_start=[3.0, 2.0],
            minima=[[0.0, 0.0]],
        )

    def point_functions(self):
        return PointFunctions(plateau_well, [self.width, self.depth])

    def _hessian(self, x):
        w2 = self.width**2
        bump = np.exp(-np.einsum("...i,...i->...", x, x) / (2.0 * w2))
        outer = np.einsum("...i,...j->...ij", x, x)
        return (self.depth / w2) * bump[..., None, None] * (np.eye(2) - outer / w2)


@register("plateau_cliff")
class PlateauCliff(Surface):
    r"""A gently sloping plateau that ends at a cliff above a valley.

    .. math::
        f(x, y) = \frac{h}{1 + e^{s x}} + a (x - 1)^2 + \tfrac12 y^2

    For ``x < 0`` the surface is a plateau of height about ``h`` with slope
    ``2a(x-1)``; at ``x = 0`` it drops by ``h`` over a width ``1/s`` (the
    cliff, gradient up to ``h s / 4``); the minimum lies just past ``x = 1``.

    Parameters
    ----------
    height : float
        Height ``h`` of the cliff, > 0.
    steepness : float
        ``s``, > 0.
    slope : float
        ``a``, the weak quadratic that tilts the plateau, > 0.

    Notes
    -----
    Domain ``[-4, 3] x [-2, 2]``. For the defaults there is exactly one
    critical point, the minimum, because ``∂f/∂x < 0`` for all ``x < 1``.
    """

    thread_safe = True

    def __init__(self, height=1.0, steepness=6.0, slope=0.005):
        self.height = check_positive("height", height)
        self.steepness = check_positive("steepness", steepness)
        self.slope = check_positive("slope", slope)
        super().__init__(
            dim=2,
            bounds=[[-4.0, 3.0], [-2.0, 2.0]],
            name="plateau_cliff",
            params={"height": self.height, "steepness": self.steepness, "slope": self.slope},
            default_start=[-3.5, 1.5],
        )
        self.minima = np.array([[self._minimizer_x(), 0.0]])

    def point_functions(self):
        return PointFunctions(plateau_cliff, [self.height, self.steepness, self.slope])

    def _dx(self, u):
        s = sigmoid(self.steepness * u)
        return -self.height * self.steepness * s * (1.0 - s) + 2.0 * self.slope * (u - 1.0), s

    def _hessian(self, x):
        _, s = self._dx(x[..., 0])
        dxx = -self.height * self.steepness**2 * s * (1.0 - s) * (1.0 - 2.0 * s) + 2.0 * self.slope
        zero = np.zeros_like(dxx)
        return np.stack([np.stack([dxx, zero], -1), np.stack([zero, np.ones_like(dxx)], -1)], -2)

    def _minimizer_x(self):
        from scipy.optimize import brentq

        return brentq(lambda u: self._dx(u)[0], 1.0, 1.0 + self.height * self.steepness / self.slope)


# ---- the formulas: value and gradient at one point (see PointFunctions) ----------------------


def elongated_bowl(x, p):
    """½ xᵀAx with ``A`` given row by row in ``p``."""
    g0 = p[0] * x[0] + p[1] * x[1]
    g1 = p[2] * x[0] + p[3] * x[1]
    return 0.5 * (g0 * x[0] + g1 * x[1]), (g0, g1)


def saddle(x, p):
    """x² − y²."""
    return x[0] ** 2 - x[1] ** 2, (2.0 * x[0], -2.0 * x[1])


def monkey_saddle(x, p):
    """x³ − 3xy²."""
    u, v = x
    return u**3 - 3.0 * u * v**2, (3.0 * u**2 - 3.0 * v**2, -6.0 * u * v)


def plateau_well(x, p):
    """depth · (1 − exp(−r²/(2 w²))) with ``p = (w, depth)``."""
    width, depth = p[0], p[1]
    bump = np.exp(-(x[0] ** 2 + x[1] ** 2) / (2.0 * width**2))
    slope = depth / width**2 * bump
    return depth * (1.0 - bump), (slope * x[0], slope * x[1])


def sigmoid(u):
    """The logistic function 1/(1 + e^−u), written without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def plateau_cliff(x, p):
    """h σ(−s x) + a (x − 1)² + ½ y² with ``p = (h, s, a)``."""
    height, steepness, slope = p[0], p[1], p[2]
    rise = sigmoid(steepness * x[0])
    value = height * sigmoid(-steepness * x[0]) + slope * (x[0] - 1.0) ** 2 + 0.5 * x[1] ** 2
    dx = -height * steepness * rise * (1.0 - rise) + 2.0 * slope * (x[0] - 1.0)
    return value, (dx, x[1])
