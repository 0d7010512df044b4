r"""The lecture's neural network as a surface over its flattened parameters.

Forward propagation on ``X`` (shape ``(n_x, m)``, one column per example):
``Z^[l] = W^[l] A^[l-1] + b^[l]``, ``A^[l] = g^[l](Z^[l])``, ``A^[0] = X``,
with ``W^[l]`` of shape ``(n_l, n_{l-1})``. The cost is the notes' formula

.. math:: J = \frac{1}{m} \sum_{i=1}^{m} \mathcal{L}(ŷ^{(i)}, y^{(i)})
          + \frac{λ}{2m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2 ,

and on a mini-batch ``X^{t}, Y^{t}`` of ``b`` examples the same formula with
``m`` replaced by ``b``, as the notes write ``J^{t}`` (so the penalty's
weight per step does not depend on the batch size).

Every particle is one flat parameter vector; ``K`` of them are evaluated at
once by batched matrix products (``np.matmul`` over a leading particle
axis), gradients by backpropagation and Hessian-vector products by
Pearlmutter's R-operator (exact, one forward and one backward pass more).
Internally examples are rows (``A`` of shape ``(K, b, n_l)``): the
transpose of the notes' layout, which lets a mini-batch be gathered from the
rows of ``Xᵀ`` in one call.

The matrices are small (widths up to a few hundred), so BLAS runs on one
thread inside the network's passes: on the 2-core machine shared with other
work, a product ``H v`` of a 10 297-parameter network on 2 000 examples took
30 ms on one BLAS thread and 250 to 320 ms on two. ``hvp_operator`` uses the
cores instead by splitting the data set into fixed pieces of 1 024 examples,
one thread per piece, and adding the pieces' products in order (the same
bits on any number of cores).
"""

from __future__ import annotations

import functools

import numpy as np

from .._machine import map_on_threads, one_blas_thread, usable_cores
from .._validation import InvalidArgument, check_choice, check_int, check_scalar, invalid
from . import _losses
from ._base import ParameterGroup
from ._datasets import NAMES as DATA_NAMES
from ._datasets import TWO_CLASSES_ONLY, dataset
from ._finite_sum import CHUNK_ELEMENTS, FiniteSumSurface
from ._registry import register

LEAKY_SLOPE = 0.01
BOUND = 8.0  # window [-8, 8] per parameter: trained weights of small networks reach a few units
EXAMPLES_PER_PIECE = 1024  # hvp_operator splits the data set into pieces of this many examples
INIT_SCHEMES = ("he", "xavier", "small")
OUTPUTS = ("sigmoid", "softmax", "linear")


def _sigmoid(z, out=None):
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


@functools.lru_cache(maxsize=4)
def _zeros(shape, dtype):
    """Zeros to compare with: numpy's maximum against an array of zeros ran 6x faster in
    float32 (1.4x in float64) than against the scalar 0 (numpy 2.4, AVX2): the same numbers."""
    zeros = np.zeros(shape, dtype)
    zeros.flags.writeable = False
    return zeros


def _one_minus_square(a):
    """``1 − a²`` with one temporary (tanh's derivative, on every backward pass)."""
    out = np.multiply(a, a)
    return np.subtract(1.0, out, out=out)


# g(z, out=None), g'(z, a) and g''(z, a) of each hidden activation (a = g(z); out=z works in place)
ACTIVATIONS = {
    "relu": (
        lambda z, out=None: np.maximum(z, _zeros(z.shape, z.dtype), out=out),
        lambda z, a: (z > 0.0).astype(z.dtype),
        None,
    ),
    "leaky_relu": (
        lambda z, out=None: np.maximum(z, LEAKY_SLOPE * z, out=out),  # z for z > 0, else the slope times z
        lambda z, a: np.where(z > 0.0, 1.0, LEAKY_SLOPE),
        None,
    ),
    "tanh": (
        lambda z, out=None: np.tanh(z, out=out),
        lambda z, a: _one_minus_square(a),
        lambda z, a: -2.0 * a * (1.0 - a * a),
    ),
    "sigmoid": (
        _sigmoid,
        lambda z, a: a * (1.0 - a),
        lambda z, a: a * (1.0 - a) * (1.0 - 2.0 * a),
    ),
}
ODD_ACTIVATIONS = ("tanh",)  # g(-z) = -g(z): flipping a unit's signs is a symmetry


