"""Analytic surfaces as scalar kernels, and how the generated drivers call them.

A surface reaches the compiled engine in one of three shapes:

``PointKernel``
    ``value_and_grad(x, p) -> (value, (g_0, ..., g_{dim-1}))`` on one point
    ``x`` (a tuple of ``dim`` floats) with parameters ``p`` (a float64 array).
    All fixed-dimension surfaces use it, and so do users' own surfaces (see
    ``Surface.point_functions``).
``SeparableKernel``
    ``f(x) = offset + scale · Σ_d term(x_d)`` with
    ``term(x_d, p) -> (value, derivative)``: Rastrigin, Styblinski-Tang.
``ChainKernel``
    ``f(x) = Σ_d term(x_d, x_{d+1})`` with
    ``term(a, b, p) -> (value, ∂/∂a, ∂/∂b)``: Rosenbrock.

In small dimensions (``config.FUSED_MAX_DIM``) the driver keeps one
particle's coordinates in registers (``emit_fused``: straight-line code over
``x_0 ... x_{dim-1}``); above, separable and chain surfaces run as loops over
blocks of particles (``emit_block``). Every formula mirrors the numpy surface
in ``landscape.surfaces`` operation by operation.
"""

from __future__ import annotations

import numpy as np

from ... import surfaces as s
from .config import kernel

# ---- fixed-dimension surfaces ----------------------------------------------


@kernel
def elongated_bowl(x, p):
    g0 = x[0] * p[0] + x[1] * p[2]
    g1 = x[0] * p[1] + x[1] * p[3]
    return 0.5 * (g0 * x[0] + g1 * x[1]), (g0, g1)


@kernel
def saddle(x, p):
    return x[0] ** 2 - x[1] ** 2, (2.0 * x[0], -2.0 * x[1])


@kernel
def monkey_saddle(x, p):
    u, v = x
    return u**3 - 3.0 * u * v**2, (3.0 * u**2 - 3.0 * v**2, -6.0 * u * v)


@kernel
def plateau_well(x, p):
    width, depth = p[0], p[1]
    bump = np.exp(-(x[0] * x[0] + x[1] * x[1]) / (2.0 * width**2))
    scale = (depth / width**2) * bump
    return depth * (1.0 - bump), (scale * x[0], scale * x[1])


@kernel
def _sigmoid(u):
    return 0.5 * (1.0 + np.tanh(0.5 * u))


@kernel
def plateau_cliff(x, p):
    height, steepness, slope = p[0], p[1], p[2]
    step = height * _sigmoid(-steepness * x[0])
    value = step + slope * (x[0] - 1.0) ** 2 + 0.5 * x[1] ** 2
    sig = _sigmoid(steepness * x[0])
    dx = -height * steepness * sig * (1.0 - sig) + 2.0 * slope * (x[0] - 1.0)
    return value, (dx, x[1])


@kernel
def himmelblau(x, p):
    u, v = x
    a, b = u**2 + v - 11.0, u + v**2 - 7.0
    return a**2 + b**2, (4.0 * u * a + 2.0 * b, 2.0 * a + 4.0 * v * b)


@kernel
def beale(x, p):
    u, v = x
    value = gu = gv = 0.0
    power = 1.0  # v**(i-1)
    for i, c in ((1, 1.5), (2, 2.25), (3, 2.625)):
        r = c - u + u * (power * v)
        ru, rv = power * v - 1.0, i * u * power
        value += r**2
        gu += 2.0 * r * ru
        gv += 2.0 * r * rv
        power *= v
    return value, (gu, gv)


@kernel
def six_hump_camel(x, p):
    u, v = x
    value = (4.0 - 2.1 * u**2 + u**4 / 3.0) * u**2 + u * v + (-4.0 + 4.0 * v**2) * v**2
    return value, (8.0 * u - 8.4 * u**3 + 2.0 * u**5 + v, u - 8.0 * v + 16.0 * v**3)


# ---- any dimension -------------------------------------------------------------


@kernel
def rastrigin_term(x, p):
    return x**2 - 10.0 * np.cos(2.0 * np.pi * x), 2.0 * x + 20.0 * np.pi * np.sin(2.0 * np.pi * x)


@kernel
def styblinski_tang_term(x, p):
    return x**4 - 16.0 * x**2 + 5.0 * x, 2.0 * x**3 - 16.0 * x + 2.5


@kernel
def rosenbrock_term(head, tail, p):
    a, b = p[0], p[1]
    inner = tail - head * head
    value = b * inner**2 + (a - head) ** 2
    return value, head * inner * (-4.0 * b) + (head - a) * 2.0, inner * (2.0 * b)


