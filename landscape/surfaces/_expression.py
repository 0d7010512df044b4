"""Surfaces typed as formulas, ``x**2 + 10*y**2``, with exact derivatives from SymPy.

The text is parsed with ``ast`` and translated node by node into a SymPy
expression through a whitelist (numbers, variables, a few operators and
functions); nothing the user typed is ever evaluated by Python. SymPy then
differentiates exactly and ``lambdify`` turns the value, gradient and Hessian
into vectorized numpy functions.
"""

from __future__ import annotations

import ast
import math
import re
from typing import NamedTuple

import numpy as np

from .._validation import InvalidArgument, invalid, parse_typed
from ._base import Surface
from ._elementwise import PointFunctions
from ._point import point_functions_from_sympy
from ._registry import register

MAX_LENGTH = 1000  # characters
MAX_DEPTH = 50  # nesting of calls, powers and brackets (a chain a + b - c + ... is one level)
# The symbolic work -- the formula, its gradient and Hessian, their code -- estimated from the
# formula's tree before any derivative is taken (see ``symbolic_cost``); above this a formula is
# refused. Measured on a 2-core machine under load (load average 3 to 5), the slowest formulas near
# this cost took at most 0.6 s to accept, and about 1.2 s with their Hessian and compiled code.
MAX_SYMBOLIC_COST = 40_000
MAX_DIM = 50  # x1 .. x50
MAX_EXPONENT = 100  # |constant exponent|
MAX_LOG10 = 300  # constants stay within 1e-300 .. 1e300 in magnitude
DEFAULT_HALF_WIDTH = 3.0
DEFAULT_TEXT = "x**2 + 10*y**2"  # the lecture's elongated bowl, as a formula

# numpy-style name -> (sympy attribute or builder, number of arguments)
_FUNCTIONS = {
    "sin": ("sin", 1),
    "cos": ("cos", 1),
    "tan": ("tan", 1),
    "arcsin": ("asin", 1),
    "arccos": ("acos", 1),
    "arctan": ("atan", 1),
    "asin": ("asin", 1),
    "acos": ("acos", 1),
    "atan": ("atan", 1),
    "arctan2": ("atan2", 2),
    "atan2": ("atan2", 2),
    "sinh": ("sinh", 1),
    "cosh": ("cosh", 1),
    "tanh": ("tanh", 1),
    "arcsinh": ("asinh", 1),
    "arccosh": ("acosh", 1),
    "arctanh": ("atanh", 1),
    "exp": ("exp", 1),
    "log": ("log", 1),
    "sqrt": ("sqrt", 1),
    "abs": ("Abs", 1),
    "log10": (lambda sp, a: sp.log(a, 10), 1),
    "log2": (lambda sp, a: sp.log(a, 2), 1),
    "log1p": (lambda sp, a: sp.log(1 + a), 1),
    "expm1": (lambda sp, a: sp.exp(a) - 1, 1),
    "hypot": (lambda sp, a, b: sp.sqrt(a**2 + b**2), 2),
    "square": (lambda sp, a: a**2, 1),
    "cbrt": (lambda sp, a: sp.cbrt(a), 1),
}
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_SUM, _PRODUCT = (ast.Add, ast.Sub), (ast.Mult, ast.Div)
_REFUSED_OPERATORS = {
    ast.BitXor: "'^' (write ** for powers)",
    ast.FloorDiv: "'//'",
    ast.Mod: "'%'",
    ast.MatMult: "'@'",
    ast.LShift: "'<<'",
    ast.RShift: "'>>'",
    ast.BitAnd: "'&'",
    ast.BitOr: "'|'",
}
_CONSTRUCTS = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "indexing ('[ ]')",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "'if ... else'",
    ast.Lambda: "lambda",
    ast.NamedExpr: "':='",
    ast.Starred: "'*' unpacking",
    ast.JoinedStr: "strings",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
ACCEPTED = (
    "numbers, x and y (or x1 .. xN), pi, e, + - * / ** and numpy functions such as "
    "sin, cos, exp, log, sqrt, abs, tanh, arctan2"
)
_INDEXED = re.compile(r"^x([1-9]\d*)$")


