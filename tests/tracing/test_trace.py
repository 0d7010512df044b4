"""The tracer against hand-written loops, and its guarantees."""

import warnings

import numpy as np
import pytest
from scipy import stats

import landscape as ls


@pytest.fixture
def bowl():
    return ls.surfaces.get("elongated_bowl", kappa=10.0)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_adam_on_rosenbrock_matches_a_hand_written_loop(engine):
    s = ls.surfaces.get("rosenbrock")
    x0 = s.sample(5, seed=1)
    traj = ls.trace(s, ls.optim.adam(0.02), x0, steps=50, engine=engine)
    x, v, sq = x0.copy(), np.zeros_like(x0), np.zeros_like(x0)
    for t in range(1, 51):
        a, b = x[:, 0], x[:, 1]
        dw = np.stack([-2 * (1 - a) - 400 * a * (b - a**2), 200 * (b - a**2)], -1)
        v = 0.9 * v + 0.1 * dw
        sq = 0.999 * sq + 0.001 * dw**2
        x = x - 0.02 * (v / (1 - 0.9**t)) / (np.sqrt(sq / (1 - 0.999**t)) + 1e-8)
        # the compiled engine fuses multiply-adds: agreement to rounding, also near zero
        np.testing.assert_allclose(traj.positions[t], x, rtol=1e-12, atol=1e-14)
    assert traj.positions.shape == (51, 5, 2) and traj.values.shape == (51, 5)
    np.testing.assert_allclose(traj.values, s.value(traj.positions))
    np.testing.assert_allclose(traj.grad_norms, np.linalg.norm(s.grad(traj.positions), axis=-1))


def test_one_point_is_copied_to_every_particle(bowl):
    traj = ls.trace(bowl, ls.optim.sgd(0.1), [1.0, 1.0], steps=3, particles=4)
    assert traj.positions.shape == (4, 4, 2)
    assert np.all(traj.positions == traj.positions[:, :1])
    assert traj.config["x0"] == [1.0, 1.0] and traj.config["particles"] == 4


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_the_starting_points_are_read_not_written(bowl, engine):
    """A float64 array is used as given, so no engine may write to it; a read-only one runs too."""
    x0 = bowl.sample(300, seed=2)
    kept = x0.copy()
    run = ls.trace(bowl, ls.optim.adam(0.1), x0, steps=20, engine=engine)
    np.testing.assert_array_equal(x0, kept)
    x0.flags.writeable = False
    again = ls.trace(bowl, ls.optim.adam(0.1), x0, steps=20, engine=engine)
    np.testing.assert_array_equal(again.positions, run.positions)


def test_per_particle_grid_equals_separate_runs(bowl):
    lrs = np.array([0.01, 0.05, 0.15])
    together = ls.trace(bowl, ls.optim.momentum(lrs, beta=0.8), bowl.default_start, steps=40, particles=3)
    for k, lr in enumerate(lrs):
        alone = ls.trace(bowl, ls.optim.momentum(lr, beta=0.8), bowl.default_start, steps=40)
        np.testing.assert_array_equal(together.positions[:, k], alone.positions[:, 0])
    assert together.learning_rates.shape == (41, 3)


def test_same_seed_is_bit_identical_and_streams_ignore_the_ensemble_size(bowl):
    noise = ls.noise.gaussian(0.3)

    def run(k, seed=0):
        return ls.trace(
            bowl, ls.optim.adam(0.05), bowl.default_start, steps=30, particles=k, noise=noise, seed=seed
        )

    a, b, big = run(4), run(4), run(50)
    np.testing.assert_array_equal(a.positions, b.positions)
    np.testing.assert_array_equal(a.positions, big.positions[:, :4])
    assert not np.array_equal(a.positions, run(4, seed=1).positions)


def test_minibatch_streams_ignore_the_ensemble_size():
    s = ls.surfaces.get("logistic_regression", m=300)

    def run(k):
        return ls.trace(s, ls.optim.sgd(0.5), s.default_start, epochs=2, batch_size=32, particles=k)

    np.testing.assert_array_equal(run(3).positions, run(17).positions[:, :3])


