"""Connectors: the Airbyte agent connector API's curl commands, then create, check, list, get, update,
delete and inspect."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import httpx
import pytest

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.server import run_service
from ashby_agent.store.plan import STREAMS
from ashby_agent.wire import ASHBY_DEFINITION_ID
from tests.service.airbyte_page import OUR_HOST, PAGE_HOST, curl_commands, needs_page, page_text
from tests.service.tenants import START_DATE, Tenant, assert_error

START_DATE_PLACEHOLDER = (
    "<The date from which to start replicating data, in the format YYYY-MM-DDT00:00:00Z.>"
)
#: Our copies of the page's two curl commands (create a connector, execute), on our host.
CURLS = [
    """curl -X POST "http://127.0.0.1:8000/api/v1/integrations/connectors" \\
-H "Authorization: Bearer <YOUR_BEARER_TOKEN>" \\
-H "Content-Type: application/json" \\
-d '{
"workspace_name": "<WORKSPACE_NAME>",
"connector_type": "Ashby",
"name": "My Ashby Connector",
"credentials": {
"api_key": "<Your Ashby API key>"
},
"replication_config": {
"start_date": "<The date from which to start replicating data, in the format YYYY-MM-DDT00:00:00Z.>"
}
}'""",
    """curl -X POST 'http://127.0.0.1:8000/api/v1/integrations/connectors/<connector_id>/execute' \\
-H 'Authorization: Bearer <YOUR_BEARER_TOKEN>' \\
-H 'X-Organization-Id: <YOUR_ORGANIZATION_ID>' \\
-H 'Content-Type: application/json' \\
-d '{"entity": "<entity>", "action": "<action>", "params": {}}'""",
]


def _curls(source: str) -> list[str]:
    """Our two curl commands, or the page's own (as written, with the host they name)."""
    if source == "ours":
        return CURLS
    commands = curl_commands(page_text())
    assert len(commands) == 2, commands
    return commands


@needs_page
def test_our_curl_commands_are_the_pages_with_our_host() -> None:
    assert [command.replace(PAGE_HOST, OUR_HOST) for command in _curls("page")] == CURLS


def _run_curl(command: str, replacements: dict[str, str]) -> tuple[int, Any]:
    for placeholder, value in replacements.items():
        command = command.replace(placeholder, value)
    command = command.replace("\\\n", " ")
    shell = ["bash", "-c", command + " -s -o /dev/stdout -w '\\n%{http_code}'"]
    result = subprocess.run(shell, capture_output=True, text=True, timeout=60, check=True)
    body, _, status = result.stdout.rpartition("\n")
    return int(status), json.loads(body)


@pytest.mark.parametrize("source", ["ours", pytest.param("page", marks=needs_page)])
def test_curl_commands_work_with_only_the_host_changed(
    source: str, tenant: Tenant, shared_sandbox: Any
) -> None:
    create, execute = _curls(source)
    written_host, host = (PAGE_HOST if source == "page" else OUR_HOST), tenant.service.url
    status, connector = _run_curl(
        create,
        {
            written_host: host,
            "<YOUR_BEARER_TOKEN>": tenant.token(),
            "<WORKSPACE_NAME>": "docs-customer",
            "<Your Ashby API key>": shared_sandbox.api_key,
            START_DATE_PLACEHOLDER: START_DATE,
        },
    )
    assert status == 201, connector
    assert connector["name"] == "My Ashby Connector"
    assert connector["replication_config"] == {"start_date": START_DATE}
    assert "credentials" not in connector
    status, answer = _run_curl(
        execute,
        {
            written_host: host,
            "<connector_id>": connector["id"],
            "<YOUR_BEARER_TOKEN>": tenant.token(),
            "<YOUR_ORGANIZATION_ID>": tenant.organization_id,
            "<entity>": "jobs",
            "<action>": "list",
        },
    )
    assert status == 200, answer
    assert answer["status"] == "success"
    assert answer["result"]
    assert answer["result"][0]["id"]


