"""The ``landscape`` command: trace, plot, analyse and reproduce from the shell.

Each subcommand lives in its own module here and defines ``command``; the
tuple ``SUBCOMMANDS`` below is the one place that lists them, so adding a
command is one new module and one line. Modules import only Click and light
parts of the library at import time; matplotlib, SciPy's optimizers, SymPy
and Manim are imported inside the commands, so ``landscape --help`` is
instant.

Shell completion (bash, zsh, fish) comes from Click::

    eval "$(_LANDSCAPE_COMPLETE=bash_source landscape)"   # in ~/.bashrc
    eval "$(_LANDSCAPE_COMPLETE=zsh_source landscape)"    # in ~/.zshrc
    _LANDSCAPE_COMPLETE=fish_source landscape | source    # in config.fish
"""

from __future__ import annotations

import importlib

import click

from .. import __version__
from .._machine import collect_garbage_less_often
from ._group import LandscapeGroup
from ._options import quiet_option

# The subcommand modules, in the order ``landscape --help`` lists them.
SUBCOMMANDS = (
    "_list",
    "_trace",
    "_plot",
    "_analyze",
    "_sweep",
    "_reproduce",
    "_render",
    "_gallery",
)


@click.group(
    cls=LandscapeGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog='Shell completion: eval "$(_LANDSCAPE_COMPLETE=bash_source landscape)" '
    "(zsh_source for zsh, fish_source for fish).",
)
@click.version_option(__version__, "-V", "--version", prog_name="landscape")
@quiet_option
def main():
    """See and measure how optimizers move over loss surfaces.

    \b
    Examples:
      landscape list optimizers
      landscape plot rosenbrock -O adam:lr=0.05 -O sgd:lr=0.001 --steps 500 -o rosenbrock.png
      landscape trace "expr:x**2 + 10*y**2" -O momentum:lr=0.05,beta=0.9 -o run.npz
      landscape analyze himmelblau
      landscape reproduce rosenbrock.json
    """
    collect_garbage_less_often()


for _module in SUBCOMMANDS:
    main.add_command(importlib.import_module(f".{_module}", __name__).command)

__all__ = ["SUBCOMMANDS", "main"]
