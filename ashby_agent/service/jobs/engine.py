"""Choosing and starting the job engine of one server process (see the package docstring)."""

from __future__ import annotations

from ashby_agent.service.jobs.scheduler import SyncScheduler
from ashby_agent.service.state import ServiceState

__all__ = ["start_scheduler"]


async def start_scheduler(state: ServiceState) -> SyncScheduler:
    """In-process syncs on SQLite (or when asked), else the procrastinate queue; set on ``state``."""
    scheduler: SyncScheduler
    if state.settings.runs_jobs_in_process:
        from ashby_agent.service.jobs.in_process import InProcessScheduler

        runner = InProcessScheduler(state)
        runner.start()
        scheduler = runner
    else:
        from ashby_agent.service.jobs.queue import QueueScheduler  # procrastinate: the postgres extra

        scheduler = await QueueScheduler.open(state)
    state.scheduler = scheduler
    return scheduler
