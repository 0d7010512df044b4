"""The Examples sections of the slices' docstrings run and print what they show."""

import doctest
import importlib

import pytest

MODULES = [
    "landscape.slices._build",
    "landscape.slices._directions",
    "landscape.slices._pca",
    "landscape.slices._slice",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
