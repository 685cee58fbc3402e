"""Writes through the hosted service: the connector's access level (only the operator raises it), the
guardrails (confirm, dry runs, idempotency keys), the redaction policy, the audit trail, and the
hosted client's typed answers. A sandbox of its own: these tests change it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.records.candidates import Note
from ashby_agent.connectors.ashby.write_result import DryRun
from ashby_agent.errors import AccessDeniedError
from ashby_agent.sandbox import run_sandbox
from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.operator import AdminError
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.types import AirbyteAuthConfig
from tests.service.tenants import Tenant, assert_error, past_the_bound

WRITE_PATHS = ("/candidate.createNote", "/application.changeStage", "/candidate.addTag")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=13, scale="small") as handle:
        yield handle


@pytest.fixture(scope="module")
def settings(db_url: str, sandbox: Any) -> ServiceSettings:
    """The module's service calls this module's sandbox as Ashby (the shared one is never written)."""
    return ServiceSettings(
        db_url=db_url, secret_key=generate_key(), ashby_base_url=sandbox.url, rate_limit_requests=0
    )


@pytest.fixture
def connector_id(tenant: Tenant, sandbox: Any) -> str:
    return str(tenant.create_connector("writes", sandbox.api_key)["id"])


def run(
    tenant: Tenant, connector_id: str, entity: str, action: str, params: dict[str, Any], **extra: Any
) -> Any:
    body = {"entity": entity, "action": action, "params": params, **extra}
    return tenant.post(f"/integrations/connectors/{connector_id}/execute", json=body)


def writes_sent(sandbox: Any) -> list[str]:
    return [entry["path"] for entry in sandbox.control.requests() if entry["path"] in WRITE_PATHS]


def policy(tenant: Tenant, connector_id: str, **change: Any) -> None:
    operator.set_connector_policy(connector_id, settings=tenant.service.settings, **change)
    past_the_bound()


def test_a_connector_writes_only_once_the_operator_raised_its_access(
    tenant: Tenant, connector_id: str, sandbox: Any
) -> None:
    candidate = sandbox.control.records("candidate")[0]
    note = {"candidate_id": candidate["id"], "note": "Strong system design."}
    sandbox.control.clear_requests()
    refused = assert_error(run(tenant, connector_id, "candidate_notes", "create", note), 403, "access_denied")
    assert "an operator raised" in refused["message"]
    policy(tenant, connector_id, access="comment")
    answer = run(tenant, connector_id, "candidate_notes", "create", note, intent="after the onsite")
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["content"] == "Strong system design."
    assert writes_sent(sandbox) == ["/candidate.createNote"]
    stage_change = {
        "application_id": sandbox.control.records("application")[0]["id"],
        "interview_stage_id": candidate["id"],
    }
    higher = assert_error(
        run(tenant, connector_id, "applications", "change_stage", stage_change), 403, "access_denied"
    )
    assert "is a write action" in higher["message"]
    audit = operator.list_audit(connector_id=connector_id, settings=tenant.service.settings)
    assert [(r.action, r.status, r.http_status) for r in audit] == [
        ("change_stage", "access_denied", 403),
        ("create", "success", 200),
        ("create", "access_denied", 403),
    ]
    assert audit[1].intent == "after the onsite" and audit[1].record_ids == (candidate["id"],)
    with pytest.raises(AdminError, match="Unknown access level 'admin'"):
        operator.set_connector_policy(connector_id, access="admin", settings=tenant.service.settings)
    with pytest.raises(AdminError, match="No connector"):
        operator.set_connector_policy("nope", access="write", settings=tenant.service.settings)


def test_dry_runs_confirmation_and_idempotency_keys_hold_in_the_service(
    tenant: Tenant, connector_id: str, sandbox: Any
) -> None:
    policy(tenant, connector_id, access="write")
    application = next(a for a in sandbox.control.records("application") if a["status"] == "Active")
    plan = application["currentInterviewStage"]["interviewPlanId"]
    archived = next(
        s
        for s in sandbox.control.records("interviewStage")
        if s["interviewPlanId"] == plan and s["type"] == "Archived"
    )
    reason = sandbox.control.records("archiveReason")[0]
    move = {
        "application_id": application["id"],
        "interview_stage_id": archived["id"],
        "archive_reason_id": reason["id"],
    }
    sandbox.control.clear_requests()
    assert_error(
        run(tenant, connector_id, "applications", "change_stage", move), 422, "confirmation_required"
    )
    preview = run(tenant, connector_id, "applications", "change_stage", {**move, "dry_run": True})
    assert preview.status_code == 200, preview.text
    assert preview.json()["result"]["dry_run"] is True
    assert preview.json()["result"]["request"]["archiveReasonId"] == reason["id"]
    assert writes_sent(sandbox) == []
    keyed = {**move, "confirm": True, "idempotency_key": "archive-1"}
    first = run(tenant, connector_id, "applications", "change_stage", keyed)
    again = run(tenant, connector_id, "applications", "change_stage", keyed)
    assert first.status_code == again.status_code == 200, again.text
    assert again.json()["result"] == first.json()["result"]
    assert first.json()["result"]["status"] == "Archived"
    assert writes_sent(sandbox) == ["/application.changeStage"]


def test_the_redaction_policy_applies_to_every_answer(
    tenant: Tenant, connector_id: str, sandbox: Any
) -> None:
    candidate = sandbox.control.records("candidate")[4]
    email = candidate["primaryEmailAddress"]["value"]
    policy(tenant, connector_id, redact="emails,phones")
    got = run(tenant, connector_id, "candidates", "get", {"id": candidate["id"]})
    listed = run(tenant, connector_id, "candidates", "list", {"limit": 5})
    assert got.status_code == listed.status_code == 200
    assert email not in got.text and "@" not in listed.text
    assert got.json()["result"]["primaryEmailAddress"]["value"] == "[redacted]"  # the record keeps its shape
    policy(tenant, connector_id, redact="")
    assert email in run(tenant, connector_id, "candidates", "get", {"id": candidate["id"]}).text


async def test_the_hosted_client_writes_with_typed_answers(
    tenant: Tenant, connector_id: str, sandbox: Any
) -> None:
    auth = AirbyteAuthConfig(
        workspace_name="writes",
        airbyte_client_id=tenant.client_id,
        airbyte_client_secret=tenant.client_secret.get_secret_value(),
        api_url=tenant.service.url,
    )
    candidate = sandbox.control.records("candidate")[5]
    note = {"candidate_id": candidate["id"], "note": "Hosted note."}
    async with AshbyConnector(auth_config=auth) as hosted:
        with pytest.raises(AccessDeniedError, match="an operator raised"):
            await hosted.execute("candidate_notes", "create", note)
        policy(tenant, connector_id, access="comment")
        preview = await hosted.execute("candidate_notes", "create", {**note, "dry_run": True})
        assert isinstance(preview, DryRun) and preview.endpoint == "candidate.createNote"
        written = await hosted.execute("candidate_notes", "create", note)
        assert isinstance(written, Note) and written.content == "Hosted note."