@register("expression")
class ExpressionSurface(Surface):
    r"""A surface typed as a formula in x and y (or x1 .. xN), e.g. ``x**2 + 10*y**2``.

    Parameters
    ----------
    text : str
        The formula (default ``"x**2 + 10*y**2"``), in Python syntax restricted to numbers, the variables
        ``x, y`` (a 2-D surface) or ``x1 .. xN`` (N-D, N <= 50), the constants
        ``pi`` and ``e``, the operators ``+ - * / **`` and the functions
        ``sin cos tan arcsin arccos arctan arctan2 sinh cosh tanh arcsinh
        arccosh arctanh exp expm1 log log1p log2 log10 sqrt cbrt square abs
        hypot`` (numpy names; ``asin``, ``atan``, ... also work).
    bounds : array_like, shape (dim, 2), optional
        Plot and search window (default ``[-3, 3]`` per coordinate).
    default_start : array_like, shape (dim,), optional
        Starting point for demonstrations (default: near the top-left corner
        of ``bounds``, 10 % in from the low x edge and 80 % up the others).

    Attributes
    ----------
    symbols : tuple of sympy.Symbol
        The coordinates, in order.
    sympy_value : sympy.Expr
        The formula.
    sympy_grad : tuple of sympy.Expr
        Exact partial derivatives.
    sympy_hessian : sympy.Matrix
        Exact second derivatives, shape ``(dim, dim)``.

    Notes
    -----
    The text is never evaluated: it is parsed with :mod:`ast` and translated
    node by node through the whitelist above, so imports, attribute access,
    dunders and calls to anything else are refused with a ``ValueError``.
    Sizes are bounded so that no input can make the parser allocate without
    limit or work for long: at most 1000 characters, nesting at most 50 deep,
    constant exponents within ±100, constants within 1e-300 .. 1e300 in
    magnitude (``9**9**9`` is refused), and an estimate of the size of the
    derivatives (``symbolic_cost``) at most 40 000: any text up to the length
    limit is accepted or refused in about a second. The Hessian is derived
    on first use. Derivatives
    are exact (SymPy); at points where a function is not differentiable
    (``abs`` at 0) the one-sided convention of SymPy is used and the second
    derivative of ``abs`` is taken as 0. Outside a function's domain
    (``log`` of a negative number) values are ``nan``.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.expression("x**2 + 10*y**2")
    >>> s.grad([1.0, 1.0])
    array([ 2., 20.])
    >>> s.hessian([0.0, 0.0])
    array([[ 2.,  0.],
           [ 0., 20.]])
    """

    thread_safe = True

    def __init__(self, text=DEFAULT_TEXT, bounds=None, default_start=None):
        import sympy  # imported on use: SymPy takes most of a second to import

        expression, symbols = translate(text)
        dim = len(symbols)
        params = {"text": text.strip()}
        if bounds is None:
            bounds = np.tile([-DEFAULT_HALF_WIDTH, DEFAULT_HALF_WIDTH], (dim, 1))
        else:
            params["bounds"] = np.asarray(bounds, dtype=float)
        bounds = np.asarray(bounds, dtype=float)
        if default_start is None and bounds.shape == (dim, 2):
            fraction = np.where(np.arange(dim) == 0, 0.1, 0.8)
            default_start = bounds[:, 0] + fraction * (bounds[:, 1] - bounds[:, 0])
        super().__init__(
            dim=dim, bounds=bounds, name="expression", params=params, default_start=default_start
        )
        self.symbols = symbols
        self.sympy_value = expression
        self.sympy_grad = tuple(sympy.diff(expression, s) for s in symbols)
        self._point = None  # written on first use by point_functions
        self._hessian_matrix = None  # written on first use by sympy_hessian
        self._functions = {
            "value": sympy.lambdify(symbols, expression, modules="numpy", cse=True),
            "grad": sympy.lambdify(symbols, list(self.sympy_grad), modules="numpy", cse=True),
        }

    @property
    def sympy_hessian(self):
        """Exact second derivatives, a ``sympy.Matrix`` of shape ``(dim, dim)`` (derived on first use)."""
        if self._hessian_matrix is None:
            import sympy

            grad, symbols = self.sympy_grad, self.symbols
            self._hessian_matrix = sympy.Matrix(
                self.dim, self.dim, lambda i, j: _drop_dirac(sympy, sympy.diff(grad[i], symbols[j]))
            )
        return self._hessian_matrix

    @property
    def text(self) -> str:
        """The formula as typed."""
        return self.params["text"]

    def point_functions(self) -> PointFunctions:
        """Value and exact gradient as scalar code, so the compiled engine fuses this surface."""
        if self._point is None:
            self._point = point_functions_from_sympy(self.symbols, self.sympy_value, self.sympy_grad)
        return self._point

    def _call(self, which: str, x: np.ndarray):
        if which not in self._functions:  # the Hessian, on first use
            import sympy

            matrix = self.sympy_hessian
            upper = [matrix[i, j] for i in range(self.dim) for j in range(i, self.dim)]
            self._functions[which] = sympy.lambdify(self.symbols, upper, modules="numpy", cse=True)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            return self._functions[which](*np.moveaxis(x, -1, 0))

    def _value(self, x):
        return _broadcast(self._call("value", x), x.shape[:-1])

    def _grad(self, x):
        parts = self._call("grad", x)
        return np.stack([_broadcast(p, x.shape[:-1]) for p in parts], axis=-1)

    def _hessian(self, x):
        parts = iter(self._call("hessian", x))
        out = np.empty(x.shape + (self.dim,))
        for i in range(self.dim):
            for j in range(i, self.dim):
                out[..., i, j] = out[..., j, i] = _broadcast(next(parts), x.shape[:-1])
        return out


