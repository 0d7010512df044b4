"""The lecture's exponentially weighted averages and its worked numbers."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import landscape as ls
from landscape.ewa import CHUNK


def test_recursion_from_v0_equals_zero(rng):
    theta = rng.normal(50, 10, 40)
    v, expected = 0.0, []
    for value in theta:
        v = 0.9 * v + 0.1 * value
        expected.append(v)
    np.testing.assert_allclose(ls.ewa(theta, 0.9), expected, rtol=1e-13)


@given(
    length=st.integers(0, 3 * CHUNK + 5),
    beta=st.one_of(st.sampled_from([0.0, 0.5, 0.9, 0.98, 0.999]), st.floats(0.0, 0.9999)),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_average_is_the_recursion_across_chunks(length, beta, seed):
    """The recursion written out, over series shorter than a chunk and several chunks long."""
    theta = np.random.default_rng(seed).normal(50, 10, length)
    v, expected = 0.0, []
    for value in theta:
        v = beta * v + (1 - beta) * value
        expected.append(v)
    averages = ls.ewa(theta, beta)
    assert averages.shape == (length,)
    np.testing.assert_allclose(averages, expected, rtol=1e-13, atol=1e-12)


def test_lecture_start_up_with_beta_098():
    assert ls.ewa([1.0, 0.0], 0.98)[1] == pytest.approx(0.0196)  # weight of θ₁ in v₂
    assert ls.ewa([0.0, 1.0], 0.98)[1] == pytest.approx(0.02)  # weight of θ₂ in v₂
    assert 1 - 0.98**2 == pytest.approx(0.0396)
    theta = np.array([40.0, 49.0])
    corrected = ls.ewa(theta, 0.98, bias_correction=True)
    assert corrected[1] == pytest.approx((0.0196 * 40 + 0.02 * 49) / 0.0396)
    assert corrected[0] == pytest.approx(40.0)  # v₁/(1-β) = θ₁ exactly


def test_bias_correction_removes_the_start_up_bias():
    constant = np.full(30, 40.0)
    np.testing.assert_allclose(ls.ewa(constant, 0.98, bias_correction=True), 40.0)
    assert ls.ewa(constant, 0.98)[0] == pytest.approx(0.8)


@pytest.mark.parametrize(("beta", "days"), [(0.9, 10), (0.98, 50), (0.5, 2)])
def test_effective_window(beta, days):
    assert ls.effective_window(beta) == pytest.approx(days)


def test_v100_unrolled_weights():
    weights = ls.ewa_weights(0.9, 100)
    np.testing.assert_allclose(weights[:4], [0.1, 0.1 * 0.9, 0.1 * 0.9**2, 0.1 * 0.9**3])
    theta = np.random.default_rng(0).normal(size=100)
    assert ls.ewa(theta, 0.9)[-1] == pytest.approx(weights @ theta[::-1])
    assert weights.sum() == pytest.approx(1 - 0.9**100)
    assert 0.9**10 == pytest.approx(0.35, abs=0.01) and 0.98**50 == pytest.approx(1 / np.e, abs=0.01)


def test_london_temperature_series():
    f = ls.london_temperature()
    assert f.shape == (365,)
    np.testing.assert_array_equal(f, ls.london_temperature(seed=0))
    assert 30 < f[:20].mean() < 48 and 56 < f[170:200].mean() < 70
    np.testing.assert_allclose(ls.london_temperature(unit="C"), (f - 32) * 5 / 9)


@pytest.mark.parametrize("seed", [0, 7])
def test_london_temperature_has_the_lecture_s_days(seed):
    f = ls.london_temperature(seed=seed)
    assert [f[0], f[1], f[2], f[179], f[180]] == [40, 49, 45, 60, 56]  # θ₁, θ₂, θ₃, θ₁₈₀, θ₁₈₁ on the slide
    assert ls.london_temperature(days=2, seed=seed).tolist() == [40, 49]
    assert round(float(ls.london_temperature(seed=seed, unit="C")[0])) == 4  # 40 °F is 4 °C


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ls.ewa([1.0], beta=1.0), "beta=1.0"),
        (lambda: ls.ewa([[1.0]], beta=0.9), "1-D series"),
        (lambda: ls.ewa([1.0, np.inf], beta=0.9), "non-finite"),
        (lambda: ls.london_temperature(unit="K"), "unit='K'"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
