"""Parameter types: every spec and path is checked when the command line is read.

Each ``convert`` turns the library's ``InvalidArgument`` into Click's ``fail``, so
a bad value is reported as ``Invalid value for '-O' / '--optimizer': ...`` on
one line, before any work starts.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from .. import optim, surfaces
from .. import specs as spec_parser
from .._io import unwritable
from .._validation import InvalidArgument
from ..sweeping import FORMATS as RESULT_FORMATS


class _LibraryType(click.ParamType):
    """Calls ``check(value)`` and reports its ``InvalidArgument`` as a bad parameter."""

    def check(self, value):
        raise NotImplementedError

    def convert(self, value, param, ctx):
        try:
            return self.check(value)
        except InvalidArgument as error:
            self.fail(str(error), param, ctx)


class SurfaceType(_LibraryType):
    """``NAME[:key=value,...]``, ``expr:FORMULA`` or ``file.py:ATTRIBUTE``, as canonical text."""

    name = "SURFACE"

    def check(self, value):
        spec = spec_parser.parse_surface_spec(value)
        spec.build()  # parameters are checked now, not after minutes of work
        return spec.text

    def shell_complete(self, ctx, param, incomplete):
        options = [*surfaces.names(), "expr:"]
        return [CompletionItem(n) for n in options if n.startswith(incomplete)]


_FILE_NAME = re.compile(r"^[^:]*\.[A-Za-z][A-Za-z0-9]{0,7}$")  # run.npz, notes.txt; not a spec


class SurfaceOrResultsType(SurfaceType):
    """A surface spec, or a sweep's results file (``.parquet``, ``.csv``) returned as a ``Path``."""

    name = "SURFACE|RESULTS"

    def check(self, value):
        path = Path(value)
        if path.suffix.lower() not in RESULT_FORMATS:
            try:
                return super().check(value)
            except InvalidArgument:
                if not _is_file(path) and not _FILE_NAME.match(path.name):
                    raise
                raise InvalidArgument(
                    f"{value!r} is not accepted; expected a surface spec such as 'rosenbrock' or a "
                    f"sweep's results file ({', '.join(RESULT_FORMATS)})"
                ) from None
        if not _is_file(path):
            raise InvalidArgument(f"{value!r} is not accepted; expected an existing results file of a sweep")
        return path.resolve()


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for a file is no file
        return False


class PairType(click.ParamType):
    """``KEY=VALUE`` as a pair of strings (``batch_size=64``)."""

    name = "KEY=VALUE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        key, equals, text = str(value).partition("=")
        if not equals or not key.strip().isidentifier() or not text.strip():
            self.fail(f"{value!r} is not accepted; expected KEY=VALUE such as batch_size=64", param, ctx)
        return key.strip(), text.strip()


class NamesType(click.ParamType):
    """``count`` comma-separated names (``lr,beta``)."""

    def __init__(self, count: int):
        self.count = count
        self.name = ",".join(["NAME"] * count)

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        names = [part.strip() for part in str(value).split(",")]
        if len(names) != self.count or not all(n.isidentifier() for n in names):
            self.fail(f"{value!r} is not accepted; expected {self.count} comma-separated names", param, ctx)
        return names


class OptimizerType(_LibraryType):
    """``NAME[:key=value,...]`` of a registered optimizer; stays text."""

    name = "SPEC"

    def check(self, value):
        spec_parser.parse_optimizer(value)
        return value

    def shell_complete(self, ctx, param, incomplete):
        return [CompletionItem(n) for n in optim.names() if n.startswith(incomplete)]


class NoiseType(_LibraryType):
    """``SIGMA``, ``gaussian:sigma=S`` or ``minibatch:batch_size=B,dataset_size=M,scale=S``."""

    name = "NOISE"

    def check(self, value):
        spec_parser.parse_noise(value)
        return value


class NumbersType(click.ParamType):
    """Comma-separated numbers such as ``1.5,-2`` (``count`` of them; whole with ``integers``)."""

    def __init__(self, count=None, *, integers=False, minimum=None, words=()):
        self.count, self.integers, self.minimum, self.words = count, integers, minimum, tuple(words)
        kind = "N" if integers else "X"
        self.name = ",".join([kind] * count) if count else f"{kind},{kind},..."

    def convert(self, value, param, ctx):
        if isinstance(value, list) or value in self.words:
            return value
        what = "integers" if self.integers else "numbers"
        accepted = f"{self.count or 'one or more'} comma-separated {what}"
        if self.minimum is not None:
            accepted += f" >= {self.minimum}"
        if self.words:
            accepted += " or " + " or ".join(repr(w) for w in self.words)
        try:
            numbers = [(int if self.integers else float)(part) for part in str(value).split(",")]
        except ValueError:
            self.fail(f"{value!r} is not accepted; expected {accepted}", param, ctx)
        bad = (self.count is not None and len(numbers) != self.count) or any(
            not abs(n) < float("inf") or (self.minimum is not None and n < self.minimum) for n in numbers
        )
        if bad:
            self.fail(f"{value!r} is not accepted; expected {accepted}", param, ctx)
        return numbers


class OutputType(click.ParamType):
    """A file to write: its suffix among ``suffixes``, in a folder that takes new files."""

    name = "PATH"

    def __init__(self, suffixes):
        self.suffixes = tuple(suffixes)

    def convert(self, value, param, ctx):
        path = Path(value)
        if path.suffix.lower() not in self.suffixes:
            self.fail(
                f"{value!r} is not accepted; expected a name ending in {', '.join(self.suffixes)}",
                param,
                ctx,
            )
        reason = unwritable(path)
        if reason is not None:
            self.fail(f"{value!r} is not accepted; {reason}", param, ctx)
        return str(path)

    def shell_complete(self, ctx, param, incomplete):
        return [CompletionItem(incomplete, type="file")]
