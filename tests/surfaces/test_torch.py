"""PyTorch models as surfaces, and mlp against PyTorch (torch is pinned in the dev extra)."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

import landscape as ls

torch = pytest.importorskip("torch")


def _sequential(widths, dtype=torch.float64):
    layers = []
    for fan_in, width in zip(widths[:-1], widths[1:], strict=True):
        layers += [torch.nn.Linear(fan_in, width), torch.nn.Tanh()]
    return torch.nn.Sequential(*layers[:-1]).to(dtype)


NET = ls.surfaces.mlp(layers=(2, 5, 3, 1), activation="tanh", data="circles", m=60, lambd=0.0)


def test_import_landscape_does_not_import_torch():
    code = "import sys, landscape, landscape.surfaces; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_mlp_equals_a_torch_sequential_with_the_same_weights():
    model = _sequential(NET.layers)
    x = NET.init(3, "xavier", seed=2) + 0.05
    inputs, targets = torch.tensor(NET.X.T), torch.tensor(NET.Y.T)
    for k in range(3):
        with torch.no_grad():
            for (w, b), linear in zip(NET.unflatten(x[k]), model[0::2], strict=True):
                linear.weight.copy_(torch.tensor(w))
                linear.bias.copy_(torch.tensor(b))
        model.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(inputs), targets)
        loss.backward()
        gradient = np.concatenate([np.concatenate([m.weight.grad.numpy().ravel(), m.bias.grad.numpy()])
                                   for m in model[0::2]])
        assert NET.value(x[k]) == pytest.approx(loss.item(), rel=1e-13)
        np.testing.assert_allclose(NET.grad(x[k]), gradient, rtol=1e-11, atol=1e-15)


def test_from_torch_on_that_network_equals_mlp():
    surface = ls.surfaces.from_torch(_sequential(NET.layers), torch.nn.BCEWithLogitsLoss(), NET.X.T, NET.Y.T)
    assert surface.dim == NET.dim
    assert [(g.name, g.shape, g.role) for g in surface.parameter_groups()] == [
        (f"{i}.{kind}", g.shape, g.role)
        for i, g in zip([0, 0, 2, 2, 4, 4], NET.parameter_groups(), strict=True)
        for kind in [("weight" if g.role == "weight" else "bias")]
    ]
    x = NET.init(4, "xavier", seed=5)
    v = np.random.default_rng(1).standard_normal(x.shape)
    np.testing.assert_allclose(surface.value(x), NET.value(x), rtol=1e-13)
    np.testing.assert_allclose(surface.grad(x), NET.grad(x), rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(surface.hvp(x, v), NET.hvp(x, v), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(surface.hvp(x[0], v), NET.hvp(x[0], v), rtol=1e-10, atol=1e-14)
    rows = np.random.default_rng(2).integers(0, 60, size=(4, 9))
    for a, b in zip(surface.batch_value_and_grad(x, rows), NET.batch_value_and_grad(x, rows), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-15)
    runs = [ls.trace(s, ls.optim.adam(0.05), x, epochs=2, batch_size=16) for s in (surface, NET)]
    np.testing.assert_allclose(runs[0].positions, runs[1].positions, rtol=1e-9, atol=1e-12)


def test_hessian_analysis_of_a_torch_model_matches_its_dense_hessian():
    model = _sequential((2, 6, 1))
    surface = ls.surfaces.from_torch(model, torch.nn.BCEWithLogitsLoss(), NET.X.T, NET.Y.T)
    x = surface.default_start
    dense = np.linalg.eigvalsh(surface.hessian(x))
    np.testing.assert_allclose(dense, np.linalg.eigvalsh(
        ls.surfaces.mlp(layers=(2, 6, 1), activation="tanh", data=(NET.X, NET.Y)).hessian(x)), atol=1e-12)
    density = ls.analysis.spectral_density(surface, x, probes=4, lanczos_steps=25)  # dim 25: exact Krylov
    assert density.extremes == pytest.approx((dense[0], dense[-1]), rel=1e-6, abs=1e-9)
    assert density.moment(1) * 25 == pytest.approx(density.trace)
    spectrum = ls.analysis.hessian_spectrum(surface, x, k=3)
    np.testing.assert_allclose(spectrum.largest, dense[-3:], rtol=1e-9)


def test_float32_models_and_convolutions():
    conv = torch.nn.Sequential(
        torch.nn.Conv2d(1, 3, kernel_size=3), torch.nn.ReLU(), torch.nn.Flatten(),
        torch.nn.Linear(3 * 4 * 4, 2),
    )
    images = torch.randn(20, 1, 6, 6, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(20) % 2
    surface = ls.surfaces.from_torch(conv, torch.nn.CrossEntropyLoss(), images, labels)
    groups = surface.parameter_groups()
    assert [(g.name, g.shape, g.role) for g in groups] == [
        ("0.weight", (3, 1, 3, 3), "weight"), ("0.bias", (3,), "bias"),
        ("3.weight", (2, 48), "weight"), ("3.bias", (2,), "bias"),
    ]
    x = surface.default_start
    with torch.no_grad():
        expected = torch.nn.CrossEntropyLoss()(conv(images), labels).item()
    assert surface.value(x) == pytest.approx(expected, rel=1e-6)
    assert surface.grad(x).dtype == np.float64 and surface.torch_dtype == torch.float32
    traj = ls.trace(surface, ls.optim.sgd(0.1), x, steps=5, particles=2, batch_size=10, dtype=np.float32)
    assert np.all(traj.values[-1] < traj.values[0])


class _Branching(torch.nn.Module):
    """Data-dependent control flow: torch.func.vmap cannot batch it."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1).double()

    def forward(self, x):
        out = self.linear(x)
        return out if out.sum() > -1e9 else -out


def test_a_model_vmap_refuses_runs_one_particle_at_a_time():
    surface = ls.surfaces.from_torch(_Branching(), torch.nn.BCEWithLogitsLoss(), NET.X.T, NET.Y.T)
    reference = ls.surfaces.mlp(layers=(2, 1), data=(NET.X, NET.Y))
    x = reference.init(3, seed=1)
    with pytest.warns(UserWarning, match="cannot be vectorized"):
        values = surface.value(x)
    assert not surface.vectorized
    np.testing.assert_allclose(values, reference.value(x), rtol=1e-13)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once
        np.testing.assert_allclose(surface.hvp(x, x), reference.hvp(x, x), rtol=1e-11)


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="model="):
        ls.surfaces.from_torch(lambda x: x, torch.nn.MSELoss(), NET.X.T, NET.Y.T)
    with pytest.raises(ValueError, match="Y="):
        ls.surfaces.from_torch(_sequential((2, 1)), torch.nn.MSELoss(), NET.X.T, NET.Y.T[:5])
    with pytest.raises(ValueError, match="loss_fn="):
        ls.surfaces.from_torch(_sequential((2, 1)), "mse", NET.X.T, NET.Y.T)