class MLP(FiniteSumSurface):
    r"""A fully connected network ``n_x → n_1 → … → n_L`` on a data set (see ``mlp``)."""

    def __init__(
        self,
        layers=(2, 16, 1),
        activation="relu",
        output="sigmoid",
        data="moons",
        m=1000,
        lambd=0.0,
        seed=0,
        noise=None,
    ):
        self.layers = _check_layers(layers)
        self.activation = check_choice("activation", activation, tuple(ACTIVATIONS))
        self.output = check_choice("output", output, OUTPUTS)
        self.lambd = check_scalar("lambd", lambd, low=0.0)
        seed = check_int("seed", seed, minimum=0)
        n_out = self.layers[-1]
        if self.output == "softmax" and n_out < 2:
            raise invalid("layers", list(self.layers), "a softmax output of at least 2 units")
        inputs, targets, data_record = _data(data, m, self.layers, self.output, seed, noise)
        self.inputs = np.ascontiguousarray(inputs.T)  # (m, n_x): examples as rows
        self._inputs_ones = _with_ones(self.inputs)  # [X, 1]: the first layer's operand (see _scores)
        self._single = None  # [X, 1] and Y in float32, made on first use
        self.outputs = np.ascontiguousarray(targets.T)  # (m, n_L)
        self._groups = _groups(self.layers)
        dim = self._groups[-1].start + self._groups[-1].size
        self._g, self._g_prime, self._g_second = ACTIVATIONS[self.activation]
        params = {"layers": list(self.layers), "activation": self.activation, "output": self.output}
        params |= {"data": data_record, "m": self.inputs.shape[0], "lambd": self.lambd, "seed": seed}
        if noise is not None:
            params["noise"] = noise
        self.dim = dim  # init needs it before Surface.__init__
        super().__init__(
            data_size=self.inputs.shape[0],
            dim=dim,
            bounds=np.tile([-BOUND, BOUND], (dim, 1)),
            name="mlp",
            params=params,
            default_start=self.init(1, seed=seed)[0],
        )

    # ---- the notes' arrays -----------------------------------------------------
    @property
    def X(self) -> np.ndarray:
        """Inputs, shape ``(n_x, m)``."""
        return self.inputs.T

    @property
    def Y(self) -> np.ndarray:
        """Targets, shape ``(n_y, m)`` (one-hot columns for a softmax output)."""
        return self.outputs.T

    def parameter_groups(self):
        """``W1, b1, W2, b2, …``: the weights' rows are the layer's neurons (role ``"weight"``)."""
        return self._groups

    def unflatten(self, x):
        """The list ``[(W1, b1), (W2, b2), …]`` of a flat vector ``(dim,)`` or of each of ``(K, dim)``.

        The arrays are views of ``x``: ``W`` of shape ``(…, n_l, n_{l-1})``
        and ``b`` of shape ``(…, n_l)``.
        """
        x = np.asarray(x, dtype=float)
        if x.shape[-1] != self.dim:
            raise InvalidArgument(f"x has shape {x.shape}; expected (..., {self.dim})")
        return self._weights(x)

    def flatten(self, params) -> np.ndarray:
        """The flat vector(s) of a list ``[(W1, b1), …]`` (the inverse of ``unflatten``)."""
        params = list(params)
        if len(params) != len(self.layers) - 1:
            raise invalid("params", f"{len(params)} layers", f"{len(self.layers) - 1} (W, b) pairs")
        arrays = [np.asarray(a, dtype=float) for pair in params for a in pair]
        lead = arrays[0].shape[: arrays[0].ndim - 2]
        for group, array in zip(self._groups, arrays, strict=True):
            if array.shape != lead + group.shape:
                raise InvalidArgument(f"{group.name} has shape {array.shape}; expected {lead + group.shape}")
        return np.concatenate([a.reshape(lead + (-1,)) for a in arrays], axis=-1)

    def init(self, K=1, scheme=None, seed=0) -> np.ndarray:
        r"""``K`` starting parameter vectors ``(K, dim)`` by the course's rules; biases zero.

        ``"he"``: ``W^[l] ~ N(0, 2/n_{l-1})`` (for ReLU); ``"xavier"``:
        ``N(0, 1/n_{l-1})`` (for tanh); ``"small"``: ``0.01 · N(0, 1)``.
        Default: He for ReLU and leaky ReLU, Xavier for tanh and sigmoid.
        Particle ``k``'s start depends only on ``seed`` and ``k``.
        """
        if scheme is None:
            scheme = "he" if self.activation in ("relu", "leaky_relu") else "xavier"
        K = check_int("K", K, minimum=1)
        scheme = check_choice("scheme", scheme, INIT_SCHEMES)
        seed = check_int("seed", seed, minimum=0)
        normals = np.random.default_rng(seed).standard_normal((K, self.dim))  # row k: same for any K
        scale = np.zeros(self.dim)
        for group in self._groups:
            if group.role == "weight":
                fan_in = group.shape[1]
                scale[group.slice] = {
                    "he": np.sqrt(2.0 / fan_in),
                    "xavier": np.sqrt(1.0 / fan_in),
                    "small": 0.01,
                }[scheme]
        return normals * scale

    def canonical(self, x) -> np.ndarray:
        """One representative of each point's orbit under the network's symmetries, shape of ``x``.

        In every hidden layer (first to last): for tanh, each unit's signs
        are flipped so that its bias is positive (``W^[l]`` row, ``b^[l]``
        entry and ``W^[l+1]`` column together, since ``tanh`` is odd); then
        the units are sorted by bias (ties by incoming weights). ``J`` takes
        the same value at ``x`` and ``canonical(x)``.
        """
        x = self._points(x)
        flat = np.array(x.reshape(-1, self.dim))
        weights = self._weights(flat)  # views: the steps below rewrite flat
        for layer in range(len(weights) - 1):
            (w, b), (w_next, _) = weights[layer], weights[layer + 1]
            if self.activation in ODD_ACTIVATIONS:
                sign = np.where(b < 0, -1.0, 1.0)
                w *= sign[:, :, None]
                b *= sign
                w_next *= sign[:, None, :]
            order = np.lexsort((*np.moveaxis(w, -1, 0)[::-1], b), axis=-1)
            w[...] = np.take_along_axis(w, order[:, :, None], axis=1)
            b[...] = np.take_along_axis(b, order, axis=1)
            w_next[...] = np.take_along_axis(w_next, order[:, None, :], axis=2)
        return flat.reshape(x.shape)

    # ---- forward and backward ------------------------------------------------------
    def _weights(self, x):
        """``[(W, b)]`` with ``W`` of shape ``(…, n_l, n_{l-1})``: views of ``x``, whatever its dtype."""
        lead = x.shape[:-1]
        blocks = [x[..., g.slice].reshape(lead + g.shape) for g in self._groups]
        return list(zip(blocks[0::2], blocks[1::2], strict=True))

    def _batch_data(self, rows, dtype=np.float64):
        """``[X, 1]`` and ``Y`` of the examples ``rows`` (all of them: None), in ``dtype``."""
        inputs, targets = self._inputs_ones, self.outputs
        if dtype == np.float32:
            if self._single is None:
                self._single = inputs.astype(np.float32), targets.astype(np.float32)
            inputs, targets = self._single
        if rows is None:
            return inputs, targets  # shared by every particle
        return np.take(inputs, rows, axis=0), np.take(targets, rows, axis=0)

    def _forward(self, weights, inputs):
        """Scores ``Z`` and activations ``A`` of every layer, shapes ``(P, b, n_l)``, from ``[X, 1]``.

        Each ``A`` but the last is a view of ``[A, 1]``, the next layer's operand (see ``_scores``).
        """
        a, zs, activations = inputs, [], [inputs[..., :-1]]
        last = len(weights) - 1
        for layer, (w, b) in enumerate(weights):
            z = _scores(a, w, b)
            zs.append(z)
            if layer < last:
                a = _with_ones(z, self._g)
                activations.append(a[..., :-1])
            else:
                activations.append(z)
        return zs, activations

    def _output_loss(self, z, y, want_value):
        """Per-example loss ``(P, b)`` (summed over outputs) and ``dL/dZ^[L]``."""
        if self.output == "softmax":
            return _losses.softmax_loss(z, y, want_value)
        function = _losses.logistic_loss if self.output == "sigmoid" else _losses.squared_loss
        value, slope = function(z, y, want_value)
        return (value.sum(axis=-1) if want_value else None), slope

    def _cost(self, x, rows, want_value):
        with one_blas_thread():
            return self._backprop(x, rows, want_value)

    def _backprop(self, x, rows, want_value):
        weights = self._weights(x)
        inputs, targets = self._batch_data(rows)
        count = inputs.shape[-2]
        zs, activations = self._forward(weights, inputs)
        losses, slope = self._output_loss(zs[-1], targets, want_value)
        grads = np.empty_like(x)
        grad_blocks = self._weights(grads)
        dz = slope
        dz /= count
        for layer in range(len(weights) - 1, -1, -1):
            w, _ = weights[layer]
            gw, gb = grad_blocks[layer]
            np.matmul(np.swapaxes(dz, -1, -2), activations[layer], out=gw)
            if self.lambd:
                gw += (self.lambd / count) * w
            dz.sum(axis=-2, out=gb)
            if layer:
                dz = np.matmul(dz, w)
                dz *= self._g_prime(zs[layer - 1], activations[layer])
        if not want_value:
            return None, grads
        return self._total(losses, weights, count), grads

    def _cost_value(self, x, rows, scratch=None):
        """The cost alone: the forward pass without backpropagation (a quarter of the work).

        In the precision of ``x``: float32 parameters meet the data set in float32
        (``Slice.grid(dtype=np.float32)``), as a float32 network would.
        """
        weights = self._weights(x)
        inputs, targets = self._batch_data(rows, x.dtype)
        losses, _ = self._output_loss(self._output_scores(weights, inputs, scratch), targets, True)
        return self._total(losses, weights, inputs.shape[-2])

    def _output_scores(self, weights, inputs, scratch=None):
        """``Z^[L]`` alone from ``[X, 1]``, each hidden activation in place: the same bits as ``_forward``.

        With a ``scratch`` dict, each layer's array is kept there for the next call of the same
        shape: a fresh array of a few MB per layer and chunk is mapped and unmapped by the
        allocator every time, which doubled the time of a network's plane.
        """
        a, last = inputs, len(weights) - 1
        for layer, (w, b) in enumerate(weights):
            width = w.shape[-2] + (layer < last)  # hidden layers: [Z, 1], then [A, 1] in place
            out = None
            if scratch is not None:
                key = (layer, w.shape[0], inputs.shape[-2], width, w.dtype)
                out = scratch.get(key)
                if out is None:
                    out = scratch[key] = np.ones(key[1:4], w.dtype)
            if layer == last:
                return _scores(a, w, b, out)
            if out is None:
                lead = np.broadcast_shapes(a.shape[:-2], w.shape[:-2])
                out = np.ones(lead + (a.shape[-2], width), w.dtype)
            _scores(a, w, b, out[..., :-1])
            # on the whole contiguous array (faster than on the view), then the ones again
            self._g(out, out=out)
            out[..., -1] = 1.0
            a = out

    def _total(self, losses, weights, count):
        """``J``: the mean loss over ``count`` examples plus the weight penalty."""
        values = losses.mean(axis=-1)
        if self.lambd:
            values = values + self.lambd / (2.0 * count) * self._weight_norms(weights)
        return values

    @staticmethod
    def _weight_norms(weights):
        """``Σ_l ‖W^[l]‖²_F`` per particle."""
        return sum(np.einsum("pij,pij->p", w, w) for w, _ in weights)

    def _cost_hvp(self, x, v, rows):
        """Pearlmutter's R-operator: forward and backward passes of the directional derivative."""
        with one_blas_thread():
            return self._curvature_product(self._curvature_state(x, rows), v)

    def hvp_operator(self, x):
        """``v ↦ H(x) v`` on the whole data set, with the passes at ``x`` done once.

        Parameters
        ----------
        x : array_like, shape (dim,) or (P, dim)

        Returns
        -------
        callable
            Takes directions ``(P, dim)`` (or ``(n, dim)`` for one point) and
            returns the products; each call costs the R-operator's passes
            only, not the forward and backward passes at ``x`` (what MINRES
            and Lanczos ask for many times at one point).
        """
        x = self._points(x)
        points = x.reshape(-1, self.dim)
        if len(points) * self.data_size * self._example_size() > 4 * CHUNK_ELEMENTS:
            return super().hvp_operator(x)
        with one_blas_thread():
            state = self._curvature_state(points, None)
        pieces = [_examples(state, part) for part in _pieces(self.data_size, EXAMPLES_PER_PIECE)]
        threads = usable_cores()

        def product(v):
            v = np.asarray(v, dtype=float).reshape(-1, self.dim)
            parts = [None] * len(pieces)

            def run(i):
                parts[i] = self._curvature_product(pieces[i], v, penalty=i == 0)

            with one_blas_thread():
                map_on_threads(run, range(len(pieces)), threads)
            return functools.reduce(np.add, parts)  # in order: the same bits on any number of cores

        return product

    def _curvature_state(self, x, rows):
        """What the R-operator needs of the passes at ``x``: activations, slopes and derivatives of g."""
        weights = self._weights(x)
        inputs, targets = self._batch_data(rows)
        count = inputs.shape[-2]
        zs, activations = self._forward(weights, inputs)
        _, slope = self._output_loss(zs[-1], targets, False)
        last = len(weights) - 1
        dzs, das = [None] * (last + 1), [None] * (last + 1)
        slopes = [self._g_prime(zs[layer], activations[layer + 1]) for layer in range(last)]
        curvatures = [None] * last
        if self._g_second is not None:
            curvatures = [self._g_second(zs[layer], activations[layer + 1]) for layer in range(last)]
        dz = slope / count
        for layer in range(last, -1, -1):
            dzs[layer] = dz
            if layer:
                das[layer] = np.matmul(dz, weights[layer][0])
                dz = das[layer] * slopes[layer - 1]
        return {
            "weights": weights,
            "activations": activations,
            "count": count,
            "z": zs[-1],
            "targets": targets,
            "dz": dzs,
            "da": das,
            "g'": slopes,
            "g''": curvatures,
        }

    def _curvature_product(self, state, v, penalty=True):
        weights, activations, count = state["weights"], state["activations"], state["count"]
        directions = self._weights(v)
        last = len(weights) - 1
        r_zs, r_activations = [], [None]  # R{A^[0]} = 0: the data do not depend on θ
        for layer, ((w, _), (vw, vb)) in enumerate(zip(weights, directions, strict=True)):
            r_z = np.matmul(activations[layer], np.swapaxes(vw, -1, -2))
            r_z += vb[:, None, :]
            if r_activations[layer] is not None:
                r_z += np.matmul(r_activations[layer], np.swapaxes(w, -1, -2))
            r_zs.append(r_z)
            if layer < last:
                r_activations.append(state["g'"][layer] * r_z)
        r_dz = self._output_curvature(state["z"], state["targets"], r_zs[-1]) / count
        out = np.empty(np.broadcast_shapes(v.shape, (len(weights[0][0]), self.dim)))
        out_blocks = self._weights(out)
        for layer in range(last, -1, -1):
            (w, _), (vw, _) = weights[layer], directions[layer]
            dz = state["dz"][layer]
            rw, rb = out_blocks[layer]
            rw[...] = np.matmul(np.swapaxes(r_dz, -1, -2), activations[layer])
            if r_activations[layer] is not None:
                rw += np.matmul(np.swapaxes(dz, -1, -2), r_activations[layer])
            if self.lambd and penalty:
                rw += (self.lambd / count) * vw
            rb[...] = r_dz.sum(axis=-2)
            if layer:
                r_da = np.matmul(r_dz, w) + np.matmul(dz, vw)
                r_dz = r_da * state["g'"][layer - 1]
                if state["g''"][layer - 1] is not None:
                    r_dz += state["da"][layer] * state["g''"][layer - 1] * r_zs[layer - 1]
        return out

    def _output_curvature(self, z, y, r_z):
        """``∂²L/∂Z² · R{Z}`` of the output layer's loss."""
        if self.output == "softmax":
            return _losses.softmax_curvature_product(z, r_z)
        curvature = _losses.logistic_curvature if self.output == "sigmoid" else _losses.squared_curvature
        return curvature(z, y) * r_z

    def _example_size(self):
        return 4 * sum(self.layers)

    # ---- predictions ---------------------------------------------------------------
    def predict(self, x, inputs) -> np.ndarray:
        """The network's output ``ŷ = A^[L]`` at ``inputs``.

        Parameters
        ----------
        x : array_like, shape (dim,) or (K, dim)
        inputs : array_like, shape (n_x, N)

        Returns
        -------
        ndarray, shape (n_L, N) or (K, n_L, N)
            Probabilities for sigmoid and softmax outputs, ``Z^[L]`` for a
            linear one.
        """
        x = self._points(x)
        inputs = np.asarray(inputs, dtype=float)
        if inputs.ndim != 2 or inputs.shape[0] != self.layers[0]:
            raise InvalidArgument(f"inputs have shape {inputs.shape}; expected ({self.layers[0]}, N)")
        flat = x.reshape(-1, self.dim)
        with one_blas_thread():
            z = self._output_scores(self._weights(flat), _with_ones(inputs.T))  # (P, N, n_L)
        if self.output == "sigmoid":
            z = _sigmoid(z)
        elif self.output == "softmax":
            z = np.exp(z - z.max(axis=-1, keepdims=True))
            z /= z.sum(axis=-1, keepdims=True)
        return np.swapaxes(z, -1, -2).reshape(x.shape[:-1] + (self.layers[-1], inputs.shape[1]))

    def accuracy(self, x) -> np.ndarray:
        """Fraction of the training set classified correctly, shape ``x.shape[:-1]``.

        Sigmoid outputs: every output on the side of 0.5 of its label; softmax:
        the largest output is the label's.
        """
        if self.output == "linear":
            raise InvalidArgument(
                "accuracy is defined for sigmoid and softmax outputs; this network's is linear"
            )
        x = self._points(x)
        flat = x.reshape(-1, self.dim)
        size = self._chunk(self.data_size)
        parts = []
        with one_blas_thread():
            for start in range(0, len(flat), size):
                z = self._forward(self._weights(flat[start : start + size]), self._inputs_ones)[0][-1]
                if self.output == "sigmoid":
                    right = np.all((z > 0.0) == (self.outputs > 0.5), axis=-1)
                else:
                    right = np.argmax(z, axis=-1) == np.argmax(self.outputs, axis=-1)
                parts.append(right.mean(axis=-1))
        return np.concatenate(parts).reshape(x.shape[:-1])

    def metrics(self, x):
        """``{"accuracy": ...}`` for classification outputs (recorded by ``trace``)."""
        return {} if self.output == "linear" else {"accuracy": self.accuracy(x)}


