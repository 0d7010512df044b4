"""landscape: see and measure how optimizers move over loss surfaces.

>>> import landscape as ls
>>> s = ls.surfaces.get("elongated_bowl", kappa=25)
>>> traj = ls.trace(s, ls.optim.momentum(lr=0.05, beta=0.9), s.default_start, steps=200)
"""

__version__ = "0.1.0"

from . import noise, optim, schedules, slices, specs, surfaces  # noqa: E402
from ._resources import allow_large  # noqa: E402
from ._validation import InvalidArgument  # noqa: E402
from .ewa import effective_window, ewa, ewa_weights, london_temperature  # noqa: E402
from .sweeping import SweepResult, load_sweep, sweep  # noqa: E402
from .tracing import DivergenceWarning, EngineWarning, Trajectory, load_trajectory, trace  # noqa: E402

__all__ = [
    "DivergenceWarning",
    "EngineWarning",
    "InvalidArgument",
    "SweepResult",
    "Trajectory",
    "__version__",
    "allow_large",
    "analysis",
    "classify",
    "critical_points",
    "effective_window",
    "ewa",
    "ewa_weights",
    "load_sweep",
    "load_trajectory",
    "london_temperature",
    "noise",
    "optim",
    "plot",
    "render",
    "schedules",
    "slices",
    "specs",
    "surfaces",
    "sweep",
    "trace",
]

_LAZY = {"plot": None, "analysis": None, "classify": "analysis", "critical_points": "analysis"}


def __getattr__(name):
    # ``ls.plot`` (matplotlib) and ``ls.analysis`` (SciPy's statistics and optimizers) load on
    # first use, so ``import landscape`` -- and ``landscape --help`` -- stay fast.
    if name == "render":  # ``ls.render.show("momentum")``: landscape.rendering under a short name
        from . import rendering

        return rendering
    if name in _LAZY:
        import importlib

        home = _LAZY[name]
        module = importlib.import_module(f".{home or name}", __name__)
        return getattr(module, name) if home else module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
