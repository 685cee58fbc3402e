"""Hosted replication over real HTTP, on SQLite (syncs in the server) and PostgreSQL (worker processes).

Creating a connector with ``replication_config`` fills its store without any trigger; ``inspect``
reports it; ``POST .../sync`` is idempotent while a sync is queued or runs and brings the store level
with Ashby again after changes; signed webhooks apply deletions (once); a bad signature changes nothing;
tenants' rows never mix; deleting a connector or a workspace deletes its store rows; records archived in
Ashby stay, marked archived; an expired ``syncToken`` makes the next sync re-read that entity in full.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa

from ashby_agent.service.api.routes.webhooks import signature
from ashby_agent.store.context_store import ContextStore
from tests.service.replication.conftest import wait_for
from tests.service.tenants import Tenant
from tests.store.parity import TABLES, assert_equal, in_sandbox, stored, stored_column

pytestmark = pytest.mark.slow

PARITY = ("candidates", "applications", "jobs")


def connector_of(
    tenant: Tenant,
    sandbox: Any,
    *,
    workspace: str | None = None,
    api_key: str | None = None,
    **replication: Any,
) -> dict[str, Any]:
    """A replicating connector (in a workspace of its own unless ``workspace``; the sandbox's key unless
    ``api_key``)."""
    # No scheduled sync during the test unless it asks for one: every sync here is the test's doing.
    config = {"start_date": "2020-01-01T00:00:00Z", "refresh_minutes": 1440, **replication}
    extra = {"replication_config": config}
    name = workspace or f"ws-{uuid.uuid4().hex[:8]}"
    return tenant.create_connector(name, api_key or sandbox.api_key, **extra)


def inspect(tenant: Tenant, connector_id: str) -> dict[str, Any]:
    answer = tenant.get(f"/integrations/connectors/{connector_id}/inspect")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def readiness(tenant: Tenant, connector_id: str) -> dict[str, dict[str, Any]]:
    entities = inspect(tenant, connector_id)["context_store_readiness"]["configured_cache_entities"]
    return {item["entity"]: item for item in entities}


def ready(tenant: Tenant, connector_id: str) -> bool:
    state = readiness(tenant, connector_id)
    return all(state[name]["status"] == "ready" for name in TABLES)


def equal(store: ContextStore, connector_id: str, sandbox: Any) -> bool:
    return all(stored(store, connector_id, name) == in_sandbox(sandbox, name) for name in PARITY)


def synced(tenant: Tenant, store: ContextStore, connector_id: str, sandbox: Any) -> bool:
    return ready(tenant, connector_id) and equal(store, connector_id, sandbox)


def secret_of(tenant: Tenant, connector_id: str) -> str:
    answer = tenant.post(f"/integrations/connectors/{connector_id}/webhook-secret")
    assert answer.status_code == 200, answer.text
    return str(answer.json()["secret"])


def deliver(http: httpx.Client, connector_id: str, body: dict[str, Any], secret: str) -> httpx.Response:
    raw = orjson.dumps(body)
    headers = {"Ashby-Signature": signature(secret, raw), "Content-Type": "application/json"}
    return http.post(f"/webhooks/ashby/{connector_id}", content=raw, headers=headers)


def test_a_new_connector_syncs_by_itself_and_inspect_reports_it(
    tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    connector = connector_of(tenant, sandbox, refresh_minutes=30)
    assert connector["replication_config"] == {"start_date": "2020-01-01T00:00:00Z", "refresh_minutes": 30}
    wait_for("the first sync", lambda: synced(tenant, store, connector["id"], sandbox))
    body = inspect(tenant, connector["id"])
    candidates = readiness(tenant, connector["id"])["candidates"]
    assert candidates["entity_count"] == len(in_sandbox(sandbox, "candidates"))
    assert candidates["ready_for_search"] is True
    assert candidates["last_synced_at"].endswith("Z") and candidates["last_duration_ms"] is not None
    assert candidates["updated_at"].endswith("Z")
    assert candidates["error"] is None
    assert body["webhooks"]["status"] == "manual"
    assert body["webhooks"]["url_path"] == f"/api/v1/webhooks/ashby/{connector['id']}"
    assert "ASHBY_AGENT_PUBLIC_URL" in body["webhooks"]["instructions"]


def test_sync_is_idempotent_while_one_runs_and_catches_up_with_changes(
    tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    connector_id = connector_of(tenant, sandbox)["id"]
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    control = sandbox.control
    candidate = control.records("candidate")[3]
    control.clear_requests()
    control.hold("candidate.list")  # the run waits at its first candidate page, so the next asks land mid-run

    first = tenant.post(f"/integrations/connectors/{connector_id}/sync")
    wait_for(
        "the run to reach candidates", lambda: control.faults()["holds"]["candidate.list"]["waiting"] == 1
    )
    control.update("candidate", candidate["id"], name=candidate["name"] + " Jr.")  # changed during the run
    more = [tenant.post(f"/integrations/connectors/{connector_id}/sync", json={}) for _ in range(2)]
    control.clear_faults()
    assert [r.status_code for r in (first, *more)] == [202, 202, 202], [r.text for r in (first, *more)]
    assert first.json() == {"connector_id": connector_id, "status": "scheduled"}

    def lists() -> list[dict[str, Any]]:
        return [entry for entry in control.requests() if entry["path"].endswith("candidate.list")]

    # The held run, then one more for both asks made during it (merged into one), which sees the change.
    wait_for("the follow-up run", lambda: len(lists()) >= 2)
    wait_for("the changed candidate in the store", lambda: equal(store, connector_id, sandbox))
    wait_for("the sync to finish", lambda: ready(tenant, connector_id))
    assert len(lists()) == 2, lists()


def test_sync_of_a_connector_without_replication_is_refused(tenant: Tenant, sandbox: Any) -> None:
    connector = tenant.create_connector("plain", sandbox.api_key, replication_config=None)
    answer = tenant.post(f"/integrations/connectors/{connector['id']}/sync")
    assert answer.status_code == 409, answer.text
    assert inspect(tenant, connector["id"])["webhooks"] is None


def test_a_signed_webhook_deletes_once_and_a_bad_signature_changes_nothing(
    tenant: Tenant, sandbox: Any, store: ContextStore, http: httpx.Client
) -> None:
    connector_id = connector_of(tenant, sandbox)["id"]
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    secret = secret_of(tenant, connector_id)
    victim, other = list(stored(store, connector_id, "candidates"))[:2]
    event = {
        "webhookActionId": str(uuid.uuid4()),
        "action": "candidateDelete",
        "data": {"candidate": {"id": other}},
    }

    forged = deliver(http, connector_id, event, "not-the-secret")
    assert forged.status_code == 401, forged.text
    unsigned = http.post(f"/webhooks/ashby/{connector_id}", content=orjson.dumps(event))
    assert unsigned.status_code == 401
    assert other in stored(store, connector_id, "candidates")

    event["data"] = {"candidate": {"id": victim}}
    answer = deliver(http, connector_id, event, secret)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"action": "candidateDelete", "applied": True, "refreshing": []}
    assert victim not in stored(store, connector_id, "candidates")
    replay = deliver(http, connector_id, event, secret)
    assert replay.json()["applied"] is False

    unknown = deliver(http, str(uuid.uuid4()), event, secret)
    assert unknown.status_code == 401


def test_a_webhook_refresh_makes_a_change_visible_without_a_scheduled_sync(
    tenant: Tenant, sandbox: Any, store: ContextStore, http: httpx.Client
) -> None:
    connector_id = connector_of(tenant, sandbox, refresh_minutes=1440)["id"]
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    secret = secret_of(tenant, connector_id)
    job = sandbox.control.records("job")[0]
    sandbox.control.update("job", job["id"], title=job["title"] + " (updated)")
    event = {"webhookActionId": str(uuid.uuid4()), "action": "jobUpdate", "data": {"job": {"id": job["id"]}}}
    answer = deliver(http, connector_id, event, secret)
    assert answer.json()["refreshing"] == ["jobs"]
    wait_for("the updated job", lambda: equal(store, connector_id, sandbox))


def test_tenants_rows_never_mix_and_deleting_drops_them(
    tenant: Tenant, other_tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    mine = connector_of(tenant, sandbox)
    theirs = connector_of(other_tenant, sandbox)
    for owner, connector in ((tenant, mine), (other_tenant, theirs)):
        wait_for("the first syncs", lambda o=owner, c=connector: synced(o, store, c["id"], sandbox))
    assert other_tenant.get(f"/integrations/connectors/{mine['id']}/inspect").status_code == 404
    assert other_tenant.post(f"/integrations/connectors/{mine['id']}/sync").status_code == 404

    assert tenant.delete(f"/integrations/connectors/{mine['id']}").status_code == 204
    assert stored(store, mine["id"], "candidates") == {}
    assert equal(store, theirs["id"], sandbox)

    workspace = theirs["workspace_id"]
    assert other_tenant.delete(f"/workspaces/{workspace}").status_code == 204
    assert all(stored(store, theirs["id"], name) == {} for name in TABLES)


def test_the_webhook_secret_is_stored_encrypted(tenant: Tenant, sandbox: Any, store: ContextStore) -> None:
    connector_id = connector_of(tenant, sandbox)["id"]
    secret = secret_of(tenant, connector_id)
    query = sa.text("SELECT * FROM connectors WHERE id = :id")
    (row,) = store.transaction(lambda c: list(c.execute(query, {"id": connector_id})))
    assert all(secret not in str(value) for value in row)
    assert secret_of(tenant, connector_id) != secret  # rotating replaces it


def sync_now(tenant: Tenant, connector_id: str) -> None:
    answer = tenant.post(f"/integrations/connectors/{connector_id}/sync")
    assert answer.status_code == 202, answer.text


#: Sandbox table -> store entity and how an archived record of it reads (the sandbox's archive rules).
ARCHIVABLE = {
    "application": ("applications", "status", "Archived"),
    "job": ("jobs", "status", "Archived"),
    "department": ("departments", "isArchived", True),
    "project": ("projects", "isArchived", True),
}


def test_records_archived_in_ashby_stay_in_the_store_marked_archived(
    tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    connector_id = connector_of(tenant, sandbox)["id"]
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    victims = {}
    for table, (entity, field, value) in ARCHIVABLE.items():
        record = next(r for r in sandbox.control.records(table) if r.get(field) != value)
        assert stored_column(store, connector_id, entity, "archived")[record["id"]] is False
        sandbox.control.archive(table, record["id"])
        victims[entity] = record["id"]

    sync_now(tenant, connector_id)

    def all_marked() -> bool:
        return all(
            stored_column(store, connector_id, entity, "archived").get(record_id) is True
            for entity, record_id in victims.items()
        )

    wait_for("the archived records marked in the store", all_marked)
    wait_for("the sync to finish", lambda: ready(tenant, connector_id))
    for entity, field, value in ARCHIVABLE.values():
        assert stored_column(store, connector_id, entity, "data")[victims[entity]][field] == value, entity
    assert_equal(store, connector_id, sandbox)  # kept, not removed: the store still equals Ashby


def test_an_expired_sync_token_makes_the_next_sync_re_read_in_full(
    tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    connector_id = connector_of(tenant, sandbox)["id"]
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    first_pass = max(stored_column(store, connector_id, "candidates", "pass_number").values())
    control = sandbox.control
    candidate = control.records("candidate")[5]
    control.update("candidate", candidate["id"], name=candidate["name"] + " Sr.")
    control.expire_sync_tokens()
    control.clear_requests()

    sync_now(tenant, connector_id)

    def re_read() -> bool:
        # A full pass stamps every record it reads; an incremental one only the changed candidate.
        passes = set(stored_column(store, connector_id, "candidates", "pass_number").values())
        return len(passes) == 1 and passes.pop() > first_pass

    wait_for("a full re-read of the candidates", re_read)
    wait_for("the sync to finish", lambda: synced(tenant, store, connector_id, sandbox))
    assert_equal(store, connector_id, sandbox)
    lists = [entry["body"] or {} for entry in control.requests() if entry["path"] == "/candidate.list"]
    assert "syncToken" in lists[0], lists[0]  # the committed token was tried, and refused
    assert len(lists) > 1 and all("syncToken" not in body for body in lists[1:]), lists