def _scores(a_ones, w, b, out=None):
    """``Z = A Wᵀ + b`` as one product ``[A, 1] [W, b]ᵀ``: no pass over ``Z`` to add the bias.

    The examples' arrays are the large ones (``(P, m, n_l)``), so adding ``b``
    to ``Z`` cost as much time as the product itself; ``[W, b]`` is small.
    """
    joined = np.concatenate([w, b[..., None]], axis=-1)
    return np.matmul(a_ones, np.swapaxes(joined, -1, -2), out=out)


def _with_ones(a, g=None):
    """``[a, 1]`` (a column of ones after the last axis); with ``g``, ``[g(a), 1]``."""
    out = np.empty(a.shape[:-1] + (a.shape[-1] + 1,), a.dtype)
    if g is None:
        out[..., :-1] = a
    else:
        g(a, out=out[..., :-1])
    out[..., -1] = 1.0
    return out


def _pieces(count: int, size: int) -> list[slice]:
    """``range(count)`` in consecutive slices of ``size`` (the last one shorter)."""
    return [slice(start, min(start + size, count)) for start in range(0, count, size)]


def _examples(state: dict, part: slice) -> dict:
    """The R-operator's state restricted to the examples ``part`` (axis -2 of every per-example array).

    ``count`` stays the whole set's: each piece's products are its share of
    the mean, and the pieces' products add up to the whole product.
    """

    def cut(a):
        return None if a is None else a[..., part, :]

    return state | {
        "activations": [cut(a) for a in state["activations"]],
        "z": cut(state["z"]),
        "targets": cut(state["targets"]),
        "dz": [cut(a) for a in state["dz"]],
        "da": [cut(a) for a in state["da"]],
        "g'": [cut(a) for a in state["g'"]],
        "g''": [cut(a) for a in state["g''"]],
    }


