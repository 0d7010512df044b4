"""Real Dask clusters on loopback for the sweep tests, and a check that none outlives its test."""

import pytest
from sweep_clusters import children, local_cluster, wait_until_gone


@pytest.fixture(scope="module")
def two_workers():
    """A client of a two-worker cluster, shared by the tests of one module."""
    with local_cluster(2) as client:
        yield client


@pytest.fixture
def no_stray_processes():
    """Fail a test that leaves processes of its own behind (clusters, workers, commands)."""
    before = children()
    yield
    assert not wait_until_gone(children() - before), "processes outlived the test"
