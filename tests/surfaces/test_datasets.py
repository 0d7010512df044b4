"""Toy data sets: seeded, balanced, and out of reach of a straight line."""

import numpy as np
import pytest

import landscape as ls


@pytest.mark.parametrize("name", ["moons", "circles", "spirals", "blobs"])
def test_shapes_balance_and_seed(name):
    X, labels = ls.surfaces.dataset(name, m=101, seed=3)
    assert X.shape == (2, 101) and labels.shape == (101,) and labels.dtype.kind == "i"
    assert np.bincount(labels).tolist() == [51, 50]
    again, _ = ls.surfaces.dataset(name, m=101, seed=3)
    np.testing.assert_array_equal(X, again)
    assert not np.array_equal(X, ls.surfaces.dataset(name, m=101, seed=4)[0])
    assert np.all(np.abs(X.mean(axis=1)) < 0.5) and np.all(X.std(axis=1) < 2)


def test_more_classes_and_noise():
    X, labels = ls.surfaces.dataset("spirals", m=300, classes=3, seed=0)
    assert np.bincount(labels).tolist() == [100, 100, 100]
    clean, _ = ls.surfaces.dataset("circles", m=200, noise=0.0, seed=0)
    radii = np.linalg.norm(clean, axis=0)
    np.testing.assert_allclose(np.sort(np.unique(np.round(radii, 12))), [0.45, 1.0])
    with pytest.raises(ValueError, match=r"classes=3 is not accepted; expected 2: data='moons'"):
        ls.surfaces.dataset("moons", classes=3)


@pytest.mark.parametrize(("name", "linear_at_most"), [("moons", 0.9), ("circles", 0.6), ("blobs", 0.6)])
def test_a_straight_line_fails_where_a_hidden_layer_succeeds(name, linear_at_most):
    X, labels = ls.surfaces.dataset(name, m=400, seed=0)
    line = ls.surfaces.LinearModel(X.T, labels.astype(float), 1e-3, loss="logistic", name="line", params={})
    theta = line.minima[0]  # the best logistic-regression line, by Newton's method
    assert np.mean((X.T @ theta[:-1] + theta[-1] > 0) == (labels == 1)) < linear_at_most
    net = ls.surfaces.mlp(layers=(2, 16, 1), activation="tanh", data=name, m=400)
    traj = ls.trace(net, ls.optim.adam(0.05), net.init(2, "xavier", seed=0), epochs=100, batch_size=100,
                    record_every=1000)
    assert np.all(traj.metrics["accuracy"][-1] > 0.99)
