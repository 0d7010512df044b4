"""Loss surfaces: analytic test functions, random quadratics and data-set costs.

Build one by name with ``get``; list them with ``names``; bring your own by
subclassing ``Surface``, with ``from_functions`` or as a formula with
``expression("x**2 + 10*y**2")``, and ``register`` it.
"""

from ._base import ParameterGroup, PointFunctions, Surface
from ._classic import Beale, Himmelblau, Rastrigin, Rosenbrock, SixHumpCamel, StyblinskiTang
from ._datasets import dataset
from ._expression import ExpressionSurface, expression
from ._finite_sum import FiniteSumSurface, FunctionFiniteSum, finite_sum
from ._functions import FunctionSurface, from_functions
from ._lecture import ElongatedBowl, MonkeySaddle, PlateauCliff, PlateauWell, Saddle
from ._linear_models import LinearModel, LinearRegression, LogisticRegression, NoMinimizerWarning
from ._mlp import MLP, mlp
from ._random_field import RandomField
from ._random_quadratic import RandomQuadratic
from ._registry import describe, get, names, parameters, register
from ._torch import TorchSurface, from_torch

__all__ = [
    "Beale",
    "ElongatedBowl",
    "ExpressionSurface",
    "FiniteSumSurface",
    "FunctionFiniteSum",
    "FunctionSurface",
    "Himmelblau",
    "LinearModel",
    "LinearRegression",
    "LogisticRegression",
    "MLP",
    "MonkeySaddle",
    "NoMinimizerWarning",
    "ParameterGroup",
    "PlateauCliff",
    "PlateauWell",
    "PointFunctions",
    "RandomField",
    "RandomQuadratic",
    "Rastrigin",
    "Rosenbrock",
    "Saddle",
    "SixHumpCamel",
    "StyblinskiTang",
    "TorchSurface",
    "Surface",
    "dataset",
    "describe",
    "expression",
    "finite_sum",
    "from_functions",
    "from_torch",
    "get",
    "mlp",
    "names",
    "parameters",
    "register",
]
