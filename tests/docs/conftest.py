"""The documentation's tests: marked ``docs`` (``pytest -m "not docs"`` leaves them out)."""

from pathlib import Path

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "docs: builds pages of the documentation or runs its notebook")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.docs)
