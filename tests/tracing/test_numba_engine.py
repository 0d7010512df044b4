"""The compiled engine against the numpy engine, and its own guarantees.

Each combination of parts compiles one driver (about a second) that is cached
on disk, so a second run of this file reuses every kernel.
"""

import contextlib
import types
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscape as ls
from landscape.tracing._problem import build_problem

numba = pytest.importorskip("numba")

K = 6  # particles: per-particle hyperparameters have this many values
S = ls.schedules


def _spread(low, high):
    return np.linspace(low, high, K)


# sizes and a learning rate that plain gradient steps tolerate, for the registered surfaces
# that need them (any other runs with its defaults and LEARNING_RATE); extra cases by key
SURFACES = {
    "elongated_bowl": ({"kappa": 10.0, "angle": 30.0}, 0.05),
    "saddle": ({}, 0.05),
    "monkey_saddle": ({}, 0.02),
    "plateau_well": ({}, 0.5),
    "plateau_cliff": ({}, 0.1),
    "rosenbrock": ({}, 1e-3),
    "rosenbrock_20d": ({"dim": 20}, 1e-3),  # above FUSED_MAX_DIM: the blocked driver
    "himmelblau": ({}, 0.005),
    "beale": ({}, 1e-3),
    "six_hump_camel": ({}, 0.01),
    "rastrigin": ({"dim": 3}, 1e-3),
    "styblinski_tang": ({}, 0.01),
    "random_quadratic": ({"dim": 5, "ensemble": "wishart", "linear_scale": 0.5}, 0.1),
    "linear_regression": ({"m": 40, "n": 2, "feature_scale": 3.0}, 0.02),
    "logistic_regression": ({"m": 50, "n": 1}, 0.5),
    "random_field": ({"dim": 3, "features": 16, "seed": 1}, 0.05),
}
LEARNING_RATE = 0.01
# registered surfaces the compiled engine does not run (auto gives them to numpy), and why
NUMPY_ONLY_SURFACES = {
    "mlp": "batched matrix products over (K, dim) parameters: BLAS in numpy is the fast path",
}


def _surface_cases():
    names = ls.surfaces.names()
    print(f"surfaces on the numpy engine only: {sorted(NUMPY_ONLY_SURFACES) or 'none'}")
    assert set(NUMPY_ONLY_SURFACES) <= set(names)
    return sorted((set(names) - set(NUMPY_ONLY_SURFACES)) | set(SURFACES))


def _block_cases():
    """Every registered building block, in each of its compiled variants."""
    variants = {
        "scale_by_momentum": [
            {"beta": _spread(0.8, 0.95), "bias_correction": True},
            {"beta": 0.9, "style": "heavy_ball", "nesterov": True},
        ],
        "scale_by_rms": [{"beta": _spread(0.8, 0.99)}, {"eps": _spread(1e-8, 1e-3), "eps_in_sqrt": True}],
        "scale_by_adam": [{"b1": _spread(0.8, 0.9), "b2": 0.99}],
        "scale_by_nadam": [{"b2": _spread(0.9, 0.999)}],
        "scale_by_amsgrad": [{"b1": _spread(0.8, 0.9)}],
        "scale_by_lion": [{"b1": _spread(0.8, 0.95)}],
        "scale_by_adagrad": [{"eps": _spread(1e-10, 1e-6)}],
        "add_decayed_weights": [{"weight_decay": _spread(0.0, 0.1)}],
        "scale_by_learning_rate": [{"lr": _spread(0.1, 1.0)}],  # times the surface's rate
    }
    assert set(variants) == set(ls.optim.blocks()), "a registered block without a compiled case"
    return [(name, params) for name, cases in variants.items() for params in cases]


# every registered schedule, of the learning rate ``lr`` a surface tolerates
SCHEDULES = {
    "constant": lambda lr: S.constant(lr),
    "inverse_time": lambda lr: S.inverse_time(lr0=lr, decay_rate=0.1),
    "exponential": lambda lr: S.exponential(lr0=lr * _spread(0.2, 1.0), base=0.97),
    "inverse_sqrt": lambda lr: S.inverse_sqrt(lr0=lr * _spread(0.25, 1.0), k=1.0),
    "staircase": lambda lr: S.staircase(lr0=lr, factor=0.5, every=3),
    "cosine": lambda lr: S.cosine(lr0=lr, decay_epochs=20, final=0.1 * lr),
    "warmup": lambda lr: S.warmup(4, S.exponential(lr0=lr, base=0.97)),
}


def _agreement_cases():
    """Every compiled surface, block variant and schedule, each at least once: case ``i`` is
    surface ``i`` with block variant ``i`` and schedule ``i``, each list taken in turn.

    Each case compiles a driver (a second or two), so the three lists share
    cases instead of multiplying them.
    """
    surfaces, blocks, schedules = _surface_cases(), _block_cases(), list(SCHEDULES)
    count = max(len(surfaces), len(blocks), len(schedules))
    return [
        (surfaces[i % len(surfaces)], *blocks[i % len(blocks)], schedules[i % len(schedules)])
        for i in range(count)
    ]


# collected once: other tests register surfaces of their own while the suite runs
AGREEMENT_CASES = _agreement_cases()


def _surface(key):
    params, lr = SURFACES.get(key, ({}, LEARNING_RATE))
    return ls.surfaces.get(key.removesuffix("_20d"), **params), lr


def _start(surface, seed=0):
    spread = 0.05 * np.ptp(surface.bounds, axis=1)
    return surface.default_start + spread * np.random.default_rng(seed).standard_normal((K, surface.dim))


def _both(surface, optimizer, x0, **options):
    """The same trace on both engines."""
    return [ls.trace(surface, optimizer, x0, engine=e, **options) for e in ("numpy", "numba")]


def assert_same_run(reference, compiled, rtol=1e-9):
    """Agreement to ``rtol`` relative to each array's scale, identical divergence flags."""
    assert compiled.config["engine"] == "numba" and reference.config["engine"] == "numpy"
    np.testing.assert_array_equal(compiled.diverged_step, reference.diverged_step)
    assert np.isfinite(compiled.positions).all() and np.isfinite(compiled.values).all()
    for name in ("positions", "values", "grad_norms", "batch_values", "learning_rates"):
        a, b = getattr(compiled, name), getattr(reference, name)
        if b is None:
            assert a is None
            continue
        finite = np.isfinite(b)  # a norm may overflow where the gradient does not
        np.testing.assert_array_equal(np.isfinite(a), finite, err_msg=name)
        scale = np.max(np.abs(b[finite]), initial=0.0)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * scale, err_msg=name)


@pytest.mark.parametrize(
    ("surface", "block", "params", "schedule"),
    AGREEMENT_CASES,
    ids=[f"{s}-{b}-{k}" for s, b, _, k in AGREEMENT_CASES],
)
def test_every_surface_block_and_schedule_agrees_with_the_numpy_engine(surface, block, params, schedule):
    s, optimizer, options = _agreement_run(surface, block, params, schedule)
    assert_same_run(*_both(s, optimizer, _start(s), **options))


