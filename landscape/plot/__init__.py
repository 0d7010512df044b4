"""Matplotlib figures of surfaces, optimizer runs, averages and Hessian analysis.

Every function takes an optional ``ax=`` (or ``fig=`` when it draws several
axes), draws in the house style (``landscape.style``) without changing
matplotlib's global settings, never calls ``plt.show()``, and returns the
Figure, so it works the same in scripts, notebooks and the ``landscape``
command. The figures of the Hessian analysis (``spectrum``,
``minima_vs_dim``, ``index_vs_loss``) compute with ``landscape.analysis``;
``decision_regions`` draws a classifier's data set over its network's regions.
``save_figure`` writes a figure and its sidecar ``NAME.json``;
``figure_from_config`` rebuilds a figure from that configuration.
"""

from ._analysis import index_vs_loss, minima_vs_dim, spectrum
from ._axes import grid as surface_grid
from ._axes import log_levels
from ._contour import contour, surface3d, surface_image
from ._curves import learning_rate, loss
from ._data import decision_regions
from ._ewa import ewa_temperature
from ._labels import format_value
from ._layout import check_figure
from ._lecture import adam_start, batch_tradeoff, critical_map, schedules, tail_scores, tuning
from ._recipes import (
    DEFAULTS,
    KINDS,
    MAX_DPI,
    MAX_LEVELS,
    MIN_DPI,
    OPTION_DEFAULTS,
    complete_config,
    figure_from_config,
)
from ._save import FORMATS, check_figure_path, read_sidecar, save_figure, sidecar_path, versions
from ._slice_recipe import SLICE_DEFAULTS, SLICE_DESCRIPTIONS, SLICE_METHODS, trace_file
from ._slices import line_slice
from ._sweep import sweep_heatmap

__all__ = [
    "DEFAULTS",
    "FORMATS",
    "KINDS",
    "MAX_DPI",
    "MAX_LEVELS",
    "MIN_DPI",
    "OPTION_DEFAULTS",
    "SLICE_DEFAULTS",
    "SLICE_DESCRIPTIONS",
    "SLICE_METHODS",
    "adam_start",
    "batch_tradeoff",
    "check_figure",
    "check_figure_path",
    "complete_config",
    "contour",
    "critical_map",
    "decision_regions",
    "ewa_temperature",
    "figure_from_config",
    "format_value",
    "index_vs_loss",
    "learning_rate",
    "line_slice",
    "log_levels",
    "loss",
    "minima_vs_dim",
    "read_sidecar",
    "save_figure",
    "schedules",
    "sidecar_path",
    "spectrum",
    "surface3d",
    "surface_grid",
    "surface_image",
    "tail_scores",
    "trace_file",
    "tuning",
    "sweep_heatmap",
    "versions",
]
