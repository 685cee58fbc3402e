"""Bad input on every endpoint gets the error envelope, and the service keeps serving; connector errors
map to the documented statuses."""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.errors import (
    AshbyAgentError,
    AshbyValidationError,
    AuthenticationError,
    ConnectionFailedError,
    CursorError,
    InvalidParamsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    UnknownEntityError,
)
from ashby_agent.service.api.app import ENDPOINTS
from ashby_agent.service.api.errors import from_connector_error
from tests.service.tenants import Tenant, assert_error

ZERO = "00000000-0000-0000-0000-000000000000"
BODY_ENDPOINTS = [(e.method, e.path) for e in ENDPOINTS if e.body is not None]


def _path(tenant: Tenant, template: str, connector: dict[str, Any]) -> str:
    return template.format(connector_id=connector["id"], workspace_id=connector["workspace_id"])


@pytest.fixture
def connector(tenant: Tenant) -> dict[str, Any]:
    return tenant.create_connector("errors", "k")


@pytest.mark.parametrize(("method", "template"), BODY_ENDPOINTS)
def test_malformed_bodies(tenant: Tenant, connector: dict[str, Any], method: str, template: str) -> None:
    path = _path(tenant, template, connector)
    send = lambda content: tenant.request(  # noqa: E731
        method, path, content=content, headers={"Content-Type": "application/json"}
    )
    assert_error(send(b"{not json"), 400, "malformed_json")
    assert_error(send(b""), 400, "empty_body")
    assert_error(send(b"[1, 2]"), 422, "object_expected")
    assert_error(send(b'"text"'), 422, "object_expected")
    assert_error(send(b'{"unknown_field_x": 1}'), 422, "extra_forbidden")
    assert_error(send(b"\xff\xfe"), 400, "malformed_json")
    assert tenant.get("/workspaces").status_code == 200


def test_wrong_types_name_the_field(tenant: Tenant, connector: dict[str, Any]) -> None:
    path = f"/integrations/connectors/{connector['id']}/execute"
    body = assert_error(
        tenant.post(path, json={"entity": "jobs", "action": "list", "skip_truncation": "yes"}), 422
    )
    assert body["errors"][0]["field"] == "skip_truncation"
    body = assert_error(
        tenant.post(path, json={"entity": "jobs", "action": "list", "select_fields": "id"}), 422
    )
    assert body["errors"][0]["field"] == "select_fields"
    body = assert_error(tenant.post(path, json={"action": "list"}), 422, "missing")
    assert body["errors"][0]["field"] == "entity"


def test_oversized_bodies_are_413(tenant: Tenant, connector: dict[str, Any]) -> None:
    path = f"/integrations/connectors/{connector['id']}/execute"
    big = b'{"entity": "' + b"x" * (2 * 1024 * 1024) + b'", "action": "list"}'
    assert_error(tenant.post(path, content=big), 413, "payload_too_large")

    def chunks() -> Any:  # no Content-Length: the limit applies while streaming
        for _ in range(40):
            yield b" " * 65536

    assert_error(tenant.post(path, content=chunks()), 413, "payload_too_large")
    assert tenant.post(path, json={"entity": "jobs", "action": "lst"}).status_code == 422


def test_unknown_routes_and_methods(tenant: Tenant) -> None:
    assert_error(tenant.get("/nothing-here"), 404, "route_not_found")
    assert_error(
        tenant.http.get("http://" + tenant.http.base_url.host + ":" + str(tenant.http.base_url.port)), 404
    )
    assert_error(tenant.request("PATCH", "/workspaces"), 405, "method_not_allowed")
    assert_error(tenant.get(f"/integrations/connectors/{ZERO}/execute"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (UnknownEntityError("x", ["candidates"]), 422, "unknown_entity"),
        (InvalidParamsError("candidates", "list", ["bad"], ["limit"]), 422, "invalid_params"),
        (NotFoundError("gone", status=200, code="candidate_not_found"), 404, "candidate_not_found"),
        (RateLimitError("slow", retry_after=2.5), 429, "rate_limit_exceeded"),
        (AuthenticationError("no", status=401, code="invalid_api_key"), 502, "invalid_api_key"),
        (PermissionDeniedError("no", missing_permission="jobsRead"), 502, "missing_endpoint_permission"),
        (ServerError("down", status=503), 502, "server_error"),
        (AshbyValidationError("bad", status=200, code="invalid_input"), 422, "invalid_input"),
        (CursorError("old", status=200, code="next_cursor_expired"), 422, "next_cursor_expired"),
        (RequestTimeoutError("slow"), 502, "timeout"),
        (ConnectionFailedError("refused"), 502, "connection"),
    ],
)
def test_connector_errors_map_to_documented_statuses(error: AshbyAgentError, status: int, code: str) -> None:
    mapped = from_connector_error(error)
    assert mapped.status == status
    assert mapped.errors[0].error_code == code
    if status == 429:
        assert mapped.headers["Retry-After"] == "3"


def test_a_rejected_stored_key_names_the_connector_and_the_way_to_replace_it() -> None:
    local_message = (
        "Ashby rejected the request: the API key is wrong. Check ASHBY_API_KEY; retrying will not help."
    )
    error = AuthenticationError(local_message, status=401, code="invalid_api_key", endpoint="candidate.list")
    mapped = from_connector_error(error, connector_id="c-1")
    assert "ASHBY_API_KEY" not in mapped.message
    assert "ashby-agent connectors rotate-key c-1" in mapped.message
    assert "PUT /api/v1/integrations/connectors/c-1" in mapped.message
    assert "candidate.list" in mapped.message
    assert mapped.ashby is not None and mapped.ashby["kind"] == "authentication"
    assert "<connector id>" in from_connector_error(error).message
