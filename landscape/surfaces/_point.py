"""Point functions (see ``PointFunctions``) written from exact SymPy expressions.

A surface known symbolically, such as one typed as a formula, gets
``value_and_grad(x, p)`` as plain Python source: common subexpressions once,
then the value and every partial derivative, with ``math`` functions only, so
a compiled engine fuses it into its loop. The source depends only on the
expressions, so the compiled code is cached across processes.
"""

from __future__ import annotations

import math

from ._base import PointFunctions


def point_functions_from_sympy(symbols, value, gradient) -> PointFunctions:
    """``PointFunctions`` for ``value`` and its ``gradient`` in ``symbols`` (SymPy objects).

    Parameters
    ----------
    symbols : sequence of sympy.Symbol
        The coordinates, in order.
    value : sympy.Expr
        The function.
    gradient : sequence of sympy.Expr
        Its partial derivatives, one per symbol.

    Examples
    --------
    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> f = point_functions_from_sympy((x, y), x**2 * y, (2 * x * y, x**2))
    >>> f.value_and_grad((3.0, 2.0), None)
    (18.0, (12.0, 9.0))
    """
    import sympy
    from sympy.printing.pycode import PythonCodePrinter

    coordinates = sympy.symbols(f"x_0:{len(symbols)}", real=True)
    renamed = dict(zip(symbols, coordinates, strict=True))
    expressions = [sympy.sympify(value).xreplace(renamed)]
    expressions += [sympy.sympify(g).xreplace(renamed) for g in gradient]
    shared, reduced = sympy.cse(expressions, symbols=sympy.numbered_symbols("t_"))
    printer = PythonCodePrinter({"fully_qualified_modules": True})
    unpack = ", ".join(str(c) for c in coordinates) + ("," if len(coordinates) == 1 else "")
    lines = ["def value_and_grad(x, p):", f"    {unpack} = x"]
    lines += [f"    {name} = {printer.doprint(expression)}" for name, expression in shared]
    value_code = printer.doprint(reduced[0])
    gradient_code = ", ".join(printer.doprint(g) for g in reduced[1:])
    lines.append(f"    return {value_code}, ({gradient_code},)")
    source = "\n".join(lines) + "\n"
    namespace = {"math": math}
    exec(compile(source, "<landscape point functions>", "exec"), namespace)  # noqa: S102
    function = namespace["value_and_grad"]
    function.source = source  # for reading and debugging
    return PointFunctions(function)
