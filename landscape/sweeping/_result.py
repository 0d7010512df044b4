"""``SweepResult``: one row per configuration, saved as Parquet or CSV."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import _display
from .._io import atomic_path
from .._validation import invalid
from ._metrics import is_metric_column

FORMATS = (".parquet", ".csv")
LABELS = ("surface", "optimizer")
METADATA_KEY = b"landscape.sweep"


@dataclass(frozen=True, eq=False, repr=False)
class SweepResult:
    """The metrics of every configuration of a sweep.

    Attributes
    ----------
    columns : dict of str to ndarray
        Equal-length columns, one row per configuration: ``surface`` and
        ``optimizer`` (spec text; grid keys override the optimizer's
        parameters), one column per grid key, then the metrics
        ``final_value_*``, ``best_value_*``, ``steps_to_tol_*`` and ``NAME_*``
        for each of your own metrics (``median``, ``q25``, ``q75`` over
        seeds), ``reached_fraction`` and ``diverged_fraction`` (see
        ``landscape.sweeping`` for their definitions).
    description : dict or None
        The sweep's settings (surfaces, optimizer, grid, seeds, steps, ...);
        ``None`` for a CSV file, which has no room for it.
    """

    columns: dict
    description: dict | None = None

    @property
    def grid_keys(self) -> list[str]:
        """Names of the grid columns."""
        if self.description is not None:
            return [k for k in self.description["grid"] if k in self.columns]
        return [k for k in self.columns if k not in LABELS and not is_metric_column(k)]

    @property
    def metrics(self) -> list[str]:
        """Names of the metric columns."""
        return [k for k in self.columns if is_metric_column(k)]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __repr__(self) -> str:
        axes = " x ".join(f"{k} ({len(np.unique(self.columns[k]))})" for k in self.grid_keys)
        seeds = "" if self.description is None else f", seeds={self.description['seeds']}"
        diverged = self.columns.get("diverged_fraction")
        share = "" if diverged is None else f", diverged runs={float(np.mean(diverged)):.1%}"
        return f"SweepResult(configurations={len(self)}, grid: {axes or 'none'}{seeds}{share})"

    def _repr_html_(self) -> str:
        return _display.sweep_result_html(self)

    def pivot(self, metric: str, x: str, y: str, where: dict | None = None):
        """A metric as a 2-D table over two grid columns, the other columns fixed by ``where``.

        Parameters
        ----------
        metric : str
            A column, e.g. ``"final_value_median"``.
        x, y : str
            Grid columns (or ``"surface"``) along the table's columns and rows.
        where : dict, optional
            ``column -> value`` for every other column that varies.

        Returns
        -------
        xs : ndarray, shape (nx,)
        ys : ndarray, shape (ny,)
        table : ndarray, shape (ny, nx)
            ``table[j, i]`` is the metric at ``x = xs[i]``, ``y = ys[j]``
            (``nan`` where the sweep has no such configuration).
        """
        for name in (metric, x, y):
            if name not in self.columns:
                raise invalid("column", name, "one of " + ", ".join(self.columns))
        if x == y:
            raise invalid("y", y, f"a column other than x={x!r}")
        keep = self.select(where)
        xs, xi = np.unique(self.columns[x][keep], return_inverse=True)
        ys, yi = np.unique(self.columns[y][keep], return_inverse=True)
        cells = yi * len(xs) + xi
        if np.unique(cells).size != cells.size:
            varying = [
                k
                for k in (*LABELS, *self.grid_keys)
                if k not in (x, y, *(where or {})) and np.unique(self.columns[k][keep]).size > 1
            ]
            raise ValueError(
                f"where={where or {}} leaves {', '.join(varying)} varying; expected a value for each "
                "grid column other than x and y, e.g. where={" + f"{varying[0]!r}: ...}}"
            )
        table = np.full(len(ys) * len(xs), np.nan)
        table[cells] = self.columns[metric][keep]
        return xs, ys, table.reshape(len(ys), len(xs))

    def select(self, where: dict | None = None) -> np.ndarray:
        """``(N,)`` bool: the rows whose columns equal the values in ``where``."""
        keep = np.ones(len(self), dtype=bool)
        for key, value in (where or {}).items():
            if key not in self.columns:
                raise invalid("where", key, "columns among " + ", ".join(self.columns))
            keep &= self.columns[key] == _like(value, self.columns[key])
            if not keep.any():
                raise invalid(f"where[{key!r}]", value, "one of " + _choices(self.columns[key]))
        return keep

    # ---- files --------------------------------------------------------------
    def to_arrow(self):
        """The result as a ``pyarrow.Table`` (the description in its schema metadata)."""
        import pyarrow as pa

        arrays = {}
        for name, column in self.columns.items():
            array = pa.array(column)
            arrays[name] = array.dictionary_encode() if pa.types.is_string(array.type) else array
        table = pa.table(arrays)
        if self.description is not None:
            table = table.replace_schema_metadata({METADATA_KEY: json.dumps(self.description)})
        return table

    def save(self, path) -> Path:
        """Write ``.parquet`` (with the description) or ``.csv``, atomically; return the path."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            raise invalid("path", str(path), "a file name ending in .parquet or .csv")
        table = self.to_arrow()
        with atomic_path(path) as temporary:
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                pq.write_table(table, temporary)
            else:
                import pyarrow.csv as pc

                pc.write_csv(table, temporary)
        return path


def load_sweep(path) -> SweepResult:
    """Read a result written by ``SweepResult.save`` (``.parquet`` or ``.csv``).

    Raises
    ------
    ValueError
        If the file is missing or is not a sweep result.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise invalid("path", str(path), "a sweep result ending in .parquet or .csv")
    import pyarrow as pa

    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(path)
        else:
            import pyarrow.csv as pc

            table = pc.read_csv(path)
    except (OSError, pa.ArrowException) as error:
        reason = " ".join(str(error).split())[:120]
        raise invalid("path", str(path), f"a sweep result written by landscape sweep ({reason})") from None
    metadata = table.schema.metadata or {}
    description = json.loads(metadata[METADATA_KEY]) if METADATA_KEY in metadata else None
    columns = {name: _numpy(table.column(name)) for name in table.column_names}
    if not {"diverged_fraction", "final_value_median"} <= set(columns):
        raise invalid("path", str(path), "a sweep result written by landscape sweep (no metric columns)")
    return SweepResult(columns, description)


def _numpy(column) -> np.ndarray:
    import pyarrow as pa

    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    array = column.to_numpy()
    return array.astype(str) if array.dtype == object else array


def _like(value, column: np.ndarray):
    """``value`` as the column's kind, so ``"0.9"`` from a command line matches ``0.9``."""
    if column.dtype.kind in "fiu" and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    if column.dtype.kind == "b" and isinstance(value, str):
        return {"true": True, "false": False}.get(value.lower(), value)
    return value


def _choices(column: np.ndarray) -> str:
    values = np.unique(column)
    shown = ", ".join(str(v) for v in values[:8])
    return shown + (", ..." if len(values) > 8 else "")
