"""Matrix products over ensembles whose rows do not depend on the other rows.

With an odd number of rows BLAS computes the last row by a routine whose
sums run in another order (and a single row by a matrix-vector routine);
with an even number, each row's result is the same to the bit whatever the
other rows are (on one BLAS thread, as the engines run). So that a
particle's path does not depend on how many particles run with it, products
over particles are computed with an even number of rows.
"""

from __future__ import annotations

import numpy as np


def rows_times(x: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``x @ matrix`` for ``x`` of shape ``(..., n)``, computed over an even number of rows."""
    rows = x.reshape(-1, x.shape[-1])
    count = rows.shape[0]
    if count % 2:
        rows = np.concatenate([rows, rows[-1:]])
    product = rows @ matrix
    return product[:count].reshape(x.shape[:-1] + matrix.shape[1:])
