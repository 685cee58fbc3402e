"""Execute: the catalog's operations through the service, shaped and audited; errors as documented."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from ashby_agent.connectors.ashby.models import Candidate
from ashby_agent.service import operator
from tests.service.tenants import Tenant, assert_error


@pytest.fixture
def connector_path(tenant: Tenant, shared_sandbox: Any) -> str:
    return f"/integrations/connectors/{tenant.create_connector('exec', shared_sandbox.api_key)['id']}"


def run(tenant: Tenant, path: str, **body: Any) -> Any:
    return tenant.post(f"{path}/execute", json=body)


def test_list_returns_wire_records_and_paging(tenant: Tenant, connector_path: str) -> None:
    answer = run(tenant, connector_path, entity="candidates", action="list", params={"limit": 5})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"status", "result", "connector_metadata", "execution_metadata"}
    records = body["result"]
    assert len(records) == 5
    assert "primaryEmailAddress" in records[0] or "createdAt" in records[0]  # camelCase wire names
    assert all("_" not in key for key in records[0])
    parsed = TypeAdapter(list[Candidate]).validate_python(records)  # a hosted client gets the same models
    assert parsed[0].id == records[0]["id"]
    meta = body["connector_metadata"]
    assert meta["has_more"] is True
    assert meta["cursor"]
    assert body["execution_metadata"]["execution_time_ms"] >= 0

    following = run(
        tenant, connector_path, entity="candidates", action="list", params={"cursor": meta["cursor"]}
    )
    assert following.json()["result"][0]["id"] not in {record["id"] for record in records}


def test_get_returns_an_object_and_api_search_data_meta(tenant: Tenant, connector_path: str) -> None:
    first = run(tenant, connector_path, entity="candidates", action="list", params={"limit": 1}).json()[
        "result"
    ][0]
    got = run(tenant, connector_path, entity="candidates", action="get", params={"id": first["id"]})
    assert got.status_code == 200, got.text
    assert got.json()["result"]["id"] == first["id"]
    assert got.json()["connector_metadata"] == {"cursor": None, "has_more": False, "sync_token": None}

    found = run(
        tenant, connector_path, entity="candidates", action="api_search", params={"name": first["name"]}
    )
    assert found.status_code == 200, found.text
    result = found.json()["result"]
    assert set(result) == {"data", "meta"}
    assert first["id"] in [record["id"] for record in result["data"]]


def test_select_and_exclude_fields(tenant: Tenant, connector_path: str) -> None:
    def first(**options: Any) -> dict[str, Any]:
        answer = run(
            tenant, connector_path, entity="candidates", action="list", params={"limit": 1}, **options
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json()["result"][0])

    assert set(first(select_fields=["id", "name"])) == {"id", "name"}
    assert set(first(select_fields=["id", "created_at"])) == {"id", "createdAt"}  # snake_case accepted
    full = first()
    trimmed = first(exclude_fields=["name", "emailAddresses"])
    assert "name" not in trimmed
    assert set(full) - set(trimmed) <= {"name", "emailAddresses"}
    body = assert_error(
        run(tenant, connector_path, entity="candidates", action="list", select_fields=["nmae"]),
        422,
        "unknown_field",
    )
    assert "Valid fields of Candidate" in body["message"]
    assert "name" in body["message"]


def test_catalog_validation_is_422_listing_valid_choices(tenant: Tenant, connector_path: str) -> None:
    body = assert_error(
        run(tenant, connector_path, entity="candidatez", action="list"), 422, "unknown_entity"
    )
    assert "candidates" in body["message"]
    assert body["errors"][0]["field"] == "entity"
    body = assert_error(run(tenant, connector_path, entity="candidates", action="lst"), 422, "unknown_action")
    assert "list, get, api_search" in body["message"]
    body = assert_error(
        run(tenant, connector_path, entity="candidates", action="list", params={"limt": 5, "limit": "x"}),
        422,
        "invalid_params",
    )
    assert {item["field"] for item in body["errors"]} == {"params"}
    assert len(body["errors"]) == 2
    assert "Valid params" in body["message"]
    assert_error(run(tenant, connector_path, entity="candidates", action="get"), 422, "invalid_params")
    assert_error(
        run(tenant, connector_path, entity="candidates", action="list", params=[1]), 422, "dict_type"
    )
    assert_error(run(tenant, connector_path, entity=5, action="list"), 422, "string_type")


def test_ashby_not_found_is_404_with_ashby_code(tenant: Tenant, connector_path: str) -> None:
    missing = {"id": "00000000-0000-0000-0000-000000000000"}
    body = assert_error(run(tenant, connector_path, entity="candidates", action="get", params=missing), 404)
    assert body["errors"][0]["error_code"] == "candidate_not_found"


def test_context_store_search_names_the_sync_status(tenant: Tenant, connector_path: str) -> None:
    query = {"query": {"filter": {"eq": {"name": "x"}}}}
    body = assert_error(
        run(tenant, connector_path, entity="candidates", action="context_store_search", params=query),
        400,
        "entity_not_synced",
    )
    assert "not_synced" in body["message"]
    assert "/sync" in body["message"]
    refused = assert_error(
        run(tenant, connector_path, entity="files", action="context_store_search", params={}),
        422,
        "invalid_query",
    )
    assert "not kept in the context store" in refused["message"]


def test_every_execution_is_audited_without_params(tenant: Tenant, connector_path: str) -> None:
    run(tenant, connector_path, entity="jobs", action="list", params={"limit": 2}, intent="find open roles")
    run(tenant, connector_path, entity="jobs", action="lst", params={"limit": 2})
    records = operator.list_audit(organization=tenant.organization_name, settings=tenant.service.settings)
    assert [(r.entity, r.action, r.status, r.http_status) for r in records] == [
        ("jobs", "lst", "unknown_action", 422),
        ("jobs", "list", "success", 200),
    ]
    success = records[1]
    assert success.intent == "find open roles"
    assert success.client_id == tenant.client_id
    assert success.connector_id == connector_path.rsplit("/", 1)[1]
    assert success.duration_ms >= 0
    assert success.at.tzinfo is not None


def test_a_write_is_refused_403_before_ashby_is_called(
    tenant: Tenant, connector_path: str, shared_sandbox: Any
) -> None:
    """Hosted connectors run reads only (an operator-set access level comes with hosted writes)."""
    candidate = shared_sandbox.control.records("candidate")[0]
    before = len(shared_sandbox.control.requests())
    body = assert_error(
        run(
            tenant,
            connector_path,
            entity="candidates",
            action="add_tag",
            params={"candidate_id": candidate["id"], "tag_id": candidate["id"]},
        ),
        403,
        "access_denied",
    )
    assert "candidates.add_tag is a comment action" in body["message"]
    assert body["errors"][0]["field"] == "action"
    assert len(shared_sandbox.control.requests()) == before
    records = operator.list_audit(organization=tenant.organization_name, settings=tenant.service.settings)
    assert (records[0].action, records[0].status, records[0].http_status) == ("add_tag", "access_denied", 403)
