"""Formula surfaces: values against numpy, derivatives against finite differences, and a corpus of
inputs that must be refused without being evaluated."""

import numpy as np
import pytest
from scipy import differentiate

import landscape as ls
from landscape.surfaces import ExpressionSurface, expression

CASES = [
    # formula, the same function written in numpy, dimension
    ("x**2 + 10*y**2", lambda x, y: x**2 + 10 * y**2, 2),
    ("(1 - x)**2 + 100*(y - x**2)**2", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2, 2),
    (
        "sin(x)*cos(y) + exp(-x**2/2) * tanh(y)",
        lambda x, y: np.sin(x) * np.cos(y) + np.exp(-(x**2) / 2) * np.tanh(y),
        2,
    ),
    (
        "log(1 + x**2) + sqrt(2 + y**2) - arctan2(y, x + 5)",
        lambda x, y: np.log(1 + x**2) + np.sqrt(2 + y**2) - np.arctan2(y, x + 5),
        2,
    ),
    (
        "hypot(x, y + 4) + log10(3 + x) * log2(3 + y) + cbrt(x + 9)",
        lambda x, y: np.hypot(x, y + 4) + np.log10(3 + x) * np.log2(3 + y) + np.cbrt(x + 9),
        2,
    ),
    (
        "x1**2 * x2 + sinh(x3) / 4 - pi*e*x1",
        lambda a, b, c: a**2 * b + np.sinh(c) / 4 - np.pi * np.e * a,
        3,
    ),
    ("2**x + x**0.5 * 0", lambda x, y: 2.0**x + 0 * y, 2),
]