def test_gaussian_noise_has_the_requested_spread(bowl):
    traj = ls.trace(
        bowl, ls.optim.sgd(1.0), [0.0, 0.0], steps=1, particles=20_000, noise=ls.noise.gaussian(0.7)
    )
    moved = traj.positions[1] / -0.7  # gradient 0 at the minimum: the step is -lr * sigma * xi
    assert stats.kstest(moved.ravel(), "norm").pvalue > 0.01


def test_minibatch_noise_variance_has_the_finite_population_factor(bowl):
    m, b, scale = 100, 10, 2.0
    noise = ls.noise.minibatch(b, m, scale)
    assert noise.std == pytest.approx(scale * np.sqrt((m - b) / (b * (m - 1))))
    assert noise.steps_per_epoch == 10
    assert ls.noise.minibatch(m, m, scale).std == 0.0
    traj = ls.trace(bowl, ls.optim.sgd(1.0), [0.0, 0.0], steps=1, particles=20_000, noise=noise)
    assert np.std(traj.positions[1]) == pytest.approx(noise.std, rel=0.02)


def test_full_batch_noise_model_is_noise_free(bowl):
    quiet = ls.trace(bowl, ls.optim.sgd(0.1), bowl.default_start, steps=20)
    full = ls.trace(bowl, ls.optim.sgd(0.1), bowl.default_start, steps=20, noise=ls.noise.minibatch(50, 50))
    np.testing.assert_array_equal(quiet.positions, full.positions)


def test_batch_size_m_is_batch_gradient_descent_exactly():
    s = ls.surfaces.get("linear_regression", m=200, n=2)
    opt = ls.optim.momentum(0.1, 0.9)
    batch = ls.trace(s, opt, s.default_start, steps=30, particles=2)
    full = ls.trace(s, opt, s.default_start, steps=30, particles=2, batch_size=200)
    np.testing.assert_array_equal(batch.positions, full.positions)
    # the mini-batch cost of update t is the full cost at the position it started from
    np.testing.assert_array_equal(full.batch_values[1:], full.values[:-1])


def test_minibatch_steps_follow_the_epochs_and_the_last_partial_batch():
    s = ls.surfaces.get("linear_regression", m=10, n=1)
    traj = ls.trace(s, ls.optim.sgd(0.1), s.default_start, epochs=2, batch_size=4, particles=3)
    assert traj.config["steps_per_epoch"] == 3 and traj.config["steps"] == 6


def test_one_epoch_of_sgd_visits_every_example_once():
    """With a constant gradient per example (features 0, lr 1), the bias walks through the targets."""
    s = ls.surfaces.get("linear_regression", m=12, n=1, feature_scale=1e-300)
    b0 = 0.0
    traj = ls.trace(s, ls.optim.sgd(1e-3), [0.0, b0], epochs=1, batch_size=1, particles=5)
    # d/db of ½(b - y_i)² at b≈0 is b - y_i; each step subtracts lr * (b - y_i)
    steps = -np.diff(traj.positions[:, :, 1], axis=0) / 1e-3 - traj.positions[:-1, :, 1]
    visited = np.sort(-steps, axis=0)
    np.testing.assert_allclose(visited, np.sort(s.targets)[:, None] * np.ones(5), rtol=1e-9)


def test_schedules_change_once_per_epoch():
    s = ls.surfaces.get("logistic_regression", m=64)
    traj = ls.trace(
        s,
        ls.optim.sgd(ls.schedules.inverse_time(0.2, 1.0)),
        s.default_start,
        epochs=4,
        batch_size=16,
    )
    rates = traj.learning_rates[1:]  # the update that produced steps 1..16
    np.testing.assert_allclose(rates, np.repeat([0.1, 0.2 / 3, 0.05, 0.04], 4))


