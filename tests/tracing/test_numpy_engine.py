"""The numpy engine's blocks: equal sizes, the same numbers on any number of threads."""

import contextlib
import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import landscape as ls
from landscape.tracing import _numpy_engine
from landscape.tracing._problem import build_problem


def _blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def _run(threads, monkeypatch, surface, optimizer, x0, **kwargs):
    monkeypatch.setenv("LANDSCAPE_NUMPY_THREADS", str(threads))
    return ls.trace(surface, optimizer, x0, engine="numpy", **kwargs)


def _block_size(surface, k, batch_size=None):
    arguments = {"particles": None, "batch_size": batch_size, "noise": None, "epochs": None, "seed": 0,
                 "record_every": 1, "dtype": np.float64, "divergence_radius": None}
    problem = build_problem(surface, ls.optim.sgd(0.1), np.zeros((k, surface.dim)), 1, **arguments)
    return _numpy_engine.block_size(problem)


def test_blocks_are_about_one_mebibyte_and_of_equal_size():
    rosenbrock = ls.surfaces.get("rosenbrock")
    assert _block_size(rosenbrock, 100_000) == 50_000  # 65 536 would fit: two equal blocks instead
    assert _block_size(rosenbrock, 1000) == 1000
    quadratic = ls.surfaces.get("random_quadratic", dim=1000)
    assert _block_size(quadratic, 256) == 128  # never fewer than MIN_BLOCK particles
    data = ls.surfaces.get("logistic_regression", m=1000, n=10)
    assert _block_size(data, 256, batch_size=64) == 128  # a mini-batch of 64 x 11 per particle


@pytest.mark.parametrize(
    "case",
    ["adam on rosenbrock", "dense quadratic (BLAS)", "mini-batches", "noise and per-particle rates"],
)
def test_threads_change_nothing(case, monkeypatch):
    rng = np.random.default_rng(3)
    if case == "adam on rosenbrock":
        s = ls.surfaces.get("rosenbrock")
        args = (s, ls.optim.adam(0.01), s.sample(140_000, seed=1))
        kwargs = {"steps": 20, "record_every": 5}
    elif case == "dense quadratic (BLAS)":
        s = ls.surfaces.get("random_quadratic", dim=300, ensemble="goe", seed=2)
        # (rmsprop: momentum would run in the eigenbasis, without BLAS at every step)
        args = (s, ls.optim.rmsprop(0.01), rng.normal(size=(1000, 300)))
        kwargs = {"steps": 15}
    elif case == "mini-batches":
        s = ls.surfaces.get("logistic_regression", m=2000, n=10)
        args = (s, ls.optim.sgd(0.5), np.zeros((600, s.dim)))
        kwargs = {"epochs": 1, "batch_size": 64, "record_every": 7}
    else:
        s = ls.surfaces.get("elongated_bowl", kappa=30.0)
        rates = rng.uniform(0.001, 0.08, size=150_000)  # above 2 / 30 they diverge
        args = (s, ls.optim.sgd(rates), rng.uniform(-1, 1, size=(150_000, 2)))
        kwargs = {"steps": 30, "noise": ls.noise.gaussian(0.5), "divergence_radius": 3.0}
    with pytest.warns(ls.DivergenceWarning) if "noise" in case else contextlib.nullcontext():
        one = _run(1, monkeypatch, *args, **kwargs)
        two = _run(2, monkeypatch, *args, **kwargs)
    for name in ("positions", "values", "grad_norms", "diverged_step"):
        np.testing.assert_array_equal(getattr(one, name), getattr(two, name), err_msg=name)
    if "noise" in case:
        assert 0 < one.diverged.sum() < len(one.diverged)


def test_blas_gets_its_threads_back(monkeypatch):
    import scipy.linalg.cython_blas  # noqa: F401  (loads the BLAS numba calls: both are limited)

    s = ls.surfaces.get("random_quadratic", dim=300, seed=0)
    before = _blas_threads()
    seen, failing = [], []
    original = s._matvec

    def spying(x):
        seen.append(_blas_threads())
        if failing:
            raise RuntimeError("a block fails")
        return original(x)

    monkeypatch.setattr(s, "_matvec", spying)
    _run(2, monkeypatch, s, ls.optim.adam(0.01), np.ones((1000, 300)), steps=3)
    assert seen and all(threads == [1] * len(before) for threads in seen)
    assert _blas_threads() == before
    # also after an error inside a block, and when traces run on two threads at once
    failing.append(True)
    with pytest.raises(RuntimeError, match="a block fails"):
        _run(2, monkeypatch, s, ls.optim.adam(0.01), np.ones((1000, 300)), steps=3)
    assert _blas_threads() == before
    monkeypatch.undo()
    runs = [threading.Thread(target=ls.trace, args=(s, ls.optim.adam(0.01), np.ones((1000, 300))),
                             kwargs={"steps": 20, "engine": "numpy"}) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert _blas_threads() == before


def test_a_users_surface_runs_on_one_thread(monkeypatch):
    calls = set()

    def value(p):
        calls.add(threading.get_ident())
        return (p**2).sum(axis=-1)

    s = ls.surfaces.from_functions(value, grad=lambda p: 2 * p, bounds=[[-1, 1], [-1, 1]])
    assert not s.thread_safe and ls.surfaces.get("rosenbrock").thread_safe
    _run(2, monkeypatch, s, ls.optim.sgd(0.1), np.ones((200_000, 2)), steps=2)
    assert len(calls) == 1
