"""Writes through the connector, against a real sandbox: access levels, confirmation, dry runs.

The sandbox's request log is the witness: a refused call or a dry run sends no write to Ashby.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.connectors.ashby.catalog import CATALOG, Operation, operations
from ashby_agent.connectors.ashby.params import ParamType
from ashby_agent.connectors.ashby.records.applications import Application
from ashby_agent.connectors.ashby.records.candidates import Candidate, Note
from ashby_agent.connectors.ashby.write_result import DryRun
from ashby_agent.errors import (
    AccessDeniedError,
    ConfirmationRequiredError,
    DuplicateRecordError,
    IdempotencyConflictError,
    InvalidParamsError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from ashby_agent.sandbox import run_sandbox

WRITES = [op for op in operations() if not op.read_only]


def connector_for(sandbox: Any, access: Any = None) -> AshbyConnector:
    return AshbyConnector(AshbyAuthConfig(api_key=sandbox.api_key), base_url=sandbox.url, access=access)


def written(sandbox: Any) -> list[str]:
    """The write endpoints the sandbox received since the log was cleared."""
    return [
        entry["path"][1:]
        for entry in sandbox.control.requests()
        if entry["path"][1:] in {op.endpoint for op in WRITES}
    ]


def an_active_application(sandbox: Any) -> dict[str, Any]:
    return next(a for a in sandbox.control.records("application") if a["status"] == "Active")


def _stage_of_plan(sandbox: Any, plan_id: str, stage_type: str) -> dict[str, Any]:
    return next(
        s
        for s in sandbox.control.records("interviewStage")
        if s["interviewPlanId"] == plan_id and s["type"] == stage_type
    )


def _table(entity: str) -> str:
    """The sandbox table of an entity's records: ``interview_stages`` -> ``interviewStage``."""
    head, *rest = entity.removesuffix("s").split("_")
    return head + "".join(word.title() for word in rest)


def _consistent_plan(params: dict[str, Any], sandbox: Any) -> None:
    """A stage used with a plan must be of it (the dry run checks): that plan, or an application in it."""
    stage_id = params.get("interviewStageId")
    if not isinstance(stage_id, str) or stage_id == "FirstPreInterviewScreen":
        return
    plan = sandbox.control.get("interviewStage", stage_id)["interviewPlanId"]
    if "interviewPlanId" in params:
        params["interviewPlanId"] = plan
    elif "applicationId" in params:
        params["applicationId"] = next(
            a["id"]
            for a in sandbox.control.records("application")
            if a["currentInterviewStage"]["interviewPlanId"] == plan
        )


def _value_for(op: Operation, name: str, kind: ParamType, sandbox: Any) -> Any:
    """A well-formed value for a required param: a real record's id where the param names one."""
    param = next(p for p in op.params if p.name == name)
    if param.refers_to:
        return sandbox.control.records(_table(param.refers_to))[0]["id"]
    if param.choices:
        return param.choices[0] if kind is ParamType.ENUM else [param.choices[0]]
    return {
        ParamType.UUID: str(uuid.uuid4()),
        ParamType.STRING: "Ada Lovelace",
        ParamType.TEXT_OR_OBJECT: "Met at the meetup.",
        ParamType.OBJECT: {},
        ParamType.OBJECT_LIST: [{}],
        ParamType.STRING_LIST: ["x"],
        ParamType.INTEGER: 1,
        ParamType.BOOLEAN: True,
        ParamType.DATE_TIME: "2026-01-01T00:00:00Z",
        ParamType.TIMESTAMP_MS: 1_767_225_600_000,
        ParamType.JSON: "x",
    }[kind]


@pytest.mark.parametrize("op", WRITES, ids=lambda op: f"{op.entity}.{op.action}")
async def test_every_write_dry_runs_with_its_exact_request_and_sends_nothing(
    op: Operation, writer: AshbyConnector, sandbox: Any
) -> None:
    given = [p for p in op.params if p.required or p.name == (op.one_of or ("",))[0]]
    params = {p.name: _value_for(op, p.name, p.type, sandbox) for p in given}
    _consistent_plan(params, sandbox)
    sandbox.control.clear_requests()
    answer = await writer.execute(op.entity, op.action, {**params, "dry_run": True})
    assert isinstance(answer, DryRun)
    assert (answer.entity, answer.action, answer.endpoint) == (op.entity, op.action, op.endpoint)
    secrets = {p.name for p in op.params if p.secret}
    expected = {k: "[redacted]" if k in secrets else v for k, v in op.build_body(params).items()}
    assert answer.request == expected
    assert answer.summary.startswith("Would ") and "nothing was sent" in answer.summary
    assert set(answer.checked) == {p.name for p in op.params if p.refers_to and p.name in params}
    assert written(sandbox) == []  # only the lookups of the records it names reached Ashby


