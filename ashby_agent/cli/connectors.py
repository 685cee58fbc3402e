"""``ashby-agent connectors ...``: the Ashby connectors of a running hosted service.

One workspace has one Ashby connector (hosted mode looks it up by workspace), so ``create`` refuses a
second one and names the two ways on. A key is tried against Ashby, through the service, before it is
stored (``--no-check`` skips that): a rejected key leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Final

import typer

from ashby_agent.cli.hosted import EPILOG, run_hosted
from ashby_agent.cli.output import USAGE, console, fail

if TYPE_CHECKING:
    from ashby_agent.hosted.admin import HostedAdminClient
    from ashby_agent.wire import ConnectorCheckOut, ConnectorOut

__all__ = ["app", "parse_start_date"]

app = typer.Typer(help="Ashby connectors of a running hosted service.", no_args_is_help=True)

_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")

ApiKeyOption = Annotated[
    str,
    typer.Option(
        envvar="ASHBY_API_KEY",
        show_default=False,
        help="The end customer's Ashby API key (or ASHBY_API_KEY).",
    ),
]
NoCheckOption = Annotated[
    bool, typer.Option("--no-check", help="Store the key without trying it against Ashby first.")
]


def parse_start_date(value: str) -> str:
    """``2024-01-01`` (completed to midnight UTC) or ``2024-01-01T00:00:00Z``; anything else exits."""
    text = value.strip()
    complete = f"{text}T00:00:00Z" if _DATE.fullmatch(text) else text
    if not _TIMESTAMP.fullmatch(complete):
        fail(
            f"--start-date must look like 2024-01-01T00:00:00Z (UTC) or 2024-01-01 (midnight UTC), "
            f"got {value!r}.",
            USAGE,
        )
    try:
        datetime.strptime(complete, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        fail(f"--start-date {value!r} is not a real date and time; e.g. 2024-01-01T00:00:00Z.", USAGE)
    return complete


def _reason(check: ConnectorCheckOut) -> str:
    return (check.error_message or "no reason given").strip().rstrip(".")


async def _try_key(client: HostedAdminClient, workspace: str, api_key: str) -> None:
    check = await client.check_credentials(workspace, api_key)
    if check.status != "succeeded":
        fail(
            f"Ashby did not accept this API key ({_reason(check)}); nothing was stored. Check the key "
            "with the customer, or pass --no-check to store it anyway."
        )


def _existing_message(workspace: str, existing: ConnectorOut) -> str:
    return (
        f"Workspace '{workspace}' already has an Ashby connector: id={existing.id} name='{existing.name}'. "
        "Pass --replace to store the new key in it (keeping its id), or delete it first "
        f"(ashby-agent connectors delete {existing.id})."
    )


@app.command("create", epilog=EPILOG)
def create(
    workspace: Annotated[str, typer.Option(help="The end customer's workspace (created if missing).")],
    api_key: ApiKeyOption,
    name: Annotated[str | None, typer.Option(help="Connector name (default: Ashby).")] = None,
    start_date: Annotated[
        str | None,
        typer.Option(help="Replicate from this UTC time: 2024-01-01T00:00:00Z, or a date (midnight UTC)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="If the workspace has a connector, store the new key in it (same id)."
        ),
    ] = False,
    no_check: NoCheckOption = False,
) -> None:
    """Store an Ashby key for a workspace (encrypted at rest), after trying it against Ashby."""
    start = parse_start_date(start_date) if start_date is not None else None

    async def work(client: HostedAdminClient) -> tuple[ConnectorOut, bool]:
        found = await client.list_connectors(workspace)
        existing = next((c for c in found if c.workspace_name == workspace), None)
        if existing is not None and not replace:
            fail(_existing_message(workspace, existing))
        if not no_check:
            await _try_key(client, workspace, api_key)
        if existing is not None:
            updated = await client.update_connector(existing.id, name=name, api_key=api_key, start_date=start)
            return updated, True
        return await client.create_connector(workspace, api_key, name=name, start_date=start), False

    info, replaced = run_hosted(work)
    what = "new key stored, same id" if replaced else "created"
    console.print(
        f"connector id={info.id} workspace={info.workspace_name} workspace_id={info.workspace_id} ({what})",
        markup=False,
    )


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


@app.command("list", epilog=EPILOG)
def list_connectors(
    workspace: Annotated[str | None, typer.Option(help="Only this workspace.")] = None,
) -> None:
    """List Ashby connectors: id, name, workspace and replication start."""
    found = run_hosted(lambda c: c.list_connectors(workspace))
    if not found:
        console.print("no connectors" + (f" in workspace '{workspace}'" if workspace else ""), markup=False)
        return
    rows = [("ID", "NAME", "WORKSPACE", "START DATE")] + [
        (c.id, c.name, c.workspace_name, c.replication_config.start_date if c.replication_config else "-")
        for c in found
    ]
    for line in _table(rows):
        console.print(line, markup=False)


@app.command("check", epilog=EPILOG)
def check(connector_id: Annotated[str, typer.Argument(help="Connector id.")]) -> None:
    """Verify a connector's stored credentials against Ashby."""
    result = run_hosted(lambda c: c.check_connector(connector_id))
    if result.status == "succeeded":
        console.print("succeeded", markup=False)
        return
    fail(
        f"failed: {_reason(result)}. Store a working key with "
        f"ashby-agent connectors rotate-key {connector_id} --api-key KEY."
    )


@app.command("rotate-key", epilog=EPILOG)
def rotate_key(
    connector_id: Annotated[str, typer.Argument(help="Connector id.")],
    api_key: ApiKeyOption,
    no_check: NoCheckOption = False,
) -> None:
    """Store a new Ashby key in a connector (same id), after trying it against Ashby."""

    async def work(client: HostedAdminClient) -> ConnectorOut:
        current = await client.get_connector(connector_id)
        if not no_check:
            await _try_key(client, current.workspace_name, api_key)
        return await client.update_connector(connector_id, api_key=api_key)

    info = run_hosted(work)
    console.print(
        f"stored the new key in connector id={info.id} workspace={info.workspace_name}", markup=False
    )


@app.command("delete", epilog=EPILOG)
def delete(connector_id: Annotated[str, typer.Argument(help="Connector id.")]) -> None:
    """Delete a connector and its stored credentials."""
    run_hosted(lambda c: c.delete_connector(connector_id))
    console.print(f"deleted {connector_id}", markup=False)
