"""What the command line prints: results on stdout, and every failure as one line on stderr.

A failure is one sentence saying what was wrong and what to do, never a traceback, never wrapped to the
terminal's width (so it stays one line to read and to grep). Usage errors that click detects (a missing
option, a value of the wrong type) are rendered the same way by :class:`OneLineErrorsGroup` instead of
click's usage block.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from rich.console import Console
from typer import _click  # typer ships its own click (0.26+) and re-exports only a few of its errors
from typer.core import TyperGroup

from ashby_agent.errors import MissingExtraError
from ashby_agent.extras import extra_providing, install_command

__all__ = ["FAILURE", "USAGE", "OneLineErrorsGroup", "console", "fail"]

#: Exit codes: 1 for a failure of the work asked for, 2 for a command line that cannot work as given.
FAILURE = 1
USAGE = 2

console = Console(highlight=False, soft_wrap=True)
_errors = Console(stderr=True, soft_wrap=True, highlight=False)


def fail(message: str, code: int = FAILURE) -> NoReturn:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    _errors.print(" ".join(message.split()), style="red", markup=False)
    raise typer.Exit(code)


class OneLineErrorsGroup(TyperGroup):
    """The root command: click's usage errors become one line naming the command's ``--help``; a
    command whose pip extra is missing says so in one line before it parses its arguments."""

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and not ctx.resilient_parsing and not set(rest) & set(ctx.help_option_names):
            from ashby_agent.cli.extras import require_command_extra

            require_command_extra(name)
        return name, command, rest

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        extra["windows_expand_args"] = windows_expand_args
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _click.exceptions.NoArgsIsHelpError as exc:  # the help is already printed
            sys.exit(exc.exit_code)
        except _click.exceptions.ClickException as exc:
            ctx = exc.ctx if isinstance(exc, _click.exceptions.UsageError) else None
            where = ctx.command_path if ctx is not None else "ashby-agent"
            message = exc.format_message().rstrip(".")
            _errors.print(f"{message}; see '{where} --help'.", style="red", markup=False)
            sys.exit(exc.exit_code)
        except typer.Abort:
            _errors.print("Aborted.", style="red", markup=False)
            sys.exit(FAILURE)
        except MissingExtraError as exc:  # a library feature whose extra is missing (e.g. the store)
            _errors.print(str(exc), style="red", markup=False)
            sys.exit(FAILURE)
        except ModuleNotFoundError as exc:  # the same, reached before any check: name the extra
            needed = extra_providing(exc.name)
            if needed is None:
                raise
            _errors.print(
                f"{exc.name} is not installed; this command needs the {needed!r} extra: "
                f"{install_command(needed)}",
                style="red",
                markup=False,
            )
            sys.exit(FAILURE)
        sys.exit(code if isinstance(code, int) else 0)