def _check_layers(layers) -> tuple[int, ...]:
    accepted = "at least two layer widths >= 1, e.g. (2, 16, 1)"
    try:
        widths = [int(n) for n in np.asarray(layers).ravel()]
    except (TypeError, ValueError):
        raise invalid("layers", layers, accepted) from None
    if len(widths) < 2 or min(widths) < 1 or np.ndim(layers) != 1 or np.any(np.asarray(layers) != widths):
        raise invalid("layers", layers, accepted)
    return tuple(widths)


def _groups(layers):
    groups, start = [], 0
    for number, (fan_in, width) in enumerate(zip(layers[:-1], layers[1:], strict=True), start=1):
        groups.append(ParameterGroup(f"W{number}", start, (width, fan_in), "weight"))
        start += width * fan_in
        groups.append(ParameterGroup(f"b{number}", start, (width,), "bias"))
        start += width
    return tuple(groups)


def _data(data, m, layers, output, seed, noise):
    """``X (n_x, m)``, ``Y (n_L, m)`` and what to record of them in ``params``."""
    n_x, n_out = layers[0], layers[-1]
    if isinstance(data, str):
        name = check_choice("data", data, DATA_NAMES)
        if n_x != 2:
            raise invalid("layers", list(layers), f"n_x = 2 inputs for data={name!r} (2-D points)")
        classes = n_out if n_out > 1 else 2
        if name in TWO_CLASSES_ONLY and classes != 2:
            raise invalid("layers", list(layers), f"1 (sigmoid) or 2 outputs for data={name!r} (2 classes)")
        inputs, labels = dataset(name, m, classes=classes, noise=noise, seed=seed)
        return inputs, _targets(labels, n_out), name
    if noise is not None:
        raise invalid("noise", noise, "None when data are given as arrays")
    try:
        inputs, targets = data
        inputs = np.asarray(inputs, dtype=float)
        targets = np.asarray(targets)
    except (TypeError, ValueError):
        accepted = f"one of {', '.join(DATA_NAMES)} or a pair (X, Y)"
        raise invalid("data", type(data).__name__, accepted) from None
    if inputs.ndim != 2 or inputs.shape[0] != n_x or not np.isfinite(inputs).all():
        raise invalid("data", f"X of shape {inputs.shape}", f"finite X of shape ({n_x}, m)")
    count = inputs.shape[1]
    if targets.shape == (count,) and output == "softmax":
        if targets.dtype.kind not in "iu" or targets.min() < 0 or targets.max() >= n_out:
            raise invalid("data", "Y labels", f"integer labels 0 .. {n_out - 1} for a softmax output")
        return inputs, _targets(targets, n_out), "arrays"
    targets = targets.astype(float).reshape((n_out, count)) if targets.size == n_out * count else targets
    if targets.shape != (n_out, count) or not np.isfinite(targets).all():
        raise invalid("data", f"Y of shape {targets.shape}", f"finite Y of shape ({n_out}, {count})")
    if output == "sigmoid" and not np.all((targets >= 0) & (targets <= 1)):
        raise invalid("data", "Y outside [0, 1]", "targets in [0, 1] for a sigmoid output")
    if output == "softmax" and not np.allclose(targets.sum(axis=0), 1.0):
        raise invalid("data", "Y columns", "columns summing to 1 (one-hot) for a softmax output")
    return inputs, targets, "arrays"


