import signal

import numpy as np
import pytest

# A shell starts a background job with Ctrl-C ignored, and every process it starts inherits
# that: the tests that press Ctrl-C on a command need it delivered, as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
