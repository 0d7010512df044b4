"""index_vs_value: critical points of a random landscape, the Dauphin et al. trend."""

import numpy as np
import pytest

import landscape as ls


@pytest.fixture(scope="module")
def result():
    s = ls.surfaces.get("random_field", dim=12, confinement=0.01, seed=3)
    return s, ls.analysis.index_vs_value(s, starts=256, seed=1)


def test_points_are_critical_and_their_indices_are_counted(result):
    s, r = result
    n = len(r.values)
    assert n > 50 and r.positions.shape == (n, 12) and r.dim == 12 and r.starts == 256
    assert np.all(np.linalg.norm(s.grad(r.positions), axis=1) < 1e-8)
    np.testing.assert_allclose(r.values, s.value(r.positions))
    assert np.all(np.diff(r.values) >= 0)
    eigenvalues = np.linalg.eigvalsh(s.hessian(r.positions))
    np.testing.assert_array_equal(r.indices, (eigenvalues < 0).sum(axis=1))
    np.testing.assert_allclose(r.index_fraction, r.indices / 12)
    np.testing.assert_array_equal(r.kinds == "minimum", r.indices == 0)
    gaps = np.linalg.norm(r.positions[:, None] - r.positions[None], axis=-1) + np.eye(n)
    assert gaps.min() > 1e-6  # deduplicated


def test_index_rises_with_loss_and_low_points_are_minima(result):
    _, r = result
    assert r.correlation > 0.8
    centers, mean, stderr, counts = r.binned(4)
    assert np.all(np.diff(centers) > 0) and counts.sum() == len(r.values)
    assert mean[0] < 0.05 and mean[-1] > 0.3
    lowest = r.kinds[: len(r.kinds) // 4]
    assert np.mean(lowest == "minimum") > 0.75
    assert np.all(np.diff(mean) > -2 * stderr[1:])  # non-decreasing within noise
    assert "IndexVsValue(dim=12" in repr(r)


def test_uniform_starts_alone_find_mostly_high_saddles():
    s = ls.surfaces.get("random_field", dim=12, confinement=0.01, seed=3)
    r = ls.analysis.index_vs_value(s, starts=64, descent_fraction=0.0)
    assert np.mean(r.index_fraction) > 0.25


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"starts": 0}, "starts=0"),
        ({"descent_fraction": 1.5}, "descent_fraction=1.5"),
        ({"lr": -1.0}, "lr=-1"),
        ({"descent_steps": 0}, "descent_steps=0"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ls.analysis.index_vs_value("random_field", **kwargs)
