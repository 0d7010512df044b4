"""Counter-based random numbers: one reproducible stream per particle.

A draw is a pure function of ``(seed, particle, purpose, counter)``, so
particle ``k`` sees the same numbers whatever the number of particles, the
order of evaluation, the engine or the number of threads. The mixing function
is the SplitMix64 finalizer (Steele, Lea & Flood 2014); a stream key is mixed
with ``counter * golden_gamma`` by exclusive-or, so two particles' streams
never become shifted copies of each other the way additive Weyl sequences can.

Normal deviates use the Box-Muller transform on pairs of 53-bit uniforms.
Per-epoch shuffles are pseudorandom permutations of ``range(m)``: a balanced
Feistel network on the smallest even number of bits that covers ``m``, with
cycle walking to stay inside the range, so mini-batch ``j`` of epoch ``e`` is
computed directly without storing a permutation per particle.
"""

from __future__ import annotations

import numpy as np

GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_SEED_SALT = np.uint64(0x6C616E6473636170)  # "landscap"
NOISE_STREAM = np.uint64(0xA5A5A5A5A5A5A5A5)
SHUFFLE_STREAM = np.uint64(0x5A5A5A5A5A5A5A5A)
FEISTEL_ROUNDS = 4
_TWO_PI = 2.0 * np.pi
_INV_2_53 = 2.0**-53


def mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finalizer on a uint64 array (returns a new array)."""
    with np.errstate(over="ignore"):
        z = z ^ (z >> np.uint64(30))
        z *= _MIX1
        z ^= z >> np.uint64(27)
        z *= _MIX2
        z ^= z >> np.uint64(31)
    return z


def particle_keys(seed: int, particles, stream: np.uint64) -> np.ndarray:
    """One 64-bit key per particle for a purpose (``NOISE_STREAM``, ``SHUFFLE_STREAM``).

    ``particles`` is a count ``K`` (particles ``0 .. K-1``) or an array of
    particle indices, so any subset of an ensemble gets the keys it has in
    the whole ensemble.
    """
    ids = np.arange(particles) if np.ndim(particles) == 0 else np.asarray(particles)
    base = mix64(np.array([seed], dtype=np.uint64) ^ _SEED_SALT)
    with np.errstate(over="ignore"):
        keys = mix64(base + ids.astype(np.uint64) * GOLDEN_GAMMA)
    return mix64(keys ^ stream)


def words(keys: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """Random 64-bit words of shape ``(K, n)`` for keys ``(K,)`` and counters ``(n,)``."""
    with np.errstate(over="ignore"):
        spread = counters.astype(np.uint64) * GOLDEN_GAMMA
    return mix64(keys[:, None] ^ spread[None, :])


def normals(keys: np.ndarray, step: int, dim: int) -> np.ndarray:
    """Standard normal deviates of shape ``(K, dim)`` for one step.

    Coordinates ``2p`` and ``2p + 1`` share the Box-Muller pair ``p``, drawn
    from counters ``2 (step P + p)`` and ``2 (step P + p) + 1`` with
    ``P = ceil(dim / 2)``.
    """
    pairs = (dim + 1) // 2
    first = (np.uint64(step) * np.uint64(pairs) + np.arange(pairs, dtype=np.uint64)) * np.uint64(2)
    radius_word = words(keys, first)
    angle_word = words(keys, first + np.uint64(1))
    u_radius = ((radius_word >> np.uint64(11)) + np.uint64(1)) * _INV_2_53  # (0, 1]
    u_angle = (angle_word >> np.uint64(11)) * _INV_2_53  # [0, 1)
    radius = np.sqrt(-2.0 * np.log(u_radius))
    angle = _TWO_PI * u_angle
    out = np.empty((keys.shape[0], 2 * pairs))
    out[:, 0::2] = radius * np.cos(angle)
    out[:, 1::2] = radius * np.sin(angle)
    return out[:, :dim]


def feistel_widths(m: int) -> tuple[int, int]:
    """Widths in bits of the two Feistel halves covering ``range(m)``.

    The domain has exactly as many bits as ``m - 1`` (at least two), so more
    than half of it lies inside ``range(m)`` and cycle walking stays short.
    """
    bits = max(2, int(m - 1).bit_length())
    return bits // 2, bits - bits // 2


def shuffled_indices(keys: np.ndarray, epoch: int, positions: np.ndarray, m: int) -> np.ndarray:
    """Entries ``positions`` of each particle's permutation of ``range(m)`` for an epoch.

    Parameters
    ----------
    keys : ndarray of uint64, shape (K,)
        Shuffle keys of the particles.
    epoch : int
        Zero-based epoch; each epoch has a fresh permutation.
    positions : ndarray of int, shape (b,)
        Positions in the shuffled order (a mini-batch is a contiguous run).
    m : int
        Size of the data set.

    Returns
    -------
    ndarray of int64, shape (K, b)
        Example indices, a permutation of ``range(m)`` over all positions.
    """
    widths = feistel_widths(m)
    counters = np.uint64(epoch * FEISTEL_ROUNDS) + np.arange(FEISTEL_ROUNDS, dtype=np.uint64)
    round_keys = words(keys, counters)  # (K, rounds)
    x = np.broadcast_to(positions.astype(np.uint64), (keys.shape[0], positions.shape[0]))
    x = _feistel(x, round_keys[:, None, :], widths)
    outside = x >= np.uint64(m)
    while outside.any():  # cycle walking: on average under two passes, on few entries
        rows, cols = np.nonzero(outside)
        walked = _feistel(x[rows, cols], round_keys[rows], widths)
        x[rows, cols] = walked
        outside[rows, cols] = walked >= np.uint64(m)
    return x.astype(np.int64)


def _feistel(x: np.ndarray, round_keys: np.ndarray, widths: tuple[int, int]) -> np.ndarray:
    """Unbalanced Feistel network on ``sum(widths)`` bits.

    The halves swap roles every round; with an even number of rounds the high
    half ends with ``widths[0]`` bits again. ``round_keys[..., r]`` broadcasts
    against ``x``.
    """
    high_bits, low_bits = widths
    high = x >> np.uint64(low_bits)
    low = x & np.uint64((1 << low_bits) - 1)
    for r in range(FEISTEL_ROUNDS):
        mask = np.uint64((1 << high_bits) - 1)
        high, low = low, high ^ (mix64(low ^ round_keys[..., r]) & mask)
        high_bits, low_bits = low_bits, high_bits
    return (high << np.uint64(low_bits)) | low
