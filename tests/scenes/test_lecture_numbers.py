"""The scenes show the lecture's own formulas and worked numbers, and draw the optimizers' true state."""

import numpy as np
import pytest

import landscape as ls
from landscape.rendering import get_scene


@pytest.mark.parametrize(
    "name, expected",
    [
        # m = 5 000 000 examples in mini-batches of 1 000: 5 000 mini-batches, X^{t}, Y^{t}, "1 epoch"
        (
            "minibatch",
            [
                r"m = 5\,000\,000",
                r"5\,000 \text{ mini-batches of }",
                r"1\,000",
                r"X^{\{1\}}",
                r"X^{\{5\,000\}}",
                r"X^{\{t\}}, Y^{\{t\}}",
                r"\text{1 epoch}",
                r"\frac{1}{1000} \sum_{i=1}^{1000}",
            ],
        ),
        # typical sizes and the small training set
        (
            "batch-size",
            [
                "64,\\ 128,\\ 256,\\ 512",
                "2^6,\\ 2^7,\\ 2^8,\\ 2^9",
                r"m \le 2\,000",
                r"\sqrt{\frac{m - B}{B\,(m - 1)}}",
            ],
        ),
        # θ₁ = 40 °F and v_t = 0.9 v_{t-1} + 0.1 θ_t; β = 0.9, 0.98, 0.5 average ≈ 10, 50, 2 days
        (
            "ewa",
            [
                r"\theta_{1} = 40^\circ\text{F}\ (4.4^\circ\text{C})",
                r"\theta_{2} = 49^\circ\text{F}\ (9.4^\circ\text{C})",
                r"\theta_{3} = 45^\circ\text{F}",
                r"\theta_{180} = 60^\circ\text{F}",
                r"\theta_{181} = 56^\circ\text{F}",
                r"v_t &= 0.9\, v_{t-1} + 0.1\, \theta_t",
                r"v_t \approx \text{average over the last } \frac{1}{1-\beta} \text{ days}",
                r"\beta = 0.9:\ \approx 10 \text{ days}",
                r"\beta = 0.98:\ \approx 50 \text{ days}",
                r"\beta = 0.5:\ \approx 2 \text{ days}",
                r"\frac{1}{1 - 0.98} = 50",
            ],
        ),
        # v₁₀₀ unrolled with 0.1·0.9^k; 0.9^10 ≈ 0.35 ≈ 1/e and 0.98^50 ≈ 1/e
        (
            "ewa-weights",
            [
                r"v_{100} &= 0.9\, v_{99} + 0.1\, \theta_{100}",
                r"0.1 \cdot 0.9\, \theta_{99} + 0.1 \cdot 0.9^{2}\, \theta_{98}",
                r"0.9^{10} \approx 0.35 \approx \frac{1}{e}",
                r"0.98^{50} \approx 0.36 \approx \frac{1}{e}",
                # after the morph to β = 0.98 the equations are those of 0.98
                r"v_{100} &= 0.98\, v_{99} + 0.02\, \theta_{100}",
                r"\sum_k 0.02\cdot0.98^k",
            ],
        ),
        # v₂ = 0.0196 θ₁ + 0.02 θ₂ and 1 − 0.98² = 0.0396
        (
            "bias-correction",
            [r"&= 0.0196\, \theta_1 + 0.02\, \theta_2", r"1 - (0.98)^2 = 0.0396", r"\frac{v_t}{1 - \beta^t}"],
        ),
        (
            "momentum",
            [
                r"v_{dW} &= \beta\, v_{dW} + (1-\beta)\, dW",
                r"W &:= W - \alpha\, v_{dW}",
                r"\approx 10 \text{ gradients}",
            ],
        ),
        (
            "rmsprop",
            [
                r"S_{dW} &= \beta_2\, S_{dW} + (1-\beta_2)\, dW^2",
                r"\frac{dW}{\sqrt{S_{dW} + \varepsilon}}",
                r"\varepsilon = 10^{-8}",
                r"\text{(Adam's slide: } \sqrt{S} + \varepsilon",
            ],
        ),
        (
            "adam",
            [
                r"v^{\text{corrected}}_{dW} &= v_{dW} / (1-\beta_1^t)",
                r"\beta_1 = 0.9",
                r"\beta_2 = 0.999",
                r"\varepsilon = 10^{-8}",
                r"\sqrt{S^{\text{corrected}}_{dW}} + \varepsilon",
                r"\varepsilon \text{ outside the root (RMSprop's slide: inside)}",
            ],
        ),
        # α₀ = 0.2, decay_rate = 1: 0.1, 0.067, 0.05, 0.04
        (
            "lr-decay",
            [r"\alpha_0 = 0.2", r"\text{decay\_rate} = 1", "1 & 0.1", "2 & 0.067", "3 & 0.05", "4 & 0.04"],
        ),
        # the lecture's shuffle: every epoch, and a smaller last mini-batch
        ("minibatch", [r"10 = 4 + 4 + 2", r"X^{\{3\}}\ (2)"]),
        # the chance of a minimum: exact, 2^-n, and the large-n rate written (ln 3)/4
        (
            "saddles",
            [r"2^{-n}", r"e^{-\frac{\ln 3}{4} n^2}", r"\text{eigenvalues of the Hessian: }-2,\ 2"],
        ),
    ],
)
def test_a_scene_typesets_the_lecture_s_numbers(typeset, name, expected):
    text = typeset(name)
    for snippet in expected:
        assert snippet in text, snippet


