"""CLI verbs of hosted mode: ``serve``, ``admin``, ``connectors`` and ``workspaces``.

``admin`` works on the service's database directly (bootstrap: organizations, API clients, keys);
``connectors`` and ``workspaces`` are clients of a running service, authenticated with
``AIRBYTE_CLIENT_ID`` / ``AIRBYTE_CLIENT_SECRET`` against ``ASHBY_AGENT_API_URL``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["admin_app", "connectors_app", "register", "workspaces_app"]

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)

admin_app = typer.Typer(help="Bootstrap the hosted service's database (organizations, clients, keys).")
connectors_app = typer.Typer(help="Ashby connectors of a running hosted service.", no_args_is_help=True)
workspaces_app = typer.Typer(help="Workspaces of a running hosted service.", no_args_is_help=True)

DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL (default: ASHBY_AGENT_DB or ./ashby-agent.db).")
]


def _admin(work: Callable[[], T]) -> T:
    """Run an admin function, turning operator mistakes into a message and exit code 1."""
    from ashby_agent.service.operator import AdminError
    from ashby_agent.service.security.crypto import CredentialDecryptError

    try:
        return work()
    except (AdminError, CredentialDecryptError, ValueError) as exc:
        err_console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None


def serve(
    host: Annotated[
        str, typer.Option(help="Interface to bind (127.0.0.1 unless you mean it).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Run the hosted API (tokens, workspaces, connectors, execute) on uvicorn."""
    from ashby_agent.service.server import serve as run

    _admin(lambda: run(host=host, port=port, db_url=db))


@admin_app.command("create-org")
def create_org(name: Annotated[str, typer.Argument(help="Organization name.")], db: DbOption = None) -> None:
    """Create an organization."""
    from ashby_agent.service import operator

    org = _admin(lambda: operator.create_org(name, db_url=db))
    console.print(f"organization [bold]{org.name}[/] id={org.id}")


@admin_app.command("list-orgs")
def list_orgs(db: DbOption = None) -> None:
    """List organizations."""
    from ashby_agent.service import operator

    for org in _admin(lambda: operator.list_orgs(db_url=db)):
        console.print(f"{org.id}  {org.name}")


@admin_app.command("create-client")
def create_client(
    org: Annotated[list[str], typer.Option("--org", help="Organization name or id (repeatable).")],
    name: Annotated[str | None, typer.Option(help="A label for the client.")] = None,
    db: DbOption = None,
) -> None:
    """Create an API client; its secret is printed once (only a hash is stored)."""
    from ashby_agent.service import operator

    creds = _admin(lambda: operator.create_client(org, name=name, db_url=db))
    console.print(f"client_id={creds.client_id}")
    console.print(f"client_secret={creds.client_secret.get_secret_value()}")
    console.print("[yellow]Store the secret now: it cannot be shown again.[/]")


@admin_app.command("revoke-client")
def revoke_client(
    client_id: Annotated[str, typer.Argument(help="The client to revoke.")], db: DbOption = None
) -> None:
    """Revoke an API client: its tokens stop working."""
    from ashby_agent.service import operator

    _admin(lambda: operator.revoke_client(client_id, db_url=db))
    console.print(f"revoked {client_id}")


@admin_app.command("rotate-key")
def rotate_key(db: DbOption = None) -> None:
    """Re-encrypt every stored credential with a new encryption key."""
    from ashby_agent.service import operator

    rotation = _admin(lambda: operator.rotate_key(db_url=db))
    console.print(f"re-encrypted {rotation.re_encrypted} credential(s)")
    if rotation.key_file is not None:
        console.print(f"new key written to {rotation.key_file}")
    else:
        console.print(
            "The key comes from ASHBY_AGENT_SECRET_KEY: set it to '<new>,<old>' on every server, then to "
            f"'<new>' once all have restarted. New key: {rotation.new_key.get_secret_value()}"
        )


