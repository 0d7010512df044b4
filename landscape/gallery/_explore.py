"""The explorer page ``explore.html``: pick a surface, an optimizer and its hyperparameters, see the paths.

Everything the page draws is precomputed by the library (``_explore_data``):
it looks up the grid point the sliders name and draws its path, its cloud and
their losses on canvases. The page, its script and its data are plain files
next to ``index.html``; it works from the file system, without a server or a
network. It is rebuilt when the library or the explorer's settings change.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

import numpy as np

from .. import __version__, style
from .._io import atomic_path
from . import _explore_data as data
from ._formulas import Formula
from ._inputs import digest_files, library_digest, package_versions

PAGE = "explore.html"
FOLDER = "explore"
KEY_FILE = "key.json"
BACKGROUND_PIXELS = 420  # the longer side of a surface's background image

# The lecture's formulas for each optimizer (and the noise), typeset beside the canvas.
FORMULAS = {
    "sgd": [r"W := W - \alpha\, dW"],
    "momentum": [r"v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW, \qquad W := W - \alpha\, v_{dW}"],
    "rmsprop": [
        r"S_{dW} = \beta_2\, S_{dW} + (1-\beta_2)\, dW^2",
        r"W := W - \alpha\, \frac{dW}{\sqrt{S_{dW} + \varepsilon}}\ \ \text{(inside)} \quad \text{or} \quad"
        r" W := W - \alpha\, \frac{dW}{\sqrt{S_{dW}} + \varepsilon}\ \ \text{(outside)}",
    ],
    "adam": [
        r"V_{dW} = \beta_1 V_{dW} + (1-\beta_1)\, dW, \qquad S_{dW} = \beta_2 S_{dW} + (1-\beta_2)\, dW^2",
        r"W := W - \alpha\, \frac{V_{dW} / (1-\beta_1^t)}{\sqrt{S_{dW} / (1-\beta_2^t)} + \varepsilon}",
    ],
    "noise": [r"dW = \nabla J(W) + \sigma\, \xi, \qquad \xi \sim \mathcal{N}(0, I)"],
}
NAMES = {"sgd": "gradient descent", "momentum": "momentum", "rmsprop": "RMSprop", "adam": "Adam"}


def formulas() -> list[str]:
    """Every formula the explorer shows (the gallery typesets them with its own)."""
    return [tex for texts in FORMULAS.values() for tex in texts]


def explorer_key(surfaces) -> str:
    """What the explorer's files depend on: the library, its own code, the package versions, the surfaces."""
    here = Path(__file__).parent
    own = digest_files(
        [here / "_explore.py", here / "_explore_data.py", here / "explore.js", here / "explore.css"]
    )
    inputs = {
        "library": library_digest(),
        "explorer": own,
        "packages": package_versions(),
        "surfaces": [s.id for s in surfaces],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def build_explorer(folder, typeset: dict[str, Formula], *, surfaces=None, force: bool = False) -> Path:
    """Write ``explore.html`` and ``explore/`` into ``folder``; return the page's path.

    Parameters
    ----------
    folder : pathlib.Path
        The gallery's output folder.
    typeset : dict
        TeX -> ``Formula`` for at least ``formulas()`` (from the gallery's ``typeset``).
    surfaces : sequence of str, optional
        Ids of the surfaces to include (default: all of ``_explore_data.SURFACES``).
    force : bool
        Rebuild even when nothing changed.
    """
    folder = Path(folder)
    chosen = [s for s in data.SURFACES if surfaces is None or s.id in surfaces]
    target = folder / FOLDER
    key = explorer_key(chosen)
    page = folder / PAGE
    record = target / KEY_FILE
    if not force and page.is_file() and record.is_file() and json.loads(record.read_text()).get("key") == key:
        return page
    target.mkdir(parents=True, exist_ok=True)
    table = []
    for surface in chosen:
        built = surface.build()
        box = data.window(surface, built)
        write_background(built, box, target / f"{surface.id}.png")
        entry = {
            "id": surface.id,
            "label": surface.label,
            "spec": surface.spec if surface.spec != "plane" else "quadratic_plane()",
            "box": box.tolist(),
            "stored": data.stored_window(box).tolist(),
            "background": f"{FOLDER}/{surface.id}.png",
            "minima": _minima(built, box),
            "start": list(surface.start),
            "steps": surface.steps,
            "files": {},
        }
        traced = {optimizer: data.trace_optimizer(surface, optimizer, built) for optimizer in data.OPTIMIZERS}
        scale = data.loss_scale(built, np.concatenate([t[2].ravel() for t in traced.values()]))
        for optimizer, runs in traced.items():
            document = data.optimizer_document(surface, optimizer, built, scale, runs)
            name = f"{surface.id}-{optimizer}.js"
            with atomic_path(target / name) as temporary:
                temporary.write_text(data.script(f"{surface.id}/{optimizer}", document), encoding="utf-8")
            entry["files"][optimizer] = f"{FOLDER}/{name}"
        entry["loss"] = scale
        table.append(entry)
    settings = {
        "seed": data.SEED,
        "cloud": data.CLOUD,
        "version": __version__,
        "colors": {name: style.optimizer_color(name) for name in data.OPTIMIZERS},
        "names": NAMES,
        "formulas": {
            name: [_formula(typeset.get(tex), tex) for tex in texts] for name, texts in FORMULAS.items()
        },
    }
    with atomic_path(target / "surfaces.js") as temporary:
        temporary.write_text(
            "window.EXPLORE_SURFACES = " + json.dumps(table, separators=(",", ":")) + ";\n"
            "window.EXPLORE_SETTINGS = " + json.dumps(settings, separators=(",", ":")) + ";\n",
            encoding="utf-8",
        )
    with atomic_path(page) as temporary:
        temporary.write_text(_page(), encoding="utf-8")
    with atomic_path(record) as temporary:
        temporary.write_text(json.dumps({"key": key}) + "\n")
    return page


def write_background(surface, box: np.ndarray, path: Path) -> None:
    """The surface's filled log-spaced contours over ``box``, edge to edge, as a PNG."""
    from ..plot import surface_image

    span = box[:, 1] - box[:, 0]
    scale = BACKGROUND_PIXELS / span.max()
    width, height = (int(round(v)) for v in span * scale)
    figure = surface_image(surface, box, width=width, height=height)
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=100)


