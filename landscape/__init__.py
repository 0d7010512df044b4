"""landscape: see and measure how optimizers move over loss surfaces.

>>> import landscape as ls
>>> s = ls.surfaces.get("elongated_bowl", kappa=25)
>>> traj = ls.trace(s, ls.optim.momentum(lr=0.05, beta=0.9), s.default_start, steps=200)
"""

__version__ = "0.1.0"

from . import noise, optim, schedules, specs, surfaces  # noqa: E402
from .ewa import effective_window, ewa, ewa_weights, london_temperature  # noqa: E402
from .tracing import DivergenceWarning, Trajectory, load_trajectory, trace  # noqa: E402

__all__ = [
    "DivergenceWarning",
    "Trajectory",
    "__version__",
    "analysis",
    "classify",
    "critical_points",
    "effective_window",
    "ewa",
    "ewa_weights",
    "load_trajectory",
    "london_temperature",
    "noise",
    "optim",
    "plot",
    "schedules",
    "specs",
    "surfaces",
    "trace",
]


def __getattr__(name):
    # ``ls.plot`` (matplotlib) and ``ls.analysis`` (scipy.optimize) are imported on first use,
    # so ``import landscape`` and ``landscape --help`` stay fast.
    import importlib

    if name in ("plot", "analysis"):
        return importlib.import_module(f".{name}", __name__)
    if name in ("classify", "critical_points"):
        return getattr(importlib.import_module(".analysis", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
