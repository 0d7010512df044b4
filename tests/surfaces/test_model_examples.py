"""The Examples sections of the model surfaces' docstrings run and print what they show."""

import doctest
import importlib

import pytest

MODULES = [
    "landscape.surfaces._datasets",
    "landscape.surfaces._finite_sum",
    "landscape.surfaces._mlp",
    "landscape.surfaces._torch",
    "landscape.plot._data",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name.endswith("_torch"):
        pytest.importorskip("torch")
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
