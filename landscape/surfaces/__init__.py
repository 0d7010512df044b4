"""Loss surfaces: analytic test functions, random quadratics and data-set costs.

Build one by name with ``get``; list them with ``names``; bring your own by
subclassing ``Surface`` or with ``from_functions``, and ``register`` it.
"""

from ._base import PointFunctions, Surface
from ._classic import Beale, Himmelblau, Rastrigin, Rosenbrock, SixHumpCamel, StyblinskiTang
from ._finite_sum import FiniteSumSurface, LinearRegression, LogisticRegression
from ._functions import FunctionSurface, from_functions
from ._lecture import ElongatedBowl, MonkeySaddle, PlateauCliff, PlateauWell, Saddle
from ._random_quadratic import RandomQuadratic
from ._registry import describe, get, names, parameters, register

__all__ = [
    "Beale",
    "ElongatedBowl",
    "FiniteSumSurface",
    "FunctionSurface",
    "Himmelblau",
    "LinearRegression",
    "LogisticRegression",
    "MonkeySaddle",
    "PlateauCliff",
    "PlateauWell",
    "PointFunctions",
    "RandomQuadratic",
    "Rastrigin",
    "Rosenbrock",
    "Saddle",
    "SixHumpCamel",
    "StyblinskiTang",
    "Surface",
    "describe",
    "from_functions",
    "get",
    "names",
    "parameters",
    "register",
]
