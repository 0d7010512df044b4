"""How many isolated critical points a surface can have at most: the proof behind "complete".

For a polynomial ``f``, the critical points are the solutions of the
polynomial system ``∂f/∂x_i = 0``. By Bézout's theorem (in the refined form
of Fulton, *Intersection Theory*, 1984, Example 8.4.6) the system has at most
``Π_i deg(∂f/∂x_i)`` isolated solutions in ``ℂ^dim``, and each nondegenerate
one counts once. So a search that finds that many nondegenerate critical
points has found every critical point there is, anywhere. A strictly convex
cost has at most one.

Bounds come from the surface itself (an attribute ``critical_point_bound``,
e.g. the linear models'), from SymPy for a typed formula, or from the
degrees of the built-in polynomial test functions below.
"""

from __future__ import annotations

import math

from .. import surfaces as s


def _bezout(degrees) -> int:
    return math.prod(max(0, d) for d in degrees)


# degrees of the partial derivatives of the built-in polynomial surfaces
_GRADIENT_DEGREES = {
    s.Himmelblau: lambda surface: (3, 3),  # (x² + y − 11)² + (x + y² − 7)²
    s.SixHumpCamel: lambda surface: (5, 3),  # x⁶/3 … in x, 4y⁴ in y
    s.Beale: lambda surface: (7, 7),  # (2.625 − x + xy³)² has degree 8
    s.Rosenbrock: lambda surface: (3,) * surface.dim,  # degree 4
    s.StyblinskiTang: lambda surface: (3,) * surface.dim,  # x⁴ per coordinate
    s.MonkeySaddle: lambda surface: (2, 2),  # x³ − 3xy²
    s.Saddle: lambda surface: (1, 1),
    s.ElongatedBowl: lambda surface: (1, 1),
    s.RandomQuadratic: lambda surface: (1,) * surface.dim,
}


def critical_point_bound(surface) -> int | None:
    """An upper bound on the number of isolated critical points of ``surface``, or None.

    Examples
    --------
    >>> import landscape as ls
    >>> [critical_point_bound(ls.surfaces.get(name)) for name in ("himmelblau", "rastrigin")]
    [9, None]
    """
    own = getattr(surface, "critical_point_bound", None)
    if own is not None:
        return int(own)
    if isinstance(surface, s.ExpressionSurface):
        return _polynomial_bound(surface)
    degrees = _GRADIENT_DEGREES.get(type(surface))
    return None if degrees is None else _bezout(degrees(surface))


def _polynomial_bound(surface) -> int | None:
    """Bézout's number of a typed formula when every partial derivative is a polynomial."""
    import sympy

    degrees = []
    for derivative in surface.sympy_grad:
        try:
            polynomial = sympy.Poly(derivative, *surface.symbols)
        except sympy.PolynomialError:
            return None
        if polynomial.is_zero or not all(c.is_number for c in polynomial.coeffs()):
            return None  # a vanishing partial derivative: whole lines of critical points
        degrees.append(polynomial.total_degree())
    return _bezout(degrees)
