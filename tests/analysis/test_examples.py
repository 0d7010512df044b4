"""The Examples sections of the analysis docstrings run and print what they show."""

import doctest
import importlib

import pytest

MODULES = [
    "landscape.analysis._bound",
    "landscape.analysis._classify",
    "landscape.analysis._critical_points",
    "landscape.analysis._density",
    "landscape.analysis._escape",
    "landscape.analysis._index_vs_value",
    "landscape.analysis._random_matrix",
    "landscape.analysis._rates",
    "landscape.analysis._spectrum",
    "landscape.surfaces._random_field",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