@admin_app.command("audit")
def audit(
    org: Annotated[str | None, typer.Option("--org", help="Only this organization (name or id).")] = None,
    connector: Annotated[str | None, typer.Option(help="Only this connector id.")] = None,
    limit: Annotated[int, typer.Option(help="How many records, newest first.")] = 50,
    db: DbOption = None,
) -> None:
    """List execution audit records (no params, no secrets)."""
    from ashby_agent.service import operator

    records = _admin(
        lambda: operator.list_audit(organization=org, connector_id=connector, limit=limit, db_url=db)
    )
    table = Table(title=f"Audit ({len(records)})")
    for column in ("At", "Client", "Connector", "Entity", "Action", "Intent", "Status", "ms"):
        table.add_column(column)
    for r in records:
        table.add_row(
            r.at.isoformat(timespec="seconds"), r.client_id, r.connector_id, r.entity, r.action,
            r.intent or "", r.status, str(r.duration_ms),
        )  # fmt: skip
    console.print(table)


def _hosted(work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work(admin_client)`` against the service named by the environment; errors become messages."""
    from pydantic import ValidationError

    from ashby_agent.errors import AshbyAgentError
    from ashby_agent.hosted.admin import HostedAdminClient

    async def run() -> T:
        async with HostedAdminClient() as client:
            return await work(client)

    try:
        return asyncio.run(run())
    except ValidationError as exc:
        err_console.print(f"[red]{exc.errors()[0]['msg']}[/]")
        raise typer.Exit(2) from None
    except AshbyAgentError as exc:
        err_console.print(f"[red]{type(exc).__name__}:[/] {exc}")
        raise typer.Exit(1) from None


@connectors_app.command("create")
def connectors_create(
    workspace: Annotated[str, typer.Option(help="The end customer's workspace (created if missing).")],
    api_key: Annotated[
        str, typer.Option(envvar="ASHBY_API_KEY", help="Their Ashby API key (or ASHBY_API_KEY).")
    ],
    name: Annotated[str | None, typer.Option(help="Connector name.")] = None,
    start_date: Annotated[str | None, typer.Option(help="Replicate from YYYY-MM-DDT00:00:00Z.")] = None,
) -> None:
    """Store an Ashby key for a workspace (encrypted at rest)."""
    info = _hosted(lambda c: c.create_connector(workspace, api_key, name=name, start_date=start_date))
    console.print(f"connector id={info.id} workspace_id={info.workspace_id}")


@connectors_app.command("list")
def connectors_list(
    workspace: Annotated[str | None, typer.Option(help="Only this workspace.")] = None,
) -> None:
    """List Ashby connectors."""
    for info in _hosted(lambda c: c.list_connectors(workspace)):
        console.print(f"{info.id}  {info.name or ''}  workspace={info.workspace_id}")


@connectors_app.command("check")
def connectors_check(connector_id: Annotated[str, typer.Argument(help="Connector id.")]) -> None:
    """Verify a connector's stored credentials against Ashby."""
    result = _hosted(lambda c: c.check_connector(connector_id))
    console.print(f"{result.status}{': ' + result.error_message if result.error_message else ''}")
    if result.status != "succeeded":
        raise typer.Exit(1)


@connectors_app.command("delete")
def connectors_delete(connector_id: Annotated[str, typer.Argument(help="Connector id.")]) -> None:
    """Delete a connector and its stored credentials."""
    _hosted(lambda c: c.delete_connector(connector_id))
    console.print(f"deleted {connector_id}")


@workspaces_app.command("list")
def workspaces_list(
    name_contains: Annotated[str | None, typer.Option(help="Filter by name.")] = None,
) -> None:
    """List workspaces."""
    for workspace in _hosted(lambda c: c.list_workspaces(name_contains=name_contains)):
        console.print(f"{workspace.id}  {workspace.name}  {workspace.status}")


def register(app: typer.Typer) -> None:
    """Attach the hosted-mode commands to the main CLI."""
    app.command()(serve)
    app.add_typer(admin_app, name="admin", no_args_is_help=True)
    app.add_typer(connectors_app, name="connectors")
    app.add_typer(workspaces_app, name="workspaces")
