"""Seeing surfaces of any dimension: line and plane slices, random and PCA directions.

A ``Slice`` is a line or a plane through a surface of any dimension -- a
network's loss, ``rosenbrock:dim=20`` -- and is itself a Surface of dim 1 or
2, so contour and 3-D figures, ``critical_points``, ``classify``, ``trace``
and the scenes work on it unchanged. Cut one:

* ``line(surface, a, b)``: from ``a`` to ``b`` and beyond (Goodfellow et al. 2015);
* ``plane(surface, center, d1, d2)``: along any two directions;
* ``random_slice(surface, center)``: a plane (or line) along ``random_directions``,
  filter-normalized by default (Li et al. 2018);
* ``pca_slice(surface, trajectory)``: a plane (or line) along ``pca_directions`` of
  an optimizer's path;
* ``through_points(surface, a, b, c)``: through three points.

``Slice.project`` puts paths on it, ``Slice.grid`` evaluates it in blocks of
bounded memory, ``Slice.save`` and ``load_slice`` keep it.
"""

from ._build import line, pca_slice, plane, random_slice, through_points
from ._directions import NORMALIZATIONS, random_directions
from ._files import load_slice
from ._pca import PCADirections, pca_directions
from ._slice import Projection, Slice, SliceGrid

__all__ = [
    "NORMALIZATIONS",
    "PCADirections",
    "Projection",
    "Slice",
    "SliceGrid",
    "line",
    "load_slice",
    "pca_directions",
    "pca_slice",
    "plane",
    "random_directions",
    "random_slice",
    "through_points",
]