@pytest.mark.parametrize(
    "type_fields",
    [
        {"connector_type": "Ashby"},
        {"connector_type": "ashby"},
        {"connector_type": "ASHBY"},
        {"connector_type": ASHBY_DEFINITION_ID},
        {"definition_id": ASHBY_DEFINITION_ID},
        {"connector_type": "Ashby", "definition_id": ASHBY_DEFINITION_ID.upper()},
    ],
)
def test_create_accepts_every_spelling_of_ashby(tenant: Tenant, type_fields: dict[str, str]) -> None:
    body = {"workspace_name": "spellings", "credentials": {"api_key": "k"}, **type_fields}
    answer = tenant.post("/integrations/connectors", json=body)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["connector_type"] == "Ashby"
    assert created["definition_id"] == ASHBY_DEFINITION_ID
    assert created["replication_config"] is None


def test_create_rejects_bad_input(tenant: Tenant) -> None:
    base: dict[str, Any] = {"workspace_name": "w", "connector_type": "Ashby", "credentials": {"api_key": "k"}}
    post = lambda body: tenant.post("/integrations/connectors", json=body)  # noqa: E731
    assert_error(post({**base, "connector_type": "Greenhouse"}), 422, "unknown_connector_type")
    assert_error(post({k: v for k, v in base.items() if k != "connector_type"}), 422, "missing")
    body = assert_error(
        post({**base, "credentials": {"token": "abc", "user": "u"}}), 400, "invalid_credentials"
    )
    assert body["message"].startswith(
        "Credentials do not match any auth scheme. Provided keys: ['token', 'user']"
    )
    assert "abc" not in json.dumps(body)
    assert_error(post({**base, "credentials": {"api_key": "k", "extra": "x"}}), 400, "invalid_credentials")
    assert_error(post({**base, "credentials": {"api_key": 5}}), 422, "string_type")
    assert_error(post({**base, "credentials": {"api_key": "  "}}), 422, "empty")
    assert_error(post({k: v for k, v in base.items() if k != "credentials"}), 422, "missing")
    for bad in ("2024-01-01", "2024-01-01T00:00:00", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00+00:00"):
        answer = post({**base, "replication_config": {"start_date": bad}})
        body = assert_error(answer, 422, "value_error")
        assert body["errors"][0]["field"] == "replication_config.start_date"
    assert_error(post({**base, "replication_config": {}}), 422, "missing")
    assert_error(post({**base, "workspace_name": ""}), 422, "string_too_short")
    assert_error(post({**base, "colour": "blue"}), 422, "extra_forbidden")
    assert tenant.get("/workspaces").json()["data"] == []  # nothing was created on the way


def test_list_by_workspace_and_definition(tenant: Tenant) -> None:
    first = tenant.create_connector("alpha", "k1")
    second = tenant.create_connector("beta", "k2")
    query = f"/integrations/connectors?workspace_name=alpha&definition_id={ASHBY_DEFINITION_ID}"
    assert [c["id"] for c in tenant.get(query).json()["data"]] == [first["id"]]
    by_id = tenant.get(f"/integrations/connectors?workspace_id={second['workspace_id']}").json()["data"]
    assert [c["id"] for c in by_id] == [second["id"]]
    everything = tenant.get("/integrations/connectors").json()["data"]
    assert {c["id"] for c in everything} == {first["id"], second["id"]}
    other_type = "/integrations/connectors?definition_id=00000000-0000-0000-0000-000000000000"
    assert tenant.get(other_type).json()["data"] == []
    assert tenant.get("/integrations/connectors?workspace_name=nobody").json()["data"] == []
    assert_error(tenant.get("/integrations/connectors?workspace=alpha"), 422, "extra_forbidden")


def test_get_update_rotate_delete(tenant: Tenant, shared_sandbox: Any) -> None:
    connector = tenant.create_connector("rotation", "wrong-key", name="Before")
    path = f"/integrations/connectors/{connector['id']}"
    assert tenant.get(path).json() == connector
    run = {"entity": "departments", "action": "list"}
    body = assert_error(tenant.post(f"{path}/execute", json=run), 502)
    assert body["errors"][0]["error_code"] == "invalid_api_key"

    updated = tenant.put(
        path,
        json={
            "name": "After",
            "credentials": {"api_key": shared_sandbox.api_key},
            "replication_config": {"start_date": "2023-06-01T00:00:00Z"},
        },
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["name"] == "After"
    assert updated.json()["replication_config"] == {"start_date": "2023-06-01T00:00:00Z"}
    assert tenant.post(f"{path}/execute", json=run).status_code == 200  # the pooled connector was replaced
    assert_error(tenant.put(path, json={"credentials": {"password": "x"}}), 400, "invalid_credentials")
    assert_error(tenant.put(path, json={"workspace_id": "x"}), 422, "extra_forbidden")

    assert tenant.delete(path).status_code == 204
    assert_error(tenant.get(path), 404, "connector_not_found")
    assert_error(tenant.post(f"{path}/execute", json=run), 404, "connector_not_found")
    assert_error(tenant.delete(path), 404)


def test_rotation_reaches_the_pool_of_another_process(
    tenant: Tenant, settings: ServiceSettings, shared_sandbox: Any
) -> None:
    connector = tenant.create_connector("rotation-elsewhere", "key-ashby-rejects")
    path = f"/integrations/connectors/{connector['id']}"
    run = {"entity": "departments", "action": "list"}
    with run_service(settings=settings) as other, httpx.Client(base_url=other.api_url, timeout=30) as http:
        elsewhere = http.post(f"{path}/execute", json=run, headers=tenant.headers())
        assert_error(elsewhere, 502, "invalid_api_key")  # the other process now pools the old key
        rotated = tenant.put(path, json={"credentials": {"api_key": shared_sandbox.api_key}})
        assert rotated.status_code == 200, rotated.text
        again = http.post(f"{path}/execute", json=run, headers=tenant.headers())
        assert again.status_code == 200, again.text


def test_check_both_forms(tenant: Tenant, shared_sandbox: Any) -> None:
    body = {
        "workspace_name": "checks",
        "connector_type": "Ashby",
        "credentials": {"api_key": shared_sandbox.api_key},
    }
    good = tenant.post("/integrations/connectors/check", json=body)
    assert good.status_code == 200, good.text
    assert good.json() == {"status": "succeeded", "error_message": None}
    bad = tenant.post("/integrations/connectors/check", json={**body, "credentials": {"api_key": "nope"}})
    assert bad.json()["status"] == "failed"
    assert "nope" not in bad.text
    assert "invalid" in bad.json()["error_message"].lower()
    assert tenant.get("/workspaces").json()["data"] == []  # the check stores nothing

    stored = tenant.create_connector("checks", shared_sandbox.api_key)
    answer = tenant.post(f"/integrations/connectors/{stored['id']}/check")
    assert answer.json()["status"] == "succeeded"
    broken = tenant.create_connector("checks", "bad-key")
    assert tenant.post(f"/integrations/connectors/{broken['id']}/check").json()["status"] == "failed"


def test_inspect_reports_context_store_readiness(tenant: Tenant) -> None:
    connector = tenant.create_connector("inspect", "k")  # no replication_config: nothing syncs
    answer = tenant.get(f"/integrations/connectors/{connector['id']}/inspect")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["connector_id"] == connector["id"]
    entities = body["context_store_readiness"]["configured_cache_entities"]
    assert [item["entity"] for item in entities] == [n for n, s in STREAMS.items() if s.parent is None]
    assert all(item["status"] == "not_synced" and not item["ready_for_search"] for item in entities)
