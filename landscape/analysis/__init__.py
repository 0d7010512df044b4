"""What a landscape means: critical points, spectra, random landscapes, convergence theory.

* critical points: ``classify``, ``critical_points``;
* spectra in high dimension: ``hessian_operator``, ``hessian_spectrum``,
  ``condition_number``, ``spectral_density``, ``hessian_trace``;
* random-matrix theory and Monte Carlo: ``semicircle_density``,
  ``marchenko_pastur_density``, ``goe_positive_definite_probability``,
  ``minimum_fraction``, ``index_distribution``;
* random landscapes: ``index_vs_value``;
* saddles and plateaus in motion: ``escape_time``;
* convergence theory: ``quadratic_rates``, ``critical_damping``,
  ``heavy_ball_stable``, ``max_stable_step``, ``momentum_rate``,
  ``measured_rate``.
"""

from ._classify import KINDS, CriticalPoint, classify
from ._critical_points import CriticalPoints, critical_points
from ._density import (
    HessianTrace,
    SpectralDensity,
    gaussian_smoothing,
    hessian_trace,
    spectral_density,
)
from ._escape import EscapeTimes, escape_time
from ._index_vs_value import IndexVsValue, index_vs_value
from ._random_matrix import (
    DEAN_MAJUMDAR_THETA,
    IndexDistribution,
    MinimumFraction,
    goe_positive_definite_probability,
    index_distribution,
    marchenko_pastur_density,
    minimum_fraction,
    semicircle_density,
)
from ._rates import (
    QuadraticRates,
    critical_damping,
    heavy_ball_stable,
    max_stable_step,
    measured_rate,
    momentum_rate,
    quadratic_rates,
)
from ._spectrum import HessianSpectrum, condition_number, hessian_operator, hessian_spectrum

__all__ = [
    "DEAN_MAJUMDAR_THETA",
    "KINDS",
    "CriticalPoint",
    "CriticalPoints",
    "EscapeTimes",
    "HessianSpectrum",
    "HessianTrace",
    "IndexDistribution",
    "IndexVsValue",
    "MinimumFraction",
    "QuadraticRates",
    "SpectralDensity",
    "classify",
    "condition_number",
    "critical_damping",
    "critical_points",
    "escape_time",
    "gaussian_smoothing",
    "goe_positive_definite_probability",
    "heavy_ball_stable",
    "hessian_operator",
    "hessian_spectrum",
    "hessian_trace",
    "index_distribution",
    "index_vs_value",
    "marchenko_pastur_density",
    "max_stable_step",
    "measured_rate",
    "minimum_fraction",
    "momentum_rate",
    "quadratic_rates",
    "semicircle_density",
    "spectral_density",
]