def test_record_every_keeps_a_subset_and_the_last_step(bowl):
    full = ls.trace(
        bowl,
        ls.optim.adam(0.1),
        bowl.default_start,
        steps=23,
        particles=2,
        noise=ls.noise.gaussian(0.1),
    )
    sparse = ls.trace(
        bowl,
        ls.optim.adam(0.1),
        bowl.default_start,
        steps=23,
        particles=2,
        noise=ls.noise.gaussian(0.1),
        record_every=5,
    )
    assert sparse.steps.tolist() == [0, 5, 10, 15, 20, 23]
    np.testing.assert_array_equal(sparse.positions, full.positions[sparse.steps])
    np.testing.assert_array_equal(sparse.values, full.values[sparse.steps])


def test_float32_runs_in_float32_and_stays_close(bowl):
    single = ls.trace(bowl, ls.optim.rmsprop(0.05), bowl.default_start, steps=100, dtype=np.float32)
    double = ls.trace(bowl, ls.optim.rmsprop(0.05), bowl.default_start, steps=100)
    assert single.positions.dtype == np.float32 and single.values.dtype == np.float32
    np.testing.assert_allclose(single.positions, double.positions, atol=1e-4)


def test_divergence_is_flagged_at_the_analytic_step_and_frozen():
    """GD with α λ = 2.5 on f = ½ λ x² multiplies x by -1.5 each step."""
    s = ls.surfaces.get("elongated_bowl", kappa=1.0)
    radius = 100.0
    with pytest.warns(ls.DivergenceWarning, match="3 of 3 particles diverged") as caught:
        traj = ls.trace(s, ls.optim.sgd(2.5), [1.0, 0.0], steps=30, particles=3, divergence_radius=radius)
    assert len(caught) == 1
    expected = int(np.ceil(np.log(radius) / np.log(1.5)))  # first t with 1.5^t > radius
    assert traj.diverged.all() and np.all(traj.diverged_step == expected)
    assert np.all(np.isfinite(traj.values)) and np.all(np.isfinite(traj.positions))
    np.testing.assert_array_equal(
        traj.positions[expected:],
        np.broadcast_to(traj.positions[expected - 1], traj.positions[expected:].shape),
    )


def test_non_finite_gradients_count_as_divergence():
    s = ls.surfaces.from_functions(lambda p: np.sqrt(p[..., 0]) + p[..., 1] ** 2, bounds=[[0, 4], [-1, 1]])
    with pytest.warns(ls.DivergenceWarning):
        traj = ls.trace(s, ls.optim.sgd(1.0), [[1.0, 0.5], [3.0, 0.5]], steps=3)
    # particle 0: x = 1 -> 0.5 -> 0.5 - 1/(2 sqrt 0.5) < 0, where f is undefined: diverged at step 2
    assert traj.diverged_step.tolist() == [2, -1]
    assert np.all(np.isfinite(traj.values))
    np.testing.assert_allclose(traj.positions[1:, 0], [[0.5, -0.5]] * 3, rtol=1e-9)
    with pytest.raises(ValueError, match="x0: the gradient or value is not finite"):
        ls.trace(s, ls.optim.sgd(1.0), [-1.0, 0.0], steps=3)


def test_healthy_runs_do_not_warn(bowl):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = ls.trace(bowl, ls.optim.sgd(0.1), bowl.default_start, steps=50, particles=10)
    assert not traj.diverged.any() and np.all(traj.diverged_step == -1)


def test_custom_transformations_run_on_the_numpy_engine(bowl):
    def sign_descent(lr):
        def update(updates, state, params=None, *, epoch=None):
            return -lr * np.sign(updates), state

        return ls.optim.GradientTransformation(lambda p: (), update)

    traj = ls.trace(bowl, sign_descent(0.01), [1.0, 1.0], steps=10)
    np.testing.assert_allclose(traj.positions[-1], [[0.9, 0.9]])
    assert traj.learning_rates is None and traj.config["engine"] == "numpy"


def test_surface_can_be_given_by_name():
    traj = ls.trace("himmelblau", ls.optim.sgd(0.01), [0.0, 0.0], steps=5)
    assert traj.config["surface"] == {"name": "himmelblau", "params": {}}