def expression(text, bounds=None, default_start=None) -> ExpressionSurface:
    """A surface from a formula such as ``"x**2 + 10*y**2"`` (see ``ExpressionSurface``).

    Examples
    --------
    >>> import landscape as ls
    >>> ls.surfaces.expression("(1 - x)**2 + 100*(y - x**2)**2").value([1.0, 1.0])
    array(0.)
    """
    return ExpressionSurface(text, bounds=bounds, default_start=default_start)


def translate(text):
    """Parse ``text`` into a SymPy expression and its symbols, through the whitelist.

    Returns
    -------
    expression : sympy.Expr
    symbols : tuple of sympy.Symbol
        ``(x, y)`` or ``(x1, ..., xN)``.

    Raises
    ------
    ValueError
        One line naming what was refused and what is accepted.
    """
    import sympy

    if not isinstance(text, str) or not text.strip():
        raise invalid("expression", text, f"a formula in {ACCEPTED}")
    if len(text) > MAX_LENGTH:
        raise invalid("expression", text, f"at most {MAX_LENGTH} characters")
    try:
        tree = parse_typed(text.strip())
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        detail = getattr(error, "msg", None) or type(error).__name__
        raise InvalidArgument(f"expression {_short(text)} is not valid Python syntax ({detail})") from None
    names = _variable_names(tree)
    if names and all(_INDEXED.match(n) for n in names):
        dim = max(int(_INDEXED.match(n)[1]) for n in names)
        if dim > MAX_DIM:
            raise invalid("expression", text, f"variables x1 .. xN with N <= {MAX_DIM}")
        names = [f"x{i}" for i in range(1, dim + 1)]
    elif all(n in ("x", "y") for n in names):
        names = ["x", "y"]
    else:
        raise invalid("expression", text, "variables x and y, or x1 .. xN, not both")
    symbols = tuple(sympy.Symbol(n, real=True) for n in names)
    translator = _Translator(sympy, dict(zip(names, symbols, strict=True)), text)
    expression = translator.visit(tree.body, 0)
    cost = symbolic_cost(expression, symbols)
    if cost > MAX_SYMBOLIC_COST:
        raise translator.refuse(
            f"its derivatives are too large to build quickly (estimated cost {cost:.3g}, at most "
            f"{MAX_SYMBOLIC_COST}: fewer nested functions or factors)"
        )
    return expression, symbols


class _Size(NamedTuple):
    """Nodes of a subexpression, its variables, and the estimated nodes of its derivatives."""

    nodes: int
    variables: frozenset
    first: int  # summed over the variables: nodes of the gradient
    second: int  # summed over pairs of variables: nodes of the Hessian


