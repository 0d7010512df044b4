"""The ``Surface`` abstraction: a scalar function on R^dim with derivatives."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import _display
from .._validation import InvalidArgument, check_int, check_points, invalid
from . import _elementwise

# Step sizes that balance truncation error O(h^4) against rounding error
# O(eps / h) for fourth-order central differences: h = eps**(1/5) * max(1, |x|).
_STEP = np.finfo(float).eps ** 0.2
_STENCIL = np.array([-2.0, -1.0, 1.0, 2.0])
_WEIGHTS = np.array([1.0, -8.0, 8.0, -1.0]) / 12.0


class ParameterGroup(NamedTuple):
    """A named block of a surface's flat parameter vector.

    A model's parameters are one flat vector per particle; a group says where
    one of its arrays lies in that vector and what it is.

    Attributes
    ----------
    name : str
        E.g. ``"W1"``, ``"b1"`` (the lecture's layers) or ``"0.weight"`` (a
        PyTorch module's parameter).
    start : int
        Offset of the block in the flat vector.
    shape : tuple of int
        Shape of the array; the block is ``x[..., start:start + size]``
        reshaped (C order) to ``shape``.
    role : str
        ``"weight"``, ``"bias"`` or ``"other"``. For a weight, axis 0 is the
        filter axis: a dense layer's rows (its neurons, ``W^[l]`` of shape
        ``(n_l, n_{l-1})``) or a convolution's output channels. Filter
        normalization (Li et al. 2018) rescales each of them on its own.
    """

    name: str
    start: int
    shape: tuple
    role: str = "weight"

    @property
    def size(self) -> int:
        """Number of parameters in the group."""
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def slice(self) -> slice:
        """The group's place in the flat vector."""
        return slice(self.start, self.start + self.size)


