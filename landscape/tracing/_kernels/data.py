"""Block kernels of surfaces that need arrays: random quadratics, random fields, data-set costs.

A block kernel fills ``g[:, i]`` (and, when ``want_value``, ``v[i]``) for the
particles ``lo + i`` of the position array ``x`` of shape ``(dim, K)``.
Finite-sum costs also have a mini-batch kernel: each particle draws its own
batch from its own shuffle (``random.shuffled_index``), exactly as
``_random.shuffled_indices`` does for the numpy engine.
"""

from __future__ import annotations

import numba
import numpy as np
import scipy.fft  # in compiled code through rocket-fft, which registers itself with numba

from ... import _random
from ... import surfaces as s
from ...surfaces import _losses
from . import random
from .config import kernel, uncached_kernel

LINEAR, LOGISTIC = 0, 1
SPECTRUM, GOE, WISHART = 0, 1, 2  # cores of the structured random quadratic


@kernel
def quadratic(x, lo, hi, g, v, want_value, matrix, linear):
    """``∇f = Hx + b`` and ``f = x·(½Hx + b)`` for a dense symmetric ``H``."""
    product = np.dot(matrix, x[:, lo:hi].astype(np.float64))
    _from_product(x, lo, product, linear, g, v, want_value)


@kernel
def _from_product(x, lo, product, linear, g, v, want_value):
    """``g = Hx + b`` and (when ``want_value``) ``v = x·(½Hx + b)``, given ``product = Hx``."""
    dim, n = product.shape
    for d in range(dim):
        for i in range(n):
            g[d, i] = product[d, i] + linear[d]
    if want_value:
        for i in range(n):
            v[i] = 0.0
        for d in range(dim):
            for i in range(n):
                v[i] += x[d, lo + i] * (0.5 * product[d, i] + linear[d])


@kernel
def _scale_rows(out, a, w):
    """``out[d] = a[d] w[d]`` for the rows of ``(dim, n)`` arrays."""
    for d in range(w.shape[0]):
        for i in range(w.shape[1]):
            out[d, i] = a[d] * w[d, i]


@kernel
def _add_above(out, band, w):
    """``out[d] += band[d] w[d + 1]``."""
    for d in range(w.shape[0] - 1):
        for i in range(w.shape[1]):
            out[d, i] += band[d] * w[d + 1, i]


@kernel
def _add_below(out, band, w):
    """``out[d] += band[d - 1] w[d - 1]``."""
    for d in range(1, w.shape[0]):
        for i in range(w.shape[1]):
            out[d, i] += band[d - 1] * w[d - 1, i]


