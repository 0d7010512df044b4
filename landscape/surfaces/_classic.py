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

    def _value(self, x):
        head, tail = x[..., :-1], x[..., 1:]
        return np.sum(self.b * (tail - head**2) ** 2 + (self.a - head) ** 2, axis=-1)

    def _grad(self, x):
        # written with out= so a step allocates two temporaries, not six
        head, tail = x[..., :-1], x[..., 1:]
        inner = np.multiply(head, head)
        np.subtract(tail, inner, out=inner)  # x_{i+1} - x_i^2
        g = np.empty_like(x)
        g[..., -1] = 0.0
        from_head = g[..., :-1]
        np.multiply(head, inner, out=from_head)
        np.multiply(from_head, -4.0 * self.b, out=from_head)
        miss = np.subtract(head, self.a)
        np.multiply(miss, 2.0, out=miss)
        np.add(from_head, miss, out=from_head)
        np.multiply(inner, 2.0 * self.b, out=inner)
        np.add(g[..., 1:], inner, out=g[..., 1:])
        return g

    def _value_and_grad(self, x):
        head, tail = x[..., :-1], x[..., 1:]
        inner = tail - head**2
        value = np.sum(self.b * inner**2 + (self.a - head) ** 2, axis=-1)
        return value, self._grad(x)

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

    def _value(self, x):
        u, v = x[..., 0], x[..., 1]
        return (u**2 + v - 11.0) ** 2 + (u + v**2 - 7.0) ** 2

    def _grad(self, x):
        u, v = x[..., 0], x[..., 1]
        p, q = u**2 + v - 11.0, u + v**2 - 7.0
        return np.stack([4.0 * u * p + 2.0 * q, 2.0 * p + 4.0 * v * q], axis=-1)

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
        """Residuals r_i and their first and second partial derivatives."""
        u, v = x[..., 0], x[..., 1]
        for i, c in enumerate(self._C, start=1):
            r = c - u + u * v**i
            ru, rv = v**i - 1.0, i * u * v ** (i - 1)
            ruv = i * v ** (i - 1)
            rvv = i * (i - 1) * u * v ** (i - 2) if i >= 2 else np.zeros_like(u)
            yield r, ru, rv, ruv, rvv

    def _value(self, x):
        return sum(r**2 for r, *_ in self._terms(x))

    def _grad(self, x):
        gu = gv = 0.0
        for r, ru, rv, _, _ in self._terms(x):
            gu = gu + 2.0 * r * ru
            gv = gv + 2.0 * r * rv
        return np.stack(np.broadcast_arrays(gu, gv), axis=-1)

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

    def _value(self, x):
        u, v = x[..., 0], x[..., 1]
        return (4.0 - 2.1 * u**2 + u**4 / 3.0) * u**2 + u * v + (-4.0 + 4.0 * v**2) * v**2

    def _grad(self, x):
        u, v = x[..., 0], x[..., 1]
        return np.stack([8.0 * u - 8.4 * u**3 + 2.0 * u**5 + v, u - 8.0 * v + 16.0 * v**3], -1)

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

    def _value(self, x):
        return 10.0 * self.dim + np.sum(x**2 - 10.0 * np.cos(2.0 * np.pi * x), axis=-1)

    def _grad(self, x):
        return 2.0 * x + 20.0 * np.pi * np.sin(2.0 * np.pi * x)

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

    def _value(self, x):
        return 0.5 * np.sum(x**4 - 16.0 * x**2 + 5.0 * x, axis=-1)

    def _grad(self, x):
        return 2.0 * x**3 - 16.0 * x + 2.5

    def _second(self, x):
        return 6.0 * x**2 - 16.0