def _names(prefix, dim):
    return ", ".join(f"{prefix}_{d}" for d in range(dim)) + ("," if dim == 1 else "")


class PointKernel:
    """A surface given by one ``value_and_grad(x, p)`` on whole points."""

    block = False

    def __init__(self, name, value_and_grad, params=()):
        self.name, self.value_and_grad = name, value_and_grad
        self.params = np.asarray(params, dtype=np.float64).reshape(-1)
        self.data = ()

    def emit_fused(self, builder, dim):
        f = builder.function(f"surface_{self.name}", self.value_and_grad)
        return [f"v, ({_names('g', dim)}) = {f}(({_names('x', dim)}), sp)"]


class SeparableKernel:
    """``offset + scale · Σ term(x_d)``."""

    block = True

    def __init__(self, name, term, offset, scale):
        self.name, self.term, self.offset, self.scale = name, term, offset, scale
        self.params = np.zeros(1)
        self.data = ()

    def emit_fused(self, builder, dim):
        f = builder.function(f"term_{self.name}", self.term)
        lines = [f"v_{d}, g_{d} = {f}(x_{d}, sp)" for d in range(dim)]
        total = " + ".join(f"v_{d}" for d in range(dim))
        return lines + [f"v = {self.offset!r} + {self.scale!r} * ({total})"]

    def emit_block(self, builder):
        f = builder.function(f"term_{self.name}", self.term)
        return [
            "for i in range(n):",
            "    v[i] = 0.0",
            "for d in range(DIM):",
            "    for i in range(n):",
            f"        value, g[d, i] = {f}(xb[d, i], sp)",
            "        v[i] += value",
            "for i in range(n):",
            f"    v[i] = {self.offset!r} + {self.scale!r} * v[i]",
        ]


class ChainKernel:
    """``Σ term(x_d, x_{d+1})``."""

    block = True

    def __init__(self, name, term, params):
        self.name, self.term = name, term
        self.params = np.asarray(params, dtype=np.float64)
        self.data = ()

    def emit_fused(self, builder, dim):
        f = builder.function(f"term_{self.name}", self.term)
        lines = [f"v_{d}, l_{d}, r_{d} = {f}(x_{d}, x_{d + 1}, sp)" for d in range(dim - 1)]
        lines.append("g_0 = l_0")
        lines += [f"g_{d} = l_{d} + r_{d - 1}" for d in range(1, dim - 1)]
        lines.append(f"g_{dim - 1} = r_{dim - 2}")
        return lines + ["v = " + " + ".join(f"v_{d}" for d in range(dim - 1))]

    def emit_block(self, builder):
        f = builder.function(f"term_{self.name}", self.term)
        return [
            "for i in range(n):",
            "    v[i] = 0.0",
            "    g[DIM - 1, i] = 0.0",
            "for d in range(DIM - 1):",
            "    for i in range(n):",
            f"        value, left, right = {f}(xb[d, i], xb[d + 1, i], sp)",
            "        v[i] += value",
            "        g[d, i] = left if d == 0 else left + g[d, i]",
            "        g[d + 1, i] = right",
        ]


def _bowl(surface):
    return PointKernel("elongated_bowl", elongated_bowl, surface.matrix)


ANALYTIC = {
    s.ElongatedBowl: _bowl,
    s.Saddle: lambda surface: PointKernel("saddle", saddle),
    s.MonkeySaddle: lambda surface: PointKernel("monkey_saddle", monkey_saddle),
    s.PlateauWell: lambda sf: PointKernel("plateau_well", plateau_well, [sf.width, sf.depth]),
    s.PlateauCliff: lambda sf: PointKernel(
        "plateau_cliff", plateau_cliff, [sf.height, sf.steepness, sf.slope]
    ),
    s.Himmelblau: lambda surface: PointKernel("himmelblau", himmelblau),
    s.Beale: lambda surface: PointKernel("beale", beale),
    s.SixHumpCamel: lambda surface: PointKernel("six_hump_camel", six_hump_camel),
    s.Rastrigin: lambda sf: SeparableKernel(
        "rastrigin", rastrigin_term, 10.0 * sf.dim, 1.0
    ),
    s.StyblinskiTang: lambda sf: SeparableKernel("styblinski_tang", styblinski_tang_term, 0.0, 0.5),
    s.Rosenbrock: lambda sf: ChainKernel("rosenbrock", rosenbrock_term, [sf.a, sf.b]),
}
