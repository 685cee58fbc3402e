"""``ashby-agent serve``: the hosted API in the foreground."""

from __future__ import annotations

from typing import Annotated

import typer

from ashby_agent.cli.database import KEY_HELP, AshbyUrlOption, DbOption, run_on_database
from ashby_agent.cli.output import USAGE, console, fail

__all__ = ["EPILOG", "serve"]

EPILOG = (
    f"{KEY_HELP} ASHBY_AGENT_RATE_LIMIT sets requests per client per window (600/60; 0 disables). "
    "ASHBY_AGENT_JOBS chooses where syncs run (auto: in this process on SQLite, queued for "
    "`ashby-agent worker` on PostgreSQL; in-process; queue). ASHBY_AGENT_PUBLIC_URL, the URL Ashby can "
    "reach this service at, makes it register its webhooks with Ashby."
)


def serve(
    host: Annotated[
        str, typer.Option(help="Interface to bind (127.0.0.1 unless you mean it).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on, 0-65535 (0 = any free port).")] = 8000,
    db: DbOption = None,
    ashby_url: AshbyUrlOption = None,
    workers: Annotated[
        int,
        typer.Option(help="Worker processes sharing the port (PostgreSQL only; each has its own caches)."),
    ] = 1,
) -> None:
    """Run the hosted API (tokens, workspaces, connectors, execute) until interrupted."""
    if not 0 <= port <= 65535:
        fail(f"--port must be between 0 and 65535 (0 picks a free port), got {port}.", USAGE)
    from ashby_agent.service.config import ServiceSettings
    from ashby_agent.service.server import ServerStartError
    from ashby_agent.service.server import serve as run
    from ashby_agent.transports.ashby import DEFAULT_BASE_URL

    settings = run_on_database(lambda: ServiceSettings.from_env(db, ashby_base_url=ashby_url))

    def announce(url: str) -> None:
        console.print(f"ashby-agent service listening on {url}", markup=False)
        console.print(f"  database: {settings.display_db_url}", markup=False)
        console.print(f"  Ashby:    {settings.ashby_base_url or DEFAULT_BASE_URL}", markup=False)
        console.print(f"  OpenAPI:  {url}/openapi.json (health: {url}/health)", markup=False)
        if workers > 1:
            console.print(f"  workers:  {workers} processes", markup=False)

    try:
        run_on_database(
            lambda: run(host=host, port=port, settings=settings, on_listening=announce, workers=workers)
        )
    except ServerStartError as exc:
        fail(str(exc))
