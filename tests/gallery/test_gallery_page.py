"""The page written from a record: what is built, what is not, what failed; offline and escaped."""

import re

from landscape.gallery import Record, load_manifest
from landscape.gallery._formulas import Formula
from landscape.gallery._page import write_page

MANIFEST = """
title = "A <small> gallery"

[[topic]]
id = "first"
title = "First & foremost"
short = "First"
summary = "Mini-batches X^{{t}} of size m_{b}; <script> stays text."
formulas = ["a^2", "\\\\broken"]
numbers.columns = ["n", "2⁻ⁿ"]
numbers.rows = [[20000, 0.5]]

[[topic.scene]]
scene = "ewa"
caption = "The scene."

[[topic.figure]]
name = "built-figure"
caption = "Built."
config = { kind = "ewa" }

[[topic.figure]]
name = "failed-figure"
config = { surface = "nope", optimizers = ["sgd"] }

[[topic]]
id = "second"
title = "Second"
summary = "Only a figure that is not built yet."

[[topic.figure]]
name = "later"
config = { kind = "ewa", betas = [0.5] }
"""


def page(tmp_path, built_key="k1", current_key="k1"):
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "manifest.toml"
    path.write_text(MANIFEST, encoding="utf-8")
    manifest = load_manifest(path)
    folder = tmp_path / "build"
    (folder / "media").mkdir(parents=True)
    for name in ("ewa.mp4", "ewa.poster.png", "built-figure.png", "built-figure.json"):
        (folder / "media" / name).write_bytes(b"x")
    scene = {"video": "media/ewa.mp4", "poster": "media/ewa.poster.png"}
    figure = {"image": "media/built-figure.png", "sidecar": "media/built-figure.json"}
    record = Record(
        folder,
        built={
            "ewa": {
                "key": "s1",
                "kind": "scene",
                "outputs": scene,
                "command": "landscape render ewa -q low -o ewa.mp4",
                "parameters": {"days": 365, "beta": 0.5},
                "details": {"width": 768, "height": 432},
            },
            "built-figure": {
                "key": built_key,
                "kind": "figure",
                "outputs": figure,
                "command": "landscape plot --kind ewa -o built-figure.png",
                "parameters": {"kind": "ewa", "betas": [0.5, 0.9]},
                "details": {"width": 1200, "height": 600},
            },
        },
        failed={
            "failed-figure": {
                "key": "f1",
                "error": "surface='nope' is not accepted",
                "log": "logs/failed-figure.log",
            }
        },
    )
    keys = {"ewa": "s1", "built-figure": current_key, "failed-figure": "f1", "later": "l1"}
    commands = {name: f"landscape plot ... -o {name}.png" for name in keys}
    formulas = {
        "a^2": Formula("a^2", "formulas/abc.svg", 24.0, 12.0),
        "\\broken": Formula("\\broken", None, error="x"),
    }
    return write_page(manifest, record, keys, commands, formulas).read_text()


def test_sections_in_order_with_navigation(tmp_path):
    html = page(tmp_path)
    assert html.index('<section class="topic" id="first">') < html.index(
        '<section class="topic" id="second">'
    )
    assert '<a href="#first"><span class="n">1</span>First</a>' in html
    assert '<a href="#second"><span class="n">2</span>Second</a>' in html


def test_built_items_with_parameters_and_command(tmp_path):
    html = page(tmp_path)
    assert '<video controls preload="metadata" playsinline width="768" height="432" ' in html
    assert 'poster="media/ewa.poster.png?v=s1" src="media/ewa.mp4?v=s1"' in html
    assert '<img src="media/built-figure.png?v=k1" width="1200" height="600" alt="Built.">' in html
    assert "<li><code>days=365</code></li><li><code>beta=0.5</code></li>" in html
    assert "<li><code>betas=0.5,0.9</code></li>" in html
    assert '<pre class="command"><code>landscape render ewa -q low -o ewa.mp4</code></pre>' in html
    assert "out of date" not in html


def test_missing_failed_and_stale_items(tmp_path):
    html = page(tmp_path)
    assert "<strong>later</strong> is not built yet: <code>landscape gallery --only later</code>" in html
    assert (
        'failed to build: surface=&#x27;nope&#x27; is not accepted (<a href="logs/failed-figure.log">log</a>)'
        in html
    )
    stale = page(tmp_path / "stale", built_key="k1", current_key="k2")
    assert '<p>Built.<span class="badge stale">out of date</span></p>' in stale


def test_text_is_escaped_and_scripts_marked_up(tmp_path):
    html = page(tmp_path)
    assert "<title>A &lt;small&gt; gallery · lecture gallery</title>" in html
    assert "First &amp; foremost" in html
    assert "Mini-batches X<sup>{t}</sup> of size m<sub>b</sub>; &lt;script&gt; stays text." in html
    assert "<td>20,000</td><td>0.5</td>" in html


def test_formulas_as_images_or_their_source(tmp_path):
    html = page(tmp_path)
    assert '<img src="formulas/abc.svg" alt="a^2" width="24" height="12" style="width:2.50em">' in html
    assert '<code class="tex">\\broken</code>' in html


def test_works_offline(tmp_path):
    html = page(tmp_path)
    assert not re.search(r"(?:src|href|poster)=\"(?:https?:)?//", html)
    assert "@import" not in html and "<link" not in html


def test_element_ids_are_unique(built_subset):
    """A scene named like its topic ("ewa" in the topic "ewa") gets an id of its own."""
    folder, _ = built_subset
    html = (folder / "index.html").read_text()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert "ewa" in ids and "item-ewa" in ids
    assert len(ids) == len(set(ids))
