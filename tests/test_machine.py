"""The process-wide helpers of ``landscape._machine``: the shared thread pool."""

import multiprocessing
import os
import threading
import time

import pytest

from landscape._machine import _current_cpu, _shared_pool, map_on_threads


def test_every_item_runs_once_on_at_most_the_threads_asked_for():
    seen, threads = [], set()

    def work(item):
        time.sleep(0.002)  # long enough for several threads to take part
        seen.append(item)
        threads.add(threading.get_ident())

    map_on_threads(work, range(40), 3)
    assert sorted(seen) == list(range(40))
    assert threading.get_ident() in threads and len(threads) <= 3
    threads.clear()
    map_on_threads(work, range(5), 1)
    assert threads == {threading.get_ident()}


def test_the_first_error_comes_back_after_every_thread_stopped():
    running = []

    def work(item):
        running.append(item)
        time.sleep(0.01)
        if item == 3:
            raise KeyError("item 3")
        running.remove(item)

    with pytest.raises(KeyError, match="item 3"):
        map_on_threads(work, range(8), 2)
    assert running == [3]  # every other call that started has returned


def test_a_call_from_inside_the_pool_runs_in_order_instead_of_waiting_for_it():
    inner = []
    map_on_threads(lambda item: map_on_threads(inner.append, [item, item], 2), range(6), 2)
    assert sorted(inner) == sorted(list(range(6)) * 2)


def _in_child(queue):
    out = []
    map_on_threads(out.append, range(10), 2)
    queue.put(sorted(out))


def test_a_forked_child_makes_its_own_pool():
    map_on_threads(lambda item: None, range(4), 2)  # the parent's pool exists
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_in_child, args=(queue,))
    child.start()
    assert queue.get(timeout=20) == list(range(10))
    child.join(timeout=20)
    assert child.exitcode == 0


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2, reason="needs 2 CPUs"
)
def test_apart_puts_the_threads_on_different_cpus_and_gives_their_cpus_back():
    cpus, affinities = {}, {}
    both_running = threading.Barrier(2, timeout=10)
    allowed = os.sched_getaffinity(0)

    def work(item):
        both_running.wait()  # each thread takes one item, and they run at the same time
        cpus[item] = _current_cpu()
        affinities[item] = os.sched_getaffinity(0)

    for _ in range(5):
        map_on_threads(work, range(2), 2, apart=True)
        assert cpus[0] != cpus[1]
        assert {len(a) for a in affinities.values()} == {1, len(allowed) - 1}
    assert os.sched_getaffinity(0) == allowed
    pool_threads = [t for t in threading.enumerate() if t.name.startswith("landscape")]
    assert pool_threads and all(os.sched_getaffinity(t.native_id) == allowed for t in pool_threads)


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2, reason="needs 2 CPUs"
)
@pytest.mark.parametrize("apart", [False, True])
def test_the_pool_threads_are_kept_off_the_callers_cpu_before_they_start_helping(apart):
    allowed = os.sched_getaffinity(0)
    map_on_threads(lambda item: None, range(2), 2)  # the pool has started its thread
    pool_threads = [t for t in threading.enumerate() if t.name.startswith("landscape")]
    release = threading.Event()
    busy = [_shared_pool(1)[0].submit(release.wait, 10) for _ in pool_threads]  # none can help yet
    seen = {}

    def work(item):
        if item == 0:  # the calling thread takes the first item: no pool thread is free
            seen["caller"] = _current_cpu()
            seen["pool"] = [os.sched_getaffinity(t.native_id) for t in pool_threads]
            release.set()

    map_on_threads(work, range(2), 2, apart=apart)
    assert all(future.result() for future in busy)
    # all but the CPU the caller ran on when it woke them (without apart, it may have moved since)
    assert all(a < allowed and len(a) == len(allowed) - 1 for a in seen["pool"])
    assert len({frozenset(a) for a in seen["pool"]}) == 1
    if apart:
        assert seen["pool"][0] == allowed - {seen["caller"]}
    assert all(os.sched_getaffinity(t.native_id) == allowed for t in pool_threads)


def test_without_apart_every_thread_runs_its_items_on_any_cpu():
    affinities = {}
    both_running = threading.Barrier(2, timeout=10)

    def work(item):
        both_running.wait()
        affinities[item] = os.sched_getaffinity(0)

    for _ in range(5):
        map_on_threads(work, range(2), 2)
        assert list(affinities.values()) == [os.sched_getaffinity(0)] * 2
