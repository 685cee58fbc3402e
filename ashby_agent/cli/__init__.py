"""The ``ashby-agent`` command line: a thin layer of typer commands over the library.

One module per command group; each command parses its options, calls the library and turns the
library's errors into one line (:mod:`ashby_agent.cli.output`). Heavy imports happen inside commands,
so ``ashby-agent --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ashby_agent._version import __version__
from ashby_agent.cli import (
    admin,
    connectors,
    demo,
    docs,
    execute,
    mcp,
    sandbox,
    serve,
    sync,
    worker,
    workspaces,
)
from ashby_agent.cli.output import OneLineErrorsGroup, console

__all__ = ["app", "main"]

app = typer.Typer(
    name="ashby-agent",
    help="Safe, fast, typed access to the Ashby ATS for AI agents.",
    cls=OneLineErrorsGroup,
    no_args_is_help=True,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        console.print(f"ashby-agent {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_print_version),
    ] = False,
) -> None:
    """Safe, fast, typed access to the Ashby ATS for AI agents."""


app.command()(sandbox.sandbox)
app.command()(demo.demo)
app.command()(execute.execute)
app.command()(sync.sync)
app.command(epilog=mcp.EPILOG)(mcp.mcp)
app.command(epilog=serve.EPILOG)(serve.serve)
app.command(epilog=worker.EPILOG)(worker.worker)
app.add_typer(docs.app, name="docs")
app.add_typer(admin.app, name="admin")
app.add_typer(connectors.app, name="connectors")
app.add_typer(workspaces.app, name="workspaces")
app.add_typer(sync.store_app, name="store")


def main() -> None:
    """The console script ``ashby-agent``."""
    app()
