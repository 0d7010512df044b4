import numpy as np
import pytest

import landscape as ls

S = ls.schedules


def test_the_lectures_decay_table():
    rates = S.inverse_time(lr0=0.2, decay_rate=1.0)([1, 2, 3, 4])
    np.testing.assert_allclose(rates, [0.1, 0.2 / 3, 0.05, 0.04])
    assert np.round(rates, 3).tolist() == [0.1, 0.067, 0.05, 0.04]


@pytest.mark.parametrize(
    ("schedule", "formula"),
    [
        (S.constant(0.3), lambda e: 0.3 + 0 * e),
        (S.exponential(0.2, 0.95), lambda e: 0.95**e * 0.2),
        (S.inverse_sqrt(0.2, 0.5), lambda e: 0.5 / np.sqrt(e) * 0.2),
        (S.staircase(0.2, 0.5, 3), lambda e: 0.2 * 0.5 ** ((e - 1) // 3)),
        (
            S.cosine(0.2, 10, 0.02),
            lambda e: 0.02 + 0.18 * 0.5 * (1 + np.cos(np.pi * np.minimum(e - 1, 10) / 10)),
        ),
        (S.warmup(4, S.inverse_time(0.2, 1.0)), lambda e: 0.2 / (1 + e) * np.minimum(1, e / 4)),
    ],
)
def test_schedule_formulas(schedule, formula):
    epochs = np.arange(1, 25)
    np.testing.assert_allclose(schedule(epochs), formula(epochs.astype(float)), rtol=1e-15)
    assert isinstance(schedule(3), float)


def test_per_particle_schedules_give_epochs_by_particles():
    schedule = S.inverse_time(np.array([0.2, 0.4]), np.array([1.0, 0.0]))
    rates = schedule(np.arange(1, 4))
    assert rates.shape == (3, 2)
    np.testing.assert_allclose(rates[:, 1], 0.4)
    np.testing.assert_allclose(rates[:, 0], [0.1, 0.2 / 3, 0.05])


def test_registry_and_specs():
    assert S.names() == sorted(
        ["constant", "inverse_time", "exponential", "inverse_sqrt", "staircase", "cosine", "warmup"]
    )
    schedule = S.get("staircase", lr0=0.1, factor=0.1, every=2)
    assert S.from_spec(schedule.spec)(np.arange(1, 9)).tolist() == schedule(np.arange(1, 9)).tolist()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: S.inverse_time(0.0), "lr0=0.0"),
        (lambda: S.inverse_time(0.1, -1), "decay_rate=-1"),
        (lambda: S.exponential(0.1, 1.5), "base=1.5"),
        (lambda: S.staircase(every=0), "every=0"),
        (lambda: S.cosine(0.1, 10, final=0.5), "final=0.5"),
        (lambda: S.constant(0.1)(0), "epoch=0 .*epochs count from 1"),
        (lambda: S.get("linear"), "schedule='linear'"),
    ],
)
def test_bad_input(build, message):
    with pytest.raises(ValueError, match=message):
        build()