def _minima(surface, box) -> list:
    minima = np.asarray(surface.minima if surface.minima is not None else [], dtype=float).reshape(-1, 2)
    inside = np.all((minima >= box[:, 0]) & (minima <= box[:, 1]), axis=1)
    return minima[inside].tolist()


def _formula(formula: Formula | None, tex: str) -> dict:
    if formula is None or formula.path is None:
        return {"tex": tex}
    return {"tex": tex, "src": formula.path, "width": formula.width, "height": formula.height}


def _page() -> str:
    """The page, with its style and script (``explore.css``, ``explore.js`` beside this module) inline."""
    here = Path(__file__).parent
    return (
        _TEMPLATE.replace("%(title)s", html.escape("Explore the optimizers"))
        .replace("%(style)s", (here / "explore.css").read_text(encoding="utf-8"))
        .replace("%(script)s", (here / "explore.js").read_text(encoding="utf-8"))
    )


_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="landscape gallery">
<title>%(title)s · lecture gallery</title>
<style>%(style)s</style>
</head>
<body>
<header>
<h1>%(title)s</h1>
<p class="lead">Every path, cloud and loss curve on this page was computed by the landscape library
ahead of time, over the grid of hyperparameters the sliders step through; the page only looks them
up. <a href="index.html">Back to the lecture gallery</a>.</p>
</header>
<main>
<section class="panel">
  <div class="choices">
    <div><label for="surface">surface</label><select id="surface"></select></div>
    <div><label for="optimizer">optimizer</label><select id="optimizer"></select></div>
  </div>
  <canvas id="paths" width="720" height="480" aria-label="the surface with the path and the cloud"></canvas>
  <div class="time"><button id="play" type="button">play</button>
    <input id="time" type="range" min="0" max="0" value="0" aria-label="step">
    <span id="step" class="note"></span></div>
  <p class="legend note" id="legend"></p>
  <canvas id="loss" width="720" height="220" aria-label="the loss against the step"></canvas>
</section>
<section class="panel">
  <div id="sliders"></div>
  <div class="formulas" id="formulas"></div>
  <p class="note" id="about"></p>
</section>
</main>
<script src="explore/surfaces.js"></script>
<script>%(script)s</script>
</body>
</html>
"""
