"""``ashby-agent workspaces ...``: workspaces of a running hosted service."""

from __future__ import annotations

from typing import Annotated

import typer

from ashby_agent.cli.hosted import EPILOG, run_hosted
from ashby_agent.cli.output import console

__all__ = ["app"]

app = typer.Typer(help="Workspaces of a running hosted service.", no_args_is_help=True)


@app.command("list", epilog=EPILOG)
def list_workspaces(
    name_contains: Annotated[str | None, typer.Option(help="Filter by name.")] = None,
) -> None:
    """List workspaces."""
    for workspace in run_hosted(lambda c: c.list_workspaces(name_contains=name_contains)):
        console.print(f"{workspace.id}  {workspace.name}  {workspace.status}", markup=False)
