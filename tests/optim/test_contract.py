"""The transformation contract: purity, chaining, per-particle hyperparameters, dtype, errors."""

import numpy as np
import pytest

import landscape as ls


def _build(name):
    def build(**h):
        params = {"lr": h.get("lr", 0.1)}
        if "beta" in h and "beta" in ls.optim.parameters(name):
            params["beta"] = h["beta"]
        return ls.optim.get(name, **params)

    return build


# every registered optimizer, and Nesterov's look-ahead
ALL = {name: _build(name) for name in ls.optim.names()}
ALL["nesterov"] = lambda **h: ls.optim.momentum(h.get("lr", 0.1), h.get("beta", 0.9), nesterov=True)


@pytest.mark.parametrize("name", ALL)
def test_update_never_mutates_its_inputs(name, rng):
    opt = ALL[name]()
    params = rng.standard_normal((4, 3))
    grads = rng.standard_normal((4, 3))
    state = opt.init(params)
    _, state = opt.update(grads, state, params)
    copies = [a.copy() for a in (params, grads)]
    state_copy = [np.copy(s) for s in _arrays(state)]
    opt.update(grads, state, params)
    for original, copy in zip((params, grads), copies, strict=True):
        np.testing.assert_array_equal(original, copy)
    for original, copy in zip(_arrays(state), state_copy, strict=True):
        np.testing.assert_array_equal(original, copy)


def _arrays(state):
    if isinstance(state, np.ndarray):
        return [state]
    if isinstance(state, tuple):
        return [a for s in state for a in _arrays(s)]
    return []


@pytest.mark.parametrize("name", ALL)
def test_per_particle_hyperparameters_equal_separate_runs(name, rng):
    lrs, betas = np.array([0.01, 0.1, 0.3]), np.array([0.5, 0.9, 0.99])
    grads = rng.standard_normal((5, 3, 2))
    together = _run(ALL[name](lr=lrs, beta=betas), grads)
    for k in range(3):
        alone = _run(ALL[name](lr=lrs[k], beta=betas[k]), grads[:, k : k + 1])
        np.testing.assert_allclose(together[:, k], alone[:, 0], rtol=1e-14)


def _run(opt, grads):
    w = np.ones(grads.shape[1:])
    state = opt.init(w)
    out = []
    for g in grads:
        u, state = opt.update(g, state, w)
        w = w + u
        out.append(w)
    return np.array(out)


@pytest.mark.parametrize("name", ALL)
def test_float32_stays_float32(name):
    opt = ALL[name](lr=np.array([0.1, 0.2]))
    w = np.ones((2, 3), dtype=np.float32)
    updates, _ = opt.update(w, opt.init(w), w)
    assert updates.dtype == np.float32


def test_aliases_are_chains_of_blocks(rng):
    grads = rng.standard_normal((4, 2, 2))
    blocks = ls.optim.chain(ls.optim.scale_by_adam(0.8, 0.99), ls.optim.scale_by_learning_rate(0.3))
    np.testing.assert_array_equal(_run(blocks, grads), _run(ls.optim.adam(0.3, 0.8, 0.99), grads))
    assert [p.name for p in ls.optim.adamw().parts] == [
        "scale_by_adam",
        "add_decayed_weights",
        "scale_by_learning_rate",
    ]


def test_specs_rebuild_the_optimizer(rng):
    grads = rng.standard_normal((4, 2, 2))
    opt = ls.optim.momentum(
        lr=ls.schedules.warmup(2, ls.schedules.exponential(0.1)), beta=np.array([0.5, 0.9])
    )
    json_spec = ls.optim.spec_to_json(opt.spec)
    rebuilt = ls.optim.from_spec(json_spec)
    np.testing.assert_array_equal(_run(rebuilt, grads), _run(opt, grads))
    chained = ls.optim.chain(ls.optim.scale_by_rms(), ls.optim.scale_by_learning_rate(0.1))
    np.testing.assert_array_equal(
        _run(ls.optim.from_spec(ls.optim.spec_to_json(chained.spec)), grads), _run(chained, grads)
    )


def test_the_repr_says_what_rebuilds_the_optimizer_not_its_functions():
    assert repr(ls.optim.adam(0.05)) == "GradientTransformation(adam(lr=0.05, b1=0.9, b2=0.999, eps=1e-08))"
    chained = ls.optim.chain(ls.optim.scale_by_rms(beta=0.9), ls.optim.scale_by_learning_rate(0.1))
    assert repr(chained) == (
        "GradientTransformation(chain(scale_by_rms(beta=0.9, eps=1e-08, eps_in_sqrt=False), "
        "scale_by_learning_rate(lr=0.1)))"
    )
    by_hand = ls.optim.GradientTransformation(lambda params: (), lambda u, state, params=None: (-u, state))
    assert repr(by_hand) == "GradientTransformation(written by hand)"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ls.optim.sgd(-0.1), "lr=-0.1"),
        (lambda: ls.optim.sgd(0.0), "lr=0.0"),
        (lambda: ls.optim.sgd("fast"), "lr='fast'"),
        (lambda: ls.optim.momentum(0.1, beta=1.0), r"beta=1.0 .*\[0, 1\)"),
        (lambda: ls.optim.momentum(0.1, style="polyak"), "style='polyak'.*'ewa', 'heavy_ball'"),
        (
            lambda: ls.optim.momentum(0.1, style="heavy_ball", bias_correction=True),
            "bias_correction",
        ),
        (lambda: ls.optim.rmsprop(0.1, eps=0.0), "eps=0.0"),
        (lambda: ls.optim.adam(0.1, b2=-0.5), "b2=-0.5"),
        (lambda: ls.optim.adam(np.array([[0.1]])), "lr="),
        (lambda: ls.optim.adam(np.array([0.1, np.nan])), "lr="),
        (lambda: ls.optim.adamw(weight_decay=-1), "weight_decay=-1"),
        (lambda: ls.optim.get("adagrd"), "optimizer='adagrd'.*adam"),
        (lambda: ls.optim.get("adam", beta=0.9), "no parameter 'beta'.*lr, b1, b2, eps"),
        (lambda: ls.optim.chain(ls.optim.sgd(0.1), "adam"), r"transforms\[1\]"),
    ],
)
def test_bad_hyperparameters_name_the_parameter(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_per_particle_size_mismatch_is_reported():
    opt = ls.optim.sgd(np.array([0.1, 0.2]))
    w = np.ones((3, 2))
    with pytest.raises(ValueError, match="2 values .* shape \\(3, 2\\)"):
        opt.update(w, opt.init(w))