async def test_a_dry_run_names_a_record_that_does_not_exist(writer: AshbyConnector, sandbox: Any) -> None:
    sandbox.control.clear_requests()
    with pytest.raises(NotFoundError):
        await writer.execute(
            "candidates",
            "add_tag",
            {"candidate_id": str(uuid.uuid4()), "tag_id": str(uuid.uuid4()), "dry_run": True},
        )
    assert written(sandbox) == []


async def test_create_then_note_then_tag_write_ashby_and_answer_typed_records(
    writer: AshbyConnector, sandbox: Any
) -> None:
    created = await writer.execute(
        "candidates", "create", {"name": "Grace Hopper", "email": "grace@example.com", "intent": "test"}
    )
    assert isinstance(created, Candidate)
    assert sandbox.control.get("candidate", created.id)["name"] == "Grace Hopper"
    note = await writer.execute("candidate_notes", "create", {"candidate_id": created.id, "note": "Strong."})
    assert isinstance(note, Note)
    tag = sandbox.control.records("candidateTag")[0]
    tagged = await writer.execute("candidates", "add_tag", {"candidate_id": created.id, "tag_id": tag["id"]})
    assert isinstance(tagged, Candidate)
    assert tag["id"] in [t["id"] for t in sandbox.control.get("candidate", created.id)["tags"]]


async def test_archiving_needs_confirm_and_then_moves_the_application(
    writer: AshbyConnector, sandbox: Any
) -> None:
    application = an_active_application(sandbox)
    plan_id = application["currentInterviewStage"]["interviewPlanId"]
    archived = _stage_of_plan(sandbox, plan_id, "Archived")
    reason = sandbox.control.records("archiveReason")[0]
    params = {"application_id": application["id"], "interview_stage_id": archived["id"]}
    sandbox.control.clear_requests()
    with pytest.raises(ConfirmationRequiredError, match='"confirm": true'):
        await writer.execute("applications", "change_stage", {**params, "archive_reason_id": reason["id"]})
    assert written(sandbox) == []
    moved = await writer.execute(
        "applications", "change_stage", {**params, "archive_reason_id": reason["id"], "confirm": True}
    )
    assert isinstance(moved, Application)
    assert sandbox.control.get("application", application["id"])["status"] == "Archived"
    assert written(sandbox) == ["application.changeStage"]


async def test_anonymize_is_destructive_even_without_optional_params(
    writer: AshbyConnector, sandbox: Any
) -> None:
    candidate = sandbox.control.records("candidate")[0]
    with pytest.raises(ConfirmationRequiredError):
        await writer.execute("candidates", "anonymize", {"candidate_id": candidate["id"]})
    assert sandbox.control.get("candidate", candidate["id"])["name"] == candidate["name"]


@pytest.mark.parametrize(
    ("access", "entity", "action", "needed"),
    [
        (None, "candidates", "add_tag", "comment"),
        ("read", "candidate_notes", "create", "comment"),
        ("comment", "applications", "change_stage", "write"),
        ("comment", "candidates", "create", "write"),
    ],
)
async def test_a_write_above_the_access_level_is_refused_naming_the_level_and_how(
    sandbox: Any, access: Any, entity: str, action: str, needed: str
) -> None:
    sandbox.control.clear_requests()
    async with connector_for(sandbox, access) as connector:
        with pytest.raises(AccessDeniedError) as caught:
            await connector.execute(entity, action, {"dry_run": True})
    assert caught.value.needed == needed
    assert (
        f'access="{needed}"' in caught.value.message
        and f"ASHBY_AGENT_ACCESS={needed}" in caught.value.message
    )
    assert sandbox.control.requests() == []  # refused before validation, lookups or writes


