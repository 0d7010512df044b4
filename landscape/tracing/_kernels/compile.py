"""Compiling the library's elementwise formulas, and users' own, for a driver.

Optimizer rules, schedules and surface formulas are plain Python functions
that the numpy code calls on arrays. ``compiled(function, dtype)`` turns one
into a numba kernel for a driver:

* the plain functions it calls (a helper such as ``sigmoid``) are compiled
  the same way, so a formula may be split into functions;
* for ``float32`` it compiles a copy whose number literals are float32
  (``1.0 - beta`` would otherwise promote a float32 ``beta`` to float64):
  the whole step then runs in single precision, as in JAX and PyTorch;
* the package's own functions in float64 are cached on disk with
  ``config.kernel`` when everything they call lives in their own file; the
  others (users' functions, float32 copies) are compiled with each new
  driver;
* with ``inline``, the driver inlines the function before it is typed
  (``config.inlined``): the optimizers' rules, called in the hot loop.

``fingerprint(kernel)`` is what a driver's cache key records of it: its code
and that of every function it calls.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import textwrap
import types

import numba
import numpy as np

from . import config

SINGLE = "__landscape_single__"  # the name of np.float32 inside a float32 copy
_CONSTANTS = {("np", "pi"), ("np", "e"), ("numpy", "pi"), ("numpy", "e"), ("math", "pi"), ("math", "e")}


def compiled(function, dtype, inline: bool = False):
    """A numba kernel of ``function`` computing in ``dtype`` (float64 or float32, or its name);
    with ``inline``, one that drivers inline (``config.inlined``)."""
    if isinstance(function, numba.core.registry.CPUDispatcher):
        return function
    return _compiled(function, dtype if isinstance(dtype, str) else np.dtype(dtype).name, inline)


@functools.cache
def _compiled(function, dtype_name: str, inline: bool = False):
    called = _called_functions(function)
    helpers = {name: _compiled(value, dtype_name) for name, value in called.items()}
    prints = [_code_print(function.__code__)] + [fingerprint(h) for h in helpers.values()]
    copy = None
    if dtype_name == "float32":
        copy = _single_precision_copy(function, helpers)
    # numba renews a cached function when its own file changes: a package function is
    # cached when everything it calls lives in its file
    own = function.__module__ is not None and function.__module__.startswith("landscape.")
    cached = own and copy is None and all(h.__module__ == function.__module__ for h in called.values())
    if copy is None and helpers:
        copy = _with_globals(function, function.__globals__ | helpers)
    if inline:
        kernel = config.inlined(copy or function)
    else:
        kernel = (config.kernel if cached else config.uncached_kernel)(copy or function)
    kernel._landscape_fingerprint = hashlib.sha256(
        dtype_name.encode() + (b"inline" if inline else b"") + b"".join(prints)
    ).digest()
    return kernel


def fingerprint(kernel) -> bytes:
    """The code of a kernel and of everything it calls, for a driver's cache key."""
    stored = getattr(kernel, "_landscape_fingerprint", None)
    if stored is not None:
        return stored
    return _code_print(getattr(kernel, "py_func", kernel).__code__)


def _code_print(code) -> bytes:
    """The bytecode, names and constants of a code object (``marshal`` output varies between runs)."""
    constants = [
        _code_print(c) if isinstance(c, types.CodeType) else repr(c).encode() for c in code.co_consts
    ]
    names = repr((code.co_names, code.co_varnames)).encode()
    return b"|".join([code.co_code, names, *constants])


def _called_functions(function) -> dict:
    """The plain Python functions that ``function`` reaches through its global names."""
    found = {}
    for name in _global_names(function.__code__):
        value = function.__globals__.get(name)
        if isinstance(value, types.FunctionType):
            found[name] = value
    return found


def _global_names(code) -> set:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _global_names(constant)
    return names


def _with_globals(function, namespace: dict):
    """The same function whose global names resolve in ``namespace``."""
    copy = types.FunctionType(
        function.__code__, namespace, function.__name__, function.__defaults__, function.__closure__
    )
    copy.__qualname__, copy.__module__ = function.__qualname__, function.__module__
    return copy


def _single_precision_copy(function, helpers: dict):
    """A copy of ``function`` whose number literals are float32, or None if its source is unknown."""
    if function.__closure__:
        return None
    source = getattr(function, "source", None)
    try:
        source = source or inspect.getsource(function)
    except (OSError, TypeError):
        return None
    tree = ast.parse(textwrap.dedent(source))
    definition = next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)
    if definition is None or definition.name != function.__name__:
        return None
    definition.decorator_list = []
    module = ast.fix_missing_locations(ast.Module([_SinglePrecision().visit(definition)], []))
    namespace = function.__globals__ | helpers | {SINGLE: np.float32}
    # the function's own source, its literals wrapped in np.float32: nothing a user typed as text
    exec(compile(module, f"<float32 copy of {function.__qualname__}>", "exec"), namespace)  # noqa: S102
    copy = namespace[function.__name__]
    copy.__module__ = function.__module__
    return copy


def _single(node):
    return ast.copy_location(ast.Call(ast.Name(SINGLE, ast.Load()), [node], []), node)


class _SinglePrecision(ast.NodeTransformer):
    """Wrap float literals, ``np.pi``-like constants and integer operands of arithmetic in float32."""

    def visit_Constant(self, node):
        return _single(node) if type(node.value) is float else node

    def visit_Attribute(self, node):
        if isinstance(node.value, ast.Name) and (node.value.id, node.attr) in _CONSTANTS:
            return _single(node)
        return self.generic_visit(node)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        node.left = _single_int(node.left)
        if not isinstance(node.op, ast.Pow):  # x ** 2 stays a product of float32 numbers
            node.right = _single_int(node.right)
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        node.left = _single_int(node.left)
        node.comparators = [_single_int(c) for c in node.comparators]
        return node


def _single_int(node):
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return _single(node)
    negative = isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)
    if negative and type(node.operand.value) is int:
        return _single(node)
    return node
