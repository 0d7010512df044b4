"""The tutorial notebook runs from top to bottom, and shows what it says it shows."""

import base64
import functools
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def executed(made_once):
    """The tutorial notebook with its outputs, run by one worker of ``pytest -n`` for all of them."""

    def run():
        notebook = nbformat.read(DOCS / "tutorial.ipynb", as_version=4)
        NotebookClient(notebook, timeout=300, kernel_name="python3").execute(cwd=str(DOCS))
        return notebook

    read = functools.partial(nbformat.reads, as_version=4)
    return made_once("tutorial-notebook", run, nbformat.writes, read)


def outputs(notebook, start: str) -> list:
    """The outputs of the one code cell whose source begins with ``start``."""
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(start)]
    return cell.outputs


def html_of(notebook, start: str) -> str:
    (result,) = [o for o in outputs(notebook, start) if o.output_type == "execute_result"]
    return result.data["text/html"]


def test_the_notebook_runs_without_errors_and_is_stored_unexecuted(executed):
    stored = nbformat.read(DOCS / "tutorial.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in stored.cells if cell.cell_type == "code")
    assert not [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]


def test_results_show_their_rich_summaries(executed):
    assert "ElongatedBowl" in html_of(executed, "bowl = ")
    trajectory = html_of(executed, "run = ls.trace")
    assert "500 × 2" in trajectory and "data:image/png;base64," in trajectory
    assert "9: 4 minima, 1 maximum, 4 saddles" in html_of(executed, 'ls.critical_points("himmelblau")')
    assert "HessianSpectrum" in html_of(executed, "quadratic = ")
    assert "configurations" in html_of(executed, "result = ls.sweep")


def test_the_plain_repr_is_printed(executed):
    (printed, shape) = outputs(executed, "print(run)")
    assert printed.text.startswith("Trajectory(surface='elongated_bowl', optimizer='momentum', particles=500")
    assert shape.data["text/plain"] == "(151, 500, 2)"


def test_a_figure_is_shown_as_an_image(executed):
    shown = ("execute_result", "display_data")
    (figure,) = [o for o in outputs(executed, "runs = {") if o.output_type in shown]
    assert base64.b64decode(figure.data["image/png"]).startswith(b"\x89PNG")


def test_the_scene_plays_inline(executed):
    video = html_of(executed, "ls.render.show(")
    mimetype, data = re.search(r'src="data:([\w/]+);base64,([^"]+)"', video).groups()
    assert video.startswith("<video controls") and mimetype == "video/mp4"
    assert base64.b64decode(data)[4:8] == b"ftyp"  # an MP4 file
