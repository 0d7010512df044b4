"""Splitting a scene's animations into ranges for --jobs, and how many processes a render uses by default."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landscape.rendering._jobs import split


@given(st.lists(st.integers(0, 500), min_size=1, max_size=40), st.integers(1, 8))
def test_ranges_cover_every_animation_once_in_order(costs, jobs):
    ranges = split(costs, jobs)
    assert 1 <= len(ranges) <= min(jobs, len(costs))
    assert ranges[0][0] == 0 and ranges[-1][1] == len(costs) - 1
    assert all(first <= last for first, last in ranges)
    assert all(ranges[i][1] + 1 == ranges[i + 1][0] for i in range(len(ranges) - 1))


@given(st.lists(st.integers(1, 50), min_size=8, max_size=40))
def test_no_range_costs_more_than_an_even_share_plus_one_animation(costs):
    for jobs in (2, 3, 4):
        heaviest = max(sum(costs[first : last + 1]) for first, last in split(costs, jobs))
        assert heaviest <= sum(costs) / jobs + 2 * max(costs)


def test_examples():
    assert split([30, 30, 30, 30], 2) == [(0, 1), (2, 3)]
    assert split([100, 10, 10, 10, 10, 10], 2) == [(0, 0), (1, 5)]
    assert split([5, 5, 5], 8) == [(0, 0), (1, 1), (2, 2)]
    assert split([5], 2) == [(0, 0)]


@pytest.mark.parametrize(
    ("cores", "load", "frames", "expected"),
    [
        (2, 0.0, 100_000, 1),  # one render already keeps two cores busy
        (8, 0.0, None, 4),
        (8, 0.0, 100_000, 4),
        (8, 0.0, 900, 3),  # each process needs 300 frames to pay for its start and construction
        (8, 0.0, 200, 1),
        (8, 6.0, 100_000, 1),  # a busy machine leaves two cores
        (16, 3.4, 100_000, 6),
    ],
)
def test_auto_jobs_counts_free_cores_two_per_render_and_the_frames(
    monkeypatch, cores, load, frames, expected
):
    from landscape.rendering import _jobs

    monkeypatch.setattr(_jobs, "usable_cores", lambda: cores)
    monkeypatch.setattr(_jobs.os, "getloadavg", lambda: (load, load, load))
    assert _jobs.auto_jobs(frames) == expected
