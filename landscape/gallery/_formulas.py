"""The page's formulas, typeset by LaTeX into SVG files (no fonts, no network, no script).

All new formulas are compiled in one LaTeX run, one ``preview`` page each
(in a box, so a long formula is never broken across lines),
then converted by ``dvisvgm`` with glyphs as paths, so the page shows the
same typesetting as the scenes' ``MathTex`` on any machine. Files are named
by a digest of the formula and its colour: a formula already typeset is
never compiled again.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .._io import atomic_path

FOLDER = "formulas"
_PREAMBLE = r"""\documentclass[12pt]{article}
\usepackage{amsmath,amssymb}
\usepackage{xcolor}
\usepackage[active,tightpage]{preview}
\setlength\PreviewBorder{1.5pt}
\begin{document}
"""
_PAGE = r"\begin{preview}\mbox{\color[HTML]{%(color)s}$\displaystyle %(tex)s$}\end{preview}"
_SIZE = re.compile(r"<svg[^>]*?\swidth='([\d.]+)pt'\s+height='([\d.]+)pt'")
_TIMEOUT = 120  # seconds


@dataclass(frozen=True)
class Formula:
    """A typeset formula: its file (relative to the gallery folder) and size in points, or the error."""

    tex: str
    path: str | None
    width: float = 0.0
    height: float = 0.0
    error: str | None = None


def typeset(formulas, folder: Path, *, color: str) -> dict[str, Formula]:
    """Typeset each TeX formula (math mode, display style) into ``folder/formulas/DIGEST.svg``.

    Parameters
    ----------
    formulas : iterable of str
        TeX math without the dollars (``v_t = \\beta v_{t-1}``).
    folder : pathlib.Path
        The gallery's output folder.
    color : str
        The ink, as ``#RRGGBB``.

    Notes
    -----
    SVG files of formulas not in ``formulas`` are deleted: the folder holds
    exactly the page's formulas.

    Returns
    -------
    dict
        TeX → ``Formula``; a formula LaTeX rejects (or every formula, when
        ``latex`` or ``dvisvgm`` is missing) has ``path=None`` and the reason
        in ``error``.
    """
    target = Path(folder) / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    names = {tex: f"{FOLDER}/{_digest(tex, color)}.svg" for tex in dict.fromkeys(formulas)}
    missing = [tex for tex, name in names.items() if not (Path(folder) / name).is_file()]
    errors = {}
    if missing:
        tools = [tool for tool in ("latex", "dvisvgm") if shutil.which(tool) is None]
        if tools:
            errors = dict.fromkeys(missing, f"{tools[0]} is not installed (see README: make system)")
        else:
            errors = _compile(missing, color, {tex: Path(folder) / names[tex] for tex in missing})
    for old in target.glob("*.svg"):  # formulas no longer in the manifest
        if f"{FOLDER}/{old.name}" not in names.values():
            old.unlink()
    result = {}
    for tex, name in names.items():
        if tex in errors:
            result[tex] = Formula(tex, None, error=errors[tex])
        else:
            width, height = _size(Path(folder) / name)
            result[tex] = Formula(tex, name, width, height)
    return result


def _compile(formulas: list[str], color: str, targets: dict[str, Path]) -> dict[str, str]:
    """Compile all together; if LaTeX fails, one by one to find the culprits. Returns the errors."""
    error = _compile_batch(formulas, color, targets)
    if error is None:
        return {}
    if len(formulas) == 1:
        return {formulas[0]: error}
    errors = {}
    for tex in formulas:
        single = _compile_batch([tex], color, targets)
        if single is not None:
            errors[tex] = single
    return errors


def _compile_batch(formulas: list[str], color: str, targets: dict[str, Path]) -> str | None:
    hex_color = color.lstrip("#").upper()
    pages = "".join(_PAGE % {"color": hex_color, "tex": tex} + "\n" for tex in formulas)
    with tempfile.TemporaryDirectory(prefix="landscape-formulas-") as scratch:
        scratch = Path(scratch)
        (scratch / "formulas.tex").write_text(_PREAMBLE + pages + "\\end{document}\n", encoding="utf-8")
        latex = _run(
            ["latex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "formulas.tex"],
            scratch,
        )
        if latex.returncode != 0 or not (scratch / "formulas.dvi").is_file():
            log = (
                (scratch / "formulas.log").read_text(errors="replace")
                if (scratch / "formulas.log").is_file()
                else ""
            )
            lines = [line for line in log.splitlines() if line.startswith("!")]
            return "LaTeX: " + (lines[0].lstrip("! ") if lines else "failed")
        svg = _run(
            ["dvisvgm", "--page=1-", "--no-fonts", "--exact-bbox", "-o", "page-%5p.svg", "formulas.dvi"],
            scratch,
        )
        if svg.returncode != 0:
            return "dvisvgm: " + (svg.stderr.strip().splitlines() or ["failed"])[-1]
        for page, tex in enumerate(formulas, start=1):
            produced = scratch / f"page-{page:05d}.svg"
            if not produced.is_file():
                return f"dvisvgm wrote no page {page}"
            with atomic_path(targets[tex]) as temporary:
                shutil.copyfile(produced, temporary)
    return None


def _run(arguments: list[str], folder: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            arguments, cwd=folder, capture_output=True, text=True, timeout=_TIMEOUT, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(arguments, 1, "", f"{arguments[0]} took longer than {_TIMEOUT} s")


def _digest(tex: str, color: str) -> str:
    return hashlib.sha256(f"{_PREAMBLE}\0{_PAGE}\0{color}\0{tex}".encode()).hexdigest()[:16]


def _size(path: Path) -> tuple[float, float]:
    match = _SIZE.search(path.read_text(errors="replace")[:2000])
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)
