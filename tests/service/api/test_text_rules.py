"""Hostile strings on both backends: NUL and other control characters, blank and over-long values.

One rule everywhere (see ``ashby_agent.wire``): no string with a control character reaches a query, a
blank name is refused, and a length limit counts the string as sent. Before, a NUL answered 500 on
PostgreSQL, and with one in ``intent`` Ashby was called while the caller got a 500 and no audit row.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ashby_agent.service import operator
from ashby_agent.wire import LINE_PATTERN, TEXT_PATTERN, ConnectorCreate, ExecuteRequest
from tests.service.tenants import Tenant, assert_error

NUL = "\x00"
ZERO = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def connector(tenant: Tenant, shared_sandbox: Any) -> dict[str, Any]:
    return tenant.create_connector("text-rules", shared_sandbox.api_key)


def _field(body: dict[str, Any]) -> str | None:
    field = body["errors"][0]["field"]
    return None if field is None else str(field)


def test_nul_in_the_unauthenticated_token_request(tenant: Tenant) -> None:
    for client_id in (f"x{NUL}", f"{tenant.client_id}{NUL}"):
        answer = tenant.http.post(
            "/account/applications/token", json={"client_id": client_id, "client_secret": "s"}
        )
        assert _field(assert_error(answer, 422, "control_characters")) == "client_id"
    assert tenant.token()  # the service keeps serving


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/account/applications/scoped-token", {"workspace_name": f"w{NUL}"}, "workspace_name"),
        (
            "/integrations/connectors",
            {
                "workspace_name": "w",
                "connector_type": "Ashby",
                "credentials": {"api_key": "k"},
                "name": f"a{NUL}",
            },
            "name",
        ),
        (
            "/integrations/connectors",
            {"workspace_name": "w", "connector_type": "Ashby", "credentials": {"api_key": f"k{NUL}"}},
            "credentials.api_key",
        ),
        (
            "/integrations/connectors/check",
            {"workspace_name": f"w{NUL}", "connector_type": "Ashby", "credentials": {"api_key": "k"}},
            "workspace_name",
        ),
    ],
)
def test_nul_in_names_and_keys_is_a_422_naming_the_field(
    tenant: Tenant, path: str, body: dict[str, Any], field: str
) -> None:
    refused = assert_error(tenant.post(path, json=body), 422, "control_characters")
    assert _field(refused) == field
    assert NUL not in refused["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"entity": "departments", "action": "list", "intent": f"why{NUL}"}, "intent"),
        ({"entity": f"departments{NUL}", "action": "list"}, "entity"),
        ({"entity": "departments", "action": f"list{NUL}"}, "action"),
        ({"entity": "departments", "action": "list", "intent": "a\x1bb"}, "intent"),
    ],
)
def test_nul_in_execute_is_refused_before_ashby_is_called(
    tenant: Tenant, connector: dict[str, Any], shared_sandbox: Any, body: dict[str, Any], field: str
) -> None:
    path = f"/integrations/connectors/{connector['id']}/execute"
    before = len(shared_sandbox.control.requests())
    assert _field(assert_error(tenant.post(path, json=body), 422, "control_characters")) == field
    assert len(shared_sandbox.control.requests()) == before  # nothing was sent to Ashby


def test_intent_may_span_lines_and_is_audited(tenant: Tenant, connector: dict[str, Any]) -> None:
    path = f"/integrations/connectors/{connector['id']}/execute"
    intent = "find the hiring manager\n\tfor the weekly report"
    answer = tenant.post(path, json={"entity": "departments", "action": "list", "intent": intent})
    assert answer.status_code == 200, answer.text
    records = operator.list_audit(organization=tenant.organization_name, settings=tenant.service.settings)
    assert records[0].intent == intent
    assert records[0].status == "success"


@pytest.mark.parametrize("ident", ["%00", "x%00", f"{ZERO[:-1]}%00", "not-an-id", "%E2%80%AE"])
def test_path_ids_that_cannot_exist_answer_404(tenant: Tenant, connector: dict[str, Any], ident: str) -> None:
    for method, path in [
        ("GET", f"/workspaces/{ident}"),
        ("PUT", f"/workspaces/{ident}"),
        ("DELETE", f"/workspaces/{ident}"),
        ("GET", f"/integrations/connectors/{ident}"),
        ("DELETE", f"/integrations/connectors/{ident}"),
        ("POST", f"/integrations/connectors/{ident}/execute"),
    ]:
        body = {"entity": "departments", "action": "list"} if method == "POST" else {"name": "n"}
        answer = tenant.request(method, path, json=body if method in ("POST", "PUT") else None)
        refused = assert_error(answer, 404)
        assert NUL not in refused["message"], (method, path)
    assert tenant.get(f"/integrations/connectors/{connector['id']}").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/workspaces?name_contains=a%00b", "name_contains"),
        ("/integrations/connectors?workspace_name=%00", "workspace_name"),
        ("/integrations/connectors?workspace_id=%00", "workspace_id"),
        ("/integrations/connectors?connector_type=Ashby%0A", "connector_type"),
    ],
)
def test_control_characters_in_query_strings(tenant: Tenant, query: str, field: str) -> None:
    assert _field(assert_error(tenant.get(query), 422, "control_characters")) == field


def test_a_cursor_that_decodes_to_a_nul_is_invalid(tenant: Tenant) -> None:
    import base64

    cursor = base64.urlsafe_b64encode(b"ws1:a\x00b").decode()
    assert_error(tenant.get(f"/workspaces?cursor={cursor}"), 400, "invalid_cursor")


def test_control_characters_in_the_organization_header(tenant: Tenant) -> None:
    answer = tenant.get("/workspaces", headers={"X-Organization-Id": "a\tb"})
    assert _field(assert_error(answer, 400, "control_characters")) == "X-Organization-Id"


def test_length_limits_count_the_name_as_sent(tenant: Tenant) -> None:
    def create(name: str) -> Any:
        body = {"workspace_name": name, "connector_type": "Ashby", "credentials": {"api_key": "k"}}
        return tenant.post("/integrations/connectors", json=body)

    assert_error(create(" " + "n" * 200), 422, "string_too_long")  # 201 as sent, 200 once stripped
    assert_error(create(" "), 422, "empty")  # as the schema says (pattern): not blank
    assert_error(create("\u3000\u00a0"), 422, "empty")
    assert create("n" * 200).status_code == 201
    created = create("  padded  ")
    assert created.status_code == 201, created.text
    assert created.json()["workspace_name"] == "padded"


def test_api_key_has_a_length_limit(tenant: Tenant) -> None:
    body = {"workspace_name": "w", "connector_type": "Ashby", "credentials": {"api_key": "k" * 501}}
    refused = assert_error(tenant.post("/integrations/connectors", json=body), 422, "string_too_long")
    assert "k" * 20 not in str(refused)


def test_near_miss_entity_names_the_entity_meant(tenant: Tenant, connector: dict[str, Any]) -> None:
    path = f"/integrations/connectors/{connector['id']}/execute"
    refused = assert_error(tenant.post(path, json={"entity": "Departments", "action": "list"}), 422)
    assert "Did you mean 'departments'?" in refused["message"]
    assert_error(tenant.post(path, json={"entity": "departments", "action": "List"}), 422, "unknown_action")


def test_a_param_nested_957_lists_deep_is_a_422(tenant: Tenant, connector: dict[str, Any]) -> None:
    nested = "[" * 957 + "1" + "]" * 957  # written out: the json module cannot encode it
    path = f"/integrations/connectors/{connector['id']}/execute"
    body = '{"entity": "candidates", "action": "list", "params": {"createdAfter": ' + nested + "}}"
    refused = assert_error(tenant.post(path, content=body.encode()), 422, "invalid_params")
    assert "got a list" in refused["message"]


# ------------------------------------------------------------------ the published rules are the enforced ones


def _accepts(model: type[Any], field: str, value: str, **others: Any) -> bool:
    try:
        model.model_validate({**others, field: value})
    except ValidationError:
        return False
    return True


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=6) | st.sampled_from(
    [" ", "\u3000", "a\u00a0", "\x85", "a\nb", "\t", "\x1c", "x\x7f"]
)
_BASE = {"workspace_name": "w", "connector_type": "Ashby", "credentials": {"api_key": "k"}}


@given(_TEXT)
def test_line_pattern_is_what_names_are_checked_with(text: str) -> None:
    assert _accepts(ConnectorCreate, "workspace_name", text, **_BASE) == bool(
        re.fullmatch(LINE_PATTERN, text)
    )


@given(_TEXT)
def test_text_pattern_is_what_intent_is_checked_with(text: str) -> None:
    valid = _accepts(ExecuteRequest, "intent", text, entity="jobs", action="list")
    assert valid == bool(re.fullmatch(TEXT_PATTERN, text))
