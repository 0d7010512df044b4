"""The lecture's network: its cost, derivatives and layout against formulas written out here."""

import json

import numpy as np
import pytest
import scipy.differentiate as sd

import landscape as ls


def _net(**kwargs):
    options = {"layers": (2, 4, 3, 1), "activation": "tanh", "data": "moons", "m": 40, "lambd": 0.3}
    return ls.surfaces.mlp(**(options | kwargs))


def _jacobian(function, x):
    """Jacobian of ``function`` ((K, dim) -> (K, ...)) at each row of x, by scipy.differentiate."""
    out = sd.jacobian(lambda z: np.moveaxis(function(np.moveaxis(z, 0, -1)), -1, 0), x.T).df
    return np.moveaxis(out, -1, 0)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize(
    ("output", "layers", "data"),
    [("sigmoid", (2, 4, 3, 1), "moons"), ("softmax", (2, 5, 3), "blobs"), ("linear", (2, 3, 1), "circles")],
)
def test_gradient_and_hvp_match_finite_differences(activation, output, layers, data):
    net = _net(activation=activation, output=output, layers=layers, data=data)
    x = net.init(3, "xavier", seed=1) + 0.2
    gradient = _jacobian(lambda z: net.value(z)[..., None], x)[:, 0, :]
    np.testing.assert_allclose(net.grad(x), gradient, rtol=1e-8, atol=1e-10)
    hessian = _jacobian(net.grad, x)  # (K, dim, dim)
    v = np.random.default_rng(3).standard_normal(x.shape)
    np.testing.assert_allclose(net.hvp(x, v), np.einsum("kij,kj->ki", hessian, v), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(net.hessian(x[0]), hessian[0], rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_piecewise_linear_activations_by_small_central_differences(activation):
    """Steps of 1e-6 cross none of ReLU's kinks at these points: differences are exact to O(h²)."""
    net = _net(activation=activation, output="softmax", layers=(2, 6, 3), data="spirals")
    x = net.init(4, "he", seed=2)
    v = np.random.default_rng(0).standard_normal(x.shape)
    h = 1e-6
    slope = (net.value(x + h * v) - net.value(x - h * v)) / (2 * h)
    np.testing.assert_allclose(np.einsum("kd,kd->k", net.grad(x), v), slope, rtol=1e-7)
    curvature = (net.grad(x + h * v) - net.grad(x - h * v)) / (2 * h)
    np.testing.assert_allclose(net.hvp(x, v), curvature, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid"])
def test_the_value_alone_has_the_bits_of_the_value_with_its_gradient(activation):
    """The value skips backpropagation and computes activations in place: the same numbers."""
    net = ls.surfaces.mlp(layers=(2, 5, 4, 1), activation=activation, data="circles", m=300, lambd=0.1)
    x = net.init(6, seed=2) + np.random.default_rng(0).normal(0, 0.3, (6, net.dim))
    np.testing.assert_array_equal(net.value(x), net.value_and_grad(x)[0])
    scores = net._forward(net._weights(x), net._inputs_ones)[0][-1]
    np.testing.assert_array_equal(net._output_scores(net._weights(x), net._inputs_ones), scores)


def test_values_in_chunks_reuse_their_arrays_and_keep_their_bits(monkeypatch):
    """Chunks of 4, 4 and 2 points share the arrays of their layers: each value is its own still."""
    net = ls.surfaces.mlp(layers=(2, 6, 1), activation="relu", data="moons", m=200)
    x = net.init(10, seed=3)
    one_by_one = np.array([net.value(point) for point in x])
    monkeypatch.setattr(net, "_chunk", lambda examples: 4)
    np.testing.assert_array_equal(net.value(x), one_by_one)
    np.testing.assert_array_equal(net.value(x[::-1]), one_by_one[::-1])


def test_no_hidden_layer_and_a_sigmoid_is_logistic_regression():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3, 60))  # notes' layout: one column per example
    y = (rng.random(60) < 0.5).astype(float)
    lambd = 0.7
    net = ls.surfaces.mlp(layers=(3, 1), output="sigmoid", data=(X, y), lambd=lambd)
    theta = rng.standard_normal((4, 4))  # (w1, w2, w3, b): W^[1] is one row, then b^[1]
    w, b = theta[:, :3], theta[:, 3]
    z = w @ X + b[:, None]
    yhat = 1.0 / (1.0 + np.exp(-z))
    cost = np.mean(-y * np.log(yhat) - (1 - y) * np.log(1 - yhat), axis=1)
    cost += lambd / 120 * np.sum(w**2, axis=1)
    grad_w = (yhat - y) @ X.T / 60 + lambd / 60 * w
    grad_b = np.mean(yhat - y, axis=1)
    design = np.vstack([X, np.ones(60)])  # (4, m)
    hessians = np.einsum("km,im,jm->kij", yhat * (1 - yhat), design, design) / 60
    hessians[:, :3, :3] += lambd / 60 * np.eye(3)
    np.testing.assert_allclose(net.value(theta), cost, rtol=1e-13)
    np.testing.assert_allclose(net.grad(theta), np.column_stack([grad_w, grad_b]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(net.hessian(theta), hessians, rtol=1e-12, atol=1e-15)


def test_permuting_hidden_units_permutes_the_gradient_and_keeps_the_value():
    net = _net()
    x = net.init(2, "xavier", seed=0) + 0.1
    (w1, b1), (w2, b2), (w3, b3) = net.unflatten(x)
    order = [2, 0, 3, 1]
    permuted = net.flatten([(w1[:, order], b1[:, order]), (w2[:, :, order], b2), (w3, b3)])
    np.testing.assert_array_equal(net.value(permuted), net.value(x))
    (g1, c1), (g2, c2), (g3, c3) = net.unflatten(net.grad(x))
    expected = net.flatten([(g1[:, order], c1[:, order]), (g2[:, :, order], c2), (g3, c3)])
    np.testing.assert_allclose(net.grad(permuted), expected, rtol=1e-14, atol=1e-16)
    signs = np.array([1.0, -1.0, -1.0, 1.0])  # tanh is odd: a unit's signs in and out flip together
    flipped = net.flatten([(w1 * signs[:, None], b1 * signs), (w2 * signs, b2), (w3, b3)])
    np.testing.assert_allclose(net.value(flipped), net.value(x), rtol=1e-15)
    np.testing.assert_array_equal(net.canonical(permuted), net.canonical(x))
    np.testing.assert_allclose(net.canonical(flipped), net.canonical(x), rtol=0, atol=1e-15)


def test_frobenius_term_is_the_notes_formula_on_the_data_and_on_a_mini_batch():
    lambd = 2.5
    plain, penalized = _net(lambd=0.0), _net(lambd=lambd)
    x = plain.init(3, "xavier", seed=4)
    frobenius = sum(np.sum(w**2, axis=(1, 2)) for w, _ in plain.unflatten(x))  # Σ_l ‖W^[l]‖²_F
    np.testing.assert_allclose(penalized.value(x) - plain.value(x), lambd / (2 * 40) * frobenius, rtol=1e-12)
    rows = np.random.default_rng(1).integers(0, 40, size=(3, 8))
    difference = penalized.batch_value_and_grad(x, rows)[0] - plain.batch_value_and_grad(x, rows)[0]
    np.testing.assert_allclose(difference, lambd / (2 * 8) * frobenius, rtol=1e-12)  # J^{t}: m -> b


def test_mini_batch_cost_is_the_cost_of_a_network_on_those_examples():
    net = _net(lambd=0.4)
    x = net.init(3, "xavier", seed=6)
    rows = np.random.default_rng(2).integers(0, 40, size=(3, 7))
    values, grads = net.batch_value_and_grad(x, rows)
    for k in range(3):
        alone = ls.surfaces.mlp(layers=(2, 4, 3, 1), activation="tanh", lambd=0.4,
                                data=(net.X[:, rows[k]], net.Y[:, rows[k]]))
        assert values[k] == pytest.approx(alone.value(x[k]), rel=1e-13)
        np.testing.assert_allclose(grads[k], alone.grad(x[k]), rtol=1e-12, atol=1e-15)


def test_softmax_cost_is_the_cross_entropy_of_one_hot_labels():
    net = ls.surfaces.mlp(layers=(2, 3), output="softmax", data="blobs", m=30)
    x = np.random.default_rng(0).standard_normal(net.dim)
    (w, b), = net.unflatten(x)
    z = w @ net.X + b[:, None]
    p = np.exp(z) / np.exp(z).sum(axis=0)
    labels = np.argmax(net.Y, axis=0)
    assert np.all(net.Y.sum(axis=0) == 1)
    assert net.value(x) == pytest.approx(-np.mean(np.log(p[labels, np.arange(30)])), rel=1e-13)


def test_layout_groups_and_initialization():
    net = ls.surfaces.mlp(layers=(2, 30, 20, 1), activation="relu", m=10)
    groups = net.parameter_groups()
    assert [(g.name, g.shape, g.role) for g in groups] == [
        ("W1", (30, 2), "weight"), ("b1", (30,), "bias"), ("W2", (20, 30), "weight"),
        ("b2", (20,), "bias"), ("W3", (1, 20), "weight"), ("b3", (1,), "bias"),
    ]
    assert net.dim == 30 * 3 + 20 * 31 + 21 == groups[-1].start + groups[-1].size
    x = np.arange(2 * net.dim, dtype=float).reshape(2, net.dim)
    params = net.unflatten(x)
    assert params[1][0].shape == (2, 20, 30) and params[0][0][1, 0, 1] == net.dim + 1  # rows, C order
    np.testing.assert_array_equal(net.flatten(params), x)
    np.testing.assert_array_equal(net.flatten(net.unflatten(x[0])), x[0])
    he = net.init(400, "he", seed=3)
    w2 = he[:, groups[2].slice]
    assert np.std(w2) == pytest.approx(np.sqrt(2 / 30), rel=0.02)
    assert np.all(he[:, groups[1].slice] == 0) and np.all(he[:, groups[5].slice] == 0)
    xavier = net.init(400, "xavier", seed=3)[:, groups[2].slice]
    assert np.std(xavier) == pytest.approx(np.sqrt(1 / 30), rel=0.02)
    assert np.max(np.abs(net.init(5, "small")[:, groups[0].slice])) < 0.05
    np.testing.assert_array_equal(net.init(3, seed=7), net.init(10, seed=7)[:3])  # particle k: seed, k


def test_trained_network_classifies_and_trace_records_its_accuracy(tmp_path):
    net = ls.surfaces.mlp(layers=(2, 8, 1), activation="tanh", data="moons", m=200, seed=1)
    traj = ls.trace(net, ls.optim.adam(0.05), net.init(4, "xavier", seed=0), epochs=30, batch_size=50,
                    record_every=10)
    assert traj.config["engine"] == "numpy"  # no compiled kernel: auto takes numpy
    accuracy = traj.metrics["accuracy"]
    assert accuracy.shape == traj.values.shape
    np.testing.assert_array_equal(accuracy, net.accuracy(traj.positions))
    assert np.all(accuracy[-1] > 0.95) and accuracy[0].mean() < 0.9
    traj.save(tmp_path / "run.npz")
    np.testing.assert_array_equal(ls.load_trajectory(tmp_path / "run.npz").metrics["accuracy"], accuracy)
    traj.to_csv(tmp_path / "run.csv")
    assert (tmp_path / "run.csv").read_text().splitlines()[0].endswith(",batch_value,accuracy")
    traj.to_json(tmp_path / "run.json")
    document = json.loads((tmp_path / "run.json").read_text())
    np.testing.assert_array_equal(document["metrics"]["accuracy"], accuracy)
    predictions = net.predict(traj.positions[-1, 0], net.X)
    assert predictions.shape == (1, 200) and np.mean((predictions[0] > 0.5) == net.Y[0]) == accuracy[-1, 0]


def test_batch_size_m_is_batch_gradient_descent_bit_for_bit():
    net = _net(m=30)
    x0 = net.init(3, "xavier", seed=2)
    full = ls.trace(net, ls.optim.momentum(0.1), x0, steps=25)
    batches = ls.trace(net, ls.optim.momentum(0.1), x0, steps=25, batch_size=30)
    np.testing.assert_array_equal(full.positions, batches.positions)
    np.testing.assert_array_equal(full.values, batches.values)


def test_mini_batches_are_each_particles_own_and_reproducible():
    net = _net(m=30)
    x0 = net.init(5, "xavier", seed=2)
    run = ls.trace(net, ls.optim.adam(0.05), x0, epochs=3, batch_size=8, seed=4)
    alone = ls.trace(net, ls.optim.adam(0.05), x0[3:4], epochs=3, batch_size=8, seed=4, particle_ids=[3])
    np.testing.assert_array_equal(run.positions[:, 3:4], alone.positions)
    assert run.positions.shape == (3 * 4 + 1, 5, net.dim)  # 30 examples: batches of 8, 8, 8 and 6
    single = ls.trace(net, ls.optim.adam(0.05), x0, epochs=3, batch_size=8, seed=4, dtype=np.float32)
    assert single.positions.dtype == np.float32
    np.testing.assert_allclose(single.positions, run.positions, atol=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"layers": (2,)}, "layers="),
        ({"layers": (2, 0, 1)}, "layers="),
        ({"layers": (2, 2.5, 1)}, "layers="),
        ({"activation": "swish"}, "activation='swish'"),
        ({"output": "relu"}, "output='relu'"),
        ({"data": "iris"}, "data='iris'"),
        ({"layers": (2, 4, 1), "output": "softmax"}, "softmax output of at least 2"),
        ({"layers": (3, 4, 1)}, "n_x = 2 inputs"),
        ({"layers": (2, 4, 3), "output": "softmax", "data": "moons"}, "2 outputs for data='moons'"),
        ({"data": (np.zeros((3, 10)), np.zeros(10))}, "X of shape"),
        ({"data": (np.zeros((2, 10)), np.zeros(9))}, "Y of shape"),
        ({"data": (np.zeros((2, 10)), np.full(10, 2.0))}, "targets in \\[0, 1\\]"),
        ({"lambd": -1.0}, "lambd=-1"),
        ({"m": 0}, "m=0"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, match):
    options = {"layers": (2, 4, 1), "m": 10} | kwargs
    with pytest.raises(ValueError, match=match):
        ls.surfaces.mlp(**options)


def test_registered_with_its_parameters():
    assert "mlp" in ls.surfaces.names()
    assert ls.surfaces.parameters("mlp")["activation"] == "relu"
    net = ls.specs.parse_surface("mlp:layers=[2,5,1],activation=tanh,m=50,data=spirals")
    assert net.dim == 21 and net.spec["params"]["data"] == "spirals"
    assert net.spec["params"]["layers"] == [2, 5, 1]
    with pytest.raises(ValueError, match="accuracy is defined for sigmoid and softmax"):
        ls.surfaces.mlp(layers=(2, 3, 1), output="linear", m=10).accuracy(np.zeros(13))


def test_hvp_operator_splits_the_data_and_keeps_its_bits(monkeypatch):
    from landscape.surfaces import _mlp

    net = ls.surfaces.mlp(layers=(2, 6, 1), activation="tanh", m=2500, lambd=0.2)  # 3 pieces of examples
    x = net.init(1, seed=3)[0]
    v = np.random.default_rng(4).standard_normal((3, net.dim))
    products = net.hvp_operator(x)(v)
    np.testing.assert_allclose(products, net.hvp(x, v), rtol=1e-12, atol=1e-15)
    monkeypatch.setattr(_mlp, "usable_cores", lambda: 1)
    np.testing.assert_array_equal(net.hvp_operator(x)(v), products)  # the same bits on one core
