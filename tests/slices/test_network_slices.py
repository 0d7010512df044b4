"""Slices of networks: filter normalization on real layers, derivatives, and the torch twin's numbers."""

import numpy as np
import pytest
import scipy.differentiate as sd

import landscape as ls


@pytest.fixture(scope="module")
def net():
    return ls.surfaces.mlp(layers=(2, 5, 3, 1), activation="tanh", data="moons", m=50)


@pytest.fixture(scope="module")
def trained(net):
    x0 = net.init(1, scheme="xavier", seed=1)
    return ls.trace(net, ls.optim.adam(lr=0.05), x0, epochs=10, batch_size=10, seed=0, engine="numpy")


def test_filter_normalization_scales_each_neuron_like_the_network_s(net, trained):
    x = trained.positions[-1, 0]
    d1, d2 = ls.slices.random_directions(net, x, seed=4)
    for direction in (d1, d2):
        for (w, _), (dw, db) in zip(net.unflatten(x), net.unflatten(direction), strict=True):
            # each row of W^[l] is a neuron's filter
            np.testing.assert_allclose(np.linalg.norm(dw, axis=1), np.linalg.norm(w, axis=1), rtol=1e-13)
            np.testing.assert_array_equal(db, 0.0)


def test_a_plane_of_the_network_has_the_chain_rule_s_derivatives(net, trained):
    plane = ls.slices.random_slice(net, trained.positions[-1, 0], seed=2, span=(-0.5, 0.5))
    alpha = np.array([[0.1, -0.2], [0.3, 0.25], [-0.4, 0.05]])
    z = alpha.T
    grad = sd.jacobian(lambda w: plane.value(np.moveaxis(w, 0, -1)), z).df.T
    np.testing.assert_allclose(plane.grad(alpha), grad, rtol=1e-7, atol=1e-9)
    hessian = np.moveaxis(
        sd.jacobian(lambda w: np.moveaxis(plane.grad(np.moveaxis(w, 0, -1)), -1, 0), z).df, (0, 1), (-2, -1)
    )
    np.testing.assert_allclose(plane.hessian(alpha), hessian, rtol=1e-6, atol=1e-8)


def test_the_value_alone_is_the_value_of_value_and_grad_to_the_bit():
    for lambd in (0.0, 0.5):
        net = ls.surfaces.mlp(layers=(2, 6, 1), data="circles", m=300, lambd=lambd)
        x = net.init(7, seed=3)
        np.testing.assert_array_equal(net.value(x), net.value_and_grad(x)[0])


def test_the_pca_plane_of_a_training_run_holds_most_of_it(net, trained):
    plane = ls.slices.pca_slice(net, trained)
    ratios = plane.how["explained_variance_ratio"]
    seen = plane.project(trained)
    offsets = trained.positions[:, 0] - plane.center
    # what the plane misses of each point is at most what the other components carry
    assert seen.distance.max() <= np.linalg.norm(offsets, axis=1).max()
    assert ratios[0] >= ratios[1] > 0 and sum(ratios) <= 1 + 1e-12
    np.testing.assert_allclose(seen.coordinates[-1, 0], [0.0, 0.0], atol=1e-12)


def test_a_plane_of_the_network_is_the_torch_twin_s_loss(trained):
    torch = pytest.importorskip("torch")
    net = ls.surfaces.mlp(layers=(2, 5, 3, 1), activation="tanh", data="moons", m=50)
    plane = ls.slices.random_slice(net, trained.positions[-1, 0], seed=6, resolution=5)
    grid = plane.grid()
    layers = []
    for w, _ in net.unflatten(plane.center):
        linear = torch.nn.Linear(w.shape[1], w.shape[0]).double()
        layers += [linear, torch.nn.Tanh()]
    model = torch.nn.Sequential(*layers[:-1])
    inputs = torch.as_tensor(net.inputs)
    targets = torch.as_tensor(net.outputs)
    loss = torch.nn.BCEWithLogitsLoss()
    expected = np.empty_like(grid.values)
    with torch.no_grad():
        for i, b in enumerate(grid.axes[1]):
            for j, a in enumerate(grid.axes[0]):
                point = torch.as_tensor(plane.points(np.array([a, b])))
                torch.nn.utils.vector_to_parameters(point, model.parameters())
                expected[i, j] = loss(model(inputs), targets).item()
    np.testing.assert_allclose(grid.values, expected, rtol=1e-12)


def test_a_float32_grid_is_the_network_evaluated_in_float32(net, trained, tmp_path):
    plane = ls.slices.random_slice(net, trained.positions[-1, 0], seed=2, resolution=9)
    exact = plane.grid().values
    single = plane.grid(dtype=np.float32)
    assert single.values.dtype == np.float64 and not np.array_equal(single.values, exact)
    np.testing.assert_allclose(single.values, exact, rtol=1e-5)
    # the same as the float32 forward pass written out here, on float32 points and data
    points = plane.points(np.stack(np.meshgrid(*single.axes), axis=-1)).astype(np.float32)
    a = net.inputs.astype(np.float32)
    for layer, (w, b) in enumerate(net.unflatten(points.reshape(-1, net.dim))):
        z = np.einsum("pmi,poi->pmo", a if a.ndim == 3 else np.broadcast_to(a, (len(w), *a.shape)), w)
        z = z + b[:, None, :]
        a = np.tanh(z) if layer < len(net.layers) - 2 else z
    y = net.outputs.astype(np.float32)[None]
    cost = (np.logaddexp(np.float32(0), a) - y * a).sum(axis=-1).mean(axis=-1)
    np.testing.assert_allclose(single.values.ravel(), cost, rtol=1e-5)
    plane.save(tmp_path / "plane.npz")
    assert set(ls.slices.load_slice(tmp_path / "plane.npz").grids) == {9}  # the float64 grid only
    with pytest.raises(ValueError, match="dtype='float16' is not accepted; expected numpy.float64 or"):
        plane.grid(dtype="float16")
