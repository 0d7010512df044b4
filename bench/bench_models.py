"""Networks as surfaces: training ensembles and Hessian analysis against the alternatives.

Workloads:
  M1  mlp 2-32-32-1 (1 185 parameters, tanh) on moons, m = 10 000: Adam (lr 0.01), exact
      mini-batches of 64, 1 024 particles. Particle-steps per second of
      landscape.trace; plain numpy written without the library (the same batched
      forward and backward passes, one rng permutation per particle and epoch);
      torch with torch.func.vmap over the particles (one Adam on the stacked
      parameters); and torch.optim.Adam in a loop over particles (the usual way,
      timed on a subset of particles). landscape.trace evaluates the full cost and
      gradient (and accuracy) on all 10 000 examples at the first and last step (its
      records); the step rate comes from two traces of different lengths (the
      records cancel in the difference), and the whole call's rate is printed
      beside it.
  M2  Hessian of an mlp 2-100-98-1 (10 297 parameters, tanh, m = 2 000) after a short
      training (Adam, 20 epochs): the 10 largest
      eigenvalues and a spectral density (SLQ), by landscape.analysis (Lanczos on
      exact R-operator products in numpy) and by PyHessian's method on the same
      network in torch (power iteration with deflation for the top eigenvalues;
      one probe at a time of Lanczos with full reorthogonalization for the
      density; Hessian-vector products by double backward), written here from
      the paper's description. The density with 8 probes (as accurate as the
      library's default asks) and with PyHessian's default of 1. Accuracy
      against the dense Hessian of a smaller twin (2-24-24-1, 697 parameters)
      where the whole spectrum fits.

Run: nice python bench/bench_models.py [--quick]
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _timing import interleaved_medians, machine_line, print_table

import landscape as ls

QUICK = "--quick" in sys.argv
LAYERS = (2, 32, 32, 1)
M, BATCH, LR = 10_000, 64, 0.01
PROBES = 8  # SLQ probes: the library runs them together, PyHessian's method one after the other


def network(layers=LAYERS, m=M):
    return ls.surfaces.mlp(layers=layers, activation="tanh", output="sigmoid", data="moons", m=m, seed=0)


# ---------------------------------------------------------------- M1: training an ensemble
def m1_library(net, x0, steps):
    return lambda: ls.trace(net, ls.optim.adam(LR), x0, steps=steps, batch_size=BATCH, record_every=steps)


def m1_plain_numpy(net, x0, steps):
    """Adam on per-particle mini-batches, written from the notes without the library."""
    X, Y = net.X.T.copy(), net.Y.T.copy()  # examples as rows
    sizes = [(n_in, n_out) for n_in, n_out in zip(LAYERS[:-1], LAYERS[1:], strict=True)]

    def run():
        k = x0.shape[0]
        rng = np.random.default_rng(0)
        theta = x0.copy()
        first, second = np.zeros_like(theta), np.zeros_like(theta)
        order = None
        per_epoch = -(-M // BATCH)
        for t in range(steps):
            j = t % per_epoch
            if j == 0:
                order = rng.permuted(np.tile(np.arange(M), (k, 1)), axis=1)
            rows = order[:, j * BATCH : (j + 1) * BATCH]
            a = X[rows]  # (K, b, 2)
            y = Y[rows]
            weights, start = [], 0
            for n_in, n_out in sizes:
                w = theta[:, start : start + n_in * n_out].reshape(k, n_out, n_in)
                b = theta[:, start + n_in * n_out : start + n_in * n_out + n_out]
                weights.append((w, b))
                start += n_in * n_out + n_out
            activations = [a]
            for i, (w, b) in enumerate(weights):
                z = a @ w.transpose(0, 2, 1) + b[:, None, :]
                a = np.tanh(z) if i < len(weights) - 1 else z
                activations.append(a)
            dz = (1.0 / (1.0 + np.exp(-a)) - y) / rows.shape[1]
            grads = []
            for i in range(len(weights) - 1, -1, -1):
                w, _ = weights[i]
                grads.append(((dz.transpose(0, 2, 1) @ activations[i]).reshape(k, -1), dz.sum(axis=1)))
                if i:
                    dz = (dz @ w) * (1.0 - activations[i] ** 2)
            g = np.concatenate([part for pair in grads[::-1] for part in pair], axis=1)
            first = 0.9 * first + 0.1 * g
            second = 0.999 * second + 0.001 * g * g
            corrected = first / (1 - 0.9 ** (t + 1))
            theta = theta - LR * corrected / (np.sqrt(second / (1 - 0.999 ** (t + 1))) + 1e-8)
        return theta

    return run


def _torch_twin(layers, dtype):
    import torch

    modules = []
    for n_in, n_out in zip(layers[:-1], layers[1:], strict=True):
        modules += [torch.nn.Linear(n_in, n_out), torch.nn.Tanh()]
    return torch.nn.Sequential(*modules[:-1]).to(dtype)


def m1_torch_vmap(net, x0, steps):
    import torch
    from torch.func import functional_call, grad, vmap

    model = _torch_twin(LAYERS, torch.float64)
    names = [n for n, _ in model.named_parameters()]
    shapes = [p.shape for _, p in model.named_parameters()]
    sizes = [p.numel() for _, p in model.named_parameters()]
    X, Y = torch.tensor(net.X.T), torch.tensor(net.Y.T)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def loss(flat, xb, yb):
        params = {n: t.view(s) for n, t, s in zip(names, flat.split(sizes), shapes, strict=True)}
        return loss_fn(functional_call(model, params, (xb,)), yb)

    gradients = vmap(grad(loss))

    def run():
        generator = torch.Generator().manual_seed(0)
        theta = torch.tensor(x0, requires_grad=True)
        optimizer = torch.optim.Adam([theta], lr=LR)  # elementwise: one Adam serves every particle
        per_epoch = -(-M // BATCH)
        order = None
        for t in range(steps):
            j = t % per_epoch
            if j == 0:
                order = torch.argsort(torch.rand(x0.shape[0], M, generator=generator), dim=1)
            rows = order[:, j * BATCH : (j + 1) * BATCH]
            theta.grad = gradients(theta.detach(), X[rows], Y[rows])
            optimizer.step()
        return theta

    return run


def m1_torch_loop(net, x0, steps):
    import torch

    X, Y = torch.tensor(net.X.T), torch.tensor(net.Y.T)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def run():
        generator = torch.Generator().manual_seed(0)
        for k in range(x0.shape[0]):
            model = _torch_twin(LAYERS, torch.float64)
            with torch.no_grad():
                torch.nn.utils.vector_to_parameters(torch.tensor(x0[k]), model.parameters())
            optimizer = torch.optim.Adam(model.parameters(), lr=LR)
            order = torch.randperm(M, generator=generator)
            for t in range(steps):
                rows = order[(t * BATCH) % M : (t * BATCH) % M + BATCH]
                optimizer.zero_grad()
                loss_fn(model(X[rows]), Y[rows]).backward()
                optimizer.step()

    return run


def m1():
    import torch

    particles = 256 if QUICK else 1024
    short, long = (10, 60) if QUICK else (40, 280)
    steps = long - short
    net = network()
    x0 = net.init(particles, "xavier", seed=0)
    print(f"\nM1: {particles} particles, mlp {'-'.join(map(str, LAYERS))} ({net.dim} parameters), "
          f"Adam, B={BATCH}, m={M}; torch {torch.__version__}, {torch.get_num_threads()} threads")
    times = interleaved_medians({
        "short": m1_library(net, x0, short),
        "long": m1_library(net, x0, long),
        "numpy": m1_plain_numpy(net, x0, steps),
        "vmap": m1_torch_vmap(net, x0, steps),
    }, repeats=2)
    subset = 8
    loop = interleaved_medians({"loop": m1_torch_loop(net, x0[:subset], steps)}, repeats=3)["loop"]
    library_steps = times["long"] - times["short"]
    rows = [
        (f"landscape.trace (numpy engine), steps only ({steps})", particles * steps / library_steps),
        (f"landscape.trace, whole call of {long} steps and 2 records", particles * long / times["long"]),
        ("plain numpy, written without the library", particles * steps / times["numpy"]),
        ("torch.func.vmap over particles + torch.optim.Adam", particles * steps / times["vmap"]),
        (f"torch.optim.Adam, loop over particles ({subset} of them)", subset * steps / loop),
    ]
    print_table(f"M1 mlp Adam B={BATCH}", rows, rows[0][0])
    record = (times["short"] - short * library_steps / steps) / 2
    print(f"  one record (full cost, gradient and accuracy of {particles} particles on {M} examples): "
          f"about {record:.1f} s")


# ---------------------------------------------------------------- M2: Hessian analysis
def _torch_hvp(net, x):
    """PyHessian's product: the gradient graph once, then one double backward per vector."""
    import torch

    model = _torch_twin(net.layers, torch.float64)
    with torch.no_grad():
        torch.nn.utils.vector_to_parameters(torch.tensor(x), model.parameters())
    params = list(model.parameters())
    loss = torch.nn.BCEWithLogitsLoss()(model(torch.tensor(net.X.T)), torch.tensor(net.Y.T))
    gradients = torch.autograd.grad(loss, params, create_graph=True)

    def product(v):
        pieces = torch.split(v, [p.numel() for p in params])
        hv = torch.autograd.grad(gradients, params, grad_outputs=[
            q.view(p.shape) for q, p in zip(pieces, params, strict=True)], retain_graph=True)
        return torch.cat([h.reshape(-1) for h in hv])

    return product


