"""landscape: see and measure how optimizers move over loss surfaces.

>>> import landscape as ls
>>> s = ls.surfaces.get("elongated_bowl", kappa=25)
>>> traj = ls.trace(s, ls.optim.momentum(lr=0.05, beta=0.9), s.default_start, steps=200)
"""

__version__ = "0.1.0"

from . import (  # noqa: E402
    analysis,
    noise,
    optim,
    schedules,
    specs,
    surfaces,
)
from .analysis import classify, critical_points  # noqa: E402
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
    # ``ls.plot`` imports matplotlib on first use, so ``import landscape`` stays fast.
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