class Surface:
    """A twice differentiable function ``f: R^dim -> R`` on batched points.

    Subclasses give their formula once, as ``point_functions()`` (value and
    gradient of one point, see ``PointFunctions``): every engine runs it,
    the numpy code on whole arrays. Or they implement ``_value`` and, where
    they can, the analytic ``_grad`` on arrays of shape ``(..., dim)``.
    ``_hessian`` and ``_hvp`` add second derivatives; every derivative that
    is not given is computed by fourth-order central finite differences (see
    Notes).

    Parameters
    ----------
    dim : int
        Dimension of the domain.
    bounds : array_like, shape (dim, 2)
        A window ``[low, high]`` per coordinate: where plots look and where
        critical points are searched.
    name : str, optional
        Registry name, used in specs, legends and file names.
    params : dict, optional
        The keyword arguments that rebuild the surface with
        ``landscape.surfaces.get(name, **params)``.
    default_start : array_like, shape (dim,), optional
        A starting point that shows the surface's character (inside ``bounds``).
    minima : array_like, shape (n, dim), optional
        Known global minimizers.

    Notes
    -----
    Points have shape ``(..., dim)``: ``value`` returns ``(...)``, ``grad``
    and ``hvp`` return ``(..., dim)`` and ``hessian`` returns
    ``(..., dim, dim)``.

    Numerical derivatives use the five-point stencil with step
    ``h = eps**(1/5) * max(1, |x_i|)``, whose truncation and rounding errors
    balance at about ``1e-12`` relative to the scale of the function for a
    gradient from values, and about ``1e-10`` for a Hessian from an analytic
    gradient. A Hessian from values alone differentiates twice and is good to
    about ``1e-7`` relative; supply the gradient where it is known.

    ``thread_safe`` says whether several threads may evaluate the surface at
    once (each on its own points). The numpy engine then runs blocks of
    particles on every core. It is False unless a class sets it: a
    user's own surface runs on one thread unless its author says otherwise.
    Every built-in surface sets it.
    """

    thread_safe = False

    def __init__(
        self,
        *,
        dim,
        bounds,
        name: str = "surface",
        params: dict | None = None,
        default_start=None,
        minima=None,
    ):
        self.dim = check_int("dim", dim, minimum=1)
        bounds = np.asarray(bounds, dtype=float)
        if bounds.shape != (self.dim, 2) or not np.all(bounds[:, 0] < bounds[:, 1]):
            raise invalid("bounds", bounds, f"an array of shape ({self.dim}, 2) with low < high")
        self.bounds = bounds
        self.name = name
        self.params = dict(params or {})
        center = bounds.mean(axis=1)
        self.default_start = center if default_start is None else np.asarray(default_start, float)
        self.minima = np.empty((0, self.dim)) if minima is None else np.atleast_2d(minima)

    # ---- public, validated -------------------------------------------------
    def value(self, x) -> np.ndarray:
        """Function values at points ``x`` of shape ``(..., dim)``."""
        return self._value(self._points(x))

    def grad(self, x) -> np.ndarray:
        """Gradients, shape ``(..., dim)``."""
        return self._grad(self._points(x))

    def value_and_grad(self, x) -> tuple[np.ndarray, np.ndarray]:
        """Values and gradients in one call (shares work where a surface can)."""
        return self._value_and_grad(self._points(x))

    def hessian(self, x) -> np.ndarray:
        """Hessian matrices, shape ``(..., dim, dim)``."""
        return self._hessian(self._points(x))

    def hvp(self, x, v) -> np.ndarray:
        """Hessian-vector products ``H(x) v``, shape ``(..., dim)``."""
        x = self._points(x)
        v = check_points("v", v, self.dim)
        return self._hvp(x, v)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` points drawn uniformly from ``bounds``, shape ``(n, dim)``."""
        n = check_int("n", n, minimum=1)
        rng = np.random.default_rng(check_int("seed", seed, minimum=0))
        low, high = self.bounds[:, 0], self.bounds[:, 1]
        return low + (high - low) * rng.random((n, self.dim))

    @property
    def spec(self) -> dict:
        """``{"name": ..., "params": ...}``: what rebuilds this surface."""
        return {"name": self.name, "params": _jsonable(self.params)}

    def point_functions(self):
        """The surface's formula for one point, or None.

        ``PointFunctions``, ``SeparableFunctions`` or ``ChainFunctions`` (see
        ``landscape.surfaces.PointFunctions``): the numpy code evaluates it
        on arrays and the compiled engine (``trace(..., engine="numba")``, and
        ``"auto"``) compiles it into its loop. The default ``None`` keeps a
        surface on the numpy engine, through ``_value`` and ``_grad``.
        """
        return None

    def _formula(self):
        """``(point_functions(), its parameters as floats)``, built once per surface."""
        if "_formula_cache" not in self.__dict__:
            functions = self.point_functions()
            if functions is not None and not isinstance(functions, _elementwise.FORMULAS):
                raise invalid(
                    "point_functions()", functions,
                    "None, PointFunctions, SeparableFunctions or ChainFunctions",
                )
            cached = None if functions is None else (functions, _elementwise.parameters(functions))
            self.__dict__["_formula_cache"] = cached
        return self.__dict__["_formula_cache"]

    def parameter_groups(self) -> tuple[ParameterGroup, ...]:
        """The named blocks of the flat parameter vector, in order (see ``ParameterGroup``).

        A model surface (a network, a PyTorch model) overrides this; any other
        surface is one group ``"x"`` of shape ``(dim,)``, one filter.
        """
        return (ParameterGroup("x", 0, (self.dim,), "other"),)

    @property
    def has_analytic_hessian(self) -> bool:
        """Whether the Hessian is computed from a formula rather than differences."""
        return _overrides(self, "_hessian")

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        dim = "" if "dim" in self.params else f" dim={self.dim}"  # said once
        return f"<Surface {self.name}({args}){dim}>"

    def _repr_html_(self) -> str:
        return _display.surface_html(self)

    # ---- implementation hooks ----------------------------------------------
    def _value(self, x: np.ndarray) -> np.ndarray:
        return self._value_and_grad(x)[0]

    def _grad(self, x: np.ndarray) -> np.ndarray:
        if self._runs_formula():
            return self._value_and_grad(x)[1]
        h = _steps(x)  # (..., dim)
        shifted = x[..., None, None, :] + _offsets(h, self.dim)  # (..., 4, dim, dim)
        f = self._value(shifted)  # (..., 4, dim)
        return np.einsum("s,...si->...i", _WEIGHTS, f) / h

    def _value_and_grad(self, x: np.ndarray):
        if self._runs_formula():
            functions, params = self._formula()
            return _elementwise.evaluate(functions, x, params)
        if not _overrides(self, "_value"):
            raise NotImplementedError(f"{type(self).__name__} must implement point_functions or _value")
        return self._value(x), self._grad(x)

    def _runs_formula(self) -> bool:
        """Whether the numpy code evaluates ``point_functions()`` (no ``_value`` of its own)."""
        return not _overrides(self, "_value") and self._formula() is not None

    def _hessian(self, x: np.ndarray) -> np.ndarray:
        h = _steps(x)
        shifted = x[..., None, None, :] + _offsets(h, self.dim)  # (..., 4, dim, dim)
        g = self._grad(shifted)  # (..., 4, i, j) = d f / d x_j at x + s h e_i
        hessian = np.einsum("s,...sij->...ij", _WEIGHTS, g) / h[..., :, None]
        return 0.5 * (hessian + np.swapaxes(hessian, -1, -2))

    def _hvp(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        if self.has_analytic_hessian:
            return np.einsum("...ij,...j->...i", self._hessian(x), v)
        norm = np.linalg.norm(v, axis=-1, keepdims=True)
        unit = np.divide(v, norm, out=np.zeros_like(v), where=norm > 0)
        h = _STEP * np.maximum(1.0, np.linalg.norm(x, axis=-1, keepdims=True))
        shifted = x[..., None, :] + _STENCIL[:, None] * (h * unit)[..., None, :]
        g = self._grad(shifted)  # (..., 4, dim)
        return np.einsum("s,...si->...i", _WEIGHTS, g) / h * norm

    # ---- helpers -----------------------------------------------------------
    def _points(self, x) -> np.ndarray:
        x = check_points("x", x, self.dim)
        if not np.isfinite(x).all():
            raise InvalidArgument(
                f"x has non-finite entries; expected finite points of shape (..., {self.dim})"
            )
        return x


def _overrides(surface: Surface, method: str) -> bool:
    return getattr(type(surface), method) is not getattr(Surface, method)


def _steps(x: np.ndarray) -> np.ndarray:
    return _STEP * np.maximum(1.0, np.abs(x))


def _offsets(h: np.ndarray, dim: int) -> np.ndarray:
    """Offsets ``s h_i e_i`` of shape ``(..., 4, dim, dim)`` for the stencil."""
    return _STENCIL[:, None, None] * (h[..., None, :, None] * np.eye(dim))


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