@kernel
def structured_quadratic(x, lo, hi, g, v, want_value, signs, first, second, linear, rows, ensemble):
    """``∇f = Q M Qᵀ x + b`` for the structured form: ``Q`` is signs, a 2-D DCT and signs
    (the coordinates laid out as ``rows x dim / rows``), ``M`` diagonal (``SPECTRUM``),
    tridiagonal (``GOE``: ``first`` its diagonal, ``second`` the band) or ``Bᵀ``-then-``B``
    bidiagonal (``WISHART``), in the order of operations of ``RandomQuadratic``."""
    dim, n = g.shape[0], hi - lo
    layout = (rows, dim // rows, n)
    w = np.empty((dim, n))
    _scale_rows(w, signs[1], x[:, lo:hi])
    w = scipy.fft.idctn(w.reshape(layout), type=2, norm="ortho", axes=(0, 1)).reshape((dim, n))
    _scale_rows(w, signs[0], w)
    core = np.empty((dim, n))
    if ensemble == WISHART:
        u = np.empty((dim, n))
        _scale_rows(u, first, w)  # Bᵀ w
        _add_above(u, second, w)
        _scale_rows(core, first, u)  # B u
        _add_below(core, second, u)
    else:
        _scale_rows(core, first, w)
        if ensemble == GOE:
            _add_above(core, second, w)
            _add_below(core, second, w)
    _scale_rows(core, signs[0], core)
    product = scipy.fft.dctn(core.reshape(layout), type=2, norm="ortho", axes=(0, 1)).reshape((dim, n))
    _scale_rows(product, signs[1], product)  # H x
    _from_product(x, lo, product, linear, g, v, want_value)


@kernel
def random_field(x, lo, hi, g, v, want_value, frequencies, phases, weight, confinement):
    """``f = s Σ_j cos z_j + c/2 ‖x‖²`` with ``z = W x + φ``: ``∇f = −s Wᵀ sin z + c x``."""
    dim, n = g.shape[0], hi - lo
    block = x[:, lo:hi].astype(np.float64)
    z = np.dot(frequencies, block)
    for j in range(z.shape[0]):
        for i in range(n):
            z[j, i] += phases[j]
    product = np.dot(frequencies.T, np.sin(z))
    for d in range(dim):
        for i in range(n):
            g[d, i] = -weight * product[d, i] + confinement * block[d, i]
    if want_value:
        for i in range(n):
            v[i] = 0.0
        for j in range(z.shape[0]):
            for i in range(n):
                v[i] += np.cos(z[j, i])
        for i in range(n):
            squares = 0.0
            for d in range(dim):
                squares += block[d, i] * block[d, i]
            v[i] = weight * v[i] + 0.5 * confinement * squares


squared_loss = kernel(_losses.squared_loss)
logistic_loss = kernel(_losses.logistic_loss)


@uncached_kernel  # it calls functions of another file
def loss(kind, z, y, want_value):
    """Per-example loss and its slope ``dℓ/dz`` (the loss only when ``want_value``): the
    functions of ``landscape.surfaces._losses`` that the numpy surfaces run on arrays."""
    if kind == LINEAR:
        return squared_loss(z, y, want_value)
    return logistic_loss(z, y, want_value)


@kernel
def _score(x, i, features, e):
    """``w·x⁽ᵉ⁾ + b`` for particle ``i``."""
    dim = x.shape[0]
    z = 0.0
    for f in range(dim - 1):
        z += features[e, f] * x[f, i]
    return z + x[dim - 1, i]


@kernel
def _finish(x, i, g, count, total, sums, regularization):
    """Mean over ``count`` examples plus the penalty ``λ/(2 count) ‖w‖²``; returns the value.

    ``sums[f]`` holds ``Σ slope · x_f`` (and ``Σ slope`` in the last place).
    """
    dim = x.shape[0]
    penalty = regularization / (2.0 * count)
    norm = 0.0
    for f in range(dim - 1):
        w = x[f, i]
        norm += w * w
        g[f, i] = sums[f] / count + (2.0 * penalty) * w
    g[dim - 1, i] = sums[dim - 1] / count
    return total / count + penalty * norm


@uncached_kernel  # it calls loss
def full_cost(kind, x, lo, hi, g, v, want_value, features, targets, regularization):
    """The cost over the whole data set for particles ``lo:hi`` (batch gradient descent).

    Examples in the outer loop: each row of the data set is read once per
    block of particles, not once per particle.
    """
    numba.literally(kind)  # compiled per loss, with no branch on it in the loops
    dim, m, n = x.shape[0], features.shape[0], hi - lo
    sums = np.zeros((n, dim))
    totals = np.zeros(n)
    for e in range(m):
        y = targets[e]
        for i in range(n):
            value, slope = loss(kind, _score(x, lo + i, features, e), y, want_value)
            totals[i] += value
            for f in range(dim - 1):
                sums[i, f] += slope * features[e, f]
            sums[i, dim - 1] += slope
    for i in range(n):
        v[i] = _finish(x, lo + i, g, m, totals[i], sums[i], regularization)


@uncached_kernel  # it calls kernels of random.py
def batch_cost(kind, x, lo, hi, g, v, want_value, features, targets, regularization,
               shuffle_keys, epoch, start, stop, high_bits, low_bits):
    """The cost on each particle's mini-batch: positions ``start:stop`` of its epoch's shuffle.

    In three passes per particle (indices, scores, gradient), so the rows of
    the data set, read in random order, are fetched many at a time.
    """
    dim, m, count = x.shape[0], features.shape[0], stop - start
    keys = np.empty(random.FEISTEL_ROUNDS, np.uint64)
    rows = np.empty(count, np.int64)
    scores = np.empty(count)
    sums = np.empty(dim)
    for i in range(hi - lo):
        random.round_keys(shuffle_keys[i], epoch, keys)
        for q in range(count):
            rows[q] = random.shuffled_index(start + q, keys, m, high_bits, low_bits)
        for q in range(count):
            scores[q] = _score(x, lo + i, features, rows[q])
        sums[:] = 0.0
        total = 0.0
        for q in range(count):
            e = rows[q]
            value, slope = loss(kind, scores[q], targets[e], want_value)
            total += value
            for f in range(dim - 1):
                sums[f] += slope * features[e, f]
            sums[dim - 1] += slope
        v[i] = _finish(x, lo + i, g, count, total, sums, regularization)


class QuadraticKernel:
    """A dense random quadratic: one matrix product per block and step."""

    block = True

    def __init__(self, surface):
        self.params = np.zeros(1)
        self.data = (np.ascontiguousarray(surface.matrix), np.ascontiguousarray(surface.linear))

    def emit_block(self, builder):
        f = builder.function("quadratic", quadratic)
        return [f"{f}(xb, 0, n, g, v, want_value, sdata[0], sdata[1])"]


class StructuredQuadraticKernel:
    """The structured random quadratic: two 2-D DCTs and a banded core per block and step."""

    block = True

    def __init__(self, surface):
        ensemble = {"spectrum": SPECTRUM, "goe": GOE, "wishart": WISHART}[surface.ensemble]
        if ensemble == SPECTRUM:
            first, second = surface.eigenvalue_diagonal, np.zeros(0)
        elif ensemble == GOE:
            first, second = surface.diagonal, surface.off
        else:
            first, second = surface.bidiagonal, surface.subdiagonal
        self.params = np.array([surface.layout[0], ensemble], float)
        arrays = (surface.signs, first, second, surface.linear)
        self.data = tuple(np.ascontiguousarray(a, dtype=np.float64) for a in arrays)

    def emit_block(self, builder):
        f = builder.function("structured_quadratic", structured_quadratic)
        return [
            f"{f}(xb, 0, n, g, v, want_value, sdata[0], sdata[1], sdata[2], sdata[3], "
            "int(sp[0]), int(sp[1]))"
        ]


class RandomFieldKernel:
    """Random cosines: two matrix products per block and step."""

    block = True

    def __init__(self, surface):
        self.params = np.array([surface._weight, surface.confinement])
        self.data = (np.ascontiguousarray(surface.frequencies), np.ascontiguousarray(surface.phases))

    def emit_block(self, builder):
        f = builder.function("random_field", random_field)
        return [f"{f}(xb, 0, n, g, v, want_value, sdata[0], sdata[1], sp[0], sp[1])"]


class FiniteSumKernel:
    """A data-set cost; ``emit_batch`` draws exact mini-batches."""

    block = True
    LOSSES = {"squared": (LINEAR, squared_loss), "logistic": (LOGISTIC, logistic_loss)}

    def __init__(self, surface):
        self.kind, self.loss = self.LOSSES[surface.loss]
        self.data = (surface.features, surface.targets)
        high, low = _random.feistel_widths(surface.data_size)
        # λ, then the batch size (set by the engine) and the Feistel half-widths
        self.params = np.array([surface.regularization, surface.data_size, high, low], float)

    def _register_loss(self, builder):
        """Name the loss among the driver's functions, so that the driver's cache key covers its
        code (it lives in ``landscape.surfaces._losses``, outside this package)."""
        builder.function(f"loss_{self.kind}", self.loss)

    def emit_block(self, builder):
        self._register_loss(builder)
        f = builder.function("full_cost", full_cost)
        return [f"{f}({self.kind}, xb, 0, n, g, v, want_value, sdata[0], sdata[1], sp[0])"]

    def emit_batch(self, builder):
        """Lines for the mini-batch of step ``t``; the engine puts the batch size in ``sp[1]``."""
        self._register_loss(builder)
        f = builder.function("batch_cost", batch_cost)
        return [
            "start = (t % steps_per_epoch) * int(sp[1])",
            "stop = min(start + int(sp[1]), sdata[0].shape[0])",
            f"{f}({self.kind}, xb, 0, n, g, v, want_value, sdata[0], sdata[1], sp[0], "
            "shuffle_keys[lo:hi], t // steps_per_epoch, start, stop, int(sp[2]), int(sp[3]))",
        ]


DATA = {
    s.LinearRegression: FiniteSumKernel,
    s.LogisticRegression: FiniteSumKernel,
    s.RandomField: RandomFieldKernel,
}


def quadratic_kernel(surface):
    return StructuredQuadraticKernel(surface) if surface.structured else QuadraticKernel(surface)


DATA[s.RandomQuadratic] = quadratic_kernel