def symbolic_cost(expression, symbols) -> float:
    """An estimate of the work of deriving and compiling ``expression``, in linear time.

    ``50 n + S + H + 300 E``: the ``n`` nodes of the formula, the estimated
    nodes ``S`` of its gradient and ``H`` of its Hessian (the sum, product,
    power and chain rules applied to node counts rather than to the
    expressions), and the ``E`` Hessian entries that can be non-zero (pairs
    of variables that meet in a term). Measured times follow it within a
    factor of a few across nested functions, long products, long sums and
    many variables.
    """
    variables = set(symbols)
    memo: dict = {}

    def size(node) -> _Size:
        if node not in memo:
            memo[node] = _size(node, [size(arg) for arg in node.args], variables)
        return memo[node]

    whole = size(expression)
    index = {symbol: i for i, symbol in enumerate(symbols)}
    coupled = [0] * len(symbols)  # bit j of coupled[i]: x_i and x_j meet in a term
    pending = [expression]
    while pending:
        node = pending.pop()
        if node.is_Add:
            pending.extend(node.args)
            continue
        mask = sum(1 << index[s] for s in size(node).variables)
        for s in size(node).variables:
            coupled[index[s]] |= mask
    entries = sum(bin(row >> i).count("1") for i, row in enumerate(coupled))
    return float(50 * whole.nodes + whole.first + whole.second + 300 * entries)


def _size(node, parts: list[_Size], variables) -> _Size:
    if node.is_Symbol and node in variables:
        return _Size(1, frozenset([node]), 1, 0)
    n = 1 + sum(p.nodes for p in parts)
    found = frozenset().union(*(p.variables for p in parts))
    k = len(found)
    first, second = sum(p.first for p in parts), sum(p.second for p in parts)
    if not k or node.is_Add:
        return _Size(n, found, first, second)
    if node.is_Mul:  # (ab)' = a'b + ab', (ab)'' = a''b + 2a'b' + ab''
        for a in parts:
            ka = len(a.variables)
            first += ka * (n - a.nodes)
            second += ka * ka * (n - a.nodes)
        for i, a in enumerate(parts):
            ka = len(a.variables)
            for b in parts[i + 1 :]:
                kb = len(b.variables)
                second += 2 * (ka * kb * (n - a.nodes - b.nodes) + a.first * kb + ka * b.first)
        return _Size(n, found, first, second)
    if node.is_Pow and not parts[1].variables:  # (u**c)' = c u**(c-1) u', then c(c-1) u**(c-2) u'² + ...
        return _Size(n, found, k * (n + 3) + first, 2 * k * k * (n + 3) + 2 * k * first + second)
    # f(u)' = f'(u) u', f(u)'' = f''(u) u'² + f'(u) u'' (and so for u**v)
    return _Size(n, found, 2 * k * n + first, 4 * k * k * n + 2 * k * first + second)


def _variable_names(tree) -> list[str]:
    found = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return sorted(n for n in found - called - {"pi", "e"} if n in ("x", "y") or _INDEXED.match(n))


