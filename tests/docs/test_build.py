"""A smoke build of the documentation: the real configuration, warnings as errors, a few pages.

It builds every page except the API reference of the subpackages (one page of it, the top
level, is built), with the examples' scripts not run and the notebook not executed; ``make
docs`` builds everything (the examples and the notebook run there), and
``tests/docs/test_notebook.py`` runs the notebook.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from landscape.gallery import load_manifest

DOCS = Path(__file__).resolve().parents[2] / "docs"
GENERATED = ("_build", "auto_examples", "api/generated", "sg_execution_times.rst")


@pytest.fixture(scope="module")
def site(tmp_path_factory, made_once):
    """The smoke build's HTML folder, built by one worker of ``pytest -n`` for all of them."""
    return made_once("docs-smoke-build", lambda: _smoke_build(tmp_path_factory.mktemp("smoke")), str, Path)


def _smoke_build(root: Path) -> Path:
    source = root / "docs"
    shutil.copytree(DOCS, source, ignore=lambda folder, names: [n for n in names if _generated(folder, n)])
    (root / "gallery").symlink_to(DOCS.parent / "gallery")  # the README's stills, as ../gallery/stills
    for page in (source / "api").glob("*.rst"):
        if page.name not in ("index.rst", "landscape.rst"):
            page.unlink()
    api_index = "API reference\n=============\n\n.. toctree::\n\n   landscape\n"
    (source / "api" / "index.rst").write_text(api_index, encoding="utf-8")
    command = [
        sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
        "-D", "plot_gallery=0", "-D", "nb_execution_mode=off", str(source), str(root / "html"),
    ]  # fmt: skip
    build = subprocess.run(command, capture_output=True, text=True, cwd=root)
    assert build.returncode == 0, f"the docs build failed or warned:\n{build.stderr[-4000:]}"
    return root / "html"


def _generated(folder: str, name: str) -> bool:
    relative = (Path(folder) / name).relative_to(DOCS).as_posix()
    return relative in GENERATED or name.endswith(".pyc") or name == "__pycache__"


def test_the_pages_are_built(site):
    pages = ("index", "getting_started", "lecture", "cli", "tutorial", "guide/engines", "auto_examples/index")
    for page in pages:
        assert (site / f"{page}.html").is_file(), page
    trace = (site / "api/generated/landscape.trace.html").read_text(encoding="utf-8")
    assert "Parameters" in trace and "record_every" in trace


def test_the_lecture_has_every_topic_of_the_gallery_and_links_to_it(site):
    lecture = (site / "lecture.html").read_text(encoding="utf-8")
    for topic in load_manifest().topics:
        assert f'id="lecture-{topic.id}"' in lecture, topic.id  # where the gallery's topics link
        assert f'href="../../../gallery/build/index.html#{topic.id}"' in lecture, topic.id
    assert lecture.count('class="math') >= len(load_manifest().topics)  # typeset formulas
    assert 'href="auto_examples/plot_ewa.html' in lecture


def test_the_command_line_page_holds_every_command_s_help(site):
    from landscape.cli import main

    text = re.sub(r"<[^>]+>", "", (site / "cli.html").read_text(encoding="utf-8"))
    for name in main.commands:
        assert f"Usage: landscape {name} [OPTIONS]" in text, name


def test_formulas_are_typeset_offline_as_svg(site):
    page = (site / "api/generated/landscape.ewa.html").read_text(encoding="utf-8")
    images = re.findall(r'<img class="math" src="([^"]+\.svg)"', page)
    assert images and all((site / "api/generated" / src).is_file() for src in images)
    assert "mathjax" not in page.lower()