def _agreement_run(surface, block, params, schedule):
    """The surface, optimizer and options of an agreement case."""
    s, lr = _surface(surface)
    options = {"steps": 30, "record_every": 4, "seed": 3}
    if surface.endswith("regression"):
        options["batch_size"] = 7  # exact mini-batches, the last one of each epoch partial
    else:
        options["noise"] = ls.noise.gaussian(_spread(0.0, 0.2))
    if block == "scale_by_learning_rate":  # the block alone, after a normalizing one
        chain = [ls.optim.scale_by_rms(eps_in_sqrt=True), ls.optim.scale_by_learning_rate(lr * params["lr"])]
    else:
        chain = [getattr(ls.optim, block)(**params), ls.optim.scale_by_learning_rate(SCHEDULES[schedule](lr))]
    return s, ls.optim.chain(*chain), options


def _problem(surface, optimizer, x0, steps=5, **options):
    settings = {
        "particles": None, "batch_size": None, "noise": None, "epochs": None, "seed": 0, "record_every": 1,
        "dtype": np.float64, "divergence_radius": None,
    }
    return build_problem(surface, optimizer, x0, steps, **(settings | options))


def test_runs_of_one_structure_share_a_driver_and_take_their_own_numbers():
    from landscape.tracing import _numba_engine

    s = ls.surfaces.get("himmelblau")
    x0 = _start(s)
    first = ls.trace(s, ls.optim.adam(0.05, b1=0.8, b2=0.99), x0, steps=20, engine="numba")
    problems = [_problem(s, ls.optim.adam(lr, b1=b1, b2=0.99), x0) for lr, b1 in [(0.05, 0.8), (0.02, 0.9)]]
    assert _numba_engine.build(problems[0])[0].module is _numba_engine.build(problems[1])[0].module
    second = ls.trace(s, ls.optim.adam(0.02, b1=0.9, b2=0.99), x0, steps=20, engine="numba")
    _numba_engine._BUILT.clear()  # the driver's source is written afresh, with these numbers
    again = ls.trace(s, ls.optim.adam(0.02, b1=0.9, b2=0.99), x0, steps=20, engine="numba")
    np.testing.assert_array_equal(second.positions, again.positions)
    assert not np.array_equal(first.positions, second.positions)


def test_runs_of_different_structures_have_drivers_of_their_own():
    """A switch, a per-particle value, a schedule and its formula are written into the source."""
    from landscape.tracing import _numba_engine

    s = ls.surfaces.get("himmelblau")
    x0 = _start(s)
    optimizers = [
        ls.optim.momentum(0.01, beta=0.9),
        ls.optim.momentum(0.01, beta=0.9, nesterov=True),
        ls.optim.momentum(_spread(0.01, 0.02), beta=0.9),
        ls.optim.momentum(S.exponential(lr0=0.01, base=0.9), beta=0.9),
        ls.optim.momentum(S.inverse_time(lr0=0.01, decay_rate=0.9), beta=0.9),
    ]
    modules = [_numba_engine.build(_problem(s, optimizer, x0))[0].module for optimizer in optimizers]
    assert len({id(module) for module in modules}) == len(optimizers)
    dtypes = [{"dtype": np.float32}, {"dtype": np.float32, "compute_dtype": np.float64}]
    precisions = [_numba_engine.build(_problem(s, optimizers[0], x0, **d))[0].module for d in dtypes]
    assert len({id(module) for module in [modules[0], *precisions]}) == 3


def test_the_drivers_kept_by_structure_are_bounded(monkeypatch):
    from landscape.tracing import _numba_engine

    monkeypatch.setattr(_numba_engine, "_BUILT", {})
    monkeypatch.setattr(_numba_engine, "BUILT_KEPT", 2)
    s = ls.surfaces.get("himmelblau")
    optimizers = (ls.optim.sgd(0.01), ls.optim.momentum(0.01), ls.optim.adam(0.01))
    modules = [_numba_engine.build(_problem(s, optimizer, _start(s)))[0].module for optimizer in optimizers]
    assert [built[0] for built in _numba_engine._BUILT.values()] == modules[1:]  # the oldest went first


def test_every_agreement_case_reuses_its_driver():
    """The hyperparameters gathered without the source are those its emitters read, for every
    registered block and schedule: otherwise each run would write its driver's source again."""
    from landscape.tracing import _numba_engine

    for case in AGREEMENT_CASES:
        s, optimizer, options = _agreement_run(*case)
        problem = _problem(s, optimizer, _start(s), **options)
        _numba_engine.build(problem)
        noise_std = problem.noise_std
        key = _numba_engine._structure(problem, _numba_engine.surface_kernel(s), noise_std)
        assert key in _numba_engine._BUILT, case


def test_every_surface_block_and_schedule_has_a_compiled_case():
    cases = _agreement_cases()
    assert set(SCHEDULES) == set(ls.schedules.names())
    assert {c[0] for c in cases} == set(_surface_cases())
    assert {c[1] for c in cases} == set(ls.optim.blocks())
    assert len({(c[1], repr(c[2])) for c in cases}) == len(_block_cases())
    # the case of scale_by_learning_rate alone takes no schedule: every schedule runs elsewhere
    assert {c[3] for c in cases if c[1] != "scale_by_learning_rate"} == set(SCHEDULES)


@pytest.mark.parametrize("surface", ["himmelblau", "rosenbrock_20d", "logistic_regression"])
def test_any_chain_of_blocks_compiles(surface):
    s, lr = _surface(surface)
    optimizer = ls.optim.chain(
        ls.optim.add_decayed_weights(0.01),
        ls.optim.scale_by_rms(beta=0.9, eps=_spread(1e-8, 1e-3)),
        ls.optim.scale_by_momentum(beta=0.5, nesterov=True),
        ls.optim.scale_by_learning_rate(S.constant(0.01)),
    )
    options = {"batch_size": 50} if surface.endswith("regression") else {}  # B = m: batch GD
    reference, compiled = _both(s, optimizer, _start(s), steps=25, record_every=3, **options)
    assert_same_run(reference, compiled)


def test_noise_models_and_mini_batch_values_agree():
    s = ls.surfaces.get("six_hump_camel")
    noise = ls.noise.minibatch(batch_size=8, dataset_size=100, scale=_spread(0.5, 2.0))
    assert_same_run(*_both(s, ls.optim.sgd(0.01), _start(s), epochs=3, noise=noise, record_every=5))
    d = ls.surfaces.get("linear_regression", m=30, n=3)
    runs = _both(d, ls.optim.momentum(0.01), _start(d), epochs=4, batch_size=4, noise=ls.noise.gaussian(0.1))
    assert_same_run(*runs)
    assert runs[1].batch_values.shape == runs[1].values.shape


