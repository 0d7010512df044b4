"""The directions an optimizer's path spans: principal components of its offsets (Li et al. §7)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_int, invalid
from ..tracing import Trajectory


class PCADirections(NamedTuple):
    """The top principal directions of a path and how much of it they explain.

    Attributes
    ----------
    directions : ndarray, shape (k, dim)
        Orthonormal rows, the first the direction of largest variance; each
        signed so that the path's start has a coordinate >= 0.
    explained_variance_ratio : ndarray, shape (k,)
        The share of the offsets' variance along each direction.
    center : ndarray, shape (dim,)
        The path's last point, where the plane is centred.
    """

    directions: np.ndarray
    explained_variance_ratio: np.ndarray
    center: np.ndarray


def path_of(trajectory, particle: int = 0, name: str = "trajectory") -> np.ndarray:
    """One particle's path ``(R, dim)`` from a Trajectory, or a path given as an array."""
    if isinstance(trajectory, Trajectory):
        positions = trajectory.positions
    else:
        try:
            positions = np.asarray(trajectory, dtype=float)
        except (TypeError, ValueError):
            raise invalid(
                name, trajectory, "a Trajectory or positions of shape (R, dim) or (R, K, dim)"
            ) from None
    if positions.ndim == 2:
        positions = positions[:, None, :]
    if positions.ndim != 3:
        raise invalid(name, positions, "a Trajectory or positions of shape (R, dim) or (R, K, dim)")
    particle = check_int("particle", particle, minimum=0)
    if particle >= positions.shape[1]:
        raise invalid("particle", particle, f"an index below the {positions.shape[1]} particles")
    return np.asarray(positions[:, particle], dtype=float)


def pca_directions(trajectory, k=2, *, particle=0) -> PCADirections:
    r"""The top ``k`` principal components of a path's offsets from its last point.

    Parameters
    ----------
    trajectory : Trajectory or array_like, shape (R, dim) or (R, K, dim)
        The recorded path (``R >= k + 1`` points, not all on one line for ``k = 2``).
    k : int
        Number of directions.
    particle : int
        Which particle's path.

    Returns
    -------
    PCADirections
        ``directions`` (``(k, dim)``), ``explained_variance_ratio``, ``center``.

    Notes
    -----
    As in Li, Xu, Taylor, Studer & Goldstein (2018, §7): with the path
    :math:`\theta_0, \dots, \theta_n`, the rows of
    :math:`M = [\theta_0 - \theta_n; \dots; \theta_{n-1} - \theta_n]` are
    centred (their mean subtracted, as principal component analysis does)
    and the right singular vectors of the top ``k`` singular values
    :math:`s_i` are the directions; the explained variance ratio is
    :math:`s_i^2 / \sum_j s_j^2`. A path that moves in a plane has ratios
    summing to 1, and its projection onto the plane through
    :math:`\theta_n` spanned by the directions is the path itself.

    Examples
    --------
    >>> import landscape as ls
    >>> s = ls.surfaces.get("rosenbrock", dim=20)
    >>> traj = ls.trace(s, ls.optim.adam(lr=0.01), s.default_start, steps=300)
    >>> pca = ls.slices.pca_directions(traj)
    >>> pca.directions.shape, bool(pca.explained_variance_ratio.sum() > 0.8)
    ((2, 20), True)
    """
    path = path_of(trajectory, particle)
    k = check_int("k", k, minimum=1)
    if len(path) < k + 1:
        raise invalid("trajectory", f"{len(path)} recorded points", f"at least k + 1 = {k + 1} points")
    if not np.isfinite(path).all():
        raise invalid("trajectory", "non-finite positions", "a path with finite positions")
    center = path[-1].copy()
    offsets = path[:-1] - center
    centred = offsets - offsets.mean(axis=0)
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    total = float(np.sum(singular**2))
    if len(singular) < k or total == 0.0 or singular[k - 1] <= 1e-12 * singular[0]:
        raise invalid(
            "trajectory",
            "a path of rank below k",
            f"a path that moves in at least {k} independent directions",
        )
    directions = vt[:k].copy()
    start = offsets[0] @ directions.T
    directions[start < 0] *= -1.0
    return PCADirections(directions, singular[:k] ** 2 / total, center)
