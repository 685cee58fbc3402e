"""Context store queries through the hosted service over real HTTP, on SQLite and PostgreSQL.

After a connector's first sync, ``POST .../execute`` answers ``context_store_search``,
``context_store_aggregate`` and ``context_store_sql_query`` from the service's store: the same records
and counts as the sandbox, paged by a keyset cursor, confined to the caller's connector, typed alike by
a hosted-mode ``AshbyConnector``, audited; ``fresh`` pulls Ashby's latest change first; an entity not
synced yet and an invalid query are refused saying why.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.store_result import StoreResult
from ashby_agent.errors import EntityNotSyncedError, InvalidQueryError
from ashby_agent.service import operator
from ashby_agent.service.server import ServiceHandle
from ashby_agent.store.context_store import ContextStore
from ashby_agent.types import AirbyteAuthConfig
from tests.service.replication.conftest import Workers, wait_for
from tests.service.replication.test_hosted_sync import connector_of, readiness, ready, synced
from tests.service.tenants import Tenant, assert_error, new_tenant

WORKSPACE = "store-queries"
#: The second tenant's connector keeps only applications created from this date on.
LATER = "2026-06-01T00:00:00Z"
SINCE = "2026-08-01T00:00:00Z"
#: Active or lead applications created since SINCE, newest first.
QUERY = {
    "filter": {"and": [{"in": {"status": ["Active", "Lead"]}}, {"gte": {"createdAt": SINCE}}]},
    "sort": [{"createdAt": "desc"}],
}


@pytest.fixture(scope="module")
def client(service: ServiceHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.api_url, timeout=30) as opened:
        yield opened


@pytest.fixture(scope="module")
def owner(service: ServiceHandle, client: httpx.Client, workers: Workers) -> Tenant:
    return new_tenant(service, client)


@pytest.fixture(scope="module")
def rival(service: ServiceHandle, client: httpx.Client, workers: Workers) -> Tenant:
    return new_tenant(service, client)


@pytest.fixture(scope="module")
def connector_id(owner: Tenant, sandbox: Any, store: ContextStore) -> str:
    """The owner's connector, synced once for the module (every record since 2020)."""
    connector = connector_of(owner, sandbox, workspace=WORKSPACE)
    wait_for("the first sync", lambda: synced(owner, store, connector["id"], sandbox))
    return str(connector["id"])


@pytest.fixture(scope="module")
def later_id(rival: Tenant, sandbox: Any) -> str:
    """Another tenant's connector on the same sandbox, keeping less (a later start date)."""
    connector = connector_of(rival, sandbox, start_date=LATER)
    wait_for("the other tenant's first sync", lambda: ready(rival, connector["id"]))
    return str(connector["id"])


def execute(tenant: Tenant, connector_id: str, entity: str, action: str, params: Any, **extra: Any) -> Any:
    body = {"entity": entity, "action": action, "params": params, **extra}
    return tenant.post(f"/integrations/connectors/{connector_id}/execute", json=body)


