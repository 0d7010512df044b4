"""Random directions in parameter space, normalized filter by filter (Li et al. 2018)."""

from __future__ import annotations

import numpy as np

from .._validation import InvalidArgument, check_choice, check_int, invalid
from ..surfaces import ParameterGroup, Surface

NORMALIZATIONS = ("filter", "layer", "model", "unit", "none")


def random_directions(
    surface, x, k=2, *, seed=0, normalization="filter", ignore=("bias",), orthogonalize=False
) -> np.ndarray:
    r"""``k`` random Gaussian directions at ``x``, scaled like ``x`` (filter normalization).

    Parameters
    ----------
    surface : Surface
        Says how its flat parameter vector is laid out
        (``surface.parameter_groups()``); a surface without groups is one
        group, one filter.
    x : array_like, shape (dim,)
        The point the directions are scaled to (the center of the slice).
    k : int
        Number of directions (2 for a plane, 1 for a line).
    seed : int
        Seed of the Gaussian draw: the same seed gives the same directions
        bit for bit.
    normalization : {"filter", "layer", "model", "unit", "none"}
        ``"filter"``: each filter of a direction is rescaled to the norm of
        the same filter of ``x``; ``"layer"``: each parameter group to the
        norm of that group of ``x``; ``"model"``: the whole direction to
        ``‖x‖``; ``"unit"``: the whole direction to norm 1; ``"none"``: the
        raw standard normal draw.
    ignore : tuple of str
        Roles (``"weight"``, ``"bias"``, ``"other"``) or group names whose
        part of every direction is set to zero. The default keeps biases
        fixed, as Li et al. do.
    orthogonalize : bool
        Make each direction orthogonal to the ones before it (Gram-Schmidt),
        keeping its overall norm; its filters then have the norms of ``x``'s
        only approximately (random directions in high dimension are nearly
        orthogonal anyway).

    Returns
    -------
    ndarray, shape (k, dim)
        One direction per row: ``d1, d2 = random_directions(...)``.

    Notes
    -----
    Filter normalization (Li, Xu, Taylor, Studer & Goldstein 2018, §4)
    replaces each filter :math:`d_{i,j}` (the :math:`j`-th filter of the
    :math:`i`-th layer) of a Gaussian direction by

    .. math:: d_{i,j} \leftarrow \frac{d_{i,j}}{\lVert d_{i,j} \rVert} \lVert \theta_{i,j} \rVert,

    so that a step along the direction changes every filter in proportion to
    its size, and planes of networks that differ only by the scale of their
    weights (which ReLU networks do not notice) look alike. A filter is a
    row of a weight group (``role == "weight"``, axis 0: a dense layer's
    neuron, a convolution's output channel); a group of another role is one
    filter. A filter of ``x`` that is zero gives a zero filter of the
    direction.

    Raises
    ------
    ValueError
        If a direction would be zero (``x`` is zero on every filter that is
        not ignored, or everything is ignored).

    Examples
    --------
    >>> import numpy as np, landscape as ls
    >>> s = ls.surfaces.get("rosenbrock", dim=20)
    >>> d1, d2 = ls.slices.random_directions(s, np.ones(20), seed=0)
    >>> np.linalg.norm([d1, d2], axis=1).round(12)  # one filter: the norm of x, √20
    array([4.47213595, 4.47213595])
    """
    surface = _check_surface(surface)
    x = check_center(surface, x, "x")
    k = check_int("k", k, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    normalization = check_choice("normalization", normalization, NORMALIZATIONS)
    ignore = _check_ignore(ignore)
    ids, count = filter_ids(surface.parameter_groups(), surface.dim, normalization, ignore)
    directions = np.random.default_rng(seed).standard_normal((k, surface.dim))
    directions[:, ids < 0] = 0.0
    if normalization in ("filter", "layer", "model"):
        kept = ids >= 0
        target = np.sqrt(np.bincount(ids[kept], weights=x[kept] ** 2, minlength=count))
        for direction in directions:
            norms = np.sqrt(np.bincount(ids[kept], weights=direction[kept] ** 2, minlength=count))
            scale = np.divide(target, norms, out=np.zeros(count), where=norms > 0)
            direction[kept] *= scale[ids[kept]]
    elif normalization == "unit":
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    if orthogonalize:
        directions = _orthogonalized(directions)
    if not np.any(directions, axis=1).all():
        raise invalid(
            "normalization",
            normalization,
            f"a normalization that gives nonzero directions at x (with ignore={ignore!r}, "
            "x is zero on every filter that is scaled; try normalization='unit' or another center)",
        )
    return directions


def filter_ids(groups, dim: int, normalization: str, ignore: tuple) -> tuple[np.ndarray, int]:
    """Which filter each coordinate belongs to (``-1``: ignored), and the number of filters.

    ``"filter"`` splits weight groups into their rows, ``"layer"`` makes each
    group one filter, anything else makes the whole vector one.
    """
    ids = np.full(dim, -1, dtype=np.int64)
    count = 0
    for group in _check_groups(groups, dim):
        if group.role in ignore or group.name in ignore:
            continue
        if normalization == "filter" and group.role == "weight" and len(group.shape) >= 1:
            rows = group.shape[0]
            ids[group.slice] = count + np.repeat(np.arange(rows), group.size // max(rows, 1))
            count += rows
        elif normalization in ("filter", "layer"):
            ids[group.slice] = count
            count += 1
        else:
            ids[group.slice] = 0
            count = 1
    return ids, count


def _orthogonalized(directions: np.ndarray) -> np.ndarray:
    out = directions.copy()
    for i in range(1, len(out)):
        norm = np.linalg.norm(out[i])
        for j in range(i):
            out[i] -= (out[i] @ out[j]) / (out[j] @ out[j]) * out[j]
        length = np.linalg.norm(out[i])
        if length > 0:
            out[i] *= norm / length
    return out


def _check_surface(surface) -> Surface:
    if not isinstance(surface, Surface):
        raise invalid("surface", surface, "a Surface (e.g. landscape.surfaces.get('rosenbrock', dim=20))")
    return surface


def check_center(surface: Surface, x, name: str) -> np.ndarray:
    """One finite point of the surface, shape ``(dim,)``, as a new float array."""
    try:
        point = np.array(x, dtype=float)
    except (TypeError, ValueError):
        raise invalid(name, x, f"a point of shape ({surface.dim},)") from None
    if point.shape != (surface.dim,):
        raise InvalidArgument(f"{name} has shape {point.shape}; expected a point of shape ({surface.dim},)")
    if not np.isfinite(point).all():
        raise invalid(name, point, "a point with finite coordinates")
    return point


def _check_ignore(ignore) -> tuple:
    if isinstance(ignore, str):
        ignore = (ignore,)
    try:
        ignore = tuple(ignore)
    except TypeError:
        raise invalid("ignore", ignore, "a tuple of roles or group names such as ('bias',)") from None
    if not all(isinstance(item, str) for item in ignore):
        raise invalid("ignore", ignore, "a tuple of roles or group names such as ('bias',)")
    return ignore


def _check_groups(groups, dim: int) -> list[ParameterGroup]:
    """The groups, each inside ``range(dim)`` and none overlapping another."""
    groups = list(groups)
    covered = np.zeros(dim, dtype=np.int64)
    for group in groups:
        if group.start < 0 or group.start + group.size > dim:
            raise InvalidArgument(
                f"parameter group {group.name!r} covers {group.start}..{group.start + group.size}; "
                f"expected a block inside the surface's {dim} parameters"
            )
        covered[group.slice] += 1
    if (covered > 1).any():
        raise InvalidArgument("parameter groups overlap; expected disjoint blocks of the parameter vector")
    return groups
