"""Looking at figures: render to pixels and count the pixels of a colour."""

import numpy as np
import pytest


def _pixels(fig) -> np.ndarray:
    """The figure rendered by Agg, as an ``(H, W, 3)`` uint8 array."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def _count_color(image: np.ndarray, color: str, tolerance: float = 40.0) -> int:
    """How many pixels lie within ``tolerance`` (RGB distance) of ``color``."""
    from matplotlib.colors import to_rgb

    target = np.array(to_rgb(color)) * 255
    return int((np.linalg.norm(image.astype(float) - target, axis=-1) < tolerance).sum())


@pytest.fixture
def pixels():
    return _pixels


@pytest.fixture
def count_color():
    return _count_color


@pytest.fixture(autouse=True)
def _no_global_matplotlib_state():
    """Every figure function leaves rcParams alone and never opens pyplot figures."""
    import matplotlib

    before = dict(matplotlib.rcParams)
    yield
    import sys

    assert dict(matplotlib.rcParams) == before
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == []
