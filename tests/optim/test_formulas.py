"""Each optimizer against the lecture's update rule written out independently here."""

import numpy as np
import pytest

import landscape as ls

STEPS = 6


@pytest.fixture
def gradients(rng):
    """A fixed sequence of gradients for 3 particles in 2-D (the optimizer sees them in order)."""
    return rng.standard_normal((STEPS, 3, 2)) * np.array([1.0, 30.0])


def run(optimizer, gradients, w0=None):
    w = np.ones(gradients.shape[1:]) if w0 is None else w0
    state = optimizer.init(w)
    path = []
    for g in gradients:
        updates, state = optimizer.update(g, state, w)
        w = w + updates
        path.append(w)
    return np.array(path)


def test_sgd(gradients):
    w, expected = np.ones((3, 2)), []
    for dw in gradients:
        w = w - 0.1 * dw
        expected.append(w)
    np.testing.assert_allclose(run(ls.optim.sgd(0.1), gradients), expected, rtol=1e-15)


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("bias_correction", [False, True])
def test_momentum_lecture_form(gradients, nesterov, bias_correction):
    alpha, beta = 0.05, 0.9
    w, v, expected = np.ones((3, 2)), np.zeros((3, 2)), []
    for t, dw in enumerate(gradients, start=1):
        v = beta * v + (1 - beta) * dw
        v_used = v / (1 - beta**t) if bias_correction else v
        step = beta * v_used + (1 - beta) * dw if nesterov else v_used
        w = w - alpha * step
        expected.append(w)
    opt = ls.optim.momentum(alpha, beta, nesterov=nesterov, bias_correction=bias_correction)
    np.testing.assert_allclose(run(opt, gradients), expected, rtol=1e-13)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_heavy_ball_is_pytorch_sgd(gradients, nesterov):
    """torch.optim.SGD(momentum=β, nesterov=...): buf = β buf + g; step = g + β buf (Nesterov) or buf."""
    lr, beta = 0.01, 0.9
    w, buf, expected = np.ones((3, 2)), np.zeros((3, 2)), []
    for g in gradients:
        buf = beta * buf + g
        w = w - lr * (g + beta * buf if nesterov else buf)
        expected.append(w)
    opt = ls.optim.momentum(lr, beta, style="heavy_ball", nesterov=nesterov)
    np.testing.assert_allclose(run(opt, gradients), expected, rtol=1e-13)


def test_heavy_ball_equals_ewa_with_rescaled_rate(gradients):
    ewa = ls.optim.momentum(0.05, 0.9, style="ewa")
    heavy = ls.optim.momentum(0.05 * (1 - 0.9), 0.9, style="heavy_ball")
    np.testing.assert_allclose(run(ewa, gradients), run(heavy, gradients), rtol=1e-12)


@pytest.mark.parametrize("eps_in_sqrt", [False, True])
def test_rmsprop(gradients, eps_in_sqrt):
    alpha, beta, eps = 0.01, 0.9, 1e-8
    w, s, expected = np.ones((3, 2)), np.zeros((3, 2)), []
    for dw in gradients:
        s = beta * s + (1 - beta) * dw**2
        w = w - alpha * dw / (np.sqrt(s + eps) if eps_in_sqrt else np.sqrt(s) + eps)
        expected.append(w)
    opt = ls.optim.rmsprop(alpha, beta, eps, eps_in_sqrt=eps_in_sqrt)
    np.testing.assert_allclose(run(opt, gradients), expected, rtol=1e-13)


def test_eps_placement_matters_only_for_tiny_gradients():
    tiny = np.full((1, 1, 2), 1e-6)
    outside = run(ls.optim.rmsprop(1.0, 0.9, 1e-8), tiny, np.zeros((1, 2)))
    inside = run(ls.optim.rmsprop(1.0, 0.9, 1e-8, eps_in_sqrt=True), tiny, np.zeros((1, 2)))
    assert abs(outside[0, 0, 0]) > 3 and abs(inside[0, 0, 0]) < 0.04


def test_adam_lecture_formulas(gradients):
    alpha, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    w, v, s, expected = np.ones((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)), []
    for t, dw in enumerate(gradients, start=1):
        v = b1 * v + (1 - b1) * dw
        s = b2 * s + (1 - b2) * dw**2
        v_corrected = v / (1 - b1**t)
        s_corrected = s / (1 - b2**t)
        w = w - alpha * v_corrected / (np.sqrt(s_corrected) + eps)
        expected.append(w)
    np.testing.assert_allclose(run(ls.optim.adam(alpha), gradients), expected, rtol=1e-13)


def test_adam_first_step_has_length_alpha_in_every_coordinate(gradients):
    first = run(ls.optim.adam(0.1), gradients[:1])[0]
    np.testing.assert_allclose(np.abs(first - 1.0), 0.1, rtol=1e-6)


