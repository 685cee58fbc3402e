"""``ashby-agent sync`` and ``ashby-agent store inspect``: the local context store from the command line.

``sync`` replicates the key's Ashby data into a local store (an SQLite file by default) with a progress
bar per entity and a summary; it resumes an interrupted run and exits 1 when an entity failed, naming
why. ``store inspect`` prints each entity's status in the shape of the hosted service's ``inspect``.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ashby_agent.cli.output import FAILURE, USAGE, console, fail

if TYPE_CHECKING:
    from ashby_agent.store.context_store import ContextStore
    from ashby_agent.store.replicator import SyncReport

__all__ = ["store_app", "sync"]

store_app = typer.Typer(help="The local context store (replicated Ashby data).", no_args_is_help=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="ASHBY_AGENT_STORE",
        show_default=False,
        help="sqlite:///file.db, postgresql://user@host/db or a file path. [default: ./ashby-agent-store.db]",
    ),
]


def _open(url: str | None) -> ContextStore:
    """The store at ``url``; what cannot open becomes one line naming the value and the fix."""
    from sqlalchemy.exc import SQLAlchemyError

    from ashby_agent.database import DatabaseURLError, display_url
    from ashby_agent.store.context_store import ContextStore, store_url

    try:
        target = store_url(url)
        return ContextStore.open(target)
    except DatabaseURLError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        fail(
            f"Could not open the context store {display_url(target)} ({reason}); "
            "check --store / ASHBY_AGENT_STORE."
        )


def _start_date(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        fail(f"--start-date {text!r} is not a date; use 2024-01-31 or 2024-01-31T00:00:00Z.", USAGE)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sync(
    store: StoreOption = None,
    entities: Annotated[
        str | None,
        typer.Option(help="Comma-separated entities (default: every replicated entity).", show_default=False),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Re-read everything instead of only the changes.")
    ] = False,
    start_date: Annotated[
        str | None,
        typer.Option(
            help="Replicate records created after this date (first sync; e.g. 2024-01-31).",
            show_default=False,
        ),
    ] = None,
    api_key: Annotated[
        str | None, typer.Option(envvar="ASHBY_API_KEY", help="The Ashby API key.", show_default=False)
    ] = None,
    api_url: Annotated[
        str | None,
        typer.Option(envvar="ASHBY_API_URL", help="Ashby's base URL. [default: https://api.ashbyhq.com]"),
    ] = None,
) -> None:
    """Replicate Ashby into the local context store (incremental after the first run)."""
    if not api_key or not api_key.strip():
        fail("ASHBY_API_KEY is not set: export your Ashby API key, or pass --api-key.", USAGE)
    names = [name.strip() for name in entities.split(",") if name.strip()] if entities else None
    if names is not None:
        from ashby_agent.store.plan import STREAMS

        unknown = [name for name in names if name not in STREAMS]
        if unknown:
            fail(f"Unknown entities {', '.join(unknown)}; replicable: {', '.join(STREAMS)}.", USAGE)
    since = _start_date(start_date)
    opened = _open(store)
    from ashby_agent.errors import AshbyAgentError

    try:
        report = asyncio.run(_replicate(opened, api_key.strip(), api_url, names, full, since))
    except AshbyAgentError as exc:
        fail(f"{type(exc).__name__}: {exc}")
    finally:
        opened.close()
    _summary(report)
    if not report.ok:
        raise typer.Exit(FAILURE)


async def _replicate(
    store: ContextStore,
    key: str,
    url: str | None,
    names: list[str] | None,
    full: bool,
    since: datetime | None,
) -> SyncReport:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

    tasks: dict[str, Any] = {}
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<34}"),
        TextColumn("{task.fields[records]:>9,} records"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bars:

        def progress(entity: str, records: int, finished: bool) -> None:
            task = tasks.get(entity)
            if task is None:
                task = tasks[entity] = bars.add_task(entity, total=None, records=0)
            bars.update(task, records=records)
            if finished:
                bars.update(task, total=1, completed=1)

        async with AshbyConnector(
            AshbyAuthConfig(api_key=key), base_url=url or None, context_store=store
        ) as connector:
            return await connector.replicate(names, full=full, start_date=since, progress=progress)


def _summary(report: SyncReport) -> None:
    failed = [stream for stream in report.streams if stream.status != "ready"]
    console.print(
        f"Synced {len(report.streams) - len(failed)} of {len(report.streams)} entities, "
        f"{report.records:,} records stored.",
        markup=False,
    )
    for stream in failed:
        console.print(f"  {stream.entity}: failed: {stream.error}", markup=False, style="red")


@store_app.command("inspect")
def inspect(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the hosted inspect's shape).")] = False,
    api_key: Annotated[
        str | None, typer.Option(envvar="ASHBY_API_KEY", help="The Ashby API key the store was synced with.")
    ] = None,
) -> None:
    """Each entity's status in the local context store."""
    if not api_key or not api_key.strip():
        fail("ASHBY_API_KEY is not set: the store keeps each key's data apart; pass --api-key.", USAGE)
    from ashby_agent.store.context_store import local_connector_id

    opened = _open(store)
    try:
        entities = opened.readiness(local_connector_id(api_key.strip()))
    finally:
        opened.close()
    if as_json:
        payload = {"configured_cache_entities": entities}
        console.print_json(json.dumps(payload, default=lambda value: value.isoformat()))
        return
    from rich.table import Table

    table = Table("entity", "status", "records", "last synced", "error")
    for item in entities:
        synced = item["last_synced_at"].isoformat(timespec="seconds") if item["last_synced_at"] else "-"
        table.add_row(
            item["entity"], item["status"], f"{item['entity_count']:,}", synced, item["error"] or ""
        )
    console.print(table)