def test_adam_follows_the_lecture_formulas():
    """Written out independently of both engines (the notes' Adam with bias correction)."""
    s = ls.surfaces.get("himmelblau")
    x0 = _start(s)
    traj = ls.trace(s, ls.optim.adam(0.05, b1=0.8, b2=0.99), x0, steps=20, engine="numba")
    x, v, sq = x0.copy(), np.zeros_like(x0), np.zeros_like(x0)
    for t in range(1, 21):
        u, w = x[:, 0], x[:, 1]
        a, b = u**2 + w - 11, u + w**2 - 7
        dw = np.stack([4 * u * a + 2 * b, 2 * a + 4 * w * b], -1)
        v = 0.8 * v + 0.2 * dw
        sq = 0.99 * sq + 0.01 * dw**2
        x = x - 0.05 * (v / (1 - 0.8**t)) / (np.sqrt(sq / (1 - 0.99**t)) + 1e-8)
        np.testing.assert_allclose(traj.positions[t], x, rtol=1e-11, atol=1e-13)


def test_divergence_is_detected_with_fast_math():
    """NaN and overflow must not be optimized away: particles freeze and are flagged alike."""
    s = ls.surfaces.get("rosenbrock")
    lrs = np.array([1e-4, 0.05, 0.3, 3.0, 1e3, 1e300])
    with pytest.warns(ls.DivergenceWarning):
        reference, compiled = _both(s, ls.optim.sgd(lrs), np.tile([-1.2, 1.0], (6, 1)), steps=40)
    assert_same_run(reference, compiled)
    assert compiled.diverged[1:].all() and not compiled.diverged[0]


@pytest.mark.parametrize("record_state", [False, True], ids=["positions", "and optimizer state"])
def test_a_block_whose_particles_all_stopped_agrees_to_the_end(record_state):
    """Blocks of 1 024 that stop entirely early, one that never does, one that stops in part:
    a stopped block's positions carry over (its state goes on changing, as on the numpy engine)."""
    from landscape.tracing._kernels import config

    s = ls.surfaces.get("rosenbrock")
    k = 3 * config.BLOCK + 100
    lrs = np.full(k, 0.5)
    lrs[config.BLOCK : 2 * config.BLOCK] = 1e-4
    lrs[2 * config.BLOCK : 2 * config.BLOCK + 50] = 1e-4
    x0 = s.sample(k, seed=4)
    with pytest.warns(ls.DivergenceWarning):
        reference, compiled = _both(
            s, ls.optim.momentum(lrs, 0.9), x0, steps=60, record_every=7, record_state=record_state
        )
    assert_same_run(reference, compiled)
    stopped = compiled.diverged
    assert stopped[: config.BLOCK].all() and not stopped[config.BLOCK : 2 * config.BLOCK].any()
    assert compiled.diverged_step[: config.BLOCK].max() < 10
    if record_state:
        for name, state in compiled.state.items():
            np.testing.assert_allclose(state, reference.state[name], rtol=1e-9, err_msg=name)


def test_particles_near_the_radius_leave_it_at_the_analytic_step():
    """Blocks whose particles lie near the radius: each is checked, none is stopped early or late.

    On f = |x|²/2 a step multiplies x by 1 - lr: 0.9 or -0.9 stay inside
    the radius for good, -1.1 leaves it at the first t with |x0| 1.1^t > R.
    """
    s = ls.surfaces.get("elongated_bowl", kappa=1.0)
    rng = np.random.default_rng(3)
    k, radius = 3000, 100.0
    directions = rng.standard_normal((k, 2))
    lengths = rng.uniform(0.5, 0.99, k) * radius
    lengths[:40] = radius / 1.1 ** rng.integers(1, 8, 40) * (1 + 1e-9)  # just past the radius at step t
    x0 = directions / np.linalg.norm(directions, axis=1, keepdims=True) * lengths[:, None]
    lr = np.where(np.arange(k) < 60, 2.1, rng.choice([0.1, 1.9], k))
    with pytest.warns(ls.DivergenceWarning):
        reference, compiled = _both(s, ls.optim.sgd(lr), x0, steps=30, divergence_radius=radius)
    assert_same_run(reference, compiled)
    expected = np.where(lr > 2, np.ceil(np.log(radius / lengths) / np.log(1.1) - 1e-6), -1)
    np.testing.assert_array_equal(compiled.diverged_step, expected)


def test_the_blocked_driver_stops_particles_as_the_numpy_engine_does():
    """Rastrigin in 20 dimensions (the blocked driver): a block where every particle leaves the
    radius, blocks near it, and frozen particles that stay put for the rest of the run."""
    s = ls.surfaces.get("rastrigin", dim=20)
    rng = np.random.default_rng(5)
    k, radius = 2500, 50.0
    directions = rng.standard_normal((k, 20))
    lengths = rng.uniform(0.9, 0.999, (k, 1)) * radius
    x0 = directions / np.linalg.norm(directions, axis=1, keepdims=True) * lengths
    lr = np.where(np.arange(k) < 1100, 0.6, rng.choice([1e-4, 0.3], k))
    with pytest.warns(ls.DivergenceWarning):
        runs = _both(s, ls.optim.sgd(lr), x0, steps=30, record_every=3, divergence_radius=radius)
    reference, compiled = runs
    assert "blocked" in _driver_description(s, ls.optim.sgd(lr), x0)
    assert_same_run(reference, compiled)
    stopped = compiled.diverged_step >= 0
    assert stopped[:1100].all() and stopped[1100:].any() and not stopped.all()


def _driver_description(surface, optimizer, x0):
    from landscape.tracing import _numba_engine

    driver, _ = _numba_engine.build(_problem(surface, optimizer, x0, steps=2))
    return driver.module.__doc__.split("\n\n")[1]


BAD_POINT_CASES = ["bad value when recorded", "bad gradient when recorded", "bad gradient when moving"]


@pytest.mark.parametrize(
    ("dtype", "start", "lr", "record_every", "radius"),
    [
        (np.float64, -1e77, 2e-154, 1, 1e110),
        (np.float64, -1e77, 2.5e-129, 1, 1e110),
        (np.float64, -1e77, 2.5e-129, 5, 1e110),
        (np.float32, -1e9, 3e-18, 1, 1e14),
        (np.float32, -1e9, 5e-15, 1, 1e14),
        (np.float32, -1e9, 5e-15, 5, 1e14),
    ],
    ids=[f"{precision}, {case}" for precision in ("float64", "float32") for case in BAD_POINT_CASES],
)
def test_a_bad_point_goes_back_one_step(dtype, start, lr, record_every, radius):
    """Where value or gradient overflow inside the radius, both engines go back to the last good point.

    In float64, from x = -1e77 one step lands near 3e77 (lr = 2e-154: x⁴
    overflows) or near 5e102 (lr = 2.5e-129: 2x³ overflows too). In float32,
    which the compiled engine checks in float32, from x = -1e9 it lands near
    5e9 (lr = 3e-18: x⁴ overflows) or near 1e13 (lr = 5e-15: 2x³ too).
    """
    s = ls.surfaces.get("styblinski_tang")
    x0 = np.array([[4.5, 4.5], [start, 1.0]])
    with pytest.warns(ls.DivergenceWarning):
        reference, compiled = _both(
            s,
            ls.optim.sgd(np.array([1e-3, lr])),
            x0,
            steps=8,
            record_every=record_every,
            divergence_radius=radius,
            dtype=dtype,
        )
    assert_same_run(reference, compiled, rtol=1e-9 if dtype == np.float64 else 1e-5)
    np.testing.assert_array_equal(compiled.diverged_step, [-1, 1])
    np.testing.assert_array_equal(compiled.positions[-1, 1], x0[1])


