"""The mini-batch order is the one ``trace`` takes: its shuffle and partition, the last batch smaller."""

import numpy as np
import pytest

import landscape as ls


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_minibatch_order_is_what_trace_takes(engine):
    m, size, seed = 10, 4, 3
    surface = ls.surfaces.get("linear_regression", m=m, n=1, seed=1)
    run = ls.trace(
        surface,
        ls.optim.sgd(lr=0.1),
        surface.default_start,
        epochs=2,
        batch_size=size,
        particles=3,
        seed=seed,
        engine=engine,
    )
    per_epoch = run.config["steps_per_epoch"]
    assert per_epoch == 3  # 4 + 4 + 2: the last mini-batch holds what is left
    for particle in range(3):
        for epoch in (1, 2):
            order = ls.noise.minibatch_order(m, epoch=epoch, seed=seed, particle=particle)
            assert sorted(order.tolist()) == list(range(m))
            for t in range(per_epoch):
                step = (epoch - 1) * per_epoch + t
                batch = order[t * size : (t + 1) * size]
                x = run.positions[step, particle][None]
                value, _ = surface.batch_value_and_grad(x, batch[None])
                assert run.batch_values[step + 1, particle] == pytest.approx(float(value[0]), rel=1e-12)


def test_minibatch_order_differs_between_epochs_and_particles():
    first = ls.noise.minibatch_order(100, epoch=1, seed=0, particle=0)
    assert not np.array_equal(first, ls.noise.minibatch_order(100, epoch=2, seed=0, particle=0))
    assert not np.array_equal(first, ls.noise.minibatch_order(100, epoch=1, seed=0, particle=1))
    assert np.array_equal(first, ls.noise.minibatch_order(100, epoch=1, seed=0, particle=0))


def test_minibatch_order_refuses_epoch_zero():
    with pytest.raises(ValueError, match="epoch"):
        ls.noise.minibatch_order(10, epoch=0)
