import contextlib
import signal

import numpy as np
import pytest

# A shell starts a background job with Ctrl-C ignored, and every process it starts inherits
# that: the tests that press Ctrl-C on a command need it delivered, as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# Tests that share a costly fixture run in the same worker of `pytest -n` (`--dist loadgroup`):
# a scene's tests share its renders and its dry run; the gallery's share one quick build;
# every other module keeps its module-scoped fixtures in one worker.
SHARED_GALLERY_BUILD = {"test_gallery_browser", "test_gallery_incremental", "test_gallery_page"}


def _group(item) -> str:
    module = item.module.__name__.rpartition(".")[2]
    scene = getattr(getattr(item, "callspec", None), "params", {}).get("name")
    if item.path.parent.name == "scenes" and isinstance(scene, str):
        return f"scene-{scene}"
    if module in SHARED_GALLERY_BUILD:
        return "gallery-build"
    return str(item.path)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(_group(item)))


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
def rng():
    return np.random.default_rng(12345)