def test_non_finite_start_is_refused_on_both_engines():
    s = ls.surfaces.get("styblinski_tang")
    rate = np.array([0.1])  # one per particle: the driver of test_a_bad_point_goes_back_one_step
    for engine in ("numpy", "numba"):
        with pytest.raises(ValueError, match="x0: the gradient or value is not finite"):
            ls.trace(s, ls.optim.sgd(rate), [1e100, 1.0], steps=3, divergence_radius=1e200, engine=engine)


def _clip_rule(u, x, t, total, limit):
    """A user's block: clip, and count the clipped steps (a state) -- written like the built-ins."""
    total = total + (np.abs(u) > limit)
    return np.minimum(np.maximum(u, -limit), limit) + 0.0 * x * t, total


def test_a_block_of_your_own_runs_on_both_engines_at_any_size():
    s = ls.surfaces.get("rosenbrock")
    clip = ls.optim.elementwise("clip", _clip_rule, {"limit": 50.0})
    optimizer = ls.optim.chain(clip, ls.optim.scale_by_adam(), ls.optim.scale_by_learning_rate(0.01))
    x0 = s.sample(70_000, seed=2)  # more than one block of the numpy engine
    runs = _both(s, optimizer, x0, steps=3, record_state=True)
    assert_same_run(*runs)
    alone = ls.trace(s, optimizer, x0[:10], steps=3, engine="numpy")
    np.testing.assert_array_equal(alone.positions, runs[0].positions[:, :10])
    np.testing.assert_array_equal(runs[1].state["clip.total"], runs[0].state["clip.total"])


class _TiltedBowlFormula(ls.surfaces.Surface):
    """A user's surface given only by its formula: both engines run it."""

    thread_safe = True

    def __init__(self, tilt=0.5):
        self.tilt = tilt
        super().__init__(dim=2, bounds=[[-2, 2], [-2, 2]], name="tilted_bowl", params={"tilt": tilt})

    def point_functions(self):
        return ls.surfaces.PointFunctions(_tilted_bowl, [self.tilt])


def test_a_surface_given_only_by_its_formula_runs_on_both_engines():
    s = _TiltedBowlFormula(0.7)
    np.testing.assert_allclose(s.value([[1.0, 1.0]]), [1.0 + 3.0 + 0.7])
    np.testing.assert_allclose(s.grad([[1.0, 1.0]]), [[2.7, 6.0]])
    runs = _both(s, ls.optim.adam(0.05), _start(s), steps=20, noise=ls.noise.gaussian(0.1))
    assert_same_run(*runs)


def test_the_optimizer_state_is_recorded_alike_on_both_engines():
    s = ls.surfaces.get("elongated_bowl")
    optimizer = ls.optim.chain(ls.optim.scale_by_rms(beta=0.9), ls.optim.scale_by_momentum(beta=0.8),
                               ls.optim.scale_by_learning_rate(0.01))
    reference, compiled = _both(s, optimizer, _start(s), steps=12, record_every=3, record_state=True)
    assert list(compiled.state) == ["scale_by_rms.mean_square", "scale_by_momentum.velocity"]
    for name in compiled.state:
        np.testing.assert_allclose(compiled.state[name], reference.state[name], rtol=1e-12, err_msg=name)
    # S = β S + (1-β) dW² from the recorded gradients written out here (record_every=1)
    full = ls.trace(s, optimizer, _start(s), steps=12, record_state=True, engine="numba")
    grads = s.grad(full.positions[:-1])
    mean_square = np.zeros_like(grads[0])
    for t, g in enumerate(grads, start=1):
        mean_square = 0.9 * mean_square + 0.1 * g**2
        np.testing.assert_allclose(full.state["scale_by_rms.mean_square"][t], mean_square, rtol=1e-12)


def test_float32_runs_compute_in_single_precision():
    """No float64 square root or division in a float32 Adam driver; compute_dtype=float64 keeps them."""
    import re

    from landscape.tracing import _numba_engine

    s = ls.surfaces.get("rosenbrock")

    def operations(**precision):
        module = _numba_engine.build(_problem(s, ls.optim.adam(0.01), s.sample(8), **precision))[0].module
        return open(module.__file__).read(), module

    text, module = operations(dtype=np.float32)
    assert "COMPUTE = np.float32" in text and "STORE = np.float32" in text
    rule = module.adam_rule
    rule(*[np.float32(0.5)] * 8)
    llvm = rule.inspect_llvm(rule.signatures[0])
    assert re.search(r"fdiv[^\n]*float", llvm) and not re.search(r"(fdiv|sqrt)[^\n]*double|sqrt\.f64", llvm)
    text, _ = operations(dtype=np.float32, compute_dtype=np.float64)
    assert "COMPUTE = np.float64" in text and "STORE = np.float32" in text


def _warmup(t, steps):
    return np.minimum(1.0, t / steps)


def _warmed_rule(u, factor):
    return u * factor


@pytest.mark.parametrize("steps", [3.0, _spread(2.0, 7.0)], ids=["one value", "one per particle"])
def test_a_per_update_value_is_computed_once_per_step_and_agrees(steps):
    """Evaluated before the particle loop when the same for all, in it when each has its own."""
    from landscape.tracing import _numba_engine

    factor = ls.optim.PerUpdate(_warmup, {"steps": steps})
    optimizer = ls.optim.chain(
        ls.optim.elementwise("warm", _warmed_rule, {"factor": factor}), ls.optim.scale_by_learning_rate(0.01)
    )
    s = ls.surfaces.get("himmelblau")
    assert_same_run(*_both(s, optimizer, _start(s), steps=12, record_every=4))
    text = open(_numba_engine.build(_problem(s, optimizer, _start(s)))[0].module.__file__).read()
    calls = [line for line in text.splitlines() if "_warmup(count" in line]
    indents = [len(call) - len(call.lstrip()) for call in calls]
    # in both particle loops (all moving, and some stopped), or once in the step loop
    assert indents == ([20, 20] if isinstance(steps, np.ndarray) else [12]), text


