"""The tracer: optimizer trajectories for whole ensembles of particles."""

from ._trace import DivergenceWarning, EngineWarning, trace
from ._trajectory import Trajectory, load_trajectory

__all__ = ["DivergenceWarning", "EngineWarning", "Trajectory", "load_trajectory", "trace"]
