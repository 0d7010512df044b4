"""Every public name of ``landscape`` has a page in the API reference, and every page's name exists.

Public modules are found by walking the package (every module whose dotted
name has no part starting with ``_``), and their public names are their
``__all__``: a new module or a new name fails here until ``docs/api/`` lists
it. The reference pages are read as text (their ``automodule``,
``currentmodule`` and ``autosummary`` directives), so this runs without Sphinx.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import landscape

API = Path(__file__).resolve().parents[2] / "docs" / "api"
_DIRECTIVE = re.compile(r"^\.\. (?:py:)?([\w-]+)::\s*(\S*)\s*$")
# Values whose identity means nothing: such a name needs its own entry on its own module's page.
_PLAIN = (str, bytes, int, float, complex, bool, tuple, list, dict, set, frozenset, type(None))


def public_modules(package=landscape) -> list[str]:
    """``landscape`` and every module below it whose dotted name has no ``_`` part."""
    names = [package.__name__]
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name.rsplit(".", 1)[1].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        names += public_modules(module) if info.ispkg else [info.name]
    return names


def documented(folder: Path = API) -> tuple[set[str], set[str]]:
    """``(names, modules)``: the fully qualified names the pages in ``folder`` document, and their modules."""
    names, modules = set(), set()
    for path in sorted(folder.glob("*.rst")):
        current, in_summary = None, False
        for line in path.read_text(encoding="utf-8").splitlines():
            directive = _DIRECTIVE.match(line)
            if directive:
                kind, argument = directive.groups()
                in_summary = kind == "autosummary"
                if kind in ("currentmodule", "module", "automodule"):
                    current = argument
                    if kind != "currentmodule":
                        modules.add(argument)
                elif kind.startswith("auto") and kind != "autosummary":
                    names.add(_qualified(argument, current))
                continue
            if in_summary:
                entry = line.strip()
                if line and not line[0].isspace():
                    in_summary = False
                elif entry and not entry.startswith(":"):
                    names.add(_qualified(entry.lstrip("~"), current))
    return names, modules


def _qualified(name: str, module: str | None) -> str:
    return name if module is None or name.startswith("landscape") else f"{module}.{name}"


def resolve(qualified: str):
    """The object a dotted name refers to, as autosummary finds it: ``MODULE.ATTRIBUTES`` first
    (so ``landscape.ewa`` is the function, not the module it shadows), then a module."""
    parts = qualified.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
            for part in parts[cut:]:
                target = getattr(target, part)
        except (ImportError, AttributeError):
            continue
        return target
    return importlib.import_module(qualified)


def test_every_public_module_declares_its_public_names():
    missing = [name for name in public_modules() if not hasattr(importlib.import_module(name), "__all__")]
    assert not missing, f"public modules without __all__ (say what is public): {', '.join(missing)}"


def test_every_public_module_has_a_page():
    _, modules = documented()
    missing = sorted(set(public_modules()) - modules)
    assert not missing, (
        "public modules without an API page: "
        + ", ".join(missing)
        + " -- add docs/api/NAME.rst with '.. automodule:: MODULE' and list it in docs/api/index.rst"
    )


def test_every_public_name_has_a_page():
    names, modules = documented()
    pages = {id(resolve(name)) for name in names} | {id(importlib.import_module(m)) for m in modules}
    missing = []
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if f"{module_name}.{name}" in names:
                continue
            if inspect.ismodule(value) and value.__name__ in modules:
                continue
            if not isinstance(value, _PLAIN) and id(value) in pages:
                continue  # re-exported: documented where it is defined or first exported
            missing.append(f"{module_name}.{name}")
    assert not missing, (
        "public names without a page in the API reference: "
        + ", ".join(missing)
        + " -- list each in an autosummary of its module's page in docs/api/"
    )


def test_every_name_on_the_pages_exists():
    names, modules = documented()
    broken = []
    for name in sorted(names | modules):
        try:
            resolve(name)
        except (ImportError, AttributeError):
            broken.append(name)
    assert not broken, f"the API pages name what does not exist: {', '.join(broken)}"


def test_the_reader_finds_names_and_modules(tmp_path):
    # The page reader itself: a module page, an autosummary with options, a name outside it.
    (tmp_path / "page.rst").write_text(
        "``landscape.noise``\n====\n\n.. automodule:: landscape.noise\n   :no-members:\n\n"
        ".. currentmodule:: landscape.noise\n\n.. autosummary::\n   :toctree: generated\n\n"
        "   gaussian\n   ~landscape.noise.minibatch\n\nText naming GaussianNoise.\n\n"
        ".. autoclass:: MinibatchNoise\n",
        encoding="utf-8",
    )
    names, modules = documented(tmp_path)
    assert modules == {"landscape.noise"}
    assert names == {
        "landscape.noise.gaussian",
        "landscape.noise.minibatch",
        "landscape.noise.MinibatchNoise",
    }