def pyhessian_top(product, dim, top=10, iterations=100, tol=1e-3):
    """Power iteration with deflation against the eigenvectors found (PyHessian's eigenvalues())."""
    import torch

    generator = torch.Generator().manual_seed(0)
    values, vectors = [], []
    for _ in range(top):
        v = torch.randn(dim, generator=generator, dtype=torch.float64)
        v /= v.norm()
        value = None
        for _ in range(iterations):
            for u in vectors:
                v -= (v @ u) * u
            v /= v.norm()
            hv = product(v)
            estimate = float(hv @ v)
            v = hv / hv.norm()
            if value is not None and abs(estimate - value) / (abs(value) + 1e-6) < tol:
                value = estimate
                break
            value = estimate
        values.append(value)
        vectors.append(v)
    return np.sort(values)


def pyhessian_density(product, dim, steps=80, probes=1):
    """One Rademacher probe at a time, Lanczos with full reorthogonalization (PyHessian's density())."""
    import torch

    generator = torch.Generator().manual_seed(0)
    nodes, weights = [], []
    for _ in range(probes):
        v = torch.randint(0, 2, (dim,), generator=generator).double() * 2 - 1
        v /= v.norm()
        basis, alphas, betas = [v], [], []
        w = product(v)
        alpha = float(w @ v)
        w = w - alpha * v
        alphas.append(alpha)
        for _ in range(1, steps):
            beta = float(w.norm())
            betas.append(beta)
            v = w / beta
            for u in basis:  # full reorthogonalization
                v -= (v @ u) * u
            v /= v.norm()
            basis.append(v)
            w = product(v)
            alpha = float(w @ v)
            alphas.append(alpha)
            w = w - alpha * v - beta * basis[-2]
        t = np.diag(alphas) + np.diag(betas, 1) + np.diag(betas, -1)
        theta, u = np.linalg.eigh(t)
        nodes.append(theta)
        weights.append(u[0] ** 2)
    return np.array(nodes), np.array(weights)


