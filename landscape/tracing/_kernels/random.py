"""The counter-based generator of ``landscape._random``, one draw at a time.

Each function computes for one particle what the numpy version computes for
arrays, with the same constants and the same integer arithmetic, so both
engines draw the same 64-bit words for every ``(seed, particle, counter)``:
the words and the shuffles agree bit for bit, and the normal deviates agree to
the last bit or two (both use ``log``, ``cos`` and ``sin`` from their own math
libraries).
"""

from __future__ import annotations

import numpy as np

from ... import _random
from .config import kernel

GOLDEN_GAMMA = _random.GOLDEN_GAMMA
MIX1 = _random._MIX1
MIX2 = _random._MIX2
FEISTEL_ROUNDS = _random.FEISTEL_ROUNDS
TWO_PI = _random._TWO_PI
INV_2_53 = _random._INV_2_53
SHIFT_11 = np.uint64(11)
SHIFT_27 = np.uint64(27)
SHIFT_30 = np.uint64(30)
SHIFT_31 = np.uint64(31)
ONE = np.uint64(1)


@kernel
def mix64(z):
    """SplitMix64 finalizer of one uint64."""
    z = z ^ (z >> SHIFT_30)
    z = z * MIX1
    z = z ^ (z >> SHIFT_27)
    z = z * MIX2
    return z ^ (z >> SHIFT_31)


@kernel
def word(key, counter):
    """The random word number ``counter`` of the stream ``key``."""
    return mix64(key ^ (np.uint64(counter) * GOLDEN_GAMMA))


@kernel
def normal_pair(key, step, pairs, pair):
    """Coordinates ``2 pair`` and ``2 pair + 1`` of ``_random.normals(keys, step, dim)``."""
    first = (np.uint64(step) * np.uint64(pairs) + np.uint64(pair)) * np.uint64(2)
    u_radius = np.float64((word(key, first) >> SHIFT_11) + ONE) * INV_2_53
    u_angle = np.float64(word(key, first + ONE) >> SHIFT_11) * INV_2_53
    radius = np.sqrt(-2.0 * np.log(u_radius))
    angle = TWO_PI * u_angle
    return radius * np.cos(angle), radius * np.sin(angle)


@kernel
def feistel(x, round_keys, high_bits, low_bits):
    """``_random._feistel`` on one uint64 (``round_keys`` of length ``FEISTEL_ROUNDS``)."""
    high = x >> np.uint64(low_bits)
    low = x & ((ONE << np.uint64(low_bits)) - ONE)
    for r in range(FEISTEL_ROUNDS):
        mask = (ONE << np.uint64(high_bits)) - ONE
        high, low = low, high ^ (mix64(low ^ round_keys[r]) & mask)
        high_bits, low_bits = low_bits, high_bits
    return (high << np.uint64(low_bits)) | low


@kernel
def round_keys(key, epoch, out):
    """The Feistel round keys of one particle for a zero-based epoch, written to ``out``."""
    for r in range(FEISTEL_ROUNDS):
        out[r] = word(key, epoch * FEISTEL_ROUNDS + r)


@kernel
def shuffled_index(position, keys, data_size, high_bits, low_bits):
    """Entry ``position`` of the epoch's permutation of ``range(data_size)`` (cycle walking)."""
    m = np.uint64(data_size)
    x = feistel(np.uint64(position), keys, high_bits, low_bits)
    while x >= m:
        x = feistel(x, keys, high_bits, low_bits)
    return np.int64(x)