@pytest.mark.parametrize(("text", "reference", "dim"), CASES)
def test_values_match_numpy(text, reference, dim):
    surface = expression(text)
    assert surface.dim == dim
    x = np.random.default_rng(0).uniform(-2, 2, size=(4, 5, dim))
    np.testing.assert_allclose(surface.value(x), reference(*np.moveaxis(x, -1, 0)), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize(("text", "reference", "dim"), CASES)
def test_derivatives_match_finite_differences(text, reference, dim):
    surface = expression(text)
    x = np.random.default_rng(1).uniform(-2, 2, size=(6, dim))

    def f(points):  # scipy.differentiate puts coordinates first
        return reference(*points)

    grad = differentiate.jacobian(f, x.T).df.T
    hessian = np.moveaxis(differentiate.hessian(f, x.T).ddf, -1, 0)
    np.testing.assert_allclose(surface.grad(x), grad, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(surface.hessian(x), hessian, rtol=1e-6, atol=1e-6)
    v = np.random.default_rng(2).standard_normal((6, dim))
    np.testing.assert_allclose(surface.hvp(x, v), np.einsum("kij,kj->ki", hessian, v), rtol=1e-6, atol=1e-6)


def test_constant_and_linear_parts_broadcast_over_batches():
    surface = expression("3 + 2*x")
    x = np.zeros((2, 3, 2))
    assert surface.value(x).shape == (2, 3)
    np.testing.assert_array_equal(surface.grad(x), np.broadcast_to([2.0, 0.0], (2, 3, 2)))
    np.testing.assert_array_equal(surface.hessian(x), np.zeros((2, 3, 2, 2)))


@pytest.mark.parametrize("text", ["(0 + 0.0)", "0.0*x**2 + y**2"])
def test_a_float_zero_constant_is_a_zero_not_a_magnitude_to_check(text):
    """SymPy's Float 0.0 differs from the integer 0 (found by Hypothesis): it is zero all the same."""
    surface = expression(text)
    assert np.all(np.isfinite(surface.value(np.ones((3, 2)))))


def test_abs_has_the_sign_as_gradient_and_zero_curvature():
    surface = expression("abs(x) + y**2")
    np.testing.assert_array_equal(surface.grad([[-2.0, 1.0], [3.0, 0.0]]), [[-1.0, 2.0], [1.0, 0.0]])
    np.testing.assert_array_equal(surface.hessian([0.5, 0.0]), [[0.0, 0.0], [0.0, 2.0]])


def test_sympy_expressions_are_kept_for_compilers():
    import sympy

    surface = expression("x**3 * y")
    x, y = surface.symbols
    assert [s.name for s in surface.symbols] == ["x", "y"]
    assert surface.sympy_value == x**3 * y
    assert surface.sympy_grad == (3 * x**2 * y, x**3)
    assert surface.sympy_hessian == sympy.Matrix([[6 * x * y, 3 * x**2], [3 * x**2, 0]])


def test_registry_bounds_start_and_spec():
    surface = ls.surfaces.get("expression", text="x**2 + y**2", bounds=[[-1, 1], [-2, 2]])
    assert isinstance(surface, ExpressionSurface)
    np.testing.assert_array_equal(surface.bounds, [[-1, 1], [-2, 2]])
    assert np.all(
        (surface.default_start > surface.bounds[:, 0]) & (surface.default_start < surface.bounds[:, 1])
    )
    assert surface.default_start.tolist() != [
        0.0,
        0.0,
    ]  # a start away from the minimum shows a path
    rebuilt = ls.surfaces.get(surface.spec["name"], **surface.spec["params"])
    np.testing.assert_array_equal(rebuilt.bounds, surface.bounds)
    default = expression("x*y")
    np.testing.assert_array_equal(default.bounds, [[-3, 3], [-3, 3]])


def test_outside_the_domain_values_are_nan_without_warnings():
    surface = expression("log(x) + y")
    with np.errstate(all="raise"):
        assert np.isnan(surface.value([-1.0, 0.0]))


def test_traces_like_any_surface():
    surface = expression("x**2 + 10*y**2")
    traj = ls.trace(surface, ls.optim.sgd(lr=0.05), [1.0, 1.0], steps=200)
    np.testing.assert_allclose(traj.final_positions, [[0.0, 0.0]], atol=1e-8)


UNSAFE = [
    ("__import__('os').system('echo hacked')", "attribute access"),
    ("__import__('os')", "the function '__import__'"),
    ("x.__class__", "attribute access"),
    ("().__class__.__bases__[0].__subclasses__()", "attribute access|indexing|tuples"),
    ("open('/etc/passwd')", "the function 'open'"),
    ("eval('1')", "the function 'eval'"),
    ("getattr(x, '__class__')", "the function 'getattr'"),
    ("__builtins__", "the name '__builtins__'"),
    ("np.sin(x)", "attribute access"),
    ("lambda: 1", "lambda"),
    ("[x for x in range(10**9)]", "comprehensions"),
    ("x if y else 1", "'if ... else'"),
    ("x < y", "comparisons"),
    ("x[0]", "indexing"),
    ("'a' * 10**9", "the constant 'a'"),
    ("True + x", "the constant True"),
    ("x^2", "write \\*\\* for powers"),
    ("x // 2", "'//'"),
    ("x % 2", "'%'"),
    ("not x", "the operator Not"),
    ("sin(x, y)", "sin takes 1 argument"),
    ("sin(x=1)", "sin takes 1 argument"),
    ("x + z", "the name 'z'"),
    ("x1 + y", "x and y, or x1 .. xN, not both"),
    ("x51", "N <= 50"),
    ("x; import os", "not valid Python syntax"),
    ("import os", "not valid Python syntax"),
    ("", "a formula"),
    ("x + " * 400 + "x", "at most 1000 characters"),
    ("9**9**9", "the exponent 387420489"),
    ("10**10**10", "the exponent 10000000000"),
    ("2**(2**(2**(2**(2**2))))", "the exponent"),
    ("(10**100)**100", "the power"),
    ("10**100*10**100*10**100*10**100", "constants up to 1e300"),
    ("x**1000000", "the exponent 1000000"),
    ("x**-101", "the exponent -101"),
    ("1e400", "magnitude between"),
    ("1e-320 + x", "magnitude between"),
    ("1/0", "division by zero"),
    ("0**-1", "division by zero"),
    ("x/(x - x)", "division by zero"),
    ("9" * 5000, "at most 1000 characters"),
    ("9" * 400, "magnitude between"),
]


@pytest.mark.parametrize(("text", "message"), UNSAFE)
def test_unsafe_or_invalid_formulas_are_refused(text, message):
    # Powers are checked before SymPy computes them: were 9**9**9 evaluated, this would not finish.
    with pytest.raises(ValueError, match=message) as error:
        expression(text)
    assert "\n" not in str(error.value)
