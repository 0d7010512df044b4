"""The gallery page ``DIR/index.html``: one section per topic, working offline from the file system.

The page is a single HTML file with its style and a few lines of script
inline; it refers only to files in its own folder (``media/``,
``formulas/``, ``logs/``) by relative paths, so it opens from a USB stick
without a server or a network. It is rewritten after every item, from the
manifest and the build record, and shows what is built: items not built
yet, or whose build failed, appear as a line saying so.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from .. import __version__, style
from .._io import atomic_path
from ._explore import PAGE as EXPLORER_PAGE
from ._formulas import Formula
from ._manifest import Manifest, Numbers, Topic
from ._record import Record

PAGE_NAME = "index.html"
# The documentation's lecture page, as `make docs` builds it; the page links to it by relative path.
DOCS_LECTURE = Path(__file__).resolve().parents[2] / "docs" / "_build" / "html" / "lecture.html"
BACKGROUND, PANEL, INK, MUTED = "#101216", "#1A1D23", "#E8EAED", "#9AA0A6"
_TEX_POINT_SIZE = 12.0  # the formulas' LaTeX font size: 12 pt of SVG is one em of page text
_FORMULA_SCALE = 1.25  # formulas a little larger than the text around them

_STYLE = """
:root {
  --background: %(background)s; --panel: %(panel)s; --ink: %(ink)s; --muted: %(muted)s;
  --accent: %(sky_blue)s; --highlight: %(orange)s; --good: %(bluish_green)s; --bad: %(vermillion)s;
}
* { box-sizing: border-box; }
html { font-size: clamp(17px, 0.5vw + 12px, 28px); scroll-behavior: smooth; scroll-padding-top: 3.5rem; }
body { margin: 0; background: var(--background); color: var(--ink); line-height: 1.5;
  font-family: "Source Sans 3", "Noto Sans", "DejaVu Sans", system-ui, sans-serif; }
a { color: var(--accent); }
code, pre { font-family: "DejaVu Sans Mono", "Noto Sans Mono", ui-monospace, monospace; font-size: 0.85em; }
header.top { padding: 2rem max(1rem, 4vw) 1rem; }
h1 { font-size: 2.2rem; margin: 0 0 0.3rem; line-height: 1.15; }
.subtitle { color: var(--muted); margin: 0 0 1rem; max-width: 60rem; }
.explore { margin: 0 0 1rem; font-size: 1.05rem; }
nav { position: sticky; top: 0; z-index: 2; background: var(--background); border-bottom: 1px solid #2A2E36;
  padding: 0.4rem max(1rem, 4vw); }
@media (max-width: 40rem) { nav { position: static; } }
nav ol { list-style: none; display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; margin: 0; padding: 0; }
nav li { white-space: nowrap; }
nav a { text-decoration: none; color: var(--muted); font-size: 0.9rem; }
nav a.current, nav a:hover { color: var(--ink); }
.n { display: inline-block; min-width: 1.6em; margin-right: 0.25em; color: var(--highlight);
  font-weight: 700; }
main { padding: 0 max(1rem, 4vw) 3rem; }
section.topic { padding: 2.2rem 0 1.5rem; border-bottom: 1px solid #2A2E36; }
h2 { font-size: 1.8rem; margin: 0 0 0.8rem; line-height: 1.2; }
.lead { display: grid; gap: 1rem 2.5rem; grid-template-columns: minmax(0, 1fr); align-items: start; }
@media (min-width: 70rem) { .lead { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); } }
.summary { margin: 0; max-width: 48rem; }
.formulas { display: flex; flex-direction: column; gap: 0.7rem; margin: 0.8rem 0 0; }
.formulas img { display: block; max-width: 100%%; height: auto; }
.formulas code.tex { color: var(--muted); }
table.numbers { border-collapse: collapse; font-variant-numeric: tabular-nums; background: var(--panel);
  border-radius: 0.4rem; overflow: hidden; }
