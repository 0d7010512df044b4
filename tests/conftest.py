import contextlib
import fcntl
import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest

from landscape._machine import collect_garbage_less_often

# The test processes collect garbage as the command's processes do: with Python's thresholds, full
# collections of a worker's large heap took about 8 s of a run's CPU.
collect_garbage_less_often()

# A shell starts a background job with Ctrl-C ignored, and every process it starts inherits
# that: the tests that press Ctrl-C on a command need it delivered, as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

CHECKOUT = Path(__file__).resolve().parents[1]
TEST_CACHES = {".hypothesis", ".pytest_cache"}  # what running the tests may add to the checkout

ANSWER_SECONDS = 2.0  # the bound on answering bad input (a watchdog, not a measurement)


class NoAnswerInTime(BaseException):
    """Raised by the watchdog in a block still running after its bound (no code under test catches it)."""


@contextlib.contextmanager
def _answers_within(seconds=ANSWER_SECONDS):
    def expire(signum, frame):
        raise NoAnswerInTime(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(autouse=True)
def nothing_is_left_in_the_checkout():
    """Tests write into temporary folders: a file or folder a test leaves at the top of the
    checkout (Manim's ``media/`` of a formula typeset outside a render, say) fails it."""
    before = set(os.listdir(CHECKOUT))
    yield
    left = sorted(set(os.listdir(CHECKOUT)) - before - TEST_CACHES)
    assert not left, f"the test left {left} in the checkout"


@pytest.fixture
def answers_within():
    """``with answers_within():`` -- the block is interrupted if it runs past ANSWER_SECONDS."""
    return _answers_within


@pytest.fixture
def traced(monkeypatch):
    """The names of the surfaces traced on either engine during the test, in order."""
    from landscape.tracing import _trace

    names = []
    for engine in (_trace._numba_engine, _trace._numpy_engine):

        def spy(problem, *args, run=engine.run, **kwargs):
            names.append(problem.surface.name)
            return run(problem, *args, **kwargs)

        monkeypatch.setattr(engine, "run", spy)
    return names


def _send_ctrl_c() -> None:
    """A real Ctrl-C to this process, handled here: Python runs the handler between bytecodes."""
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(1000):
        pass


@pytest.fixture
def send_ctrl_c():
    """``send_ctrl_c()``: a real Ctrl-C to this process, received where it is called."""
    return _send_ctrl_c


@pytest.fixture
def ctrl_c_as_an_npz_entry_opens(monkeypatch):
    """``arm(when)``: a real Ctrl-C reaches this process as numpy's zip writer opens an ``.npz``
    entry for which ``when()`` is true, the moment zipfile's clean-up is most fragile."""
    import zipfile

    real = zipfile._get_compressor

    def arm(when):
        def compressor(*args, **kwargs):
            if when():
                _send_ctrl_c()
            return real(*args, **kwargs)

        monkeypatch.setattr(zipfile, "_get_compressor", compressor)

    return arm


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(scope="session")
def made_once(tmp_path_factory, pytestconfig):
    """``made_once(key, make, save, load)``: what ``make()`` gives, made by one worker of the session.

    Under ``pytest -n`` each worker keeps its own session fixtures, and a
    slow one that tests on both workers ask for was made twice. The first
    worker to ask runs ``make()`` and writes ``save(result)`` (JSON-ready) to
    the session's common temporary folder, under a lock that the others wait
    for; they return ``load(saved)``. Without workers it is ``make()``. The
    folder is named by the run's id, so a ``--basetemp`` kept from an earlier
    run hands out nothing of that run.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return lambda key, make, save, load: make()
    run = pytestconfig.workerinput["testrunuid"]
    folder = tmp_path_factory.getbasetemp().parent / f"made-once-{run}"
    folder.mkdir(exist_ok=True)

    def once(key, make, save, load):
        path = folder / f"{key}.json"
        with open(folder / f"{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if path.exists():
                return load(json.loads(path.read_text()))
            made = make()
            partial = path.with_suffix(".partial")
            partial.write_text(json.dumps(save(made)))
            partial.replace(path)
            return made

    return once