def test_particle_ids_rerun_part_of_an_ensemble_with_its_own_draws(bowl):
    noise = ls.noise.gaussian(0.3)
    x0 = bowl.sample(8, seed=2)
    whole = ls.trace(bowl, ls.optim.adam(0.05), x0, steps=25, noise=noise, seed=4)
    ids = np.array([6, 1, 1])
    part = ls.trace(bowl, ls.optim.adam(0.05), x0[ids], steps=25, noise=noise, seed=4, particle_ids=ids)
    np.testing.assert_array_equal(part.positions, whole.positions[:, ids])
    assert part.config["particle_ids"] == [6, 1, 1] and whole.config["particle_ids"] is None

    s = ls.surfaces.get("linear_regression", m=50)
    starts = s.sample(5, seed=0)

    def run(x, **kwargs):
        return ls.trace(s, ls.optim.sgd(0.1), x, epochs=2, batch_size=8, seed=1, **kwargs).positions

    np.testing.assert_array_equal(run(starts[[4, 2]], particle_ids=[4, 2]), run(starts)[:, [4, 2]])


@pytest.mark.parametrize("ids", [[0, 1], [0, -1, 2], [0.0, 1.0, 2.0], [True, False, True], [[0, 1, 2]]])
def test_particle_ids_are_checked(bowl, ids):
    with pytest.raises(ValueError, match=r"particle_ids=.*3 integers >= 0"):
        ls.trace(bowl, ls.optim.sgd(0.1), [1.0, 1.0], steps=2, particles=3, particle_ids=ids)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x0": [1.0, 2.0, 3.0]}, r"x0 has shape \(3,\); expected a point of shape \(2,\)"),
        ({"x0": [[np.nan, 0.0]]}, "x0=.*non-finite"),
        ({"x0": [[0.0, 0.0]] * 3, "particles": 2}, "particles=2 .*None or 3"),
        ({"particles": 0}, "particles=0"),
        ({"steps": -1}, "steps=-1"),
        ({"steps": 10, "epochs": 2}, "exactly one of steps= or epochs="),
        ({"steps": 2.5}, "steps=2.5"),
        ({"seed": -3}, "seed=-3"),
        ({"record_every": 0}, "record_every=0"),
        ({"dtype": np.int32}, "dtype="),
        ({"engine": "gpu"}, "engine='gpu'"),
        ({"batch_size": 8}, "batch_size=8 .*surface without a data set"),
        ({"noise": 0.1}, "noise=0.1"),
        ({"optimizer": "adam"}, "optimizer='adam'"),
        (
            {"optimizer": ls.optim.sgd(np.array([0.1, 0.2])), "particles": 3},
            "lr=.*one value per particle \\(3 values\\)",
        ),
        ({"noise": ls.noise.gaussian(np.array([0.1, 0.2])), "particles": 3}, "sigma=.*3 values"),
        ({"x0": [1e9, 0.0]}, "x0=.*divergence radius"),
        ({"particles": 10**6, "steps": 10**6}, "steps=1000000 .*fewer steps or a larger record_every.*TiB"),
    ],
)
def test_bad_input_names_the_parameter(bowl, kwargs, message):
    arguments = {"optimizer": ls.optim.sgd(0.1), "x0": [1.0, 1.0], "steps": 5} | kwargs
    with pytest.raises(ValueError, match=message):
        ls.trace(bowl, arguments.pop("optimizer"), arguments.pop("x0"), **arguments)


def test_batch_size_is_checked_against_the_data_set():
    s = ls.surfaces.get("linear_regression", m=20)
    with pytest.raises(ValueError, match="batch_size=21 .*between 1 and m=20"):
        ls.trace(s, ls.optim.sgd(0.1), s.default_start, steps=2, batch_size=21)
    with pytest.raises(ValueError, match="noise="):
        ls.trace(
            s,
            ls.optim.sgd(0.1),
            s.default_start,
            steps=2,
            batch_size=5,
            noise=ls.noise.minibatch(5, 20),
        )
