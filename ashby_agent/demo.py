"""``ashby-agent demo``: a tour of a sandboxed Ashby through the connector, printed as rich tables."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.table import Table

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.connectors.ashby.models import Application

__all__ = ["run_demo", "tour"]


async def tour(connector: AshbyConnector, console: Console, *, now: datetime | None = None) -> dict[str, int]:
    """Print open jobs, one job's pipeline, recent applications and top sources; return a few counts."""
    started = time.perf_counter()
    key = await connector.check()
    console.print(f"[bold]Connected[/] as API key [cyan]{key.title}[/] with scopes: {', '.join(key.scopes)}")

    jobs = [job async for job in connector.jobs.iterate(status=["Open"])]
    table = Table(title=f"Open jobs ({len(jobs)})")
    for column in ("Title", "Employment", "Opened", "Postings"):
        table.add_column(column)
    for job in jobs[:10]:
        opened = job.opened_at.date().isoformat() if job.opened_at else "-"
        table.add_row(job.title, job.employment_type or "-", opened, str(len(job.job_posting_ids or [])))
    console.print(table)

    applications: list[Application] = [app async for app in connector.applications.iterate()]
    by_job = Counter(app.job.id for app in applications if app.status == "Active")
    busiest = next((job for job in jobs if job.id == by_job.most_common(1)[0][0]), None) if by_job else None
    if busiest is not None:
        stages = Counter(
            (app.current_interview_stage.order_in_interview_plan, app.current_interview_stage.title)
            for app in applications
            if app.job.id == busiest.id
        )
        table = Table(title=f"Pipeline for {busiest.title!r}")
        table.add_column("Stage")
        table.add_column("Applications", justify="right")
        for (_, title), count in sorted(stages.items()):
            table.add_row(title, str(count))
        console.print(table)

    reference = now or max((app.created_at for app in applications), default=datetime.now(UTC))
    since = reference - timedelta(days=30)
    recent = await connector.applications.list(created_after=since, limit=100)
    table = Table(title=f"Applications in the 30 days before {reference.date().isoformat()}")
    for column in ("Created", "Candidate", "Job", "Stage", "Status"):
        table.add_column(column)
    for app in sorted(recent.data, key=lambda a: a.created_at, reverse=True)[:10]:
        table.add_row(
            app.created_at.date().isoformat(),
            app.candidate.name,
            app.job.title,
            app.current_interview_stage.title,
            app.status,
        )
    console.print(table)

    sources = Counter(app.source.title for app in applications if app.source is not None)
    table = Table(title="Top sources (all applications)")
    table.add_column("Source")
    table.add_column("Applications", justify="right")
    for title, count in sources.most_common(8):
        table.add_row(title, str(count))
    console.print(table)
    elapsed = time.perf_counter() - started
    console.print(
        f"[dim]{len(applications)} applications and {len(jobs)} open jobs read in {elapsed:.2f} s[/]"
    )
    return {"open_jobs": len(jobs), "applications": len(applications), "recent": len(recent.data)}


async def run_demo(console: Console, *, seed: int = 7, scale: str = "small") -> dict[str, int]:
    """Start the sandbox in-process and tour it."""
    from ashby_agent.sandbox import run_sandbox

    with run_sandbox(seed=seed, scale=scale) as sandbox:
        console.print(f"[bold]Ashby sandbox[/] running at {sandbox.url} (seed {seed}, scale {scale})")
        async with AshbyConnector(
            AshbyAuthConfig(api_key=sandbox.api_key), base_url=sandbox.url
        ) as connector:
            return await tour(connector, console)
