"""escape_time: leaving a saddle and crossing a plateau, against closed forms."""

import math
import warnings

import numpy as np
import pytest

import landscape as ls


def test_gradient_descent_leaves_the_saddle_when_the_closed_form_says():
    # on x² − y², GD multiplies y by (1 + 2α) per step: from (0, ε) it leaves radius r at
    # the first t with ε (1 + 2α)^t > r
    alpha, radius = 0.05, 0.5
    eps = np.array([1e-6, 3e-5, 7e-4, 2e-2, 0.3])
    starts = np.stack([np.zeros_like(eps), eps], axis=1)
    e = ls.analysis.escape_time("saddle", ls.optim.sgd(lr=alpha), starts, radius, steps=300, center=[0, 0])
    expected = np.floor(np.log(radius / eps) / math.log(1 + 2 * alpha)).astype(int) + 1
    np.testing.assert_array_equal(e.steps, expected)
    assert e.escaped == 1.0 and e.particles == 5 and e.horizon == 300


def test_noise_is_needed_to_leave_a_saddle_from_its_centre():
    opt = ls.optim.sgd(lr=0.05)
    still = ls.analysis.escape_time("saddle", opt, [0.0, 0.0], 0.5, steps=100, particles=16)
    assert np.all(still.steps == -1) and still.escaped == 0.0 and still.median == math.inf
    noisy = ls.analysis.escape_time(
        "saddle", opt, [0.0, 0.0], 0.5, steps=300, particles=256, noise=ls.noise.gaussian(1e-3), seed=4
    )
    assert noisy.escaped == 1.0
    assert np.ptp(noisy.steps) > 5  # a distribution, not one number
    # noise of size σ gives an offset of about ασ: escape near log(r / (ασ)) / log(1 + 2α) steps
    guess = math.log(0.5 / (0.05 * 1e-3)) / math.log(1.1)
    assert 0.5 * guess < noisy.median < 1.2 * guess
    again = ls.analysis.escape_time(
        "saddle", opt, [0.0, 0.0], 0.5, steps=300, particles=256, noise=ls.noise.gaussian(1e-3), seed=4
    )
    np.testing.assert_array_equal(again.steps, noisy.steps)
    assert noisy.survival(0) == 1.0 and noisy.survival(300) == 0.0
    np.testing.assert_allclose(noisy.survival([0, noisy.median]), [1.0, np.mean(noisy.steps > noisy.median)])


def test_adaptive_steps_cross_the_plateau_that_stalls_gradient_descent():
    s = ls.surfaces.get("plateau_cliff")
    start, radius = [-3.5, 1.5], 3.5  # the ball around the start reaches the cliff at x = 0
    sgd = ls.analysis.escape_time(s, ls.optim.sgd(lr=0.1), start, radius, steps=400, particles=4)
    adam = ls.analysis.escape_time(s, ls.optim.adam(lr=0.1), start, radius, steps=400, particles=4)
    assert sgd.escaped == 0.0 and adam.escaped == 1.0 and adam.median < 100
    assert np.isnan(sgd.mean_escaped) and adam.mean_escaped == adam.median
    assert "EscapeTimes(particles=4" in repr(adam)


def test_a_diverging_particle_has_escaped():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # divergence is escape here, not a warning
        e = ls.analysis.escape_time(
            ls.surfaces.get("elongated_bowl", kappa=10.0), ls.optim.sgd(lr=0.3), [1.0, 1.0], 1e9, steps=200
        )
    assert e.steps[0] > 0


def test_record_every_coarsens_the_steps():
    e = ls.analysis.escape_time("saddle", ls.optim.sgd(lr=0.05), [0.0, 1e-3], 0.5, steps=100, record_every=10)
    assert e.steps[0] % 10 == 0 and e.resolution == 10
    assert 0 <= e.steps[0] - (math.floor(math.log(500) / math.log(1.1)) + 1) < 10


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"radius": 0.0}, "radius=0"), ({"steps": 0}, "steps=0"), ({"center": [0.0]}, "center=")],
)
def test_bad_input(kwargs, match):
    args = {"radius": 0.5, "steps": 10} | kwargs
    with pytest.raises(ValueError, match=match):
        ls.analysis.escape_time("saddle", ls.optim.sgd(lr=0.1), [0.0, 0.1], args.pop("radius"), **args)