class _Translator:
    """Builds the SymPy expression from the syntax tree, refusing everything else."""

    def __init__(self, sympy, symbols: dict, text: str):
        self.sp, self.symbols, self.text = sympy, symbols, text

    def refuse(self, what: str) -> InvalidArgument:
        return InvalidArgument(f"expression {_short(self.text)} is not accepted: {what}; expected {ACCEPTED}")

    def visit(self, node, depth: int):
        if depth > MAX_DEPTH:
            raise self.refuse(f"nesting deeper than {MAX_DEPTH}")
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise self.refuse(f"the operator {type(node.op).__name__}")
            operand = self.visit(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise self.refuse(_CONSTRUCTS.get(type(node), type(node).__name__))

    def constant(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.refuse(f"the constant {_short(value)} (only numbers)")
        number = self.sp.Integer(value) if isinstance(value, int) else None
        if number is None and math.isfinite(value):
            number = self.sp.Float(value)
        if number is None or (value != 0 and not -MAX_LOG10 <= _log10(number) <= MAX_LOG10):
            raise self.refuse(f"the number {_short(value)} (magnitude between 1e-300 and 1e300)")
        return number

    def name(self, identifier: str):
        if identifier in self.symbols:
            return self.symbols[identifier]
        if identifier == "pi":
            return self.sp.pi
        if identifier == "e":
            return self.sp.E
        raise self.refuse(f"the name {identifier!r}")

    def binary(self, node: ast.BinOp, depth: int):
        if type(node.op) not in _OPERATORS:
            raise self.refuse(f"the operator {_REFUSED_OPERATORS.get(type(node.op), type(node.op).__name__)}")
        if isinstance(node.op, ast.Pow):
            left = self.visit(node.left, depth + 1)
            right = self.visit(node.right, depth + 1)
            self.check_power(left, right)
            return self.check_constant(left**right)
        # a chain a + b - c ... (or a * b / c ...) is one level, read without recursion and
        # summed (multiplied) at once: a long sum is not a deep tree
        additive = isinstance(node.op, _SUM)
        links = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, _SUM if additive else _PRODUCT):
            links.append(node)
            node = node.left
        items = [self.visit(node, depth + 1)]
        for link in reversed(links):
            value = self.visit(link.right, depth + 1)
            if isinstance(link.op, ast.Sub):
                value = -value
            elif isinstance(link.op, ast.Div):
                if value == 0:
                    raise self.refuse("division by zero")
                value = 1 / value
            items.append(value)
        return self.check_constant(self.sp.Add(*items) if additive else self.sp.Mul(*items))

    def check_power(self, base, exponent):
        """Refuse powers whose exact evaluation could be huge, before SymPy computes them."""
        if not exponent.is_Number:
            return
        if abs(float(exponent)) > MAX_EXPONENT:
            raise self.refuse(f"the exponent {_short(exponent)} (constant exponents within ±{MAX_EXPONENT})")
        if base.is_Number:
            if base == 0 and exponent < 0:
                raise self.refuse("division by zero")
            if base != 0 and abs(_log10(base)) * abs(float(exponent)) > MAX_LOG10:
                raise self.refuse(f"the power {_short(base)}**{_short(exponent)} (constants up to 1e300)")

    def check_constant(self, value):
        if value.has(self.sp.zoo, self.sp.nan, self.sp.oo, -self.sp.oo):
            raise self.refuse("an undefined or infinite constant (division by zero?)")
        if value.is_Number and not value.is_zero and abs(_log10(value)) > MAX_LOG10:
            raise self.refuse(f"a constant of magnitude 10**{_log10(value):.0f} (constants up to 1e300)")
        return value

    def call(self, node: ast.Call, depth: int):
        if not isinstance(node.func, ast.Name):
            raise self.refuse(_CONSTRUCTS.get(type(node.func), "calling " + ast.unparse(node.func)))
        if node.func.id not in _FUNCTIONS:
            raise self.refuse(f"the function {node.func.id!r}")
        name = node.func.id
        builder, arity = _FUNCTIONS[name]
        if node.keywords or len(node.args) != arity:
            raise self.refuse(f"{name} takes {arity} argument{'s' if arity > 1 else ''} and no keywords")
        args = [self.visit(arg, depth + 1) for arg in node.args]
        function = getattr(self.sp, builder) if isinstance(builder, str) else None
        result = function(*args) if function else builder(self.sp, *args)
        return self.check_constant(result)


def _log10(number) -> float:
    """log10 of the magnitude of a SymPy number, without overflowing floats."""
    if number.is_Rational:
        p, q = abs(int(number.p)), int(number.q)
        return _int_log10(p) - _int_log10(q)
    import mpmath  # SymPy's own arbitrary precision: a float would round 1e-324 to 0 and 1e309 to inf

    return float(mpmath.log10(abs(mpmath.mpf(number))))


def _int_log10(n: int) -> float:
    bits = n.bit_length()
    if bits < 1000:
        return math.log10(n)
    return math.log10(n >> (bits - 53)) + (bits - 53) * math.log10(2)


def _drop_dirac(sympy, expression):
    """Second derivatives of ``abs`` contain DiracDelta: take it as 0 (true almost everywhere)."""
    return expression.replace(sympy.DiracDelta, lambda *args: sympy.Integer(0))


def _broadcast(value, shape) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=float), shape).copy()


def _short(value) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
