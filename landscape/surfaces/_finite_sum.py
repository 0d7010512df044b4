r"""Finite-sum surfaces: a cost averaged over a data set, the lecture's setting.

A model's cost on a mini-batch ``𝔅`` of ``|𝔅|`` of the ``m`` examples is, as
in the notes ("one step of gradient descent using X^{t}, Y^{t} as if m were
the batch size"),

.. math:: J_𝔅(θ) = \frac{1}{|𝔅|} \sum_{i∈𝔅} ℓ_i(θ) + \frac{λ}{2|𝔅|} \lVert W \rVert^2,

so the whole data set (``|𝔅| = m``) gives the cost ``J``. One mechanism
serves every model: a subclass of ``FiniteSumSurface`` writes ``_cost`` (the
cost and its gradient on a set of examples for a batch of parameter vectors)
and, where it can, ``_cost_hvp``; the class then gives the full-data
``value``/``grad``/``hvp``/``hessian`` in bounded memory, and mini-batches
(``batch_value_and_grad``) that ``landscape.trace(..., batch_size=B)`` draws
exactly. ``linear_regression``, ``logistic_regression``, ``mlp``,
``from_torch`` and a user's ``finite_sum`` are all built this way.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import InvalidArgument, check_int, invalid
from ._base import ParameterGroup, Surface

CHUNK_ELEMENTS = 1 << 22  # bound on points x examples x numbers per example in one evaluation


class FiniteSumSurface(Surface):
    """A cost averaged over ``m`` examples, with gradients on any mini-batch.

    Subclasses implement ``_cost`` and optionally ``_cost_hvp`` (without it,
    Hessian-vector products are central differences of the gradient) and
    ``_example_size``.

    Parameters
    ----------
    data_size : int
        ``m``, the number of examples.
    **surface
        ``dim``, ``bounds``, ``name``, ``params``, ``default_start``,
        ``minima`` as for ``Surface``.

    Attributes
    ----------
    data_size : int
        ``m``.

    Notes
    -----
    ``_cost(x, rows, want_value)`` receives parameter vectors ``x`` of shape
    ``(P, dim)`` and either ``rows=None`` (all ``m`` examples) or example
    indices ``rows`` of shape ``(P, b)`` (one mini-batch per vector); it
    returns ``(values, grads)`` of shapes ``(P,)`` (``None`` allowed when
    ``want_value`` is false) and ``(P, dim)``. ``_cost_hvp(x, v, rows)``
    returns ``(P, dim)``; there ``x`` may have a single row shared by all
    ``P`` directions ``v`` (Lanczos asks for many products at one point), so
    a model can run its forward pass once.
    """

    thread_safe = True

    def __init__(self, *, data_size, **surface):
        self.data_size = check_int("data_size", data_size, minimum=1)
        super().__init__(**surface)

    # ---- what a model defines -----------------------------------------------
    def _cost(self, x, rows, want_value):
        raise NotImplementedError(f"{type(self).__name__} must implement _cost")

    def _cost_value(self, x, rows, scratch=None):
        """The cost alone, ``(P,)`` (a model that can skip its gradient overrides this).

        ``scratch`` is a dict shared by the calls of one evaluation, where a
        model may keep its large temporaries for the next chunk of points.
        """
        return self._cost(x, rows, True)[0]

    def _cost_hvp(self, x, v, rows):
        """Central differences of the gradient along ``v`` (exact models override this)."""
        x = np.broadcast_to(x, v.shape)
        norm = np.linalg.norm(v, axis=-1, keepdims=True)
        unit = np.divide(v, norm, out=np.zeros_like(v), where=norm > 0)
        h = np.finfo(float).eps ** (1 / 3) * np.maximum(1.0, np.linalg.norm(x, axis=-1, keepdims=True))
        ahead = self._cost(x + h * unit, rows, False)[1]
        behind = self._cost(x - h * unit, rows, False)[1]
        return (ahead - behind) / (2.0 * h) * norm

    def _example_size(self) -> int:
        """Numbers held per parameter vector and example during an evaluation (sets chunk sizes)."""
        return 1

    def hvp_operator(self, x):
        """``v ↦ H(x) v`` for points ``x`` ``(dim,)`` or ``(P, dim)`` and directions ``(P, dim)``.

        Models that can keep their passes at ``x`` between products (``mlp``)
        override this; the default calls ``hvp`` each time.
        """
        x = self._points(x)
        return lambda v: self._hvp(x, np.asarray(v, dtype=float))

    def metrics(self, x) -> dict:
        """Extra per-point series that ``trace`` records next to the cost (default: none).

        A classifier returns ``{"accuracy": ...}``; each value has the shape
        ``x.shape[:-1]``.
        """
        return {}

    # ---- mini-batches --------------------------------------------------------
    def batch_value_and_grad(self, x, indices):
        """Mini-batch costs and gradients, one batch per parameter vector.

        Parameters
        ----------
        x : ndarray, shape (K, dim)
            Parameters of each particle.
        indices : ndarray of int, shape (K, b)
            Example indices of each particle's mini-batch.

        Returns
        -------
        values : ndarray, shape (K,)
            ``J^{t}`` of each particle's batch (penalty divided by ``b``).
        grads : ndarray, shape (K, dim)
        """
        return self._batches(x, indices, True)

    def batch_grad(self, x, indices):
        """Mini-batch gradients ``(K, dim)``, one batch ``indices[k]`` per particle."""
        return self._batches(x, indices, False)[1]

    def batch_hvp(self, x, v, indices):
        """Hessian-vector products of each particle's mini-batch cost, shape ``(K, dim)``."""
        x, indices = self._check_batch(x, indices)
        v = np.asarray(v, dtype=float)
        if v.shape != x.shape:
            raise InvalidArgument(f"v has shape {v.shape}; expected {x.shape}, one direction per particle")
        size = self._chunk(indices.shape[1])
        parts = [self._cost_hvp(x[s], v[s], indices[s]) for s in _slices(len(x), size)]
        return np.concatenate(parts) if parts else np.empty_like(x)

    def _batches(self, x, indices, want_value):
        x, indices = self._check_batch(x, indices)
        size = self._chunk(indices.shape[1])
        if len(x) <= size:
            return self._cost(x, indices, want_value)
        parts = [self._cost(x[s], indices[s], want_value) for s in _slices(len(x), size)]
        grads = np.concatenate([g for _, g in parts])
        return (np.concatenate([v for v, _ in parts]) if want_value else None), grads

    def _check_batch(self, x, indices):
        if not (isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] == self.dim):
            x = np.asarray(x, dtype=float)
            if x.ndim != 2 or x.shape[1] != self.dim:
                raise InvalidArgument(
                    f"x has shape {x.shape}; expected (K, {self.dim}), one row per particle"
                )
        indices = np.asarray(indices)
        if indices.ndim != 2 or indices.shape[0] != x.shape[0] or indices.dtype.kind not in "iu":
            raise InvalidArgument(
                f"indices have shape {indices.shape} and dtype {indices.dtype}; expected integers of "
                f"shape ({x.shape[0]}, b), one mini-batch per particle"
            )
        if indices.size and not (indices.min() >= 0 and indices.max() < self.data_size):
            raise invalid("indices", "out-of-range example indices", f"integers in [0, {self.data_size})")
        return x, indices

    # ---- the whole data set ------------------------------------------------
    def _chunk(self, examples: int) -> int:
        return max(1, CHUNK_ELEMENTS // (max(1, self._example_size()) * max(1, examples)))

    def _full(self, x, want_value):
        flat = x.reshape(-1, self.dim)
        size = self._chunk(self.data_size)
        parts = [self._cost(flat[s], None, want_value) for s in _slices(len(flat), size)]
        if not parts:
            return np.empty(x.shape[:-1]), np.empty(x.shape)
        grads = np.concatenate([g for _, g in parts]).reshape(x.shape)
        values = np.concatenate([v for v, _ in parts]).reshape(x.shape[:-1]) if want_value else None
        return values, grads

    def _value(self, x):
        flat = x.reshape(-1, self.dim)
        size = self._chunk(self.data_size)
        scratch = {}
        parts = [self._cost_value(flat[s], None, scratch) for s in _slices(len(flat), size)]
        return (np.concatenate(parts) if parts else np.empty(0)).reshape(x.shape[:-1])

    def _grad(self, x):
        return self._full(x, False)[1]

    def _value_and_grad(self, x):
        return self._full(x, True)

    def _hvp(self, x, v):
        shape = np.broadcast_shapes(x.shape, v.shape)
        directions = np.broadcast_to(v, shape).reshape(-1, self.dim)
        points = np.broadcast_to(x, shape).reshape(-1, self.dim)
        shared = x.ndim == 1 or all(s == 0 for s in np.broadcast_to(x, shape).strides[:-1])
        size = self._chunk(self.data_size)
        parts = [
            self._cost_hvp(points[:1] if shared else points[s], directions[s], None)
            for s in _slices(len(directions), size)
        ]
        return (np.concatenate(parts) if parts else np.empty((0, self.dim))).reshape(shape)

    def _hessian(self, x):
        """``H e_j`` for every coordinate ``j``: ``dim`` Hessian-vector products per point."""
        points = np.broadcast_to(x[..., None, :], x.shape[:-1] + (self.dim, self.dim))
        out = self._hvp(points, np.eye(self.dim))
        return 0.5 * (out + np.swapaxes(out, -1, -2))

    @property
    def has_analytic_hessian(self) -> bool:
        return type(self)._cost_hvp is not FiniteSumSurface._cost_hvp


def _slices(count, size):
    return [slice(start, min(start + size, count)) for start in range(0, count, size)]


# ---- a user's model ----------------------------------------------------------------


class FunctionFiniteSum(FiniteSumSurface):
    """A finite-sum surface from a user's functions (see ``finite_sum``)."""

    def __init__(
        self,
        value_and_grad,
        *,
        dim,
        data_size,
        hvp=None,
        parameter_groups=None,
        vectorized=True,
        bounds=None,
        name="finite_sum",
        default_start=None,
        thread_safe=False,
        metrics=None,
    ):
        if not callable(value_and_grad):
            raise invalid("value_and_grad", value_and_grad, "a function (x, rows) -> (values, grads)")
        if hvp is not None and not callable(hvp):
            raise invalid("hvp", hvp, "None or a function (x, v, rows) -> products")
        if metrics is not None and not callable(metrics):
            raise invalid("metrics", metrics, "None or a function x -> {name: values}")
        dim = check_int("dim", dim, minimum=1)
        if bounds is None:
            bounds = np.tile([-1.0, 1.0], (dim, 1))
        self.vectorized = bool(vectorized)
        self.thread_safe = bool(thread_safe)
        self._functions = {"value_and_grad": value_and_grad, "hvp": hvp, "metrics": metrics}
        self._groups = _layout(parameter_groups, dim)
        super().__init__(data_size=data_size, dim=dim, bounds=bounds, name=name, default_start=default_start)
        if not self.vectorized:
            warnings.warn(
                f"finite_sum {name!r}: value_and_grad is called once per particle (vectorized=False), "
                "which is much slower than one call on (K, dim) arrays",
                UserWarning,
                stacklevel=3,
            )

    def parameter_groups(self):
        return self._groups

    @property
    def has_analytic_hessian(self) -> bool:
        return self._functions["hvp"] is not None

    def metrics(self, x):
        function = self._functions["metrics"]
        return {} if function is None else dict(function(np.asarray(x, dtype=float)))

    def _rows(self, x, rows):
        if rows is None:
            return np.broadcast_to(np.arange(self.data_size), (len(x), self.data_size))
        return rows

    def _cost(self, x, rows, want_value):
        rows = self._rows(x, rows)
        function = self._functions["value_and_grad"]
        if self.vectorized:
            values, grads = function(x, rows)
        else:
            pairs = [function(x[k], rows[k]) for k in range(len(x))]
            values = [value for value, _ in pairs]
            grads = [grad for _, grad in pairs]
        values = np.asarray(values, dtype=float).reshape(len(x))
        grads = np.asarray(grads, dtype=float)
        if grads.shape != x.shape:
            raise InvalidArgument(
                f"value_and_grad returned gradients of shape {grads.shape}; expected {x.shape}"
            )
        return values, grads

    def _cost_hvp(self, x, v, rows):
        function = self._functions["hvp"]
        if function is None:
            return super()._cost_hvp(x, v, rows)
        x = np.broadcast_to(x, v.shape)
        rows = self._rows(x, rows)
        if self.vectorized:
            out = function(x, v, rows)
        else:
            out = [function(x[k], v[k], rows[k]) for k in range(len(x))]
        out = np.asarray(out, dtype=float)
        if out.shape != v.shape:
            raise InvalidArgument(f"hvp returned products of shape {out.shape}; expected {v.shape}")
        return out


def _layout(groups, dim) -> tuple[ParameterGroup, ...]:
    """Parameter groups from ``ParameterGroup``s or ``(name, shape[, role])`` laid end to end."""
    if groups is None:
        return (ParameterGroup("x", 0, (dim,), "other"),)
    out, start = [], 0
    for group in groups:
        if not isinstance(group, ParameterGroup):
            try:
                name, shape, *role = group
                group = ParameterGroup(
                    str(name), start, tuple(int(n) for n in np.atleast_1d(shape)), *(role or ["weight"])
                )
            except (TypeError, ValueError):
                accepted = "ParameterGroup or (name, shape[, role]) items"
                raise invalid("parameter_groups", group, accepted) from None
        if group.start != start or group.role not in ("weight", "bias", "other"):
            raise invalid("parameter_groups", group, f"groups laid end to end from 0 (next at {start})")
        out.append(group)
        start += group.size
    if start != dim:
        raise invalid("parameter_groups", f"groups covering {start} parameters", f"groups covering dim={dim}")
    return tuple(out)


def finite_sum(
    value_and_grad,
    *,
    dim,
    data_size,
    hvp=None,
    parameter_groups=None,
    vectorized=True,
    bounds=None,
    name="finite_sum",
    default_start=None,
    thread_safe=False,
    metrics=None,
) -> FunctionFiniteSum:
    r"""A surface for your own model: its cost averaged over ``data_size`` examples.

    Exact mini-batches (``trace(..., batch_size=B)``), noise, slices and the
    Hessian analysis then work on it as on ``mlp``.

    Parameters
    ----------
    value_and_grad : callable
        ``value_and_grad(x, rows) -> (values, grads)``: for parameter
        vectors ``x`` of shape ``(K, dim)`` and example indices ``rows`` of
        shape ``(K, b)`` (particle ``k``'s mini-batch is ``rows[k]``; the
        whole data set is a broadcast ``arange(m)``), the cost on those
        examples ``(K,)`` and its gradient ``(K, dim)``. Include your own
        penalty; the lecture's convention divides it by the batch size.
    dim : int
        Number of parameters.
    data_size : int
        ``m``.
    hvp : callable, optional
        ``hvp(x, v, rows) -> (K, dim)``, exact Hessian-vector products.
        Without it they are central differences of the gradient (about 8
        correct digits).
    parameter_groups : sequence, optional
        The layout of ``x``: ``ParameterGroup``s or ``(name, shape[, role])``
        tuples laid end to end (see ``Surface.parameter_groups``).
    vectorized : bool
        ``False``: the functions take one parameter vector ``(dim,)`` and its
        rows ``(b,)`` and the library loops over particles (it says once that
        this is slower).
    bounds : array_like, shape (dim, 2), optional
        Plot and search window (default ``[-1, 1]`` per coordinate).
    name : str
    default_start : array_like, shape (dim,), optional
    thread_safe : bool
        Whether the functions may run on several threads at once (each on its
        own particles); the numpy engine then uses every core.
    metrics : callable, optional
        ``metrics(x) -> {name: values}`` for points ``(..., dim)``: extra
        series ``trace`` records (e.g. ``{"accuracy": ...}``).

    Returns
    -------
    FunctionFiniteSum

    Examples
    --------
    Least squares on three examples, ``J = (1/2b) Σ (θ·a_i − y_i)²``:

    >>> import numpy as np, landscape as ls
    >>> A, y = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), np.array([1.0, 2.0, 0.0])
    >>> def value_and_grad(x, rows):
    ...     r = np.einsum("kbn,kn->kb", A[rows], x) - y[rows]
    ...     return 0.5 * (r**2).mean(axis=1), np.einsum("kb,kbn->kn", r, A[rows]) / rows.shape[1]
    >>> s = ls.surfaces.finite_sum(value_and_grad, dim=2, data_size=3)
    >>> s.value([1.0, 1.0]).round(6), s.batch_value_and_grad(np.ones((1, 2)), np.array([[1, 2]]))[0]
    (np.float64(0.666667), array([1.]))
    """
    return FunctionFiniteSum(
        value_and_grad,
        dim=dim,
        data_size=data_size,
        hvp=hvp,
        parameter_groups=parameter_groups,
        vectorized=vectorized,
        bounds=bounds,
        name=name,
        default_start=default_start,
        thread_safe=thread_safe,
        metrics=metrics,
    )
