"""Matplotlib figures of surfaces, optimizer runs, averages and Hessian analysis.

Every function takes an optional ``ax=`` (or ``fig=`` when it draws several
axes), draws in the house style (``landscape.style``) without changing
matplotlib's global settings, never calls ``plt.show()``, and returns the
Figure, so it works the same in scripts, notebooks and the ``landscape``
command. The figures of the Hessian analysis (``spectrum``,
``minima_vs_dim``, ``index_vs_loss``) compute with ``landscape.analysis``.
``save_figure`` writes a figure and its sidecar ``NAME.json``;
``figure_from_config`` rebuilds a figure from that configuration.
"""

from ._analysis import index_vs_loss, minima_vs_dim, spectrum
from ._contour import contour, surface3d
from ._curves import learning_rate, loss
from ._ewa import ewa_temperature
from ._recipes import DEFAULTS, KINDS, complete_config, figure_from_config
from ._save import FORMATS, check_figure_path, read_sidecar, save_figure, sidecar_path, versions
from ._slices import line_slice
from ._sweep import sweep_heatmap

__all__ = [
    "DEFAULTS",
    "FORMATS",
    "KINDS",
    "check_figure_path",
    "complete_config",
    "contour",
    "ewa_temperature",
    "figure_from_config",
    "index_vs_loss",
    "learning_rate",
    "line_slice",
    "loss",
    "minima_vs_dim",
    "read_sidecar",
    "save_figure",
    "sidecar_path",
    "spectrum",
    "surface3d",
    "sweep_heatmap",
    "versions",
]