async def test_the_access_level_comes_from_the_environment(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASHBY_AGENT_ACCESS", "comment")
    async with connector_for(sandbox) as connector:
        assert connector.access == "comment"
        candidate = sandbox.control.records("candidate")[1]
        answer = await connector.execute(
            "candidate_notes", "create", {"candidate_id": candidate["id"], "note": "x", "dry_run": True}
        )
        assert isinstance(answer, DryRun)
    monkeypatch.setenv("ASHBY_AGENT_ACCESS", "admin")
    with pytest.raises(
        InvalidRequestError, match="Unknown ASHBY_AGENT_ACCESS level 'admin'; valid: read, comment"
    ):
        connector_for(sandbox)


async def test_control_params_are_checked_and_never_sent(writer: AshbyConnector, sandbox: Any) -> None:
    with pytest.raises(InvalidParamsError, match="param 'dry_run': expected true or false"):
        await writer.execute("candidates", "create", {"name": "X", "dry_run": "maybe"})
    with pytest.raises(InvalidParamsError, match="param 'intent': at most 500 characters"):
        await writer.execute("candidates", "create", {"name": "X", "intent": "x" * 501})
    sandbox.control.clear_requests()
    await writer.execute("candidates", "create", {"name": "Sent Once", "intent": "why", "confirm": True})
    (entry,) = [e for e in sandbox.control.requests() if e["path"] == "/candidate.create"]
    assert entry["body"] == {"name": "Sent Once"}


def test_every_write_answers_a_record_model() -> None:
    """The entity's record unless the operation names another (``returns``), which must resolve."""
    from pydantic import BaseModel

    for op in WRITES:
        assert issubclass(op.result, BaseModel)
        if not op.returns:
            assert op.result is CATALOG[op.entity].get_model


async def test_a_dry_run_never_echoes_a_secret(writer: AshbyConnector) -> None:
    answer = await writer.execute(
        "webhooks",
        "create",
        {
            "webhook_type": "candidateHire",
            "request_url": "https://example.com/h",
            "secret_token": "s3cr3t-v4lue",
            "dry_run": True,
        },
    )
    assert "s3cr3t-v4lue" not in answer.model_dump_json()
    assert answer.request["secretToken"] == "[redacted]"


async def test_creating_a_candidate_whose_email_exists_reports_it_instead(
    writer: AshbyConnector, sandbox: Any
) -> None:
    existing = sandbox.control.records("candidate")[2]
    email = existing["primaryEmailAddress"]["value"]
    before = len(sandbox.control.records("candidate"))
    with pytest.raises(DuplicateRecordError) as caught:
        await writer.execute("candidates", "create", {"name": "Again", "email": email})
    assert caught.value.existing == [existing["id"]]
    assert '"allow_duplicate": true' in caught.value.message
    assert len(sandbox.control.records("candidate")) == before
    created = await writer.execute(
        "candidates", "create", {"name": "Again", "email": email, "allow_duplicate": True}
    )
    assert created.id != existing["id"] and len(sandbox.control.records("candidate")) == before + 1


@pytest.fixture
async def keyed_writer(sandbox: Any, tmp_path: Any) -> AsyncIterator[AshbyConnector]:
    async with AshbyConnector(
        AshbyAuthConfig(api_key=sandbox.api_key),
        base_url=sandbox.url,
        access="write",
        context_store=f"sqlite:///{tmp_path / 'store.db'}",
    ) as connector:
        yield connector


async def test_an_idempotency_key_answers_a_repeat_without_writing_again(
    keyed_writer: AshbyConnector, sandbox: Any
) -> None:
    params = {"name": "Once Only", "email": "once@example.com", "idempotency_key": "k-1"}
    sandbox.control.clear_requests()
    first = await keyed_writer.execute("candidates", "create", params)
    again = await keyed_writer.execute("candidates", "create", params)
    assert again == first and isinstance(again, Candidate)
    assert written(sandbox) == ["candidate.create"]
    with pytest.raises(
        IdempotencyConflictError, match=r"'k-1' was used in the last 24 hours for candidates\.create"
    ):
        await keyed_writer.execute("candidates", "create", {**params, "name": "Other"})
    assert written(sandbox) == ["candidate.create"]


async def test_a_failed_write_releases_its_key_and_an_old_key_expires(
    keyed_writer: AshbyConnector, sandbox: Any
) -> None:
    import sqlalchemy as sa

    from ashby_agent.store.schema import write_keys

    candidate = sandbox.control.records("candidate")[3]
    tag = sandbox.control.records("candidateTag")[1]
    with pytest.raises(NotFoundError):  # Ashby refused: the key is free again
        await keyed_writer.execute(
            "candidates",
            "add_tag",
            {"candidate_id": str(uuid.uuid4()), "tag_id": tag["id"], "idempotency_key": "k-2"},
        )
    tagged = await keyed_writer.execute(
        "candidates",
        "add_tag",
        {"candidate_id": candidate["id"], "tag_id": tag["id"], "idempotency_key": "k-2"},
    )
    assert tagged.id == candidate["id"]
    store = keyed_writer.context_store
    store.transaction(
        lambda c: c.execute(sa.update(write_keys).values(created_at=sa.func.datetime("now", "-25 hours")))
    )
    sandbox.control.clear_requests()
    await keyed_writer.execute(
        "candidates",
        "add_tag",
        {"candidate_id": candidate["id"], "tag_id": tag["id"], "idempotency_key": "k-2"},
    )
    assert written(sandbox) == ["candidate.addTag"]  # 25 hours later the key no longer answers


async def test_a_write_is_seen_by_the_next_incremental_sync(
    keyed_writer: AshbyConnector, sandbox: Any
) -> None:
    await keyed_writer.replicate(["candidates"])
    created = await keyed_writer.execute("candidates", "create", {"name": "Synced Later"})
    sandbox.control.clear_requests()
    report = await keyed_writer.replicate(["candidates"])
    assert report.ok
    bodies = [e["body"] for e in sandbox.control.requests() if e["path"] == "/candidate.list"]
    assert bodies and all("syncToken" in body for body in bodies)  # only the changes were fetched
    found = await keyed_writer.execute(
        "candidates", "context_store_search", {"query": {"filter": {"eq": {"id": created.id}}}}
    )
    assert [record["name"] for record in found.data] == ["Synced Later"]


async def test_a_dry_run_checks_the_keys_permission_and_that_a_stage_is_of_the_plan(
    writer: AshbyConnector, sandbox: Any
) -> None:
    application = an_active_application(sandbox)
    plan = application["currentInterviewStage"]["interviewPlanId"]
    other = next(s for s in sandbox.control.records("interviewStage") if s["interviewPlanId"] != plan)
    sandbox.control.clear_requests()
    with pytest.raises(
        InvalidParamsError, match=f"belongs to interview plan {other['interviewPlanId']}, not to {plan}"
    ):
        await writer.execute(
            "applications",
            "change_stage",
            {"application_id": application["id"], "interview_stage_id": other["id"], "dry_run": True},
        )
    assert written(sandbox) == []
    with run_sandbox(seed=11, scale="small", api_keys=["narrow:candidates:read,apiKeys:read"]) as narrow:
        candidate = narrow.control.records("candidate")[0]
        async with AshbyConnector(
            AshbyAuthConfig(api_key="narrow"), base_url=narrow.url, access="write"
        ) as c:
            with pytest.raises(
                PermissionDeniedError, match=r"lacks candidatesWrite, which candidate_notes\.create"
            ):
                await c.execute(
                    "candidate_notes",
                    "create",
                    {"candidate_id": candidate["id"], "note": "x", "dry_run": True},
                )
        assert [e["path"] for e in narrow.control.requests()] == ["/apiKey.info"]


async def test_an_email_message_is_logged_on_the_candidate(writer: AshbyConnector, sandbox: Any) -> None:
    from ashby_agent.connectors.ashby.records.candidates import EmailMessage

    candidate = sandbox.control.records("candidate")[6]
    logged = await writer.execute(
        "candidates",
        "add_email_message",
        {
            "candidate_id": candidate["id"],
            "email_provider_email_id": "provider-1",
            "subject": "Next steps",
            "from": "recruiter@example.com",
            "to": "ada@example.com",
            "body": "Thanks for today.",
        },
    )
    assert isinstance(logged, EmailMessage)
    assert (logged.candidate_id, logged.subject, logged.from_) == (
        candidate["id"],
        "Next steps",
        "recruiter@example.com",
    )
