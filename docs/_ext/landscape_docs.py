"""Sphinx helpers of the landscape documentation.

* ``.. lecture-topics::`` writes one section per topic of the lecture gallery's
  manifest (summary, formulas, the lecture's numbers, its scenes and figures)
  and links each to the API and the examples in ``LECTURE_LINKS``;
* ``.. command-help::`` prints ``landscape --help`` and every subcommand's help;
* ``figure_scraper`` lets sphinx-gallery show the pyplot-free Figures that
  ``landscape.plot`` returns;
* NamedTuple fields ("Alias for field number 0") are left out of the API pages;
* formulas typeset by LaTeX are kept in ``~/.cache/landscape/docs-math`` between builds (each
  file is named by a digest of its whole LaTeX source, so a kept one is never stale).
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from pathlib import Path
from weakref import WeakSet

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
STILLS = ROOT / "gallery" / "stills"
# From a built page (docs/_build/html/PAGE.html) to the lecture gallery's page.
GALLERY_PAGE = "../../../gallery/build/index.html"

# Lecture topic id -> (the API it uses, the examples that show it).
LECTURE_LINKS = {
    "minibatch": (
        ["landscape.trace", "landscape.surfaces.LinearRegression", "landscape.noise.minibatch"],
        ["plot_minibatch_sizes"],
    ),
    "batch-size": (
        ["landscape.trace", "landscape.surfaces.FiniteSumSurface", "landscape.plot.loss"],
        ["plot_minibatch_sizes"],
    ),
    "ewa": (
        ["landscape.ewa", "landscape.london_temperature", "landscape.plot.ewa_temperature"],
        ["plot_ewa"],
    ),
    "ewa-weights": (["landscape.ewa_weights", "landscape.effective_window"], ["plot_ewa"]),
    "bias-correction": (["landscape.ewa", "landscape.optim.scale_by_momentum"], ["plot_ewa"]),
    "momentum": (
        [
            "landscape.optim.momentum",
            "landscape.analysis.heavy_ball_stable",
            "landscape.analysis.quadratic_rates",
            "landscape.sweep",
        ],
        ["plot_momentum_stability", "plot_convergence_rates"],
    ),
    "rmsprop": (["landscape.optim.rmsprop", "landscape.optim.scale_by_rms"], ["plot_adam_vs_sgd"]),
    "adam": (
        ["landscape.optim.adam", "landscape.optim.adamw", "landscape.optim.scale_by_adam"],
        ["plot_adam_vs_sgd"],
    ),
    "lr-decay": (
        ["landscape.schedules", "landscape.plot.learning_rate"],
        ["plot_learning_rate_decay"],
    ),
    "local-optima": (
        [
            "landscape.critical_points",
            "landscape.analysis.hessian_spectrum",
            "landscape.analysis.minimum_fraction",
            "landscape.analysis.escape_time",
            "landscape.surfaces.mlp",
            "landscape.slices.random_slice",
            "landscape.slices.pca_slice",
            "landscape.analysis.index_vs_value",
        ],
        ["plot_critical_points", "plot_semicircle", "plot_minima_vs_dimension", "plot_saddle_escape"],
    ),
}

# Characters the docstrings write inside :math: (LaTeX's inputenc needs each defined).
UNICODE_MATH = {
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "ζ": r"\zeta",
    "η": r"\eta",
    "θ": r"\theta",
    "ι": r"\iota",
    "κ": r"\kappa",
    "λ": r"\lambda",
    "μ": r"\mu",
    "ν": r"\nu",
    "ξ": r"\xi",
    "π": r"\pi",
    "ρ": r"\rho",
    "σ": r"\sigma",
    "τ": r"\tau",
    "υ": r"\upsilon",
    "φ": r"\varphi",
    "χ": r"\chi",
    "ψ": r"\psi",
    "ω": r"\omega",
    "Γ": r"\Gamma",
    "Δ": r"\Delta",
    "Θ": r"\Theta",
    "Λ": r"\Lambda",
    "Ξ": r"\Xi",
    "Π": r"\Pi",
    "Σ": r"\Sigma",
    "Φ": r"\Phi",
    "Ψ": r"\Psi",
    "Ω": r"\Omega",
    "∇": r"\nabla",
    "∂": r"\partial",
    "‖": r"\|",
    "·": r"\cdot",
    "×": r"\times",
    "−": "-",
    "≈": r"\approx",
    "≤": r"\le",
    "≥": r"\ge",
    "≠": r"\ne",
    "∈": r"\in",
    "∞": r"\infty",
    "√": r"\surd",
    "∑": r"\sum",
    "→": r"\to",
    "±": r"\pm",
    "ℓ": r"\ell",
    "ŷ": r"\hat{y}",
    "𝔅": r"\mathfrak{B}",
    "ᵀ": r"^{\mathsf{T}}",
}


def unicode_math_preamble() -> str:
    """LaTeX lines that map each character of ``UNICODE_MATH`` to its command."""
    return "\n".join(
        rf"\DeclareUnicodeCharacter{{{ord(char):04X}}}{{\ensuremath{{{command}}}}}"
        for char, command in UNICODE_MATH.items()
    )


# The examples in the order of the lecture; others follow by file name.
EXAMPLE_ORDER = (
    "plot_minibatch_sizes.py",
    "plot_ewa.py",
    "plot_momentum_stability.py",
    "plot_convergence_rates.py",
    "plot_adam_vs_sgd.py",
    "plot_surface3d.py",
    "plot_learning_rate_decay.py",
    "plot_critical_points.py",
    "plot_saddle_escape.py",
    "plot_minima_vs_dimension.py",
    "plot_semicircle.py",
    "plot_index_vs_loss.py",
    "plot_own_surface.py",
    "plot_many_particles.py",
)


class LectureOrder:
    """sphinx-gallery's sort key of the examples: ``EXAMPLE_ORDER``, then the rest by name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename: str):
        known = filename in EXAMPLE_ORDER
        return (0, EXAMPLE_ORDER.index(filename), "") if known else (1, 0, filename)

    def __repr__(self) -> str:
        return "LectureOrder"


