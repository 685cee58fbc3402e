"""``/openapi.json`` is rendered from the same declarations the app routes with, and states the rules the
handlers enforce, so a schema-driven client (or a fuzzer) and the server agree on what is valid."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema_rs
import pytest

from ashby_agent.connectors.ashby.catalog import operations
from ashby_agent.connectors.ashby.store_actions import SEARCH, STORE_ACTIONS, store_action
from ashby_agent.errors import AshbyAgentError
from ashby_agent.service.api.app import ENDPOINTS
from ashby_agent.service.api.routes.execute import _prepare
from ashby_agent.service.api.routing import API_PREFIX
from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.server import ServiceHandle
from ashby_agent.store.plan import STREAMS
from ashby_agent.store.query.search import parse_search
from ashby_agent.wire import (
    CONNECTOR_TYPE_PATTERN,
    ID_PATTERN,
    LINE_PATTERN,
    START_DATE_PATTERN,
    ExecuteRequest,
)

EXECUTE = API_PREFIX + "/integrations/connectors/{connector_id}/execute"
UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


@pytest.fixture(scope="module")
def document(service: ServiceHandle) -> dict[str, Any]:
    """The service's document, read once per backend (it needs no tenant: the route takes no token)."""
    return dict(httpx.get(service.url + "/openapi.json").json())


