"""The counter-based streams: distributions, independence from K, permutations."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from landscape import _random as r


def test_normals_are_standard_normal():
    keys = r.particle_keys(3, 20_000, r.NOISE_STREAM)
    z = np.concatenate([r.normals(keys, step, 3).ravel() for step in range(5)])
    assert stats.kstest(z, "norm").pvalue > 0.01
    first, second = r.normals(keys, 0, 2).T
    assert abs(np.corrcoef(first, second)[0, 1]) < 0.03  # the two Box-Muller outputs


def test_a_particles_stream_does_not_depend_on_the_ensemble_size():
    small = r.normals(r.particle_keys(7, 3, r.NOISE_STREAM), 11, 5)
    large = r.normals(r.particle_keys(7, 1000, r.NOISE_STREAM), 11, 5)
    np.testing.assert_array_equal(small, large[:3])


def test_streams_differ_between_seeds_steps_and_purposes():
    a = r.normals(r.particle_keys(0, 4, r.NOISE_STREAM), 0, 2)
    assert not np.array_equal(a, r.normals(r.particle_keys(1, 4, r.NOISE_STREAM), 0, 2))
    assert not np.array_equal(a, r.normals(r.particle_keys(0, 4, r.NOISE_STREAM), 1, 2))
    assert not np.array_equal(r.particle_keys(0, 4, r.NOISE_STREAM), r.particle_keys(0, 4, r.SHUFFLE_STREAM))


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 3000), epoch=st.integers(0, 50), seed=st.integers(0, 2**32))
def test_every_epoch_is_a_permutation(m, epoch, seed):
    keys = r.particle_keys(seed, 3, r.SHUFFLE_STREAM)
    indices = r.shuffled_indices(keys, epoch, np.arange(m), m)
    assert np.array_equal(np.sort(indices, axis=1), np.tile(np.arange(m), (3, 1)))


def test_shuffles_look_uniform():
    """Where example 0 lands over many particles is uniform over positions."""
    m = 16
    keys = r.particle_keys(0, 20_000, r.SHUFFLE_STREAM)
    indices = r.shuffled_indices(keys, 0, np.arange(m), m)
    landing = np.argmax(indices == 0, axis=1)
    assert stats.chisquare(np.bincount(landing, minlength=m)).pvalue > 0.001
    consecutive = r.shuffled_indices(keys, 1, np.arange(m), m)
    assert np.mean(np.all(indices == consecutive, axis=1)) < 1e-3