def trained(net):
    """A point after a short training (Adam, 20 epochs of batches of 100): where Hessians are studied."""
    x0 = net.init(1, "xavier", seed=1)
    run = ls.trace(net, ls.optim.adam(0.01), x0, epochs=20, batch_size=100, record_every=10**6)
    return run.positions[-1, 0]


def m2_accuracy():
    """Top eigenvalues and density of a 697-parameter twin against its dense Hessian."""
    import torch

    net = network((2, 24, 24, 1), m=2000)
    x = trained(net)
    dense = np.linalg.eigvalsh(net.hessian(x))
    library_top = ls.analysis.hessian_spectrum(net, x, k=10, which="largest").largest
    torch_top = pyhessian_top(_torch_hvp(net, x), net.dim)
    reference = dense[-10:]
    print(f"\nM2 accuracy, mlp 2-24-24-1 ({net.dim} parameters) against its dense Hessian "
          f"(torch {torch.__version__})")
    print(f"  top-10 eigenvalues, largest relative error: landscape {_relative(library_top, reference):.1e}, "
          f"PyHessian's power iteration {_relative(torch_top, reference):.1e}")
    uniform = np.full(dense.size, 1 / dense.size)
    for probes in (1, PROBES):
        density = ls.analysis.spectral_density(net, x, probes=probes, lanczos_steps=80)
        exact = ls.analysis.gaussian_smoothing(dense, uniform, density.grid, density.sigma)
        nodes, weights = pyhessian_density(_torch_hvp(net, x), net.dim, steps=80, probes=probes)
        theirs = ls.analysis.gaussian_smoothing(nodes, weights, density.grid, density.sigma)
        step = np.diff(density.grid).mean()
        print(f"  SLQ density with {probes} probe(s) of 80 steps, L1 error against the smoothed exact "
              f"density: landscape {np.abs(density.density - exact).sum() * step:.3f}, PyHessian's "
              f"{np.abs(theirs - exact).sum() * step:.3f}")


