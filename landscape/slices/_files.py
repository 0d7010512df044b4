"""Slices on disk: center, directions, window, how they were made and the grids computed."""

from __future__ import annotations

import json

import numpy as np

from .._io import save_npz
from .._validation import invalid
from ..surfaces import Surface
from ..surfaces import get as get_surface
from ._slice import Slice

FILE_VERSION = 1


def save_slice(plane: Slice, path) -> None:
    """Write a slice to an ``.npz`` file, atomically (see ``Slice.save``)."""
    document = {
        "landscape_slice": FILE_VERSION,
        "surface": plane.surface.spec,
        "how": plane.how,
        "resolution": plane.resolution,
    }
    arrays = {
        "center": plane.center,
        "directions": plane.directions,
        "bounds": plane.bounds,
        "document": np.array(json.dumps(document)),
    }
    arrays |= {f"grid_{resolution}": values for resolution, values in plane.grids.items()}
    save_npz(path, arrays)


def load_slice(path, surface=None) -> Slice:
    """Read a slice written by ``Slice.save``, with the grids it had computed.

    Parameters
    ----------
    path : str or Path
    surface : Surface, optional
        The surface that was sliced. Default: rebuilt from the registered
        name and parameters recorded in the file (a surface of your own
        that is not registered must be given).

    Returns
    -------
    Slice

    Raises
    ------
    ValueError
        If the file is not a saved slice, or the surface cannot be rebuilt or
        does not have the file's dimension.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            document = json.loads(str(data["document"]))
            center, directions, bounds = data["center"], data["directions"], data["bounds"]
            grids = {int(name[5:]): data[name] for name in data.files if name.startswith("grid_")}
        if document.get("landscape_slice") != FILE_VERSION:
            raise ValueError(f"landscape_slice is {document.get('landscape_slice')!r}")
    except (OSError, KeyError, ValueError, AttributeError) as error:
        raise invalid("path", str(path), f"a slice saved by Slice.save ({error})") from None
    spec = document["surface"]
    if surface is None:
        try:
            surface = get_surface(spec["name"], **spec["params"])
        except (TypeError, ValueError) as error:
            raise invalid(
                "surface",
                None,
                f"the Surface that was sliced: {spec['name']!r} cannot be rebuilt by name ({error})",
            ) from None
    if not isinstance(surface, Surface) or surface.dim != center.shape[0]:
        raise invalid(
            "surface",
            getattr(surface, "name", surface),
            f"the surface that was sliced, of dim {center.shape[0]}",
        )
    plane = Slice(surface, center, directions, bounds, how=document["how"], resolution=document["resolution"])
    for resolution, values in grids.items():
        if values.shape != (resolution,) * plane.dim:
            raise invalid(
                "path",
                str(path),
                f"a slice file whose grid_{resolution} has {plane.dim} axes of {resolution}",
            )
    plane._grids.update(grids)
    return plane
