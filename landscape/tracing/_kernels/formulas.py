"""A surface's formula (``landscape.surfaces.PointFunctions`` and its kin) as lines of a driver.

``emit_fused(builder, dim)`` writes straight-line code that computes
``value`` and ``grad_0 ... grad_{dim-1}`` from ``x_0 ... x_{dim-1}``;
``emit_block(builder)`` (separable and chain formulas, any dimension) fills
``value[i]`` and ``gradient[d, i]`` for a block of particles from
``position[d, i]``. The formula itself is compiled as it is.
"""

from __future__ import annotations

from ...surfaces import ChainFunctions, SeparableFunctions


def _names(prefix, dim):
    return ", ".join(f"{prefix}_{d}" for d in range(dim)) + ("," if dim == 1 else "")


class PointFormula:
    """``value_and_grad(x, p)`` of whole points: fused only."""

    block = False
    data = ()

    def __init__(self, functions):
        self.function, self.params = functions.value_and_grad, functions.params

    def emit_fused(self, builder, dim):
        f = builder.function(self.function)
        return [f"value, ({_names('grad', dim)}) = {f}(({_names('x', dim)}), surface_params)"]


class SeparableFormula:
    """``offset + scale · Σ term(x_d)``."""

    block = True
    data = ()

    def __init__(self, functions):
        self.term, self.params = functions.term, functions.params
        self.offset, self.scale = float(functions.offset), float(functions.scale)

    def emit_fused(self, builder, dim):
        f = builder.function(self.term)
        lines = [f"value_{d}, derivative_{d} = {f}(x_{d}, surface_params)" for d in range(dim)]
        # constants in the run's precision, so a float32 run stays float32
        lines += [f"grad_{d} = COMPUTE({self.scale!r}) * derivative_{d}" for d in range(dim)]
        total = " + ".join(f"value_{d}" for d in range(dim))
        return lines + [f"value = COMPUTE({self.offset!r}) + COMPUTE({self.scale!r}) * ({total})"]

    def emit_block(self, builder):
        f = builder.function(self.term)
        return [
            "for i in range(n):",
            "    value[i] = 0.0",
            "for d in range(DIM):",
            "    for i in range(n):",
            f"        term, derivative = {f}(COMPUTE(position[d, i]), surface_params)",
            "        value[i] += term",
            f"        gradient[d, i] = {self.scale!r} * derivative",
            "for i in range(n):",
            f"    value[i] = {self.offset!r} + {self.scale!r} * value[i]",
        ]


class ChainFormula:
    """``Σ term(x_d, x_{d+1})``."""

    block = True
    data = ()

    def __init__(self, functions):
        self.term, self.params = functions.term, functions.params

    def emit_fused(self, builder, dim):
        f = builder.function(self.term)
        lines = [
            f"value_{d}, left_{d}, right_{d} = {f}(x_{d}, x_{d + 1}, surface_params)" for d in range(dim - 1)
        ]
        lines.append("grad_0 = left_0")
        lines += [f"grad_{d} = left_{d} + right_{d - 1}" for d in range(1, dim - 1)]
        lines.append(f"grad_{dim - 1} = right_{dim - 2}")
        return lines + ["value = " + " + ".join(f"value_{d}" for d in range(dim - 1))]

    def emit_block(self, builder):
        f = builder.function(self.term)
        first = f"{f}(COMPUTE(position[0, i]), COMPUTE(position[1, i]), surface_params)"
        return [
            "for i in range(n):",
            f"    value[i], gradient[0, i], gradient[DIM - 1, i] = {first}",
            # the last row holds the right part of the term before until its own turn: a loop
            # that both updated row d and wrote row d + 1 did not vectorize unless unrolled
            "for d in range(1, DIM - 1):",
            "    for i in range(n):",
            "        head, tail = COMPUTE(position[d, i]), COMPUTE(position[d + 1, i])",
            f"        term, left, right = {f}(head, tail, surface_params)",
            "        value[i] += term",
            "        gradient[d, i] = gradient[DIM - 1, i] + left",
            "        gradient[DIM - 1, i] = right",
        ]


def formula_kernel(functions):
    """The emitter for a surface's ``point_functions()``."""
    if isinstance(functions, SeparableFunctions):
        return SeparableFormula(functions)
    if isinstance(functions, ChainFunctions):
        return ChainFormula(functions)
    return PointFormula(functions)