table.numbers caption { text-align: left; color: var(--muted); font-size: 0.85rem; padding-bottom: 0.3rem; }
table.numbers th, table.numbers td { padding: 0.3rem 0.9rem; text-align: left; }
table.numbers th { color: var(--muted); font-weight: 600; border-bottom: 1px solid #2A2E36; }
figure { margin: 1.4rem 0 0; }
figure.scene video { display: block; width: min(100%%, calc(82vh * 16 / 9)); height: auto;
  aspect-ratio: 16 / 9; background: #000; border-radius: 0.4rem; }
.figures { display: grid; gap: 1.4rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%%, 26rem), 1fr)); }
.figures figure { margin-top: 1.4rem; }
.figures img { display: block; width: 100%%; height: auto; background: #fff; border-radius: 0.4rem; }
figcaption { margin-top: 0.5rem; color: var(--ink); }
figcaption p { margin: 0.2rem 0; }
.params { display: flex; flex-wrap: wrap; gap: 0.3rem 0.5rem; padding: 0; margin: 0.4rem 0;
  list-style: none; }
.params li { min-width: 0; max-width: 100%%; }
.params li code { display: inline-block; max-width: 100%%; overflow-wrap: anywhere; background: var(--panel);
  padding: 0.05rem 0.4rem; border-radius: 0.3rem; color: var(--muted); }
pre.command { margin: 0.4rem 0 0; padding: 0.5rem 0.8rem; background: var(--panel); border-left: 0.25rem solid
  var(--accent); border-radius: 0.3rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
pre.command code { user-select: all; }
.badge { font-size: 0.75rem; padding: 0.05rem 0.5rem; border-radius: 1rem; margin-left: 0.5rem;
  border: 1px solid currentColor; vertical-align: middle; }
.badge.stale { color: var(--highlight); }
.missing { margin-top: 1.4rem; padding: 1rem 1.2rem; background: var(--panel); border-radius: 0.4rem;
  border-left: 0.25rem solid var(--muted); color: var(--muted); }
.missing.failed { border-left-color: var(--bad); }
footer { padding: 1.5rem max(1rem, 4vw) 3rem; color: var(--muted); font-size: 0.85rem; }
""" % ({"background": BACKGROUND, "panel": PANEL, "ink": INK, "muted": MUTED} | style.OKABE_ITO)

# Arrow keys (or j/k) jump between sections; the navigation marks the section in view.
_SCRIPT = """
(function () {
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.topic"));
  var links = {};
  document.querySelectorAll("nav a").forEach(function (a) { links[a.getAttribute("href").slice(1)] = a; });
  function current() {
    var index = 0;
    sections.forEach(function (s, i) {
      if (s.getBoundingClientRect().top < window.innerHeight / 3) index = i;
    });
    return index;
  }
  function mark() {
    var id = sections.length ? sections[current()].id : null;
    Object.keys(links).forEach(function (key) { links[key].classList.toggle("current", key === id); });
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "video" || tag === "input" || event.altKey || event.ctrlKey || event.metaKey) return;
    var step = { ArrowRight: 1, ArrowLeft: -1, j: 1, k: -1 }[event.key];
    if (!step || !sections.length) return;
    var next = sections[Math.max(0, Math.min(sections.length - 1, current() + step))];
    next.scrollIntoView();
    event.preventDefault();
  });
  window.addEventListener("scroll", mark, { passive: true });
  mark();
})();
"""


def write_page(
    manifest: Manifest, record: Record, keys: dict, commands: dict, formulas: dict[str, Formula]
) -> Path:
    """Write ``index.html`` in the record's folder; return its path.

    Parameters
    ----------
    manifest : Manifest
    record : Record
        What is built (and what failed).
    keys : dict
        Item name → the digest of its current inputs (an entry with another
        key is shown, marked out of date).
    commands : dict
        Item name → the command that would build it now (shown for items not built).
    formulas : dict
        TeX → ``Formula`` (from ``typeset``).
    """
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="landscape gallery">',
        f"<title>{_e(manifest.title)} · lecture gallery</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        '<header class="top">',
        f"<h1>{_e(manifest.title)}</h1>",
        f'<p class="subtitle">{_e(manifest.subtitle)}</p>' if manifest.subtitle else "",
        _explorer_link(record.folder),
        f'<p class="subtitle">{_docs_link(record, "", "The documentation")}: each topic with the library '
        "behind it, a user guide, examples and the API (<code>make docs</code> builds it).</p>",
        "</header>",
        _navigation(manifest),
        "<main>",
        *(
            _section(number, topic, record, keys, commands, formulas)
            for number, topic in enumerate(manifest.topics, 1)
        ),
        "</main>",
        f"<footer>Built by landscape {_e(__version__)} from <code>{_e(manifest.path.name)}</code>. "
        "Rebuild or complete it with <code>landscape gallery</code>; each item shows the command that "
        "reproduces it on its own. Keys: ← → (or j, k) move between topics.</footer>",
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    path = record.folder / PAGE_NAME
    with atomic_path(path) as temporary:
        temporary.write_text("\n".join(part for part in parts if part) + "\n", encoding="utf-8")
    return path


def _explorer_link(folder: Path) -> str:
    if not (folder / EXPLORER_PAGE).is_file():
        return ""
    return (
        f'<p class="explore"><a href="{EXPLORER_PAGE}">Explore the optimizers live</a>: pick a surface, '
        "an optimizer and its hyperparameters and watch the paths change (precomputed, offline).</p>"
    )


def _navigation(manifest: Manifest) -> str:
    entries = "".join(
        f'<li><a href="#{topic.id}"><span class="n">{number}</span>{_e(topic.short)}</a></li>'
        for number, topic in enumerate(manifest.topics, 1)
    )
    return f'<nav aria-label="Topics"><ol>{entries}</ol></nav>'


def _section(number: int, topic: Topic, record: Record, keys, commands, formulas) -> str:
    scenes = [item for item in topic.items if item.kind == "scene"]
    figures = [item for item in topic.items if item.kind == "figure"]
    lead = [f'<div><p class="summary">{_text(topic.summary)}</p>{_formulas(topic, formulas)}</div>']
    if topic.numbers is not None:
        lead.append(_numbers(topic.numbers))
    body = [
        f'<section class="topic" id="{topic.id}">',
        f'<h2><span class="n">{number}</span>{_e(topic.title)}</h2>',
        f'<div class="lead">{"".join(lead)}</div>',
    ]
    if DOCS_LECTURE.is_file():  # a bare "In the documentation" would lead nowhere
        link = _docs_link(record, f"#lecture-{topic.id}", "In the documentation")
        body.append(f'<p class="subtitle">{link}</p>')
    body += [_item(item, record, keys, commands) for item in scenes]
    if figures:
        body.append(
            f'<div class="figures">{"".join(_item(item, record, keys, commands) for item in figures)}</div>'
        )
    body.append("</section>")
    return "\n".join(body)


def _formulas(topic: Topic, formulas: dict[str, Formula]) -> str:
    shown = []
    for tex in topic.formulas:
        formula = formulas.get(tex)
        if formula is None or formula.path is None:
            shown.append(f'<code class="tex">{_e(tex)}</code>')
            continue
        width = formula.width * _FORMULA_SCALE / _TEX_POINT_SIZE  # in em of the text around
        shown.append(
            f'<img src="{formula.path}" alt="{_e(tex)}" width="{formula.width:.0f}" '
            f'height="{formula.height:.0f}" style="width:{width:.2f}em">'
        )
    return f'<div class="formulas">{"".join(shown)}</div>' if shown else ""


def _numbers(numbers: Numbers) -> str:
    head = "".join(f"<th>{_e(column)}</th>" for column in numbers.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_text(_cell(c))}</td>" for c in row) + "</tr>" for row in numbers.rows
    )
    return f'<table class="numbers"><caption>The lecture\'s numbers</caption><tr>{head}</tr>{rows}</table>'


def _item(item, record: Record, keys, commands) -> str:
    entry = record.built.get(item.name) if record.complete(item.name) else None
    failure = record.failed.get(item.name)
    if entry is None:
        if failure is not None:
            return (
                f'<div class="missing failed"><strong>{_e(item.name)}</strong> failed to build: '
                f'{_e(failure["error"])} (<a href="{_e(failure["log"])}">log</a>)</div>'
            )
        return (
            f'<div class="missing"><strong>{_e(item.name)}</strong> is not built yet: '
            f"<code>landscape gallery --only {_e(item.name)}</code> or "
            f"<code>{_e(commands[item.name])}</code></div>"
        )
    version = entry["key"][:10]
    badge = "" if entry["key"] == keys.get(item.name) else '<span class="badge stale">out of date</span>'
    if failure is not None:
        badge += '<span class="badge stale">rebuild failed</span>'
    details = entry["details"]
    outputs = entry["outputs"]
    if item.kind == "scene":
        media = (
            f'<video controls preload="metadata" playsinline width="{details["width"]}" '
            f'height="{details["height"]}" poster="{_e(outputs["poster"])}?v={version}" '
            f'src="{_e(outputs["video"])}?v={version}"></video>'
        )
        kind = "scene"
    else:
        source = f"{_e(outputs['image'])}?v={version}"
        media = (
            f'<a href="{source}"><img src="{source}" width="{details["width"]}" '
            f'height="{details["height"]}" alt="{_e(item.caption or item.name)}"></a>'
        )
        kind = "figure"
    caption = f"<p>{_text(item.caption)}{badge}</p>" if item.caption or badge else ""
    parameters = "".join(
        f"<li><code>{_e(k)}={_e(_cell(v))}</code></li>" for k, v in entry["parameters"].items()
    )
    return (
        f'<figure class="{kind}" id="item-{item.name}">{media}<figcaption>{caption}'
        f'<ul class="params" aria-label="parameters">{parameters}</ul>'
        f'<pre class="command"><code>{_e(entry["command"])}</code></pre></figcaption></figure>'
    )


def _docs_link(record: Record, anchor: str, text: str) -> str:
    """A link to the documentation's lecture page (relative to the gallery's folder) once
    ``make docs`` has built it; until then the text alone, so the page has no broken link."""
    if not DOCS_LECTURE.is_file():
        return _e(text)
    target = Path(os.path.relpath(DOCS_LECTURE, record.folder.resolve())).as_posix()
    return f'<a href="{_e(target + anchor)}">{_e(text)}</a>'


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 1e-4 or value == 0 else f"{value:.0e}"
    if isinstance(value, list):
        if value and all(isinstance(v, list) for v in value):  # pairs such as a manual decay's (epoch, α)
            return ", ".join("(" + ", ".join(_cell(x) for x in v) + ")" for v in value)
        return ",".join(_cell(v) for v in value)
    if isinstance(value, dict):  # a sweep described in a figure's configuration
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


_SCRIPTS = re.compile(r"([\^_])\{((?:[^{}]|\{[^{}]*\})*)\}")


def _text(text: str) -> str:
    """Escaped text in which ``x^{2}`` and ``x_{t}`` become super- and subscripts."""
    tags = {"^": "sup", "_": "sub"}
    return _SCRIPTS.sub(lambda m: f"<{tags[m[1]]}>{m[2]}</{tags[m[1]]}>", _e(text))


def _e(text) -> str:
    return html.escape(str(text), quote=True)
