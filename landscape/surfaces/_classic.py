"""Classic optimization test functions on their textbook domains.

References
----------
.. [1] M. Jamil and X.-S. Yang, "A literature survey of benchmark functions
   for global optimization problems", Int. J. Math. Model. Numer. Optim. 4
   (2013) 150-194.
.. [2] S. Surjanovic and D. Bingham, "Virtual Library of Simulation
   Experiments: Test Functions and Datasets", Simon Fraser University.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int, check_positive
from ._base import Surface
from ._elementwise import ChainFunctions, PointFunctions, SeparableFunctions
from ._registry import register


def _diagonal(diag: np.ndarray) -> np.ndarray:
    """Batched diagonal matrices from ``(..., dim)`` diagonals."""
    return diag[..., None] * np.eye(diag.shape[-1])


@register("rosenbrock")
class Rosenbrock(Surface):
    r"""Rosenbrock's banana valley, Σ b(x_{i+1} − x_i²)² + (a − x_i)².

    .. math:: f(x) = \sum_{i=1}^{n-1} b\,(x_{i+1} - x_i^2)^2 + (a - x_i)^2

    Parameters
    ----------
    dim : int
        Dimension, >= 2.
    a, b : float
        Shape parameters (> 0); the classic choice is ``a = 1, b = 100``.

    Notes
    -----
    Domain ``[-2, 2] x [-1, 3]`` in 2-D, ``[-2.048, 2.048]^n`` otherwise. Global minimum
    ``f(a, a², ...) = 0`` (for ``a = 1``: all ones); in 2-D it is the only
    critical point. Classic start ``(-1.2, 1, ...)`` [1]_.

    References
    ----------
    .. [1] H. H. Rosenbrock, "An automatic method for finding the greatest or
       least value of a function", Comput. J. 3 (1960) 175-184.
    """

    thread_safe = True

    def __init__(self, dim=2, a=1.0, b=100.0):
        dim = check_int("dim", dim, minimum=2)
        self.a, self.b = check_positive("a", a), check_positive("b", b)
        if dim == 2:
            bounds = [[-2.0, 2.0], [-1.0, 3.0]]
        else:  # De Jong's domain
            bounds = np.tile([-2.048, 2.048], (dim, 1))
        start = np.where(np.arange(dim) % 2 == 0, -1.2, 1.0)
        if dim == 2:
            minima = [[self.a, self.a**2]]
        else:  # the chain x_{i+1} = x_i^2 = a^2 closes only for a = 1
            minima = np.ones((1, dim)) if self.a == 1.0 else None
        super().__init__(
            dim=dim,
            bounds=bounds,
            name="rosenbrock",
            params={"dim": dim, "a": self.a, "b": self.b},
            default_start=start,
            minima=minima,
        )

    def point_functions(self):
        return ChainFunctions(rosenbrock_term, [self.a, self.b])

    def _hessian(self, x):
        head, tail = x[..., :-1], x[..., 1:]
        diag = np.zeros_like(x)
        diag[..., :-1] = 2.0 - 4.0 * self.b * (tail - 3.0 * head**2)
        diag[..., 1:] += 2.0 * self.b
        hessian = _diagonal(diag)
        off = -4.0 * self.b * head
        i = np.arange(self.dim - 1)
        hessian[..., i, i + 1] = off
        hessian[..., i + 1, i] = off
        return hessian

    def _hvp(self, x, v):
        head, tail = x[..., :-1], x[..., 1:]
        diag = np.zeros_like(x)
        diag[..., :-1] = 2.0 - 4.0 * self.b * (tail - 3.0 * head**2)
        diag[..., 1:] += 2.0 * self.b
        off = -4.0 * self.b * head
        out = diag * v
        out[..., :-1] += off * v[..., 1:]
        out[..., 1:] += off * v[..., :-1]
        return out


@register("himmelblau")
class Himmelblau(Surface):
    r"""Himmelblau's function (x² + y − 11)² + (x + y² − 7)²: four equal minima.

    Notes
    -----
    Domain ``[-5, 5]²``. Nine critical points: four global minima with
    ``f = 0`` at ``(3, 2)``, ``(-2.805118, 3.131312)``,
    ``(-3.779310, -3.283186)``, ``(3.584428, -1.848126)``; one local maximum
    ``f(-0.270845, -0.923039) = 181.617``; four saddles [1]_.

    References
    ----------
    .. [1] D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill, 1972.
    """

    thread_safe = True

    def __init__(self):
        super().__init__(
            dim=2,
            bounds=[[-5.0, 5.0], [-5.0, 5.0]],
            name="himmelblau",
            default_start=[0.0, -4.5],
            minima=[
                [3.0, 2.0],
                [-2.805118086952745, 3.131312518250573],
                [-3.779310253377747, -3.283185991286170],
                [3.584428340330492, -1.848126526964404],
            ],
        )

    def point_functions(self):
        return PointFunctions(himmelblau)

    def _hessian(self, x):
        u, v = x[..., 0], x[..., 1]
        uu = 12.0 * u**2 + 4.0 * v - 42.0
        uv = 4.0 * (u + v)
        vv = 4.0 * u + 12.0 * v**2 - 26.0
        return np.stack([np.stack([uu, uv], -1), np.stack([uv, vv], -1)], -2)


@register("beale")
class Beale(Surface):
    r"""Beale's function Σ (c_i − x + x yⁱ)², c = (1.5, 2.25, 2.625): flat, sharp-edged valleys.

    Notes
    -----
    Domain ``[-4.5, 4.5]²``. Global minimum ``f(3, 0.5) = 0`` [1]_; the point
    ``(0, 1)`` is a saddle.

    References
    ----------
    .. [1] E. M. L. Beale, "On an iterative method for finding a local minimum
       of a function of more than one variable", Tech. Rep. 25, Princeton, 1958.
    """

    thread_safe = True

    _C = (1.5, 2.25, 2.625)

    def __init__(self):
        super().__init__(
            dim=2,
            bounds=[[-4.5, 4.5], [-4.5, 4.5]],
            name="beale",
            default_start=[-1.0, -1.5],
            minima=[[3.0, 0.5]],
        )

    def _terms(self, x):
        """Residuals r_i and their first and second partial derivatives (for the Hessian)."""
        u, v = x[..., 0], x[..., 1]
        for i, c in enumerate(self._C, start=1):
            r = c - u + u * v**i
            ru, rv = v**i - 1.0, i * u * v ** (i - 1)
            ruv = i * v ** (i - 1)
            rvv = i * (i - 1) * u * v ** (i - 2) if i >= 2 else np.zeros_like(u)
            yield r, ru, rv, ruv, rvv

    def point_functions(self):
        return PointFunctions(beale)

    def _hessian(self, x):
        uu = uv = vv = 0.0
        for r, ru, rv, ruv, rvv in self._terms(x):
            uu = uu + 2.0 * ru * ru
            uv = uv + 2.0 * (ru * rv + r * ruv)
            vv = vv + 2.0 * (rv * rv + r * rvv)
        uu, uv, vv = np.broadcast_arrays(uu, uv, vv)
        return np.stack([np.stack([uu, uv], -1), np.stack([uv, vv], -1)], -2)


@register("six_hump_camel")
class SixHumpCamel(Surface):
    r"""Six-hump camel (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²: six local minima.

    Notes
    -----
    Domain ``[-3, 3] x [-2, 2]``. Two global minima
    ``f(±0.0898420, ∓0.7126564) = -1.0316285`` and four other local minima
    [1]_.

    References
    ----------
    .. [1] L. C. W. Dixon and G. P. Szegő, "The global optimization problem:
       an introduction", in Towards Global Optimisation 2, 1978.
    """

    thread_safe = True

    def __init__(self):
        super().__init__(
            dim=2,
            bounds=[[-3.0, 3.0], [-2.0, 2.0]],
            name="six_hump_camel",
            default_start=[-2.0, 1.5],
            minima=[[0.08984201368301331, -0.7126564032704135], [-0.08984201368301331, 0.7126564032704135]],
        )

    def point_functions(self):
        return PointFunctions(six_hump_camel)

    def _hessian(self, x):
        u, v = x[..., 0], x[..., 1]
        uu = 8.0 - 25.2 * u**2 + 10.0 * u**4
        vv = -8.0 + 48.0 * v**2
        one = np.ones_like(u)
        return np.stack([np.stack([uu, one], -1), np.stack([one, vv], -1)], -2)


class _Separable(Surface):
    """A sum of one 1-D function per coordinate: diagonal Hessian."""

    thread_safe = True

    def _hvp(self, x, v):
        return self._second(x) * v

    def _hessian(self, x):
        return _diagonal(self._second(x))


@register("rastrigin")
class Rastrigin(_Separable):
    r"""Rastrigin's function 10n + Σ (x_i² − 10 cos 2πx_i): a regular field of local minima.

    Parameters
    ----------
    dim : int
        Dimension, >= 1.

    Notes
    -----
    Domain ``[-5.12, 5.12]^n``. Global minimum ``f(0) = 0``. Each coordinate
    has 21 critical points in the domain (11 minima, 10 maxima), so the 2-D
    function has 441: 121 minima, 100 maxima and 220 saddles [1]_.

    References
    ----------
    .. [1] L. A. Rastrigin, Systems of Extremal Control, Nauka, Moscow, 1974.
    """

    def __init__(self, dim=2):
        dim = check_int("dim", dim, minimum=1)
        super().__init__(
            dim=dim,
            bounds=np.tile([-5.12, 5.12], (dim, 1)),
            name="rastrigin",
            params={"dim": dim},
            default_start=np.full(dim, 4.4),
            minima=np.zeros((1, dim)),
        )

    def point_functions(self):
        return SeparableFunctions(rastrigin_term, offset=10.0 * self.dim)

    def _second(self, x):
        return 2.0 + 40.0 * np.pi**2 * np.cos(2.0 * np.pi * x)


@register("styblinski_tang")
class StyblinskiTang(_Separable):
    r"""Styblinski–Tang ½ Σ (x_i⁴ − 16x_i² + 5x_i): 2ⁿ local minima, one global.

    Parameters
    ----------
    dim : int
        Dimension, >= 1.

    Notes
    -----
    Domain ``[-5, 5]^n``. Global minimum ``f(-2.903534, ...) = -39.16617 n``.
    Each coordinate has three critical points, so there are ``3^n`` in all
    (in 2-D: 4 minima, 1 maximum, 4 saddles) [1]_.

    References
    ----------
    .. [1] M. A. Styblinski and T.-S. Tang, "Experiments in nonconvex
       optimization", Neural Networks 3 (1990) 467-483.
    """

    MINIMIZER = -2.903534027771178

    def __init__(self, dim=2):
        dim = check_int("dim", dim, minimum=1)
        super().__init__(
            dim=dim,
            bounds=np.tile([-5.0, 5.0], (dim, 1)),
            name="styblinski_tang",
            params={"dim": dim},
            default_start=np.full(dim, 4.5),
            minima=np.full((1, dim), self.MINIMIZER),
        )

    def point_functions(self):
        return SeparableFunctions(styblinski_tang_term, scale=0.5)

    def _second(self, x):
        return 6.0 * x**2 - 16.0


# ---- the formulas (see PointFunctions, SeparableFunctions, ChainFunctions) -------------------


def rosenbrock_term(head, tail, p):
    """b (x_{i+1} − x_i²)² + (a − x_i)² and its two partial derivatives, ``p = (a, b)``."""
    a, b = p[0], p[1]
    inner = tail - head**2
    value = b * inner**2 + (a - head) ** 2
    return value, -4.0 * b * head * inner - 2.0 * (a - head), 2.0 * b * inner


def himmelblau(x, p):
    """(x² + y − 11)² + (x + y² − 7)²."""
    u, v = x
    first, second = u**2 + v - 11.0, u + v**2 - 7.0
    return first**2 + second**2, (4.0 * u * first + 2.0 * second, 2.0 * first + 4.0 * v * second)


def beale(x, p):
    """Σ (c_i − x + x yⁱ)² for c = (1.5, 2.25, 2.625)."""
    u, v = x
    r1 = 1.5 - u + u * v
    r2 = 2.25 - u + u * v**2
    r3 = 2.625 - u + u * v**3
    value = r1**2 + r2**2 + r3**2
    du = 2.0 * (r1 * (v - 1.0) + r2 * (v**2 - 1.0) + r3 * (v**3 - 1.0))
    dv = 2.0 * u * (r1 + 2.0 * r2 * v + 3.0 * r3 * v**2)
    return value, (du, dv)


def six_hump_camel(x, p):
    """(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²."""
    u, v = x
    value = (4.0 - 2.1 * u**2 + u**4 / 3.0) * u**2 + u * v + (-4.0 + 4.0 * v**2) * v**2
    return value, (8.0 * u - 8.4 * u**3 + 2.0 * u**5 + v, u - 8.0 * v + 16.0 * v**3)


def rastrigin_term(x, p):
    """x² − 10 cos 2πx and its derivative."""
    return x**2 - 10.0 * np.cos(2.0 * np.pi * x), 2.0 * x + 20.0 * np.pi * np.sin(2.0 * np.pi * x)


def styblinski_tang_term(x, p):
    """x⁴ − 16x² + 5x and its derivative."""
    return x**4 - 16.0 * x**2 + 5.0 * x, 4.0 * x**3 - 32.0 * x + 5.0
