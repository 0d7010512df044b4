"""The gallery page links to the documentation's lecture page, and each topic to its section there."""

import re
from pathlib import Path

from landscape.gallery import Record, load_manifest
from landscape.gallery._page import DOCS_LECTURE, write_page

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_page_links_to_the_lecture_page_of_the_docs_and_each_topic_to_its_section(tmp_path):
    manifest = load_manifest()
    folder = tmp_path / "somewhere" / "build"
    folder.mkdir(parents=True)
    commands = {item.name: "landscape gallery" for item in manifest.items}
    html = write_page(manifest, Record(folder), {}, commands, {}).read_text(encoding="utf-8")
    targets = re.findall(r'<a href="([^"#]*lecture\.html)(#[\w-]*)?">', html)
    assert {(folder / page).resolve() for page, _ in targets} == {DOCS_LECTURE}
    assert DOCS_LECTURE == DOCS / "_build" / "html" / "lecture.html"  # where `make docs` writes
    anchors = [anchor for _, anchor in targets if anchor]
    assert anchors == [f"#lecture-{topic.id}" for topic in manifest.topics]
    # The docs make those anchors: each topic of the manifest under the label lecture-ID.
    assert "lecture-topics::" in (DOCS / "lecture.rst").read_text(encoding="utf-8")
