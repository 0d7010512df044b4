"""Random and PCA directions against hand-written rescalings and numpy's SVD."""

import numpy as np
import pytest

import landscape as ls
from landscape.surfaces import ParameterGroup


class TwoLayers(ls.surfaces.Surface):
    """A stand-in for a small network: W1 (4, 3), b1 (4,), W2 (2, 4), b2 (2,) in one flat vector."""

    GROUPS = (
        ParameterGroup("W1", 0, (4, 3), "weight"),
        ParameterGroup("b1", 12, (4,), "bias"),
        ParameterGroup("W2", 16, (2, 4), "weight"),
        ParameterGroup("b2", 24, (2,), "bias"),
    )

    def __init__(self):
        super().__init__(dim=26, bounds=np.tile([-3.0, 3.0], (26, 1)), name="two_layers")

    def _value(self, x):
        return (x**2).sum(-1)

    def parameter_groups(self):
        return self.GROUPS


@pytest.fixture
def net():
    return TwoLayers()


@pytest.fixture
def theta(rng):
    x = rng.standard_normal(26)
    x[3:6] = 0.0  # a dead neuron: row 1 of W1 is zero
    return x


def _draws(seed, k, dim):
    return np.random.default_rng(seed).standard_normal((k, dim))


def test_filter_normalization_rescales_every_row_to_the_norm_of_x_and_zeroes_biases(net, theta):
    d1, d2 = ls.slices.random_directions(net, theta, seed=11)
    raw = _draws(11, 2, 26)
    for direction, draw in zip((d1, d2), raw, strict=True):
        w1, w2 = direction[:12].reshape(4, 3), direction[16:24].reshape(2, 4)
        for got, drawn, weights in (
            (w1, draw[:12].reshape(4, 3), theta[:12].reshape(4, 3)),
            (w2, draw[16:24].reshape(2, 4), theta[16:24].reshape(2, 4)),
        ):
            for row in range(len(weights)):  # Li et al.: d_ij <- d_ij / |d_ij| * |theta_ij|
                expected = drawn[row] / np.linalg.norm(drawn[row]) * np.linalg.norm(weights[row])
                np.testing.assert_allclose(got[row], expected, rtol=1e-14, atol=1e-300)
        np.testing.assert_allclose(
            np.linalg.norm(w1, axis=1), np.linalg.norm(theta[:12].reshape(4, 3), axis=1)
        )
        np.testing.assert_array_equal(w1[1], 0.0)  # the dead neuron stays dead
        np.testing.assert_array_equal(direction[12:16], 0.0)
        np.testing.assert_array_equal(direction[24:], 0.0)


def test_biases_join_when_not_ignored_each_group_one_filter(net, theta):
    (d,) = ls.slices.random_directions(net, theta, 1, seed=2, ignore=())
    raw = _draws(2, 1, 26)[0]
    for part in (slice(12, 16), slice(24, 26)):
        np.testing.assert_allclose(
            d[part], raw[part] / np.linalg.norm(raw[part]) * np.linalg.norm(theta[part])
        )


def test_layer_model_unit_and_none(net, theta):
    raw = _draws(5, 1, 26)[0]
    weights = np.r_[0:12, 16:24]
    (layer,) = ls.slices.random_directions(net, theta, 1, seed=5, normalization="layer")
    for part in (slice(0, 12), slice(16, 24)):
        np.testing.assert_allclose(
            layer[part], raw[part] / np.linalg.norm(raw[part]) * np.linalg.norm(theta[part])
        )
    (model,) = ls.slices.random_directions(net, theta, 1, seed=5, normalization="model")
    np.testing.assert_allclose(
        model[weights], raw[weights] / np.linalg.norm(raw[weights]) * np.linalg.norm(theta[weights])
    )
    (unit,) = ls.slices.random_directions(net, theta, 1, seed=5, normalization="unit", ignore=())
    np.testing.assert_allclose(unit, raw / np.linalg.norm(raw))
    (none,) = ls.slices.random_directions(net, theta, 1, seed=5, normalization="none", ignore=("W2", "bias"))
    np.testing.assert_array_equal(none[:12], raw[:12])
    np.testing.assert_array_equal(none[12:], 0.0)


def test_a_plain_surface_is_one_filter():
    s = ls.surfaces.get("rosenbrock", dim=20)
    x = np.linspace(-1, 1, 20)
    d = ls.slices.random_directions(s, x, 3, seed=0)
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), np.linalg.norm(x))
    raw = _draws(0, 3, 20)
    np.testing.assert_allclose(
        d / np.linalg.norm(d, axis=1, keepdims=True), raw / np.linalg.norm(raw, axis=1, keepdims=True)
    )


def test_the_same_seed_gives_the_same_directions_bit_for_bit(net, theta):
    a = ls.slices.random_directions(net, theta, seed=3)
    b = ls.slices.random_directions(net, theta, seed=3)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, ls.slices.random_directions(net, theta, seed=4))


