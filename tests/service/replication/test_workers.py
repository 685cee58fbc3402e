"""``ashby-agent worker`` processes on one PostgreSQL: one sync per connector at a time across all of
them, and a worker killed with kill -9 mid-sync has its job finished by another (stalled-job retry)."""

from __future__ import annotations

import itertools
import signal
import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from ashby_agent.store.context_store import ContextStore
from tests.service.replication.conftest import Workers, wait_for
from tests.service.replication.test_hosted_sync import deliver, equal, ready, secret_of, synced
from tests.service.tenants import Tenant

#: Workers exist on PostgreSQL only (on SQLite the server runs the syncs itself).
pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True, scope="module"),
]


def jobs_of(store: ContextStore, connector_id: str) -> list[Any]:
    query = sa.text("SELECT id, status, attempts FROM procrastinate_jobs WHERE lock = :lock ORDER BY id")
    return store.transaction(lambda c: list(c.execute(query, {"lock": connector_id})))


def runs_of(store: ContextStore, connector_id: str) -> list[tuple[Any, Any]]:
    """(started, ended) of every run of the connector's jobs, from procrastinate's event log."""
    query = sa.text(
        "SELECT e.job_id, e.type::text, e.at FROM procrastinate_events e "
        "JOIN procrastinate_jobs j ON j.id = e.job_id WHERE j.lock = :lock ORDER BY e.id"
    )
    runs, open_runs = [], {}
    for job_id, kind, at in store.transaction(lambda c: list(c.execute(query, {"lock": connector_id}))):
        if kind == "started":
            open_runs[job_id] = at
        elif kind in ("succeeded", "failed", "deferred_for_retry") and job_id in open_runs:
            runs.append((open_runs.pop(job_id), at))
    return runs


def replicating(tenant: Tenant, sandbox: Any) -> str:
    body = {"start_date": "2020-01-01T00:00:00Z", "refresh_minutes": 1440}
    return str(
        tenant.create_connector(f"ws-{uuid.uuid4().hex[:8]}", sandbox.api_key, replication_config=body)["id"]
    )


def test_two_workers_never_sync_one_connector_at_once(
    tenant: Tenant, sandbox: Any, store: ContextStore, workers: Workers, http: httpx.Client
) -> None:
    second = workers.start()
    connector_id = replicating(tenant, sandbox)
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    secret = secret_of(tenant, connector_id)
    # Jobs with different queueing locks (webhook refreshes, a full sync): four worker slots could run
    # them side by side; the connector's lock must not.
    for action in ("jobUpdate", "offerCreate", "applicationUpdate", "openingCreate", "candidateHire"):
        event = {"webhookActionId": str(uuid.uuid4()), "action": action, "data": {}}
        assert deliver(http, connector_id, event, secret).status_code == 200
    assert (
        tenant.post(f"/integrations/connectors/{connector_id}/sync", json={"full": True}).status_code == 202
    )
    wait_for(
        "every job to finish",
        lambda: (
            len(jobs_of(store, connector_id)) >= 7
            and all(job.status == "succeeded" for job in jobs_of(store, connector_id))
        ),
    )
    runs = sorted(runs_of(store, connector_id))
    assert len(runs) >= 7
    for (_, ended), (started, _) in itertools.pairwise(runs):
        assert ended <= started, runs  # no two runs of the connector overlap
    assert equal(store, connector_id, sandbox)
    second.terminate()
    second.wait(timeout=15)


def test_a_worker_killed_mid_sync_has_its_job_finished_by_another(
    tenant: Tenant, sandbox: Any, store: ContextStore, workers: Workers
) -> None:
    alive = [process for process in workers.processes if process.poll() is None]
    assert len(alive) == 1
    sandbox.control.set_faults(rate_slow=1.0, slow_seconds=0.3)
    try:
        connector_id = replicating(tenant, sandbox)
        wait_for(
            "the sync to be under way",
            lambda: (
                any(job.status == "doing" for job in jobs_of(store, connector_id))
                and store.readiness(connector_id)[0]["status"] != "not_synced"
            ),
        )
        other = workers.start()
        alive[0].send_signal(signal.SIGKILL)
        alive[0].wait(timeout=10)
    finally:
        sandbox.control.clear_faults()
        sandbox.control.set_faults()
    wait_for("the other worker to finish the sync", lambda: synced(tenant, store, connector_id, sandbox), 90)
    wait_for("the job to succeed", lambda: jobs_of(store, connector_id)[0].status == "succeeded")
    (job,) = jobs_of(store, connector_id)
    assert job.attempts >= 1, job  # retried after the kill
    assert ready(tenant, connector_id)
    assert other.poll() is None
