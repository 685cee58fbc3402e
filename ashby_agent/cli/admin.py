"""``ashby-agent admin ...``: the operator's verbs on the service's database (organizations, API
clients, the encryption key, the audit log). They work on the database directly, no service needed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from ashby_agent.cli.database import KEY_HELP, DbOption, run_on_database
from ashby_agent.cli.output import console

if TYPE_CHECKING:
    from ashby_agent.service.config import ServiceSettings

__all__ = ["app"]

app = typer.Typer(
    help="Bootstrap the hosted service's database (organizations, clients, keys).", no_args_is_help=True
)


def _settings(db: str | None) -> ServiceSettings:
    from ashby_agent.service.config import ServiceSettings

    return run_on_database(lambda: ServiceSettings.for_database(db))


@app.command("create-org", epilog=KEY_HELP)
def create_org(name: Annotated[str, typer.Argument(help="Organization name.")], db: DbOption = None) -> None:
    """Create an organization."""
    from ashby_agent.service import operator

    settings = _settings(db)
    org = run_on_database(lambda: operator.create_org(name, settings=settings))
    console.print(f"organization {org.name} id={org.id} created in {settings.display_db_url}", markup=False)


@app.command("list-orgs", epilog=KEY_HELP)
def list_orgs(db: DbOption = None) -> None:
    """List organizations."""
    from ashby_agent.service import operator

    settings = _settings(db)
    for org in run_on_database(lambda: operator.list_orgs(settings=settings)):
        console.print(f"{org.id}  {org.name}", markup=False)


@app.command("create-client", epilog=KEY_HELP)
def create_client(
    org: Annotated[list[str], typer.Option("--org", help="Organization name or id (repeatable).")],
    name: Annotated[str | None, typer.Option(help="A label for the client.")] = None,
    db: DbOption = None,
) -> None:
    """Create an API client; its secret is printed once (only a hash is stored)."""
    from ashby_agent.service import operator

    settings = _settings(db)
    creds = run_on_database(lambda: operator.create_client(org, name=name, settings=settings))
    console.print(f"client_id={creds.client_id}", markup=False)
    console.print(f"client_secret={creds.client_secret.get_secret_value()}", markup=False)
    console.print("Store the secret now: it cannot be shown again.", style="yellow", markup=False)


@app.command("revoke-client", epilog=KEY_HELP)
def revoke_client(
    client_id: Annotated[str, typer.Argument(help="The client to revoke.")], db: DbOption = None
) -> None:
    """Revoke an API client: its tokens stop working."""
    from ashby_agent.service import operator

    settings = _settings(db)
    run_on_database(lambda: operator.revoke_client(client_id, settings=settings))
    console.print(f"revoked {client_id}", markup=False)


@app.command("rotate-key", epilog=KEY_HELP)
def rotate_key(db: DbOption = None) -> None:
    """Re-encrypt every stored credential with a new encryption key."""
    from ashby_agent.service import operator

    settings = _settings(db)
    rotation = run_on_database(lambda: operator.rotate_key(settings=settings))
    console.print(f"re-encrypted {rotation.re_encrypted} credential(s)", markup=False)
    if rotation.key_file is not None:
        console.print(f"new key written to {rotation.key_file}", markup=False)
    else:
        console.print(
            "The key comes from ASHBY_AGENT_SECRET_KEY: set it to '<new>,<old>' on every server, then to "
            f"'<new>' once all have restarted. New key: {rotation.new_key.get_secret_value()}",
            markup=False,
        )


@app.command("connector-policy", epilog=KEY_HELP)
def connector_policy(
    connector_id: Annotated[str, typer.Argument(help="The connector's id.")],
    access: Annotated[
        str | None, typer.Option(help="The writes it may make: read (none), comment (notes, tags), write.")
    ] = None,
    redact: Annotated[
        str | None,
        typer.Option(
            help='Personal data kept from its answers, e.g. "emails,phones,custom:Salary"; "" clears.'
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Show or set a connector's access level and redaction policy (only the operator can raise access)."""
    from ashby_agent.service import operator

    settings = _settings(db)
    level, policy = run_on_database(
        lambda: operator.set_connector_policy(connector_id, access=access, redact=redact, settings=settings)
    )
    console.print(f"{connector_id}: access={level} redact={policy or '(none)'}", markup=False)


@app.command("audit", epilog=KEY_HELP)
def audit(
    org: Annotated[str | None, typer.Option("--org", help="Only this organization (name or id).")] = None,
    connector: Annotated[str | None, typer.Option(help="Only this connector id.")] = None,
    limit: Annotated[int, typer.Option(help="How many records, newest first.", min=1)] = 50,
    db: DbOption = None,
) -> None:
    """List execution audit records (no params, no secrets)."""
    from ashby_agent.service import operator

    settings = _settings(db)
    records = run_on_database(
        lambda: operator.list_audit(organization=org, connector_id=connector, limit=limit, settings=settings)
    )
    table = Table(title=f"Audit ({len(records)})")
    for column in ("At", "Client", "Connector", "Entity", "Action", "Intent", "Status", "ms"):
        table.add_column(column)
    for r in records:
        cells = (
            r.at.isoformat(timespec="seconds"), r.client_id, r.connector_id, r.entity, r.action,
            r.intent or "", r.status, str(r.duration_ms),
        )  # fmt: skip
        table.add_row(*(Text(cell) for cell in cells))  # Text: stored values are never markup
    console.print(table)