@pytest.fixture(scope="module")
def execute_checker(document: dict[str, Any]) -> Any:
    schema = {**_body_schema(document, EXECUTE), "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _body_schema(document: dict[str, Any], path: str, method: str = "post") -> dict[str, Any]:
    ref = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return dict(document["components"]["schemas"][ref.rsplit("/", 1)[1]])


def test_openapi_matches_the_routes(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    declared = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert declared - {("GET", "/health")} == {(e.method, API_PREFIX + e.path) for e in ENDPOINTS}
    execute = document["paths"][EXECUTE]["post"]
    assert set(execute["responses"]) >= {"200", "401", "404", "413", "422", "429", "502"}
    token = document["paths"][API_PREFIX + "/account/applications/token"]["post"]
    assert token["security"] == []


def test_the_document_states_the_input_rules(document: dict[str, Any]) -> None:
    path_param = document["paths"][EXECUTE]["post"]["parameters"][0]
    assert path_param["schema"] == {"type": "string", "format": "uuid", "pattern": ID_PATTERN}
    create = _body_schema(document, API_PREFIX + "/integrations/connectors")
    properties = create["properties"]
    assert properties["workspace_name"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": LINE_PATTERN,
        "title": "Workspace Name",
    }
    assert properties["connector_type"]["anyOf"][0]["pattern"] == CONNECTOR_TYPE_PATTERN
    assert {tuple(branch["required"]) for branch in create["anyOf"]} == {
        ("connector_type",),
        ("definition_id",),
    }
    credentials = properties["credentials"]
    assert (credentials["required"], credentials["additionalProperties"]) == (["api_key"], False)
    assert credentials["properties"]["api_key"]["maxLength"] == 500
    start = document["components"]["schemas"]["ReplicationConfig"]["properties"]["start_date"]
    assert (start["pattern"], start["format"]) == (START_DATE_PATTERN, "date-time")
    query = document["paths"][API_PREFIX + "/workspaces"]["get"]["parameters"]
    name_contains = next(p for p in query if p["name"] == "name_contains")["schema"]["anyOf"][0]
    assert name_contains["pattern"] == r"^[^\u0000-\u001f\u007f-\u009f]*$"


def test_execute_has_one_branch_per_operation_and_store_action(document: dict[str, Any]) -> None:
    branches = _body_schema(document, EXECUTE)["oneOf"]
    catalog = [b for b in branches if "const" in b["properties"]["action"]]
    assert [(b["properties"]["entity"]["const"], b["properties"]["action"]["const"]) for b in catalog] == [
        (op.entity, op.action) for op in operations()
    ]
    store = {b["properties"]["action"]["enum"][0]: b for b in branches if b not in catalog}
    assert list(store) == list(STORE_ACTIONS)
    assert set(store[SEARCH]["properties"]["entity"]["enum"]) == set(STREAMS)
    assert "search" in store[SEARCH]["properties"]["action"]["enum"]


def _server_accepts(body: dict[str, Any]) -> bool:
    """What the execute handler decides before calling Ashby (or, for a store action, the store)."""
    try:
        request = ExecuteRequest.model_validate(body)
        store = store_action(request.action)
        if store == SEARCH:
            parse_search(request.entity, request.params)
            return request.entity in STREAMS
        if store is not None:
            return False  # the cases below only exercise search
        _prepare(request, "write")  # the schema describes every write; the access level is the row's
    except (ServiceError, AshbyAgentError, ValueError):
        return False
    return True


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ({"entity": "candidates", "action": "list"}, True),
        ({"entity": "candidates", "action": "list", "params": None}, True),
        ({"entity": "candidates", "action": "list", "params": {"limit": 5, "cursor": None}}, True),
        ({"entity": "candidates", "action": "list", "params": {"limit": "07"}}, True),
        ({"entity": "candidates", "action": "list", "params": {"limit": 0}}, False),
        ({"entity": "candidates", "action": "list", "params": {"limit": "0"}}, False),
        ({"entity": "candidates", "action": "list", "params": {"limit": 5.5}}, False),
        ({"entity": "candidates", "action": "list", "params": {"limit": 5, "colour": 1}}, False),
        ({"entity": "candidates", "action": "list", "params": {"created_after": "2025-01-31"}}, True),
        ({"entity": "candidates", "action": "list", "params": {"createdAfter": "2025-01-31T10:00"}}, False),
        ({"entity": "candidates", "action": "list", "params": {"createdAfter": 10**18}}, False),
        ({"entity": "candidates", "action": "get", "params": {"id": UUID}}, True),
        ({"entity": "candidates", "action": "get", "params": {"candidate_id": UUID}}, True),
        ({"entity": "candidates", "action": "get", "params": {"id": UUID, "candidateId": UUID}}, False),
        ({"entity": "candidates", "action": "get", "params": {"id": UUID, "candidateId": None}}, True),
        ({"entity": "candidates", "action": "get", "params": {"id": None}}, False),
        ({"entity": "candidates", "action": "get"}, False),
        ({"entity": "candidates", "action": "get", "params": {"id": "nope"}}, False),
        ({"entity": "applications", "action": "list", "params": {"status": "hired"}}, True),
        ({"entity": "applications", "action": "list", "params": {"status": ["Hired"]}}, False),
        ({"entity": "jobs", "action": "list", "params": {"status": ["open", "DRAFT"]}}, True),
        ({"entity": "jobs", "action": "list", "params": {"status": "Closed"}}, True),
        ({"entity": "jobs", "action": "list", "params": {"status": []}}, False),
        ({"entity": "hiring_team_roles", "action": "list", "params": {"namesOnly": True}}, True),
        ({"entity": "Candidates", "action": "list"}, False),
        ({"entity": "candidates", "action": "context_store_search"}, True),
        ({"entity": "candidates", "action": "search", "params": {"limit": 100, "fresh": None}}, True),
        ({"entity": "candidates", "action": "context_store_search", "params": {"limit": 0}}, False),
        ({"entity": "candidates", "action": "context_store_search", "params": {"colour": 1}}, False),
        ({"entity": "files", "action": "context_store_search"}, False),
        ({"entity": "candidates", "action": "list", "select_fields": [" id ", "name.x"]}, True),
        ({"entity": "candidates", "action": "list", "select_fields": ["id."]}, False),
        ({"entity": "candidates", "action": "list", "exclude_fields": ["colour"]}, False),
        ({"entity": "candidates", "action": "list", "intent": "a\nb", "skip_truncation": True}, True),
        ({"entity": "candidates", "action": "list", "intent": "a\x00b"}, False),
        ({"entity": "candidates", "action": "list", "extra": 1}, False),
    ],
)
def test_execute_schema_and_handler_agree(execute_checker: Any, body: dict[str, Any], valid: bool) -> None:
    checker = execute_checker
    assert checker.is_valid(body) is valid, [error.message for error in checker.iter_errors(body)][:1]
    assert _server_accepts(body) is valid


def test_mixed_naming_styles_are_the_one_place_the_document_is_stricter(document: dict[str, Any]) -> None:
    """The document asks for one naming style per call; the handler, like local mode, takes a mix."""
    schema = {**_body_schema(document, EXECUTE), "components": document["components"]}
    mixed = {"entity": "candidates", "action": "list", "params": {"createdAfter": 1, "sync_token": "t"}}
    assert not jsonschema_rs.Draft202012Validator(schema).is_valid(mixed)
    assert _server_accepts(mixed)