def bowl_scene(name):
    scene = get_scene(name).scene_class
    surface = ls.surfaces.get("elongated_bowl", kappa=scene.kappa)
    return scene, surface, np.array([-3.5, scene.start_b])


def momentum_run():
    scene, surface, start = bowl_scene("momentum")
    path = ls.trace(
        surface, ls.optim.momentum(lr=scene.lr, beta=scene.beta), start, steps=scene.steps
    ).positions[:, 0]
    return scene, surface, path


def test_the_momentum_arrows_are_the_lecture_s_velocity():
    """v_dW = β v_dW + (1 − β) dW from v = 0, and each step is W := W − α v_dW."""
    scene, surface, path = momentum_run()
    velocity = np.zeros(2)
    for t in range(scene.steps):
        velocity = scene.beta * velocity + (1 - scene.beta) * surface.grad(path[t])
        assert np.allclose(path[t + 1], path[t] - scene.lr * velocity, rtol=0, atol=1e-12)
    # What the scene draws: ls.ewa of the gradients along the path.
    grads = surface.grad(path)
    drawn = np.stack([ls.ewa(grads[:, i], scene.beta) for i in range(2)], axis=-1)
    assert np.allclose(np.diff(path, axis=0), -scene.lr * drawn[:-1], rtol=0, atol=1e-12)


def test_momentum_without_one_minus_beta_takes_the_same_steps_with_alpha_matched():
    scene, surface, path = momentum_run()
    variant = ls.trace(
        surface,
        ls.optim.momentum(lr=scene.lr * (1 - scene.beta), beta=scene.beta, style="heavy_ball"),
        path[0],
        steps=scene.steps,
    ).positions[:, 0]
    assert np.allclose(variant, path, rtol=0, atol=1e-12)


def test_the_rmsprop_bars_are_the_lecture_s_mean_squares():
    """S_dW = β₂ S_dW + (1 − β₂) dW² from S = 0, and W := W − α dW / sqrt(S_dW + ε)."""
    scene, surface, start = bowl_scene("rmsprop")
    path = ls.trace(
        surface,
        ls.optim.rmsprop(lr=scene.lr, beta=scene.beta, eps=1e-8, eps_in_sqrt=True),
        start,
        steps=scene.steps,
    ).positions[:, 0]
    mean_square = np.zeros(2)
    for t in range(scene.steps):
        grad = surface.grad(path[t])
        mean_square = scene.beta * mean_square + (1 - scene.beta) * grad**2
        assert np.allclose(
            path[t + 1], path[t] - scene.lr * grad / np.sqrt(mean_square + 1e-8), rtol=0, atol=1e-12
        )
    grads = surface.grad(path)
    drawn = np.stack([ls.ewa(grads[:, i] ** 2, scene.beta) for i in range(2)], axis=-1)
    assert np.allclose(
        np.diff(path, axis=0), -scene.lr * grads[:-1] / np.sqrt(drawn[:-1] + 1e-8), rtol=0, atol=1e-12
    )


