import contextlib
import signal

import numpy as np
import pytest

# A shell starts a background job with Ctrl-C ignored, and every process it starts inherits
# that: the tests that press Ctrl-C on a command need it delivered, as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

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


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