def test_adamw_is_pytorchs_decoupled_decay(gradients):
    lr, wd, b1, b2, eps = 0.01, 0.1, 0.9, 0.999, 1e-8
    w, m, v, expected = np.ones((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)), []
    for t, g in enumerate(gradients, start=1):
        w = w * (1 - lr * wd)  # torch: p.mul_(1 - lr * weight_decay) before the Adam step
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        denom = np.sqrt(v) / np.sqrt(1 - b2**t) + eps
        w = w - lr / (1 - b1**t) * m / denom
        expected.append(w)
    got = run(ls.optim.adamw(lr, b1, b2, eps, weight_decay=wd), gradients)
    # torch folds the bias corrections differently around eps: agree to eps-level terms
    np.testing.assert_allclose(got, expected, rtol=1e-7)


def test_schedule_uses_the_epoch_number(gradients):
    schedule = ls.schedules.inverse_time(0.2, 1.0)
    opt = ls.optim.sgd(schedule)
    w = np.ones((3, 2))
    state = opt.init(w)
    for epoch, g in zip([1, 1, 2, 3], gradients, strict=False):
        updates, state = opt.update(g, state, w, epoch=epoch)
        np.testing.assert_allclose(updates, -0.2 / (1 + epoch) * g, rtol=1e-15)
    # without an epoch, every update counts as one epoch
    state = opt.init(w)
    for t, g in enumerate(gradients[:3], start=1):
        updates, state = opt.update(g, state)
        np.testing.assert_allclose(updates, -0.2 / (1 + t) * g, rtol=1e-15)


def test_adagrad_is_pytorchs(gradients):
    """torch.optim.Adagrad: state_sum += g²; p -= lr g / (√state_sum + eps)."""
    lr, eps = 0.05, 1e-10
    w, total, expected = np.ones((3, 2)), np.zeros((3, 2)), []
    for g in gradients:
        total = total + g * g
        w = w - lr * g / (np.sqrt(total) + eps)
        expected.append(w)
    np.testing.assert_allclose(run(ls.optim.adagrad(lr, eps), gradients), expected, rtol=1e-13)


def test_lion_follows_chen_et_al(gradients):
    """Algorithm 2 of Chen et al. (2023): c = β₁m + (1-β₁)g; θ -= η (sign c + λθ); m = β₂m + (1-β₂)g."""
    lr, b1, b2, wd = 0.01, 0.9, 0.99, 0.1
    w, m, expected = np.ones((3, 2)), np.zeros((3, 2)), []
    for g in gradients:
        c = b1 * m + (1 - b1) * g
        w = w - lr * (np.sign(c) + wd * w)
        m = b2 * m + (1 - b2) * g
        expected.append(w)
    got = run(ls.optim.lion(lr, b1, b2, weight_decay=wd), gradients)
    np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_nadam_is_adam_with_a_look_ahead(gradients):
    """Dozat's Nadam as optax writes it: m̂ = β₁m/(1-β₁^(t+1)) + (1-β₁)g/(1-β₁^t)."""
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    w, m, v, expected = np.ones((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)), []
    for t, g in enumerate(gradients, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = b1 * m / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1**t)
        w = w - lr * m_hat / (np.sqrt(v / (1 - b2**t)) + eps)
        expected.append(w)
    np.testing.assert_allclose(run(ls.optim.nadam(lr, b1, b2, eps), gradients), expected, rtol=1e-13)


def test_amsgrad_is_pytorchs(gradients):
    """torch.optim.Adam(amsgrad=True): max_v = max(max_v, v); denom = √(max_v)/√(1-β₂^t) + eps."""
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    w, m, v, v_max, expected = np.ones((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)), []
    for t, g in enumerate(gradients, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = np.maximum(v_max, v)
        w = w - lr / (1 - b1**t) * m / (np.sqrt(v_max) / np.sqrt(1 - b2**t) + eps)
        expected.append(w)
    # torch folds the correction around eps differently: agree to eps-level terms
    np.testing.assert_allclose(run(ls.optim.amsgrad(lr, b1, b2, eps), gradients), expected, rtol=1e-7)


def test_a_block_of_your_own_runs_like_a_built_in(gradients):
    def clipped_rule(u, limit):
        return np.minimum(np.maximum(u, -limit), limit)

    clip = ls.optim.elementwise("clip", clipped_rule, {"limit": 0.5})
    got = run(ls.optim.chain(clip, ls.optim.scale_by_learning_rate(0.1)), gradients)
    np.testing.assert_allclose(got, 1.0 - 0.1 * np.cumsum(np.clip(gradients, -0.5, 0.5), axis=0), rtol=1e-14)


def _warmup(t, steps):
    return np.minimum(1.0, t / steps)


def test_a_per_update_value_is_its_formula_of_the_update_count(gradients):
    def warmed_rule(u, factor):
        return u * factor

    warm = ls.optim.elementwise("warm", warmed_rule, {"factor": ls.optim.PerUpdate(_warmup, {"steps": 4.0})})
    got = run(ls.optim.chain(warm, ls.optim.scale_by_learning_rate(0.1)), gradients)
    factors = np.minimum(1.0, np.arange(1, STEPS + 1) / 4.0)[:, None, None]
    np.testing.assert_allclose(got, 1.0 - 0.1 * np.cumsum(factors * gradients, axis=0), rtol=1e-14)
    assert ls.optim.bias_correction(2.0, 0.9) == pytest.approx(1 / (1 - 0.9**2))
