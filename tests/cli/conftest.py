"""Running the command in-process with Click's CliRunner, in an empty folder."""

import pytest
from click.testing import CliRunner

from landscape.cli import main


@pytest.fixture
def run(tmp_path, monkeypatch):
    """``run("plot", "rosenbrock", ...)`` in an empty working folder; returns Click's Result.

    An exception other than Click's propagates, unless ``catch=True`` keeps it in ``Result.exception``.
    """
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args, catch=False):
        return runner.invoke(main, list(args), prog_name="landscape", catch_exceptions=catch)

    return invoke