def test_float64_arithmetic_on_float32_storage_agrees_between_engines():
    s = ls.surfaces.get("beale")
    runs = _both(s, ls.optim.adam(0.01), _start(s), steps=20, dtype=np.float32, compute_dtype=np.float64)
    assert runs[1].positions.dtype == np.float32
    assert_same_run(*runs, rtol=1e-6)


def test_float32_runs_agree_to_single_precision():
    s = ls.surfaces.get("beale")
    runs = _both(s, ls.optim.adam(0.01), _start(s), steps=20, dtype=np.float32, noise=ls.noise.gaussian(0.1))
    assert runs[1].positions.dtype == np.float32
    assert_same_run(*runs, rtol=1e-4)


@settings(max_examples=15, deadline=None)
@given(
    lr=st.lists(st.floats(1e-4, 0.05), min_size=K, max_size=K),
    b1=st.floats(0.0, 0.99),
    sigma=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32),
)
def test_any_hyperparameters_agree(lr, b1, sigma, seed):
    """One compiled kernel serves every value: hyperparameters are arguments, not constants."""
    s = ls.surfaces.get("himmelblau")
    runs = _both(
        s,
        ls.optim.adam(np.array(lr), b1=b1),
        _start(s, seed % 7),
        steps=15,
        noise=ls.noise.gaussian(sigma),
        seed=seed,
        record_every=2,
    )
    assert_same_run(*runs)


def test_reruns_are_bit_identical_and_particles_ignore_the_ensemble_size():
    s = ls.surfaces.get("plateau_well")
    noise = ls.noise.gaussian(0.3)

    def run(k, surface=s):
        x0 = np.tile(surface.default_start, (k, 1)) + 0.01 * np.arange(k)[:, None]
        return ls.trace(surface, ls.optim.rmsprop(0.05), x0, steps=25, noise=noise, engine="numba")

    a, b, big = run(3), run(3), run(1500)  # 1500 particles: two blocks, a partial one
    np.testing.assert_array_equal(a.positions, b.positions)
    np.testing.assert_array_equal(a.positions, big.positions[:, :3])
    d = ls.surfaces.get("logistic_regression", m=80)

    def batches(k):
        return ls.trace(
            d, ls.optim.sgd(0.3), np.tile(d.default_start, (k, 1)), epochs=2, batch_size=16, engine="numba"
        )

    np.testing.assert_array_equal(batches(2).positions, batches(1100).positions[:, :2])


def test_compiled_random_streams_are_the_numpy_streams():
    from landscape import _random
    from landscape.tracing._kernels import random

    keys = _random.particle_keys(11, 4, _random.NOISE_STREAM)
    words = _random.words(keys, np.arange(7, dtype=np.uint64))
    assert all(random.word(k, c) == words[i, c] for i, k in enumerate(keys) for c in range(7))
    normals = _random.normals(keys, step=5, dim=3)
    compiled = [[z for p in range(2) for z in random.normal_pair(k, 5, 2, p)][:3] for k in keys]
    np.testing.assert_allclose(compiled, normals, rtol=4e-16, atol=4e-16)
    shuffle = _random.particle_keys(11, 4, _random.SHUFFLE_STREAM)
    round_keys = np.empty(random.FEISTEL_ROUNDS, np.uint64)
    for m in (1, 2, 3, 17, 1000):
        high, low = _random.feistel_widths(m)
        expected = _random.shuffled_indices(shuffle, 2, np.arange(m), m)
        for i, key in enumerate(shuffle):
            random.round_keys(key, 2, round_keys)
            got = [random.shuffled_index(p, round_keys, m, high, low) for p in range(m)]
            np.testing.assert_array_equal(got, expected[i])


class _TiltedBowl(ls.surfaces.Surface):
    """A user's surface that opts in with point functions."""

    def __init__(self, tilt=0.5):
        self.tilt = tilt
        super().__init__(dim=2, bounds=[[-2, 2], [-2, 2]], name="tilted_bowl", params={"tilt": tilt})

    def _value(self, x):
        return x[..., 0] ** 2 + 3.0 * x[..., 1] ** 2 + self.tilt * x[..., 0]

    def _grad(self, x):
        return np.stack([2.0 * x[..., 0] + self.tilt, 6.0 * x[..., 1]], axis=-1)

    def point_functions(self):
        return ls.surfaces.PointFunctions(_tilted_bowl, [self.tilt])


def _tilted_bowl(x, p):
    return x[0] ** 2 + 3.0 * x[1] ** 2 + p[0] * x[0], (2.0 * x[0] + p[0], 6.0 * x[1])


def test_users_surfaces_opt_in_with_point_functions():
    s = _TiltedBowl(tilt=0.7)
    auto = ls.trace(s, ls.optim.momentum(0.05), _start(s), steps=30, noise=ls.noise.gaussian(0.1))
    assert auto.config["engine"] == "numba"
    assert_same_run(
        ls.trace(
            s, ls.optim.momentum(0.05), _start(s), steps=30, noise=ls.noise.gaussian(0.1), engine="numpy"
        ),
        auto,
    )


def test_auto_leaves_large_dense_quadratics_to_numpy_blas():
    for dim, engine in ((32, "numba"), (33, "numpy")):
        s = ls.surfaces.get("random_quadratic", dim=dim, ensemble="spectrum")
        assert ls.trace(s, ls.optim.sgd(0.01), s.default_start, steps=2).config["engine"] == engine


def test_blas_is_held_at_one_thread_while_drivers_that_may_call_it_run(monkeypatch):
    """A dense quadratic's blocked driver multiplies blocks with BLAS; a fused driver never calls it."""
    from landscape import _machine
    from landscape.tracing import _numba_engine

    limited = []

    @contextlib.contextmanager
    def counting():
        with _machine.one_blas_thread():
            limited.append(True)
            yield

    monkeypatch.setattr(_numba_engine, "one_blas_thread", counting)
    for name, dim, expected in (("random_quadratic", 8, [True]), ("rosenbrock", 2, [])):
        limited.clear()
        s = ls.surfaces.get(name, dim=dim)
        ls.trace(s, ls.optim.sgd(0.001), _start(s), steps=2, engine="numba")
        assert limited == expected, name


def test_auto_leaves_logistic_regression_to_numpy_whatever_the_number_of_particles():
    """Its exponentials and logarithms run faster on whole arrays; any part of an ensemble runs there too."""
    for name, engine in (("logistic_regression", "numpy"), ("linear_regression", "numba")):
        s = ls.surfaces.get(name, m=64, n=3)
        for k in (1, 64):
            run = ls.trace(s, ls.optim.sgd(0.1), np.zeros((k, s.dim)), steps=2, batch_size=16)
            assert run.config["engine"] == engine, (name, k)


