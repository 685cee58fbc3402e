"""kill -9 of a syncing process at a page boundary the test chooses: the shared helper of the crash tests.

The sync runs as ``python -c`` in its own process (so SIGKILL is real); the sandbox's ``hold`` stops it at
the chosen page, and the kill lands once the held request is waiting and the pages before it are stored,
whatever the machine's speed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import records

#: One replication of the connector ``CONNECTOR`` into ``STORE_URL``; ``RETRY_ATTEMPTS`` and
#: ``RETRY_DELAY`` (seconds), when set, replace the transport's default retry policy.
SYNC = """
import asyncio, os
from ashby_agent.retry import RetryPolicy
from ashby_agent.store.context_store import ContextStore
from ashby_agent.transports.ashby import AshbyTransport

async def main():
    store = ContextStore.open(os.environ["STORE_URL"])
    retry = None
    if os.environ.get("RETRY_ATTEMPTS"):
        attempts, delay = int(os.environ["RETRY_ATTEMPTS"]), float(os.environ["RETRY_DELAY"])
        retry = RetryPolicy(max_attempts=attempts, initial_delay=delay, max_delay=delay)
    async with AshbyTransport(os.environ["KEY"], base_url=os.environ["URL"], retry=retry) as transport:
        report = await store.replicate(transport, os.environ["CONNECTOR"])
    raise SystemExit(0 if report.ok else 3)

asyncio.run(main())
"""


def start_sync(store_url: str, sandbox: Any, connector_id: str, **env: str) -> subprocess.Popen[bytes]:
    """The syncing process (``env`` adds e.g. ``RETRY_ATTEMPTS``/``RETRY_DELAY``)."""
    variables = {
        **os.environ,
        "STORE_URL": store_url,
        "KEY": sandbox.api_key,
        "URL": sandbox.url,
        "CONNECTOR": connector_id,
        **env,
    }
    return subprocess.Popen([sys.executable, "-c", SYNC], env=variables)


def stored_count(store: ContextStore, connector_id: str, entity: str) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(records)
        .where(records.c.connector_id == connector_id, records.c.entity == entity)
    )
    return int(store.transaction(lambda c: c.execute(query).scalar_one()))


def kill_when_held(
    store: ContextStore,
    store_url: str,
    sandbox: Any,
    holds: dict[str, int],
    stored: dict[str, int],
    *,
    connector_id: str,
    faults: dict[str, Any] | None = None,
    queued: list[str] | None = None,
    **env: str,
) -> list[dict[str, Any]]:
    """Start a syncing process with the sandbox holding each endpoint of ``holds`` after that many
    answers (and injecting ``queued`` faults, then ``faults``: the keywords of ``set_faults``), kill -9 it
    once every held
    endpoint has a request waiting and the pages before it are ``stored`` (the walk fetches a page while
    it stores the last one), so the kill lands at a page boundary whatever the machine's speed; return
    the requests it sent."""
    sandbox.control.clear_faults()
    sandbox.control.clear_requests()
    if faults:
        sandbox.control.set_faults(**faults)
    if queued:
        sandbox.control.queue_faults(queued)
    for endpoint, after in holds.items():
        sandbox.control.hold(endpoint, after)
    process = start_sync(store_url, sandbox, connector_id, **env)

    def reached() -> bool:
        return all(held["waiting"] > 0 for held in sandbox.control.faults()["holds"].values()) and all(
            stored_count(store, connector_id, entity) >= count for entity, count in stored.items()
        )

    kill_when(process, reached, "the held page")
    return list(sandbox.control.requests())


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool], what: str) -> None:
    """SIGKILL ``process`` as soon as ``ready()`` holds (polled every 5 ms); fail if it ends first."""
    try:
        deadline = time.monotonic() + 120  # a guard against a hung child, not a timing assertion
        while not ready():
            assert process.poll() is None, f"the sync ended before reaching {what}"
            assert time.monotonic() < deadline, f"the sync never reached {what}"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL
