"""Metrics per run and their spread over seeds, against plain numpy and hand-made trajectories."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscape as ls
from landscape.sweeping._metrics import over_seeds, quantile_of_sorted, run_metrics


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=9),
    st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
)
def test_quantiles_of_finite_values_equal_numpy(values, q):
    table = np.sort(np.array(values))[None]
    np.testing.assert_allclose(quantile_of_sorted(table, q), [np.quantile(values, q)], rtol=1e-12, atol=1e-9)


def test_quantiles_keep_infinity_as_a_value():
    table = np.sort(np.array([[1.0, np.inf, np.inf, 2.0], [np.inf] * 4, [1.0, 2.0, 3.0, np.inf]]), axis=1)
    # median of 4 values: halfway between the 2nd and 3rd; q25 at 0.75 of the way from the 1st to the 2nd
    assert quantile_of_sorted(table, 0.5).tolist() == [np.inf, np.inf, 2.5]
    assert quantile_of_sorted(table, 0.25).tolist() == [1.75, np.inf, 1.75]
    assert quantile_of_sorted(table, 0.75).tolist() == [np.inf, np.inf, np.inf]


def _trajectory(values, diverged_step, steps=None):
    values = np.asarray(values, dtype=float)
    r, k = values.shape
    return ls.Trajectory(
        positions=np.zeros((r, k, 2)),
        values=values,
        grad_norms=np.zeros((r, k)),
        steps=np.arange(r) * 10 if steps is None else np.asarray(steps),
        diverged_step=np.asarray(diverged_step),
        config={},
    )


def test_run_metrics_of_a_hand_made_trajectory():
    # three particles recorded every 10 steps; f* = 1, tol = 0.5
    values = [[5.0, 4.0, 9.0], [3.0, 1.4, 8.0], [1.2, 1.6, 7.0], [1.3, 1.1, 7.0]]
    metrics = run_metrics(_trajectory(values, [-1, -1, 20]), optimum=1.0, tol=0.5)
    assert metrics["final_value"].tolist() == [1.3, 1.1, np.inf]
    assert metrics["best_value"].tolist() == [1.2, 1.1, 7.0]
    assert metrics["steps_to_tol"].tolist() == [20.0, 10.0, np.inf]
    assert metrics["reached"].tolist() == [1.0, 1.0, 0.0]
    assert metrics["diverged"].tolist() == [0.0, 0.0, 1.0]


def test_without_a_known_minimum_steps_to_tol_is_undefined():
    metrics = run_metrics(_trajectory([[1.0, 2.0], [0.5, 0.1]], [-1, -1]), optimum=np.nan, tol=1.0)
    assert np.isnan(metrics["steps_to_tol"]).all() and np.isnan(metrics["reached"]).all()


def test_spread_over_seeds_is_taken_per_configuration():
    per_run = {
        "final_value": np.array([1.0, 3.0, 2.0, 10.0, np.inf, 20.0]),
        "best_value": np.array([1.0, 2.0, 2.0, 5.0, 6.0, 7.0]),
        "steps_to_tol": np.array([10.0, np.inf, 30.0, np.inf, np.inf, np.inf]),
        "reached": np.array([1.0, 0.0, 1.0, 0.0, 0.0, 0.0]),
        "diverged": np.array([0.0, 0.0, 0.0, 0.0, 1.0, 0.0]),
    }
    columns = over_seeds(per_run, seeds=3)
    assert columns["final_value_median"].tolist() == [2.0, 20.0]
    assert columns["final_value_q25"].tolist() == [1.5, 15.0]
    assert columns["final_value_q75"].tolist() == [2.5, np.inf]
    assert columns["steps_to_tol_median"].tolist() == [30.0, np.inf]
    assert columns["reached_fraction"].tolist() == pytest.approx([2 / 3, 0.0])
    assert columns["diverged_fraction"].tolist() == pytest.approx([0.0, 1 / 3])