def test_auto_runs_numpy_where_a_part_has_no_kernel():
    bowl = ls.surfaces.get("elongated_bowl")
    plain = ls.surfaces.from_functions(lambda x: (x**2).sum(-1), bounds=[[-1, 1], [-1, 1]])
    assert ls.trace(bowl, ls.optim.sgd(0.1), [1.0, 1.0], steps=2).config["engine"] == "numba"
    assert ls.trace(plain, ls.optim.sgd(0.01), plain.default_start, steps=2).config["engine"] == "numpy"
    with pytest.raises(ValueError, match="engine='numba' is not accepted.*has no formula"):
        ls.trace(plain, ls.optim.sgd(0.1), [1.0, 1.0], steps=2, engine="numba")
    mine = ls.optim.GradientTransformation(lambda p: (), lambda u, s, p=None, *, epoch=None: (-0.1 * u, s))
    assert ls.trace(bowl, mine, [1.0, 1.0], steps=2).config["engine"] == "numpy"
    with pytest.raises(ValueError, match="optimizer written by hand"):
        ls.trace(bowl, mine, [1.0, 1.0], steps=2, engine="numba")


@pytest.mark.parametrize("ensemble", ["spectrum", "goe", "wishart"])
def test_structured_quadratics_compile(ensemble):
    """The matrix-free form: two 2-D DCTs (rocket-fft's, in compiled code) around a banded core."""
    s = ls.surfaces.get("random_quadratic", dim=12, ensemble=ensemble, structured=True, linear_scale=0.5)
    optimizer = ls.optim.momentum(0.02, style="heavy_ball")
    reference = ls.trace(s, optimizer, _start(s), steps=25, record_every=5, engine="numpy")
    auto = ls.trace(s, optimizer, _start(s), steps=25, record_every=5)
    assert auto.config["engine"] == "numba"
    assert_same_run(reference, auto)


def test_high_dimensions_run_in_blocks_that_fit_in_memory():
    from landscape.tracing import _numba_engine

    assert _numba_engine.block_size(1000, 2, dim=100_000) == 10  # 64 MiB of block arrays
    assert _numba_engine.block_size(1000, 2, dim=2) == 500
    s = ls.surfaces.get("random_quadratic", dim=20_000, ensemble="spectrum", seed=4)
    assert s.structured
    x0 = s.default_start + np.random.default_rng(0).standard_normal((3, 20_000))
    runs = _both(s, ls.optim.adam(0.05), x0, steps=12, record_every=4)
    assert_same_run(*runs)


@pytest.mark.parametrize(
    ("optimizer", "last_fused_dim"),
    [(ls.optim.sgd(0.01), 9), (ls.optim.momentum(0.01), 5), (ls.optim.adam(0.01), 4)],
    ids=["sgd", "momentum", "adam"],
)
def test_the_fused_driver_runs_only_while_its_loop_can_vectorize(optimizer, last_fused_dim):
    """Rows read (positions, status) and written (positions, state): at most 128 pairs to check.

    sgd at dim 9: 10 rows read, 9 written, 19·18/2 − 10·9/2 = 126 checks; at dim 10: 155.
    Adam at dim 4: 5 read, 4 + 8 written, 17·16/2 − 5·4/2 = 126; at dim 5: 195.
    """

    def driver(dim):
        s = ls.surfaces.get("rosenbrock", dim=dim)
        return _driver_description(s, optimizer, s.sample(3, seed=0)).split(" driver")[0]

    assert driver(last_fused_dim) == "fused"
    assert driver(last_fused_dim + 1) == "blocked"


def test_dense_quadratics_compile_in_any_dimension():
    s = ls.surfaces.get("random_quadratic", dim=40, ensemble="goe", seed=2)
    runs = _both(s, ls.optim.momentum(0.01, style="heavy_ball"), _start(s), steps=20, record_every=5)
    assert_same_run(*runs)


# ---- processes: threads, flags, caching, numba missing ------------------------------

_RUN = """
import sys, numpy as np, landscape as ls
s = ls.surfaces.get("six_hump_camel")
x0 = s.default_start + 0.1 * np.random.default_rng(0).standard_normal((2500, 2))
for _ in range(2):  # the second run finds the driver this process has loaded
    t = ls.trace(s, ls.optim.adam(0.02), x0, steps=40, noise=ls.noise.gaussian(0.5), engine="numba",
                 on_compile=lambda: print("compiling", file=sys.stderr))
np.save(sys.argv[1], t.positions)
"""


def _python(code, *args, env=None, cwd=None):
    import os
    import subprocess
    import sys

    environment = {**os.environ, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory, made_once):
    """The positions of ``_RUN`` in a process of two threads that finds its driver in the cache
    (run by one worker of ``pytest -n`` for all of them)."""

    def run():
        path = tmp_path_factory.mktemp("reference") / "run.npy"
        _python(_RUN, path, env={"NUMBA_NUM_THREADS": "2"})
        return path

    return np.load(made_once("reference-run", run, str, Path))


def test_results_do_not_depend_on_the_number_of_threads(tmp_path, reference_run):
    """2 500 particles are three blocks, shared by one thread or by two."""
    _python(_RUN, tmp_path / "1.npy", env={"NUMBA_NUM_THREADS": "1"})
    np.testing.assert_array_equal(np.load(tmp_path / "1.npy"), reference_run)


@pytest.mark.parametrize("case", ["noise", "mini-batches"])
def test_results_do_not_depend_on_the_block_size(case, monkeypatch):
    """Blocks get smaller when there are few particles per thread; no particle notices."""
    from landscape.tracing import _numba_engine

    if case == "noise":
        s = ls.surfaces.get("six_hump_camel")
        x0 = s.default_start + 0.1 * np.random.default_rng(0).normal(size=(700, 2))
        args = (s, ls.optim.adam(0.02), x0)
        kwargs = {"steps": 30, "noise": ls.noise.gaussian(0.5)}
    else:
        s = ls.surfaces.get("logistic_regression", m=500, n=3)
        args = (s, ls.optim.momentum(0.1), np.zeros((700, s.dim)))
        kwargs = {"epochs": 2, "batch_size": 16, "record_every": 9}
    runs = []
    for size in (64, 1024):
        monkeypatch.setattr(_numba_engine, "block_size", lambda particles, threads, dim, size=size: size)
        runs.append(ls.trace(*args, engine="numba", **kwargs))
    for name in ("positions", "values", "grad_norms", "batch_values"):
        np.testing.assert_array_equal(getattr(runs[0], name), getattr(runs[1], name), err_msg=name)
    monkeypatch.undo()
    assert _numba_engine.block_size(256, 2) == 128 and _numba_engine.block_size(100_000, 2) == 1024


