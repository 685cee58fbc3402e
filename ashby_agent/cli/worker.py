"""``ashby-agent worker``: run hosted syncs from the PostgreSQL job queue (any number, on any hosts)."""

from __future__ import annotations

from typing import Annotated

import typer

from ashby_agent.cli.database import KEY_HELP, AshbyUrlOption, DbOption, run_on_database
from ashby_agent.cli.output import USAGE, console, fail

__all__ = ["EPILOG", "worker"]

EPILOG = (
    f"{KEY_HELP} Workers and servers must share the database, ASHBY_AGENT_SECRET_KEY and "
    "ASHBY_AGENT_PUBLIC_URL (when set, a connector's first sync registers its Ashby webhooks). On SQLite "
    "there are no workers: `ashby-agent serve` runs the syncs itself."
)


def worker(
    db: DbOption = None,
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Syncs this worker runs at once (of different connectors).")
    ] = 4,
    heartbeat_seconds: Annotated[
        float, typer.Option(min=0.1, help="Seconds between this worker's heartbeats.")
    ] = 10.0,
    stalled_seconds: Annotated[
        float,
        typer.Option(min=0.5, help="A worker silent this long is dead: its running syncs are retried."),
    ] = 30.0,
    ashby_url: AshbyUrlOption = None,
) -> None:
    """Run syncs of hosted connectors into the context store until interrupted (PostgreSQL only)."""
    import asyncio
    import logging

    from sqlalchemy.engine import make_url

    from ashby_agent.service.config import ServiceSettings

    settings = run_on_database(lambda: ServiceSettings.from_env(db, ashby_base_url=ashby_url))
    if make_url(settings.db_url).get_backend_name() != "postgresql":
        fail(
            "ashby-agent worker needs PostgreSQL (--db postgresql://...): on SQLite, `ashby-agent serve` "
            "runs the syncs itself.",
            USAGE,
        )
    try:
        from ashby_agent.service.jobs.queue import serve_worker
    except ImportError:
        fail("The worker needs the postgres extra: pip install 'ashby-agent[postgres]'.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    console.print(
        f"ashby-agent worker on {settings.display_db_url} (concurrency {concurrency})", markup=False
    )
    run_on_database(
        lambda: asyncio.run(
            serve_worker(
                settings,
                concurrency=concurrency,
                heartbeat_seconds=heartbeat_seconds,
                stalled_seconds=stalled_seconds,
            )
        )
    )