_SCRIPTS = re.compile(r"([\^_])\{((?:[^{}]|\{[^{}]*\})*)\}")
_RST_SPECIAL = re.compile(r"([\\`*_|])")
logger = logging.getLogger(__name__)


def rst_text(text: str) -> str:
    """Plain manifest text as reST: ``x^{2}`` and ``x_{t}`` become super- and subscripts."""
    parts, last = [], 0
    for match in _SCRIPTS.finditer(text):
        parts.append(_RST_SPECIAL.sub(r"\\\1", text[last : match.start()]))
        role = "sup" if match[1] == "^" else "sub"
        inner = _RST_SPECIAL.sub(r"\\\1", match[2])
        parts.append(rf"\ :{role}:`{inner}`\ ")
        last = match.end()
    parts.append(_RST_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(parts)


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    return rst_text(str(value))


def topic_rst(topic, underline: str, folder: Path) -> list[str]:
    """The reST lines of one lecture topic, for a page in ``folder``."""
    api, examples = LECTURE_LINKS.get(topic.id, ([], []))
    lines = [f".. _lecture-{topic.id}:", "", topic.title, underline * len(topic.title), ""]
    lines += [rst_text(topic.summary), ""]
    for tex in topic.formulas:
        lines += [".. math::", "", f"   {tex}", ""]
    if topic.numbers is not None:
        lines += [".. list-table:: The lecture's numbers", "   :header-rows: 1", ""]
        for row in (topic.numbers.columns, *topic.numbers.rows):
            lines.append("   * - " + _cell(row[0]))
            lines += [f"     - {_cell(cell)}" for cell in row[1:]]
        lines.append("")
    for item in topic.items:
        if item.kind == "scene":
            params = " ".join(f"{k}={v}" for k, v in item.params.items())
            command = f"landscape render {item.scene} -q high -o {item.name}.mp4 {params}".strip()
            lines += [
                f"**Scene** ``{item.scene}``: {rst_text(item.caption)}",
                "",
                "::",
                "",
                f"   {command}",
                "",
            ]
            still = STILLS / f"{item.scene}.png"
            if still.exists():
                path = os.path.relpath(still, folder)
                lines += [f".. image:: {path}", f"   :alt: {item.scene}, last frame", ""]
        else:
            code = f"fig = ls.plot.figure_from_config({item.config!r})"
            lines += [
                f"**Figure** ``{item.name}``: {rst_text(item.caption)}",
                "",
                ".. code-block:: python",
                "",
                *(f"   {line}" for line in textwrap.wrap(code, 96, subsequent_indent="       ")),
                "",
            ]
    links = [f"`{name}`" for name in api] + [f":ref:`sphx_glr_auto_examples_{e}.py`" for e in examples]
    if links:
        lines += ["**In the library:** " + ", ".join(links) + ".", ""]
    lines += [
        f"**In the lecture gallery:** `{topic.title} <{GALLERY_PAGE}#{topic.id}>`__ "
        "(after ``make gallery``).",
        "",
    ]
    return lines


class LectureTopics(SphinxDirective):
    """One section per topic of the gallery manifest, in lecture order."""

    option_spec = {"underline": str}

    def run(self):
        from landscape.gallery import default_manifest, load_manifest

        path = default_manifest()
        self.env.note_dependency(str(path))
        self.env.note_dependency(__file__)
        manifest = load_manifest(path)
        for topic in manifest.topics:
            if topic.id not in LECTURE_LINKS:
                logger.warning(
                    "lecture topic %r has no entry in LECTURE_LINKS (docs/_ext/landscape_docs.py)",
                    topic.id,
                    location=(self.env.docname, self.lineno),
                )
        underline = self.options.get("underline", "-")
        folder = Path(self.env.doc2path(self.env.docname)).parent
        lines = [line for topic in manifest.topics for line in topic_rst(topic, underline, folder)]
        return self.parse_text_to_nodes("\n".join(lines), allow_section_headings=True)


class CommandHelp(SphinxDirective):
    """``landscape --help`` and the help of each subcommand, each under its own heading."""

    def run(self):
        import click

        from landscape.cli import main

        root = click.Context(main, info_name="landscape", terminal_width=100, max_content_width=100)
        sections = [_help_section("landscape", main.get_help(root))]
        for name, command in main.commands.items():
            context = click.Context(command, info_name=name, parent=root, terminal_width=100)
            sections.append(_help_section(f"landscape {name}", command.get_help(context)))
        return sections


def _help_section(title: str, text: str) -> nodes.section:
    section = nodes.section(ids=[nodes.make_id(title)], names=[nodes.fully_normalize_name(title)])
    section += nodes.title(text=title)
    section += nodes.literal_block(text, text, language="text")
    return section


_SCRAPED: WeakSet = WeakSet()


def figure_scraper(block, block_vars, gallery_conf, **kwargs):
    """Save the matplotlib Figures an example holds in its variables (once each)."""
    from matplotlib.figure import Figure
    from sphinx_gallery.scrapers import figure_rst

    figures = [
        value
        for value in block_vars["example_globals"].values()
        if isinstance(value, Figure) and value not in _SCRAPED
    ]
    paths = []
    for figure, path in zip(figures, block_vars["image_path_iterator"], strict=False):
        figure.savefig(path, dpi=110, bbox_inches="tight")
        _SCRAPED.add(figure)
        paths.append(path)
    return figure_rst(paths, gallery_conf["src_dir"])


def _skip_namedtuple_fields(app, what, name, obj, skip, options):
    doc = getattr(obj, "__doc__", None) or ""
    if doc.startswith("Alias for field number"):
        return True
    return None


def _command_docstring(app, what, name, obj, options, lines):
    """A Click command's docstring is its ``--help`` text (Click markup, not reST): point to it."""
    import click

    if isinstance(obj, click.Command):
        lines[:] = [lines[0], "", "Every subcommand and option is described on :doc:`/cli`."]


def math_cache() -> Path:
    """Where typeset formulas are kept between builds (named by a digest of their LaTeX)."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "landscape" / "docs-math"


def _math_folder(app) -> Path:
    return Path(app.outdir) / "_images" / "math"


def _restore_formulas(app):
    """imgmath skips a formula whose file exists: bring back those typeset by earlier builds."""
    cache = math_cache()
    if app.config.html_math_renderer != "imgmath" or not cache.is_dir():
        return
    folder = _math_folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    for path in cache.glob("*.svg"):
        if not (folder / path.name).exists():
            shutil.copyfile(path, folder / path.name)


def _keep_formulas(app, exception):
    if exception is not None or not _math_folder(app).is_dir():
        return
    cache = math_cache()
    cache.mkdir(parents=True, exist_ok=True)
    for path in _math_folder(app).glob("*.svg"):
        if not (cache / path.name).exists():
            temporary = cache / f".{path.name}.{os.getpid()}"
            shutil.copyfile(path, temporary)
            os.replace(temporary, cache / path.name)


def setup(app):
    app.add_directive("lecture-topics", LectureTopics)
    app.add_directive("command-help", CommandHelp)
    app.connect("autodoc-skip-member", _skip_namedtuple_fields)
    app.connect("autodoc-process-docstring", _command_docstring, priority=400)
    app.connect("builder-inited", _restore_formulas)
    app.connect("build-finished", _keep_formulas)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