@given(blocks=st.integers(1, 100_000), threads=st.integers(1, 64))
def test_ranges_cover_every_block_once_and_shrink_to_single_blocks(blocks, threads):
    """Threads take ranges of blocks in turn: large ones first, then ones small enough that the
    threads finish within a block of each other; few of them (each costs a call of the driver)."""
    from landscape.tracing._numba_engine import GUIDED, guided_bounds

    bounds = guided_bounds(blocks, threads)
    sizes = np.diff(bounds)
    assert bounds[0] == 0 and bounds[-1] == blocks and (sizes >= 1).all()
    assert (np.diff(sizes) <= 0).all()
    assert sizes[0] == max(1, blocks // (GUIDED * threads))
    assert (sizes[-min(len(sizes), GUIDED * threads) :] == 1).all()
    assert len(sizes) <= GUIDED * threads * (2 + np.log(blocks))


@settings(deadline=None)  # the first call loads the compiled kernel
@given(n=st.integers(0, 100_000), rows=st.integers(1, 16), itemsize=st.sampled_from([4, 8]))
def test_block_rows_start_far_apart_modulo_a_page(n, rows, itemsize):
    """Any two rows of a block's array (up to 16 rows) start at least 256 bytes away from a
    multiple of 4 KiB apart, on whole cache lines, at most 17 lines longer than the block; a few
    particles keep rows of ``n``."""
    from landscape.tracing._kernels.blocks import FEW, row_width

    width = row_width(n, rows, itemsize)
    if n < FEW:
        assert width == n
        return
    stride = width * itemsize
    assert width >= n and stride % 64 == 0 and stride <= n * itemsize + 64 * 17
    offsets = [k * stride % 4096 for k in range(1, rows)]
    assert all(256 <= offset <= 4096 - 256 for offset in offsets)


def test_strict_arithmetic_switch_gives_the_same_run(tmp_path, reference_run):
    _python(_RUN, tmp_path / "strict.npy", env={"LANDSCAPE_NUMBA_FASTMATH": "0"})
    np.testing.assert_allclose(reference_run, np.load(tmp_path / "strict.npy"), rtol=1e-9, atol=1e-12)


def test_a_second_process_loads_the_compiled_driver_from_disk(tmp_path):
    """``on_compile`` is called when a driver is compiled: once in the first process, never in the second."""
    env = {"LANDSCAPE_CACHE_DIR": str(tmp_path / "cache")}
    first = _python(_RUN, tmp_path / "a.npy", env=env)
    second = _python(_RUN, tmp_path / "b.npy", env=env)
    assert first.stderr.split() == ["compiling"] and "compiling" not in second.stderr
    assert list((tmp_path / "cache" / "kernels").glob("landscape_kernel_*.py"))
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))


_MODULE_NEVER_IMPORTED = r'''
import types, numpy as np, landscape as ls
module = types.ModuleType("made_in_memory")
source = """
import landscape as ls
def bowl(x, p):
    return x[0] ** 2 + p[0] * x[1] ** 2, (2.0 * x[0], 2.0 * p[0] * x[1])
class Bowl(ls.surfaces.Surface):
    def __init__(self):
        super().__init__(dim=2, bounds=[[-2, 2], [-2, 2]], name="bowl")
    def point_functions(self):
        return ls.surfaces.PointFunctions(bowl, [3.0])
"""
exec(source, module.__dict__)
print(ls.trace(module.Bowl(), ls.optim.adam(0.1), [1.0, 1.0], steps=5, engine="numba").values[-1, 0])
'''


def test_a_formula_from_a_module_never_imported_runs_in_every_process(tmp_path):
    """Numba cannot rebuild such a function from disk in another process: its driver is not cached."""
    env = {"LANDSCAPE_CACHE_DIR": str(tmp_path / "cache")}
    first, second = (_python(_MODULE_NEVER_IMPORTED, env=env).stdout for _ in range(2))
    assert first == second and float(first) < 2.0


def test_it_runs_where_numba_can_write_no_cache(tmp_path, reference_run):
    """A read-only package and home: numba finds no place for a cache, the engine compiles anew."""
    env = {"NUMBA_CACHE_LOCATOR_CLASSES": "IPythonCacheLocator"}  # it takes notebook cells only
    _python(_RUN, tmp_path / "nowhere.npy", env=env | {"NUMBA_NUM_THREADS": "2"})
    np.testing.assert_array_equal(np.load(tmp_path / "nowhere.npy"), reference_run)


def test_without_numba_auto_falls_back_to_numpy_with_one_warning():
    code = """
import sys, warnings
sys.modules["numba"] = None  # as if numba were not installed
import numpy as np, landscape as ls
s = ls.surfaces.get("rosenbrock")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    runs = [ls.trace(s, ls.optim.adam(0.01), s.default_start, steps=5) for _ in range(3)]
assert [r.config["engine"] for r in runs] == ["numpy"] * 3
assert [w.category for w in caught] == [ls.EngineWarning], caught
try:
    ls.trace(s, ls.optim.adam(0.01), s.default_start, steps=5, engine="numba")
except ValueError as error:
    assert "numba cannot be imported" in str(error)
else:
    raise AssertionError("engine='numba' ran without numba")
"""
    _python(code)


def test_sympy_expressions_compile_to_point_functions():
    import sympy

    from landscape.surfaces._point import point_functions_from_sympy

    x, y = sympy.symbols("x y", real=True)
    f = x**2 * sympy.sin(y) + sympy.exp(-x * y) + sympy.Abs(x - 1) + sympy.atan2(y, 2)

    class Formula(ls.surfaces.Surface):
        def __init__(self):
            super().__init__(dim=2, bounds=[[-2, 2], [-2, 2]], name="formula")
            symbols = (x, y)
            self._f = sympy.lambdify(symbols, f, "numpy")
            self._g = sympy.lambdify(symbols, [sympy.diff(f, v) for v in symbols], "numpy")
            self._point = point_functions_from_sympy(symbols, f, [sympy.diff(f, v) for v in symbols])

        def _value(self, p):
            return self._f(p[..., 0], p[..., 1])

        def _grad(self, p):
            return np.stack(np.broadcast_arrays(*self._g(p[..., 0], p[..., 1])), axis=-1)

        def point_functions(self):
            return self._point

    s = Formula()
    runs = _both(s, ls.optim.adam(0.05), _start(s), steps=30, noise=ls.noise.gaussian(0.1))
    assert_same_run(*runs)


@pytest.mark.parametrize(
    "text",
    [
        "x**2 + 10*y**2",
        "(1 - x)**2 + 100*(y - x**2)**2 + abs(x*y)",
        "x1**2 + sin(x2) * exp(-x3**2) + log1p(x1**2)",
    ],
)
def test_expression_surfaces_compile_from_their_exact_derivatives(text):
    s = ls.surfaces.expression(text)
    options = {"steps": 30, "noise": ls.noise.gaussian(0.05), "record_every": 3}
    reference = ls.trace(s, ls.optim.adam(0.02), _start(s), engine="numpy", **options)
    auto = ls.trace(s, ls.optim.adam(0.02), _start(s), **options)
    assert auto.config["engine"] == "numba"
    assert_same_run(reference, auto)