def test_orthogonalized_directions_are_orthogonal_and_keep_their_norm(net, theta):
    plain = ls.slices.random_directions(net, theta, 3, seed=8)
    d = ls.slices.random_directions(net, theta, 3, seed=8, orthogonalize=True)
    gram = d @ d.T
    np.testing.assert_allclose(gram - np.diag(np.diag(gram)), 0.0, atol=1e-12 * gram.max())
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), np.linalg.norm(plain, axis=1))
    np.testing.assert_array_equal(d[0], plain[0])


def test_zero_directions_are_refused(net):
    with pytest.raises(
        ValueError, match="normalization='filter' is not accepted; expected a normalization that gives"
    ):
        ls.slices.random_directions(ls.surfaces.get("rosenbrock", dim=5), np.zeros(5))
    with pytest.raises(ValueError, match="normalization="):
        ls.slices.random_directions(net, np.ones(26), ignore=("weight", "bias"))
    with pytest.raises(ValueError, match="normalization='layers' is not accepted; expected one of 'filter'"):
        ls.slices.random_directions(net, np.ones(26), normalization="layers")
    with pytest.raises(ValueError, match=r"x has shape \(3,\); expected a point of shape \(26,\)"):
        ls.slices.random_directions(net, np.ones(3))


def test_overlapping_or_outside_groups_are_refused():
    class Broken(TwoLayers):
        def parameter_groups(self):
            return (ParameterGroup("W", 0, (4, 5), "weight"), ParameterGroup("b", 18, (10,), "bias"))

    with pytest.raises(ValueError, match="parameter group 'b' covers 18..28"):
        ls.slices.random_directions(Broken(), np.ones(26))


# ---- PCA ---------------------------------------------------------------------------------


def test_pca_of_a_path_in_a_known_plane_recovers_the_plane_and_projection_rebuilds_it(rng):
    dim = 60
    basis, _ = np.linalg.qr(rng.standard_normal((dim, 2)))
    t = np.linspace(0, 1, 80)
    coordinates = np.stack([3 * (1 - t) ** 2, np.sin(6 * t) * (1 - t)], axis=1)  # spirals into the end
    end = rng.standard_normal(dim)
    path = end + coordinates @ basis.T
    pca = ls.slices.pca_directions(path)
    assert pca.explained_variance_ratio.sum() >= 0.999
    np.testing.assert_allclose(pca.directions.T @ pca.directions, basis @ basis.T, atol=1e-10)
    np.testing.assert_array_equal(pca.center, path[-1])
    plane = ls.slices.pca_slice(ls.surfaces.get("rosenbrock", dim=dim), path)
    seen = plane.project(path)
    np.testing.assert_allclose(seen.distance, 0.0, atol=1e-12)
    np.testing.assert_allclose(plane.points(seen.coordinates), path, atol=1e-12)
    assert np.all(seen.coordinates[0] >= 0)  # signed so the start lies on the positive side
    inside = (seen.coordinates > plane.bounds[:, 0]) & (seen.coordinates < plane.bounds[:, 1])
    assert inside.all()


def test_pca_matches_numpy_svd_of_the_centred_offsets(rng):
    path = np.cumsum(rng.standard_normal((50, 3, 25)) * np.linspace(2, 0.1, 25), axis=0)
    pca = ls.slices.pca_directions(path, 3, particle=1)
    offsets = path[:-1, 1] - path[-1, 1]
    offsets = offsets - offsets.mean(axis=0)
    _, s, vt = np.linalg.svd(offsets, full_matrices=False)
    np.testing.assert_allclose(pca.explained_variance_ratio, s[:3] ** 2 / np.sum(s**2), rtol=1e-12)
    np.testing.assert_allclose(np.abs(pca.directions @ vt[:3].T), np.eye(3), atol=1e-10)


def test_pca_of_a_trajectory_takes_the_chosen_particle():
    s = ls.surfaces.get("rosenbrock", dim=10)
    traj = ls.trace(s, ls.optim.adam(lr=0.02), s.sample(2, seed=0), steps=60, engine="numpy")
    pca = ls.slices.pca_directions(traj, particle=1)
    np.testing.assert_array_equal(pca.center, traj.positions[-1, 1])
    with pytest.raises(ValueError, match="particle=2 is not accepted"):
        ls.slices.pca_directions(traj, particle=2)


def test_pca_refuses_paths_that_do_not_span_k_directions():
    straight = np.linspace(0, 1, 20)[:, None] * np.ones(8)
    with pytest.raises(ValueError, match="moves in at least 2 independent directions"):
        ls.slices.pca_directions(straight)
    with pytest.raises(ValueError, match="at least k \\+ 1 = 3 points"):
        ls.slices.pca_directions(np.ones((2, 8)))
