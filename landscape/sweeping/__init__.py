"""Hyperparameter sweeps: grids x seeds, in vectorized chunks, on a Dask cluster, resumable.

>>> import landscape as ls
>>> result = ls.sweep("elongated_bowl", "momentum:style=heavy_ball",
...                   {"lr": [0.01, 0.1], "beta": [0.0, 0.9]}, steps=50, workers=0)
>>> len(result)
4

``landscape.sweeping`` (this package) holds the parts; ``ls.sweep`` is the
function. Results are saved with ``SweepResult.save`` (``.parquet`` or
``.csv``) and read back with ``load_sweep``.
"""

from ._grid import MAX_CONFIGURATIONS, Grid, make_grid, parse_grid_item
from ._metrics import COLUMNS as METRIC_COLUMNS
from ._result import FORMATS, SweepResult, load_sweep
from ._store import remove_store, store_progress
from ._sweep import sweep

__all__ = [
    "FORMATS",
    "MAX_CONFIGURATIONS",
    "METRIC_COLUMNS",
    "Grid",
    "SweepResult",
    "load_sweep",
    "make_grid",
    "parse_grid_item",
    "remove_store",
    "store_progress",
    "sweep",
]