def test_momentum_damps_the_zigzag_and_rmsprop_takes_bigger_steps_along_w():
    """What the two scenes show, measured: sign changes of the b-steps, W never past 0, progress along W."""
    scene, surface, path = momentum_run()
    start = path[0]
    assert scene.gd_lr < 2 / scene.kappa < scene.lr  # momentum uses a rate gradient descent cannot
    gd = ls.trace(surface, ls.optim.sgd(lr=scene.gd_lr), start, steps=scene.steps).positions[:, 0]
    flips = lambda p: int(np.sum(np.diff(np.sign(np.diff(p[:, 1]))) != 0))  # noqa: E731
    assert flips(gd) == scene.steps - 1  # plain gradient descent reverses its b-step every iteration
    assert flips(path) <= scene.steps // 4
    assert np.abs(np.diff(path[:, 1])).sum() < np.abs(np.diff(gd[:, 1])).sum() / 4  # far less travel in b
    # below (1 - √β)/(1 + √β) the W-direction is not underdamped: W approaches 0 without passing it
    assert scene.lr < (1 - np.sqrt(scene.beta)) / (1 + np.sqrt(scene.beta))
    assert path[:, 0].max() < 0
    assert np.linalg.norm(path[-1]) < np.linalg.norm(gd[-1]) / 2  # and ends closer to the minimum
    rms, surface, start = bowl_scene("rmsprop")
    path = ls.trace(
        surface, ls.optim.rmsprop(lr=rms.lr, beta=rms.beta, eps_in_sqrt=True), start, steps=rms.steps
    ).positions[:, 0]
    assert abs(path[-1, 0]) < abs(gd[-1, 0]) / 10


def test_adam_s_learning_rates_are_still_the_best_of_the_stated_grid():
    """The Adam scene's rates: over α = 10^-4 ... 1 in quarter decades, 300 steps, the lowest median
    value over the last 50 steps (ls.plot.tail_scores, one ls.sweep each)."""
    scene = get_scene("adam").scene_class
    grid = np.logspace(-4, 0, 17)
    chosen = {
        "sgd": scene.sgd_lr,
        "momentum": scene.momentum_lr,
        "rmsprop": scene.rmsprop_lr,
        "adam": scene.adam_lr,
    }
    best = {}
    for name, rate in chosen.items():
        scores = ls.plot.tail_scores(scene.surface, name, grid, steps=scene.steps, window=50)
        assert rate == pytest.approx(grid[np.nanargmin(scores)], rel=1e-3), name
        best[name] = np.nanmin(scores)
    assert best["adam"] < min(best["sgd"], best["momentum"], best["rmsprop"]) / 10  # Adam wins, clearly


def test_the_decayed_cloud_settles_closer_than_the_fixed_one():
    scene = get_scene("lr-decay").scene_class
    surface = ls.surfaces.get(
        "linear_regression", m=scene.m, n=1, seed=scene.seed, noise=2.0, feature_scale=2.0
    )
    start = surface.minima[0] + np.array([-0.8, 0.8])
    spread = []
    for rate in (scene.fixed_lr, ls.schedules.inverse_time(scene.lr0, scene.decay_rate)):
        run = ls.trace(
            surface,
            ls.optim.sgd(lr=rate),
            start,
            epochs=scene.epochs,
            batch_size=scene.batch_size,
            particles=scene.particles,
            seed=scene.seed,
        )
        spread.append(np.median(np.linalg.norm(run.final_positions - surface.minima[0], axis=1)))
    assert spread[1] < spread[0] / 3


