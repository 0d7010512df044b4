"""The gallery's worker pool: every task is reported once, even when its worker dies."""

from gallery_support import crash_on_odd, garbage_thresholds, swallow_an_interrupt

from landscape._machine import YOUNG_COLLECTION_THRESHOLD
from landscape.gallery import _pool


def test_every_task_of_a_dying_worker_is_reported():
    """Forty workers die as they build; each of their tasks is reported as failed, none is lost.

    A worker caught between closing its pipe and being reaped used to be dropped with its task
    (in one run of 40 tasks out of three, before the fix).
    """
    results = dict(_pool.run(crash_on_odd, range(80), 2))
    assert sorted(results) == list(range(80))
    for task, result in results.items():
        if task % 2:
            assert not result["ok"] and "exited (status 3)" in result["error"]
        else:
            assert result == {"ok": True}


def test_a_worker_stops_on_an_interrupt_that_its_task_swallowed():
    """The interrupt ends the worker (status 130) rather than becoming the task's error."""
    [(task, result)] = _pool.run(swallow_an_interrupt, [0], 1)
    assert not result["ok"] and "exited (status 130)" in result["error"]


def test_a_worker_collects_garbage_as_the_command_does():
    [(task, result)] = _pool.run(garbage_thresholds, [0], 1)
    assert result["thresholds"][0] == YOUNG_COLLECTION_THRESHOLD