def result(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "success", body
    found: dict[str, Any] = body["result"]
    return found


def matching(sandbox: Any) -> list[str]:
    """QUERY computed on the sandbox's records: ids in its order (ties by id)."""
    found = [
        a
        for a in sandbox.control.records("application")
        if a["status"] in ("Active", "Lead") and a["createdAt"] >= SINCE
    ]
    found.sort(key=lambda a: a["id"])
    found.sort(key=lambda a: a["createdAt"], reverse=True)
    return [a["id"] for a in found]


def test_search_answers_the_documented_shape_with_the_matching_ids(
    owner: Tenant, connector_id: str, sandbox: Any
) -> None:
    params = {"query": QUERY, "limit": 100, "fields": ["id", "status", "createdAt"]}
    answer = execute(owner, connector_id, "applications", "context_store_search", params)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "success"
    found = body["result"]
    assert set(found) == {"data", "meta"}
    assert set(found["meta"]) == {"has_more", "cursor", "took_ms", "as_of"}
    assert found["meta"]["as_of"].endswith("Z")
    assert body["connector_metadata"] == {
        "cursor": found["meta"]["cursor"],
        "has_more": found["meta"]["has_more"],
        "sync_token": None,  # the wire's ConnectorMetadata always has the key
    }
    expected = matching(sandbox)
    assert len(expected) > 100
    assert [record["id"] for record in found["data"]] == expected[:100]
    assert found["meta"]["has_more"] is True and found["meta"]["cursor"]
    assert all(set(record) == {"id", "status", "createdAt"} for record in found["data"])


def test_paging_with_the_cursor_covers_every_match_once(
    owner: Tenant, connector_id: str, sandbox: Any
) -> None:
    expected = matching(sandbox)
    pages: list[list[str]] = []
    cursor = None
    while len(pages) <= len(expected):  # bounded: one page more than there are matches at most
        params = {"query": QUERY, "limit": 30, "fields": ["id"], **({"cursor": cursor} if cursor else {})}
        answer = execute(owner, connector_id, "applications", "context_store_search", params)
        page = result(answer)
        pages.append([record["id"] for record in page["data"]])
        assert answer.json()["connector_metadata"]["cursor"] == page["meta"]["cursor"]
        if not page["meta"]["has_more"]:
            break
        cursor = page["meta"]["cursor"]
        assert cursor
    assert len(pages) == -(-len(expected) // 30)
    assert [record for page in pages for record in page] == expected


def test_aggregate_counts_equal_the_sandboxs(owner: Tenant, connector_id: str, sandbox: Any) -> None:
    applications = sandbox.control.records("application")
    by_status = result(
        execute(owner, connector_id, "applications", "context_store_aggregate", {"group_by": ["status"]})
    )
    assert {row["status"]: row["count"] for row in by_status["data"]} == Counter(
        a["status"] for a in applications
    )
    assert set(by_status["meta"]) == {"has_more", "took_ms", "as_of"}

    params = {"filter": {"gte": {"createdAt": SINCE}}, "group_by": ["job.departmentId"], "limit": 100}
    by_department = result(execute(owner, connector_id, "applications", "context_store_aggregate", params))
    names = {d["id"]: d["name"] for d in sandbox.control.records("department")}
    recent = Counter(a["job"]["departmentId"] for a in applications if a["createdAt"] >= SINCE)
    assert {row["job.departmentId"]: row["count"] for row in by_department["data"]} == recent
    assert all(
        row["job.departmentId.name"] == names[row["job.departmentId"]] for row in by_department["data"]
    )


def test_sql_counts_only_the_callers_connector(
    owner: Tenant, rival: Tenant, connector_id: str, later_id: str, sandbox: Any
) -> None:
    sql = {"sql": "SELECT count(*) AS n, min(created_at) AS first FROM applications"}
    mine = result(execute(owner, connector_id, "context_store", "context_store_sql_query", sql))
    theirs = result(execute(rival, later_id, "context_store", "context_store_sql_query", sql))

    everything = len(sandbox.control.records("application"))
    assert (
        mine["data"][0]["n"] == everything == readiness(owner, connector_id)["applications"]["entity_count"]
    )
    assert theirs["data"][0]["n"] == readiness(rival, later_id)["applications"]["entity_count"]
    assert 0 < theirs["data"][0]["n"] < everything
    assert theirs["data"][0]["first"] >= LATER[:10] > mine["data"][0]["first"]
    assert mine["meta"]["columns"] == ["n", "first"]
    # An entity's own name is accepted as the entity too.
    named = result(execute(rival, later_id, "applications", "context_store_sql_query", sql))
    assert named["data"] == theirs["data"]

    # The store's own table is not a view: no way around the confinement.
    raw = {"sql": "SELECT count(*) AS n FROM store_records"}
    assert_error(
        execute(rival, later_id, "context_store", "context_store_sql_query", raw), 422, "invalid_query"
    )
    # Nor another tenant's connector id.
    refused = execute(rival, connector_id, "context_store", "context_store_sql_query", sql)
    assert refused.status_code == 404, refused.text


async def test_a_hosted_connector_gets_the_wire_result_as_a_store_result(
    owner: Tenant, service: ServiceHandle, connector_id: str
) -> None:
    auth = AirbyteAuthConfig(
        workspace_name=WORKSPACE,
        airbyte_client_id=owner.client_id,
        airbyte_client_secret=owner.client_secret.get_secret_value(),
        api_url=service.url,
    )
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("applications", "context_store_search", {"query": QUERY, "limit": 5}),
        ("applications", "context_store_aggregate", {"group_by": ["status"]}),
        ("context_store", "context_store_sql_query", {"sql": "SELECT title FROM jobs ORDER BY id LIMIT 3"}),
    ]
    async with AshbyConnector(auth_config=auth) as hosted:
        assert hosted.mode == "hosted"
        for entity, action, params in calls:
            typed = await hosted.execute(entity, action, params)
            wire = StoreResult.model_validate(result(execute(owner, connector_id, entity, action, params)))
            assert isinstance(typed, StoreResult)
            assert typed.data and typed.data == wire.data, action
            skip = {"took_ms"}
            assert typed.meta.model_dump(exclude=skip) == wire.meta.model_dump(exclude=skip), action


def test_an_entity_is_refused_until_its_first_sync_ends(
    owner: Tenant, connector_id: str, sandbox: Any, store: ContextStore
) -> None:
    # An opt-in child list this connector never replicates.
    never = execute(owner, connector_id, "candidate_notes", "context_store_search", {})
    body = assert_error(never, 400, "entity_not_synced")
    assert "not_synced" in body["message"] and "/sync" in body["message"]

    # A connector whose first sync cannot finish: Ashby refuses its key.
    stuck = connector_of(owner, sandbox, api_key=f"not-a-sandbox-key-{uuid.uuid4().hex[:6]}")["id"]
    for action in ("context_store_search", "context_store_aggregate"):
        refused = assert_error(execute(owner, stuck, "candidates", action, {}), 400, "entity_not_synced")
        assert "candidates" in refused["message"]
        assert f"/integrations/connectors/{stuck}/sync" in refused["message"]  # this connector's own


def test_invalid_queries_are_refused_naming_the_field(owner: Tenant, connector_id: str) -> None:
    cases = [
        (
            "candidates",
            "context_store_search",
            {"query": {"filter": {"eq": {"nmae": "x"}}}},
            "query.filter",
            "name",
        ),
        ("candidates", "context_store_search", {"query": {}, "limt": 5}, "params", "limit"),
        ("applications", "context_store_aggregate", {"group_by": ["stauts"]}, "group_by", "status"),
        ("applications", "context_store_aggregate", {"metrics": {"n": {"median": "*"}}}, "metrics", "median"),
        ("context_store", "context_store_sql_query", {"sql": "DELETE FROM jobs"}, "sql", "DELETE"),
    ]
    for entity, action, params, field, named in cases:
        body = assert_error(execute(owner, connector_id, entity, action, params), 422, "invalid_query")
        (item,) = body["errors"]
        assert item["field"] == field, (params, item)
        assert named in item["message"], (params, item)


def test_every_store_execute_is_audited(owner: Tenant, connector_id: str) -> None:
    tag = uuid.uuid4().hex[:8]
    calls = [
        ("jobs", "context_store_search", {"limit": 1}, 200, "success"),
        ("jobs", "search", {"limit": 1}, 200, "success"),
        ("jobs", "context_store_aggregate", {"group_by": ["status"]}, 200, "success"),
        ("context_store", "context_store_sql_query", {"sql": "SELECT 1 AS one"}, 200, "success"),
        ("jobs", "context_store_search", {"query": {"filter": {"eq": {"nope": 1}}}}, 422, "invalid_query"),
        ("candidate_notes", "context_store_search", {}, 400, "entity_not_synced"),
    ]
    for index, (entity, action, params, status, _) in enumerate(calls):
        answer = execute(owner, connector_id, entity, action, params, intent=f"{tag}-{index}")
        assert answer.status_code == status, answer.text

    records = operator.list_audit(connector_id=connector_id, limit=100, settings=owner.service.settings)
    audited = {r.intent: r for r in records if r.intent and r.intent.startswith(tag)}
    for index, (entity, action, _, status, outcome) in enumerate(calls):
        row = audited[f"{tag}-{index}"]
        assert (row.entity, row.action, row.status, row.http_status) == (entity, action, outcome, status)
        assert row.client_id == owner.client_id and row.organization_id == owner.organization_id


async def test_a_hosted_connector_raises_the_store_errors_of_local_mode(
    owner: Tenant, service: ServiceHandle, connector_id: str
) -> None:
    auth = AirbyteAuthConfig(
        workspace_name=WORKSPACE,
        airbyte_client_id=owner.client_id,
        airbyte_client_secret=owner.client_secret.get_secret_value(),
        api_url=service.url,
    )
    async with AshbyConnector(auth_config=auth) as hosted:
        with pytest.raises(InvalidQueryError):
            await hosted.execute(
                "candidates", "context_store_search", {"query": {"filter": {"eq": {"nmae": 1}}}}
            )
        with pytest.raises(EntityNotSyncedError):
            await hosted.execute("candidate_notes", "context_store_search", {})


def test_fresh_shows_an_ashby_change_without_a_scheduled_sync(
    owner: Tenant, connector_id: str, sandbox: Any
) -> None:
    # Last in the module: it changes the sandbox (the connector never syncs on its own: refresh 1440 min).
    candidate = sandbox.control.records("candidate")[7]
    renamed = f"Renamed {uuid.uuid4().hex[:8]}"
    sandbox.control.update("candidate", candidate["id"], name=renamed)
    params: dict[str, Any] = {"query": {"filter": {"eq": {"name": renamed}}}, "fields": ["id", "name"]}

    stale = result(execute(owner, connector_id, "candidates", "context_store_search", params))
    assert stale["data"] == []
    fresh = result(
        execute(owner, connector_id, "candidates", "context_store_search", {**params, "fresh": True})
    )
    assert fresh["data"] == [{"id": candidate["id"], "name": renamed}]
    assert fresh["meta"]["as_of"] > stale["meta"]["as_of"]
    # Applied to the store, so the next search sees it without fresh.
    again = result(execute(owner, connector_id, "candidates", "context_store_search", params))
    assert [record["id"] for record in again["data"]] == [candidate["id"]]
    assert readiness(owner, connector_id)["candidates"]["status"] == "ready"