def test_saddle_particles_leave_along_the_negative_curvature():
    """x² − y²: the Hessian diag(2, −2) pulls x in and pushes y out, so the cloud ends spread along y."""
    scene = get_scene("saddles").scene_class
    surface = ls.surfaces.get("saddle")
    assert np.allclose(np.abs(ls.analysis.classify(surface, [0.0, 0.0]).escape_direction), [0, 1])
    rng = np.random.default_rng(scene.seed)
    starts = np.column_stack(
        [1.6 + 0.1 * rng.standard_normal(scene.particles), 0.03 * rng.standard_normal(scene.particles)]
    )
    run = ls.trace(
        surface,
        ls.optim.sgd(lr=scene.lr),
        starts,
        steps=scene.steps,
        noise=ls.noise.gaussian(scene.noise),
        seed=scene.seed,
    )
    final = run.final_positions
    # x contracts by (1 - 2α) per step: 1.6 · 0.9^45 < 0.02, up to noise
    assert np.median(np.abs(final[:, 0])) < 0.1
    assert np.median(np.abs(final[:, 1])) > 1.0
    assert (final[:, 1] > 0).any() and (final[:, 1] < 0).any()  # both ways down


def test_plateau_crossing_heavy_ball_adam_fast_lecture_momentum_as_slow_as_gradient_descent():
    scene = get_scene("plateaus").scene_class
    surface = ls.surfaces.get("plateau_cliff")
    start = surface.default_start
    medians = {
        name: ls.analysis.escape_time(
            surface,
            optimizer,
            start,
            -start[0],
            steps=scene.horizon,
            particles=8,
            noise=ls.noise.gaussian(scene.noise),
            seed=scene.seed,
        ).median
        for name, optimizer in {
            "sgd": ls.optim.sgd(lr=scene.lr),
            "momentum": ls.optim.momentum(lr=scene.lr, beta=scene.beta),
            "heavy_ball": ls.optim.momentum(lr=scene.lr, beta=scene.beta, style="heavy_ball"),
            "adam": ls.optim.adam(lr=scene.adaptive_lr),
        }.items()
    }
    # The plateau's slope is 2a(x − 1) ≈ 0.05: gradient descent moves about α · 0.05 per step; the lecture's
    # momentum at most as fast (v → dW), the heavy ball up to 1/(1 − β) = 10 times faster.
    assert medians["sgd"] > 5 * medians["heavy_ball"] and medians["sgd"] > 5 * medians["adam"]
    assert 0.9 < medians["momentum"] / medians["sgd"] < 1.2


def test_the_network_s_minima_lie_below_its_saddles_and_its_path_near_its_pca_plane():
    """What the local-optima scene claims about its network, measured as the scene measures it."""
    scene = get_scene("local-optima-in-networks").scene_class
    net = ls.surfaces.mlp(
        layers=(2, scene.hidden, 1), activation="tanh", data="moons", m=scene.examples, lambd=scene.lambd
    )
    window = np.tile([-2.0, 2.0], (net.dim, 1))
    found = ls.analysis.index_vs_value(net, starts=scene.starts, seed=scene.seed, bounds=window)
    minima, saddles = found.values[found.kinds == "minimum"], found.values[found.kinds == "saddle"]
    assert len(saddles) > len(minima) >= 1
    assert minima.max() < saddles.min()  # no bad local minimum among those found
    run = ls.trace(
        net,
        ls.optim.adam(lr=scene.lr),
        net.init(1, scheme="xavier", seed=scene.seed),
        epochs=scene.epochs,
        batch_size=scene.batch_size,
        seed=scene.seed,
    )
    assert run.values[-1, 0] < 0.5 * run.values[0, 0]
    assert sum(ls.slices.pca_slice(net, run).how["explained_variance_ratio"]) > 0.9
    field = ls.critical_points(ls.surfaces.get("random_field", dim=2, seed=scene.field_seed))
    assert field.counts["minimum"] >= 5  # "full of local minima"
