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


# Loaded on first use: they import matplotlib or SciPy's slower modules, and
# ``import landscape`` (so ``landscape --help``) should stay fast.
_ON_USE = {"plot": "plot", "analysis": "analysis", "classify": "analysis", "critical_points": "analysis"}


def __getattr__(name):
    if name not in _ON_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{_ON_USE[name]}", __name__)
    return module if name == _ON_USE[name] else getattr(module, name)


def __dir__():
    return sorted(set(globals()) | set(__all__))