def _targets(labels, n_out):
    """``Y (n_L, m)`` from integer labels: a row of labels for one output, else one-hot columns."""
    if n_out == 1:
        return labels[None, :].astype(float)
    return (np.arange(n_out)[:, None] == labels[None, :]).astype(float)


@register("mlp")
def mlp(
    layers=(2, 16, 1),
    activation="relu",
    output="sigmoid",
    data="moons",
    m=1000,
    lambd=0.0,
    seed=0,
    noise=None,
) -> MLP:
    r"""The lecture's neural network on a toy data set: cost J over its flattened weights and biases.

    Parameters
    ----------
    layers : sequence of int
        ``(n_x, n_1, …, n_L)``: input width, hidden widths, output width.
    activation : {"relu", "tanh", "sigmoid", "leaky_relu"}
        ``g^[l]`` of the hidden layers (leaky ReLU: slope 0.01 below 0).
    output : {"sigmoid", "softmax", "linear"}
        The output layer: cross-entropy of ``σ(Z^[L])`` (one output: binary
        labels; several: independent labels), cross-entropy of
        ``softmax(Z^[L])`` (one-hot classes), or the squared error
        ``½ ‖Z^[L] − y‖²`` per example.
    data : {"moons", "circles", "spirals", "blobs"} or (X, Y)
        A seeded toy set (see ``dataset``; ``n_x = 2``; softmax outputs give
        ``n_L`` classes) or your own ``X`` of shape ``(n_x, m)`` and ``Y`` of
        shape ``(n_L, m)`` (integer labels of shape ``(m,)`` for softmax).
    m : int
        Number of examples of a toy set.
    lambd : float
        ``λ >= 0`` of the Frobenius penalty ``λ/(2m) Σ_l ‖W^[l]‖²_F``
        (biases are not penalized).
    seed : int
        Seed of the toy set and of ``default_start``.
    noise : float, optional
        Jitter of the toy set (see ``dataset``).

    Returns
    -------
    MLP
        ``dim = Σ_l n_l (n_{l-1} + 1)``. Parameters are one flat vector in the
        order ``W^[1], b^[1], W^[2], …`` (each ``W`` row by row):
        ``unflatten``, ``flatten``, ``parameter_groups``; ``init(K, scheme)``
        gives starts; ``accuracy(x)`` and ``predict(x, inputs)``; ``X``,
        ``Y`` the data in the notes' shapes.

    Notes
    -----
    On a mini-batch of ``b`` examples the cost is the notes' ``J^{t}``:
    ``(1/b) Σ_{i∈t} L + λ/(2b) Σ_l ‖W^[l]‖²_F`` (``m`` replaced by ``b``), so
    ``trace(..., batch_size=m)`` is batch gradient descent exactly. Gradients
    are backpropagation, Hessian-vector products Pearlmutter's R-operator
    (exact), the dense ``hessian`` ``dim`` of those. Weights are in
    ``bounds = [-3, 3]`` per coordinate for plots and searches.

    Examples
    --------
    >>> import landscape as ls
    >>> net = ls.surfaces.mlp(layers=(2, 4, 1), activation="tanh", data="moons", m=200)
    >>> net.dim, [g.name for g in net.parameter_groups()]
    (17, ['W1', 'b1', 'W2', 'b2'])
    >>> x0 = net.init(8, scheme="xavier", seed=0)
    >>> traj = ls.trace(net, ls.optim.adam(0.05), x0, epochs=20, batch_size=50)
    >>> traj.metrics["accuracy"].shape
    (81, 8)
    """
    return MLP(layers, activation, output, data, m, lambd, seed, noise)
