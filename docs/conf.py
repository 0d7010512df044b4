"""Sphinx configuration of the landscape documentation (``make docs``).

The build is offline: no intersphinx, formulas typeset by the local LaTeX
(``imgmath``), every theme asset bundled. ``make docs`` runs it with warnings
as errors.
"""

import sys
from pathlib import Path

import landscape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import landscape_docs  # noqa: E402

project = "landscape"
author = "the landscape authors"
copyright = "the landscape authors"  # noqa: A001 (Sphinx's name)
version = release = landscape.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.imgmath",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_nb",
    "landscape_docs",
]

source_suffix = {".rst": "restructuredtext", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "examples/README.rst", "**.ipynb_checkpoints", "auto_examples/*.ipynb"]
templates_path = ["_templates"]
default_role = "py:obj"
nitpicky = False

# ---- API reference ---------------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
autodoc_inherit_docstrings = False
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = True

# ---- formulas: the local LaTeX, as SVG -------------------------------------------------------
imgmath_image_format = "svg"
imgmath_font_size = 14
imgmath_latex_preamble = landscape_docs.unicode_math_preamble()
html_math_renderer = "imgmath"

# ---- examples gallery ------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "image_scrapers": ("matplotlib", "landscape_docs.figure_scraper"),
    "capture_repr": ("_repr_html_", "__repr__"),
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "download_all_examples": False,
    "remove_config_comments": True,
    "min_reported_time": 0,
    "show_memory": False,
    "within_subsection_order": "landscape_docs.LectureOrder",
}

# ---- notebooks -------------------------------------------------------------------------------
nb_execution_mode = "force"
nb_execution_timeout = 120
nb_execution_raise_on_error = True
nb_merge_streams = True
myst_enable_extensions = ["dollarmath"]

# ---- page ------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "landscape"
html_static_path = ["_static"]
html_css_files = ["landscape.css"]
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}
# Pages without sub-pages use the whole width (no empty section navigation on the left).
html_sidebars = {page: [] for page in ("index", "getting_started", "lecture", "tutorial", "cli")}