def test_point_functions_that_do_not_compile_fall_back_under_auto():
    class Stubborn(_TiltedBowl):
        def point_functions(self):
            return ls.surfaces.PointFunctions(lambda x, p: (str(x), (x[0], x[1])))

    s = Stubborn()
    with pytest.warns(ls.EngineWarning, match="cannot compile"):
        assert ls.trace(s, ls.optim.sgd(0.1), [1.0, 1.0], steps=2).config["engine"] == "numpy"
    with pytest.raises(RuntimeError, match="cannot compile") as error:
        ls.trace(s, ls.optim.sgd(0.1), [1.0, 1.0], steps=2, engine="numba")
    assert "Failed in" not in str(error.value)  # numba's line per stage, not what failed


def _generator_rule(u, scale):
    return u * sum(scale for _ in range(2))  # a generator: numba compiles none


def test_a_block_that_does_not_compile_falls_back_under_auto_and_says_why():
    s = ls.surfaces.get("rosenbrock")
    block = ls.optim.elementwise("doubled", _generator_rule, {"scale": 0.5})
    doubled = ls.optim.chain(block, ls.optim.sgd(1e-3))
    with pytest.warns(ls.EngineWarning, match="cannot compile this run: .*yield.*; running the numpy"):
        run = ls.trace(s, doubled, s.default_start, steps=3)
    assert run.config["engine"] == "numpy"
    with pytest.raises(RuntimeError, match="cannot compile this run: .*yield") as error:
        ls.trace(s, doubled, s.default_start, steps=3, engine="numba")
    assert "Failed in" not in str(error.value)


_COMPILED = """
import sys
from numba.core import event
import numpy as np, landscape as ls

compiled = []


class Listener(event.Listener):
    def on_start(self, ev):
        compiled.append(ev.data["dispatcher"].py_func.__name__)

    def on_end(self, ev):
        pass


event.register("numba:compile", Listener())
s = ls.surfaces.get("random_quadratic", dim=20, seed=0)
lr = 0.01 if sys.argv[1] == "one rate" else np.full(100, 0.01)
ls.trace(s, ls.optim.momentum(lr, 0.9), np.ones((100, 20)), steps=3, engine="numba")
print(" ".join(compiled))
"""


def _library_formulas():
    """The package's elementwise formulas: blocks' rules, schedules, surfaces, the divergence rule."""
    from landscape.tracing import _divergence

    found = [_divergence.after_step, _divergence.at_record, _divergence.stop_step]
    for name in ls.optim.blocks():
        factory = getattr(ls.optim, name)
        block = factory(0.1) if name == "scale_by_learning_rate" else factory()
        found += [part.rule for part in block.parts]
    found += [ls.schedules.get(name).formula for name in ls.schedules.names()]
    for name in ls.surfaces.names():
        functions = ls.surfaces.get(name).point_functions()
        if functions is not None:
            found.append(getattr(functions, "value_and_grad", None) or functions.term)
    return found


def _our_kernels():
    """The compiled engine's own kernels: ``(module, name, dispatcher)``."""
    from numba.core.registry import CPUDispatcher

    from landscape.tracing import _kernels
    from landscape.tracing._kernels import blocks, data, random

    modules = (blocks, data, random)
    assert {m.__name__.rsplit(".", 1)[1] for m in modules} == {
        p.stem for p in Path(_kernels.__file__).parent.glob("*.py")
    } - {"__init__", "assemble", "compile", "config", "formulas", "optimizers"}
    return [
        (module, name, value)
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, CPUDispatcher) and value.py_func.__module__ == module.__name__
    ]


def test_a_new_driver_links_the_kernels_from_disk(tmp_path):
    """A new driver whose kernels other drivers used before compiles itself, not them."""
    env = {"LANDSCAPE_CACHE_DIR": str(tmp_path / "cache")}
    _python(_COMPILED, "one rate", env=env)
    compiled = set(_python(_COMPILED, "a rate per particle", env=env).stdout.split())
    assert "run" in compiled  # a new driver
    ours = {name for _, name, _ in _our_kernels()} | {f.__name__ for f in _library_formulas()}
    assert {"momentum_rule", "learning_rate_rule", "quadratic", "after_step"} <= ours
    assert not ours & compiled, ours & compiled


def _global_names(code):
    found = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            found |= _global_names(constant)
    return found


def test_cached_kernels_call_only_kernels_of_their_own_file():
    """Numba renews a function's disk cache when its own file changes, not when a callee's does."""
    from numba.core.caching import NullCache
    from numba.core.registry import CPUDispatcher

    from landscape.tracing._kernels.compile import compiled

    kernels = [(vars(module), name, kernel) for module, name, kernel in _our_kernels()]
    for formula in _library_formulas():
        kernels.append((formula.__globals__, formula.__name__, compiled(formula, np.float64)))
    for namespace, name, kernel in kernels:
        if isinstance(kernel._cache, NullCache):  # not cached
            continue
        home = kernel.py_func.__module__
        for used in _global_names(kernel.py_func.__code__):
            value = namespace.get(used)
            assert not (isinstance(value, types.ModuleType) and value.__name__.startswith("landscape")), (
                f"{home}.{name} is cached and calls into {value.__name__}"
            )
            calls_other_file = isinstance(value, (CPUDispatcher, types.FunctionType)) and (
                getattr(value, "py_func", value).__module__ != home
            )
            assert not calls_other_file, f"{home}.{name} is cached and calls {used} of another file"


def test_the_cache_keeps_the_most_recently_used_drivers(tmp_path, monkeypatch):
    import os
    import sys

    from landscape.tracing import _numba_engine
    from landscape.tracing._kernels import config

    directory = tmp_path / "kernels"
    (directory / "__pycache__").mkdir(parents=True)
    for age, key in enumerate(["new", "middle", "old", "oldest"]):
        source = directory / f"landscape_kernel_{key}.py"
        source.write_text("")
        (directory / "__pycache__" / f"landscape_kernel_{key}.run-20.py311.nbi").write_text("")
        os.utime(source, (1e9 - age, 1e9 - age))
    monkeypatch.setenv("LANDSCAPE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(config, "KEEP_DRIVERS", 4)  # the new driver and its surface loops, and two more
    for name in [name for name in sys.modules if name.startswith("landscape_kernel_")]:
        monkeypatch.delitem(sys.modules, name)  # so that the driver is looked up on disk
    monkeypatch.setattr(_numba_engine, "_BUILT", {})
    ls.trace(ls.surfaces.get("saddle"), ls.optim.sgd(0.01), [1.0, 0.5], steps=2, engine="numba")
    left = sorted(p.name for p in directory.glob("landscape_kernel_*.py"))
    assert len(left) == 4 and "landscape_kernel_new.py" in left and "landscape_kernel_middle.py" in left
    compiled = {p.name.split(".")[0] for p in (directory / "__pycache__").iterdir()}
    assert compiled <= {name.removesuffix(".py") for name in left} | {""}
    assert "landscape_kernel_old" not in compiled and "landscape_kernel_oldest" not in compiled
