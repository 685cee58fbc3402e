"""Syncs on procrastinate (PostgreSQL): servers defer, ``ashby-agent worker`` processes run.

Why procrastinate: it keeps its queue in the PostgreSQL the service already uses (no broker), and has
what syncs need built in: a job ``lock`` (no two syncs of one connector run at once, across all
workers), a ``queueing_lock`` (deferring while one is queued is a no-op), periodic tasks, retries, and
worker heartbeats that let a live worker retry the jobs of one that died (kill -9) mid-sync.

Jobs: ``sync_connector(connector_id, entities, full)``, and a periodic job every minute that defers the
syncs whose schedule is due (claimed by compare-and-set, so any number of workers defer each once).
Its schema is applied once, under an advisory lock, by the first process to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any, Final

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.schema import SchemaManager
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.jobs.sync import sync_quietly
from ashby_agent.service.state import ServiceState
from ashby_agent.service.store import connectors
from ashby_agent.service.store.timestamps import utcnow

__all__ = ["SYNC_TASK", "QueueScheduler", "create_job_app", "ensure_schema", "run_worker", "serve_worker"]

SYNC_TASK: Final = "ashby_agent.sync_connector"
DUE_TASK: Final = "ashby_agent.schedule_due_syncs"
_SCHEMA_LOCK_ID: Final = 0x0A5B_0A6F
_LOG: Final = logging.getLogger("ashby_agent.service.jobs")


def _libpq_url(db_url: str) -> str:
    return make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(engine: Engine) -> None:
    """Apply procrastinate's schema unless present (serialized across processes by an advisory lock)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _SCHEMA_LOCK_ID})
        try:
            present = connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar()
            if present is None:
                driver = connection.connection.driver_connection
                assert driver is not None
                driver.execute(SchemaManager.get_schema())
            connection.commit()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _SCHEMA_LOCK_ID})
            connection.commit()


async def defer_sync(
    app: procrastinate.App,
    connector_id: str,
    entities: Sequence[str] | None = None,
    *,
    full: bool = False,
    queueing_lock: str | None = None,
) -> None:
    """Queue one sync (locked per connector); a no-op while one with the same queueing lock waits."""
    deferrer = app.configure_task(SYNC_TASK, lock=connector_id, queueing_lock=queueing_lock or connector_id)
    with contextlib.suppress(AlreadyEnqueued):
        await deferrer.defer_async(
            connector_id=connector_id, entities=list(entities) if entities else None, full=full
        )


def create_job_app(state: ServiceState) -> procrastinate.App:
    """The procrastinate app on the service's database, its tasks bound to ``state``."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=_libpq_url(state.settings.db_url))
    )

    @app.task(name=SYNC_TASK)
    async def sync_connector(
        connector_id: str, entities: list[str] | None = None, full: bool = False
    ) -> None:
        await sync_quietly(state, connector_id, entities, full=full)

    @app.periodic(cron="* * * * *", periodic_id="due-syncs")
    @app.task(name=DUE_TASK, queueing_lock=DUE_TASK)
    async def schedule_due_syncs(timestamp: int) -> None:
        del timestamp
        await _defer_due(app, state)

    del sync_connector, schedule_due_syncs
    return app


async def _defer_due(app: procrastinate.App, state: ServiceState) -> None:
    due = await state.run(lambda c: connectors.claim_due(c, utcnow(), state.settings.refresh_minutes))
    for connector_id in due:
        await defer_sync(app, connector_id)


class QueueScheduler:
    """A :class:`~ashby_agent.service.jobs.scheduler.SyncScheduler` that defers to the queue."""

    def __init__(self, state: ServiceState, app: procrastinate.App) -> None:
        self._state = state
        self._app = app

    @classmethod
    async def open(cls, state: ServiceState) -> QueueScheduler:
        await asyncio.to_thread(ensure_schema, state.engine)
        app = create_job_app(state)
        await app.open_async()
        return cls(state, app)

    async def request(
        self, connector_id: str, entities: Sequence[str] | None = None, *, full: bool = False
    ) -> None:
        await defer_sync(self._app, connector_id, entities, full=full)

    async def refresh(self, connector_id: str, entities: Sequence[str]) -> None:
        key = ",".join(sorted(entities))
        await defer_sync(self._app, connector_id, entities, queueing_lock=f"{connector_id}:{key}")

    async def schedule_due(self) -> None:
        await _defer_due(self._app, self._state)

    async def aclose(self) -> None:
        await self._app.close_async()


async def _retry_stalled(app: procrastinate.App, stalled_seconds: float) -> None:
    """Put back in the queue the jobs of workers whose heartbeat stopped (killed mid-sync)."""
    while True:
        await asyncio.sleep(max(stalled_seconds / 2, 0.5))
        try:
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_seconds):
                _LOG.warning("retrying stalled job %s (%s)", job.id, job.task_name)
                await app.job_manager.retry_job(job)
        except Exception as exc:  # another worker retried it first, or the database blinked
            _LOG.info("stalled-job check: %s", type(exc).__name__)


async def run_worker(
    state: ServiceState,
    *,
    concurrency: int = 4,
    heartbeat_seconds: float = 10.0,
    stalled_seconds: float = 30.0,
    **options: Any,
) -> None:
    """Run one worker until stopped (SIGINT/SIGTERM): syncs, the periodic schedule, stalled-job retries."""
    await asyncio.to_thread(ensure_schema, state.engine)
    app = create_job_app(state)
    async with app.open_async():
        recovery = asyncio.create_task(_retry_stalled(app, stalled_seconds))
        try:
            await app.run_worker_async(
                concurrency=concurrency,
                update_heartbeat_interval=heartbeat_seconds,
                stalled_worker_timeout=stalled_seconds,
                **options,
            )
        finally:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery


async def serve_worker(settings: ServiceSettings, **options: Any) -> None:
    """Open the service's database with ``settings`` and run one worker (see :func:`run_worker`)."""
    state = await asyncio.to_thread(ServiceState.open, settings)
    try:
        await run_worker(state, **options)
    finally:
        await state.aclose()
