"""Point functions (see ``PointFunctions``) written from exact SymPy expressions.

A surface known symbolically, such as one typed as a formula, gets
``value_and_grad(x, p)`` as plain Python source: common subexpressions once,
then the value and every partial derivative, with ``math`` functions only, so
a compiled engine fuses it into its loop. The source depends only on the
expressions, so the compiled code is cached across processes.
"""

from __future__ import annotations

import ast
import math
import re

from .._validation import InvalidArgument
from ._elementwise import PointFunctions


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
    tree = _checked(source)
    # a module's name: the compiled engine rebuilds the function from it in another process
    namespace = {"math": math, "__name__": __name__}
    exec(compile(tree, "<landscape point functions>", "exec"), namespace)  # noqa: S102
    function = namespace["value_and_grad"]
    function.source = source  # for reading and debugging
    return PointFunctions(function)


# What the printed SymPy code may contain: arithmetic, comparisons and
# conditionals over the coordinates x_i, shared terms t_i, constants, and
# calls of math functions and of abs, min, max. No other name, no import,
# no subscript, no lambda: whatever produced the expressions, nothing but
# arithmetic is executed.
_NAMES = re.compile(r"(x|p|math|abs|min|max|x_\d+|t_\d+)")
_NODES = (
    ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Assign, ast.Return, ast.Tuple,
    ast.Name, ast.Load, ast.Store, ast.Constant, ast.BinOp, ast.UnaryOp, ast.operator,
    ast.unaryop, ast.Call, ast.Attribute, ast.Compare, ast.cmpop, ast.BoolOp, ast.boolop, ast.IfExp,
)


def _checked(source: str) -> ast.Module:
    """The parsed ``source``, after checking it holds nothing but arithmetic (else ``ValueError``)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        allowed = isinstance(node, _NODES)
        if isinstance(node, ast.Name):
            allowed = _NAMES.fullmatch(node.id) is not None
        elif isinstance(node, ast.Attribute):
            allowed = isinstance(node.value, ast.Name) and node.value.id == "math"
        if not allowed:
            raise InvalidArgument(f"point functions: unexpected {ast.dump(node)[:80]} in generated code")
    return tree
