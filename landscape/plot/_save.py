"""Saving figures: atomically, reproducibly, with a sidecar that rebuilds them."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import platform
from pathlib import Path

from .._io import atomic_path, check_writable, ctrl_c_held
from .._validation import invalid
from ..style import figure_style

FORMATS = (".png", ".svg", ".pdf")
SIDECAR_VERSION = 1
_PACKAGES = ("landscape", "numpy", "scipy", "matplotlib", "sympy", "click")

# Dates and random ids would make two saves of the same figure differ.
_METADATA = {
    ".png": {"Software": None},
    ".svg": {"Date": None, "Creator": None},
    ".pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
_DETERMINISTIC_RC = {"svg.hashsalt": "landscape"}
# ``figure_from_config`` leaves its recipe on the Figure under this name, for ``save_figure``.
RECIPE_ATTRIBUTE = "landscape_recipe"
NO_RECIPE = (
    "this figure was drawn from Python without a recipe, so landscape reproduce cannot rebuild it; "
    "build it with landscape.plot.figure_from_config, or pass config= to save_figure"
)


def sidecar_path(path) -> Path:
    """``fig.png -> fig.json``: where the figure's configuration is written."""
    return Path(path).with_suffix(".json")


def check_figure_path(path) -> Path:
    """A path with a supported figure suffix where a file can be written (checked before any work)."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise invalid("output", str(path), "a file name ending in " + ", ".join(FORMATS))
    for place in (path, sidecar_path(path)):
        check_writable("output", place)
    return path


def versions() -> dict:
    """Versions of Python and the packages that shape a figure's pixels."""
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    from .. import __version__

    found["landscape"] = __version__
    return found


def save_figure(fig, path, *, config=None, dpi=None, sidecar=True) -> Path:
    """Write a figure and its sidecar ``NAME.json``, each to a temporary file then renamed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or Path
        Output, ``.png``, ``.svg`` or ``.pdf``.
    config : dict, optional
        The recipe the figure was built from (see ``figure_from_config``);
        stored in the sidecar so that ``landscape reproduce NAME.json``
        rebuilds the same file. Default: the recipe of a figure made by
        ``figure_from_config``; a figure drawn otherwise has none, and its
        sidecar says why it cannot be reproduced.
    dpi : float, optional
        Resolution of a PNG (default the house style's).
    sidecar : bool
        Write ``NAME.json`` next to the figure.

    Returns
    -------
    Path
        The figure's path.

    Notes
    -----
    Saving is deterministic: no dates, fixed SVG ids, fixed metadata, so the
    same figure saved twice with the same package versions gives the same
    bytes. The sidecar records the configuration, its seed and the versions
    of Python and the packages (``versions()``). Nothing is left behind if
    anything fails: both files are written under temporary names and renamed
    at the end. A Ctrl-C during the save is raised once both are in place.
    """
    path = check_figure_path(path)
    suffix = path.suffix.lower()
    if config is None:
        config = getattr(fig, RECIPE_ATTRIBUTE, None)
    document = {
        "landscape_figure": SIDECAR_VERSION,
        "figure": path.name,
        "config": config,
        "seed": None if config is None else config.get("seed"),
        "versions": versions(),
    }
    if config is None:
        document["not_reproducible"] = NO_RECIPE
    text = json.dumps(document, indent=2, sort_keys=True, default=_jsonable) + "\n"
    written = f"{path} and its sidecar were written in full" if sidecar else f"{path} was written in full"
    with contextlib.ExitStack() as stack:
        # a Ctrl-C waits until both files are in place: never a new sidecar beside an old figure
        stack.enter_context(ctrl_c_held(written))
        figure_file = stack.enter_context(atomic_path(path))
        sidecar_file = stack.enter_context(atomic_path(sidecar_path(path))) if sidecar else None
        with figure_style():
            import matplotlib

            with matplotlib.rc_context(_DETERMINISTIC_RC):
                fig.savefig(figure_file, format=suffix[1:], dpi=dpi, metadata=_METADATA[suffix])
        if sidecar_file is not None:
            sidecar_file.write_text(text)
    return path


def read_sidecar(path) -> dict:
    """The document written by ``save_figure`` (configuration, seed, versions).

    Raises
    ------
    ValueError
        If the file is missing, is not JSON, or is not a figure sidecar.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise invalid("sidecar", str(path), f"a NAME.json written next to a figure ({reason})") from None
    if not isinstance(document, dict) or document.get("landscape_figure") != SIDECAR_VERSION:
        raise invalid("sidecar", str(path), "a NAME.json written by landscape plot (landscape_figure: 1)")
    if not isinstance(document.get("config"), dict):
        why = document.get("not_reproducible")
        why = why if isinstance(why, str) else "its configuration is missing"
        raise invalid("sidecar", str(path), f"a sidecar with a configuration ({' '.join(why.split())})")
    return document


def _jsonable(value):
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
