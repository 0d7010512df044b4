"""The Python code on the pages of the guide runs, page by page, as a reader would paste it.

Blocks written ``.. code-block:: python`` run in order in one namespace per page, in a
temporary folder; a block marked ``:class: no-run`` (a cluster address, a scene render) is
only shown.
"""

import re
import sys
import textwrap
import types
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted([DOCS / "getting_started.rst", *(DOCS / "guide").glob("*.rst")])
_BLOCK = re.compile(r"^\.\. code-block:: python\n((?:   :[\w-]+:.*\n)*)\n((?:(?:   .*)?\n)+)", re.MULTILINE)


def python_blocks(text: str) -> list[str]:
    """The Python blocks of a reST page that are meant to run, dedented."""
    blocks = []
    for options, body in _BLOCK.findall(text):
        if "no-run" not in options:
            blocks.append(textwrap.dedent(body).rstrip("\n") + "\n")
    return blocks


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(DOCS).as_posix())
def test_the_code_of_the_page_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # A module of its own, as a script has: the compiled engine finds a function's module by name.
    module = types.ModuleType(f"guide_{page.stem}")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace = module.__dict__
    for number, block in enumerate(python_blocks(page.read_text(encoding="utf-8")), 1):
        try:
            exec(compile(block, f"{page.name}, block {number}", "exec"), namespace)
        except Exception as error:  # name the page and the block, then let pytest show the rest
            raise AssertionError(f"{page.name}: block {number} failed: {error!r}") from error
    import matplotlib.pyplot as plt

    plt.close("all")


def test_the_reader_of_blocks_keeps_options_and_skips_no_run():
    text = (
        "Intro\n\n.. code-block:: python\n\n   a = 1\n\n   b = a + 1\n\nText\n\n"
        ".. code-block:: python\n   :class: no-run\n\n   connect()\n\n"
        ".. code-block:: bash\n\n   landscape list\n\n"
        ".. code-block:: python\n   :emphasize-lines: 1\n\n   c = 3\n"
    )
    assert python_blocks(text) == ["a = 1\n\nb = a + 1\n", "c = 3\n"]


def test_every_guide_page_has_code_that_runs():
    tasks = [page for page in PAGES if page.name != "index.rst"]
    silent = [page.name for page in tasks if not python_blocks(page.read_text(encoding="utf-8"))]
    assert not silent, f"guide pages without a Python example that runs: {silent}"