def _relative(found, reference):
    return float(np.max(np.abs(np.sort(found) - reference) / np.abs(reference)))


def m2_speed():
    layers = (2, 40, 38, 1) if QUICK else (2, 100, 98, 1)
    net = network(layers, m=2000)
    x = trained(net)
    times = interleaved_medians({
        "library top": lambda: ls.analysis.hessian_spectrum(net, x, k=10, which="largest", tol=1e-3),
        "torch top": lambda: pyhessian_top(_torch_hvp(net, x), net.dim),
        "library density 1": lambda: ls.analysis.spectral_density(net, x, probes=1, lanczos_steps=80),
        "torch density 1": lambda: pyhessian_density(_torch_hvp(net, x), net.dim, steps=80, probes=1),
        "library density": lambda: ls.analysis.spectral_density(net, x, probes=PROBES, lanczos_steps=80),
        "torch density": lambda: pyhessian_density(_torch_hvp(net, x), net.dim, steps=80, probes=PROBES),
    }, repeats=1 if QUICK else 3)
    print(f"\nM2 time, mlp {'-'.join(map(str, layers))} ({net.dim} parameters), m=2000")
    rows = [
        ("landscape hessian_spectrum(k=10, largest, tol=1e-3)", 1 / times["library top"]),
        ("PyHessian's power iteration, top 10 (tol 1e-3)", 1 / times["torch top"]),
    ]
    print_table("top-10 eigenvalues", rows, rows[0][0], unit="runs/s")
    rows = [
        (f"landscape spectral_density({PROBES} probes, 80 Lanczos steps)", 1 / times["library density"]),
        (f"PyHessian's density ({PROBES} probes, 80 steps)", 1 / times["torch density"]),
        ("landscape spectral_density(1 probe, 80 Lanczos steps)", 1 / times["library density 1"]),
        ("PyHessian's density (1 probe, 80 steps; its default n_v)", 1 / times["torch density 1"]),
    ]
    print_table("SLQ density", rows, rows[0][0], unit="runs/s")


def main():
    print(machine_line())
    start = time.perf_counter()
    m1()
    m2_accuracy()
    m2_speed()
    print(f"\n(total {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
