"""The root group's behaviour: one-line errors, bad input as usage errors, tidy warnings."""

from __future__ import annotations

import sys
import warnings

import click

from .._validation import InvalidArgument
from ._progress import clear_bars


class LibraryError(click.UsageError):
    """An ``InvalidArgument`` from the library, shown as a usage error (exit status 2)."""


class LandscapeGroup(click.Group):
    """A Click group whose every failure on bad input is one line on stderr and exit status 2.

    * Click's own usage errors are printed as ``Error: ...`` on one line
      (without the usage block), with a pointer to ``--help`` where useful.
    * ``landscape.InvalidArgument`` raised by the library inside a command
      -- the package's bad input, with a message naming the parameter, the
      value and what is accepted -- becomes a usage error.
    * Any other exception (from a user's own surface, or a bug) is shown as
      itself, with its traceback, and exit status 1: it is never dressed up
      as bad input. Running out of memory despite the estimates is one line
      with exit status 1.
    * Warnings (e.g. diverged particles) print as one ``Warning: ...`` line.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            click.echo(f"Error: {_message(error)}", err=True)
            sys.exit(error.exit_code)
        except click.Abort as abort:
            # what was finished in spite of the interrupt (e.g. an output written in full)
            notes = getattr(abort.__cause__, "__notes__", [])
            click.echo(" ".join(["Aborted!", *(f"{note}." for note in notes)]), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def list_commands(self, ctx):
        return list(self.commands)  # the order of SUBCOMMANDS, not alphabetical

    def resolve_command(self, ctx, args):
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            _refuse_repeated_options(command, ctx, rest)
        return name, command, rest

    def invoke(self, ctx):
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except InvalidArgument as error:
                raise LibraryError(str(error), ctx) from None
            except MemoryError as error:  # sizes are estimated first: this is an estimate that missed
                raise click.ClickException(f"out of memory: {' '.join(str(error).split())}") from None
            finally:
                clear_bars()  # before Click or main() prints what ended the command


def _refuse_repeated_options(command, ctx, args) -> None:
    """An option that takes one value, given twice: refused, since Click would keep the last silently."""
    try:
        order = command.make_parser(click.Context(command, parent=ctx)).parse_args(list(args))[2]
    except click.UsageError:
        return  # reading the arguments fails: the command says why, in its own words
    seen = set()
    for param in order:
        once = isinstance(param, click.Option) and not (param.multiple or param.is_flag or param.count)
        if once and param.name in seen:
            raise click.BadParameter("given twice; expected it once", ctx=ctx, param=param)
        seen.add(param.name)


def _message(error: click.ClickException) -> str:
    text = " ".join(error.format_message().split())
    ctx = getattr(error, "ctx", None)
    from_parser = isinstance(error, click.UsageError) and not isinstance(
        error, (LibraryError, click.BadParameter)
    )
    if (from_parser or isinstance(error, click.MissingParameter)) and ctx is not None:
        text += f" (see '{ctx.command_path} --help')"
    return text


def _show_warning(message, category, filename, lineno, file=None, line=None):
    click.echo(f"Warning: {' '.join(str(message).split())}", err=True)
