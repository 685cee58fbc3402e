"""The connector against the real sandbox over HTTP: every operation, paging, sync deltas, errors."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.connectors.ashby.catalog import Operation, operations
from ashby_agent.connectors.ashby.models import Application, Candidate, JobPosting, JobPostingSummary
from ashby_agent.errors import (
    AuthenticationError,
    ConnectionFailedError,
    CursorError,
    InvalidParamsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SyncTokenError,
)
from ashby_agent.pagination import ListResult
from ashby_agent.retry import RetryPolicy
from ashby_agent.sandbox import run_sandbox
from ashby_agent.transports.ashby import AshbyTransport

FAST_RETRY = RetryPolicy(max_attempts=4, initial_delay=0.01, max_delay=0.05, max_total_time=10.0)


def _first(records: list[dict[str, Any]], predicate: Any = None) -> dict[str, Any]:
    return next(record for record in records if predicate is None or predicate(record))


def _params_for(op: Operation, control: Any) -> dict[str, Any]:
    """Params that make ``op`` return data, with ids taken from the sandbox's ground truth."""
    records = control.records
    note = _first(records("note"))
    application = _first(records("application"))
    schedule = _first(records("interviewSchedule"), lambda s: s["interviewEvents"])
    candidate_with_client_info = _first(records("clientInfo"))["candidateId"]
    pause_user = _first(records("user"))["id"]
    fraud = records("candidate")  # fraud checks: any candidate is a valid call
    candidate_project = _first(records("candidateProject"))
    handle = _first(records("fileHandle"))["handle"]
    by_entity: dict[tuple[str, str], dict[str, Any]] = {
        ("candidates", "get"): {"id": _first(records("candidate"))["id"]},
        ("candidates", "api_search"): {"name": _first(records("candidate"))["name"]},
        ("candidate_notes", "list"): {"candidate_id": note["_candidateId"]},
        ("candidate_projects", "list"): {"candidate_id": candidate_project["_candidateId"]},
        ("candidate_client_info", "list"): {"candidate_id": candidate_with_client_info},
        ("candidate_fraud_checks", "list"): {"candidate_id": fraud[0]["id"]},
        ("applications", "get"): {"application_id": application["id"]},
        ("application_history", "list"): {"application_id": application["id"]},
        ("application_criteria_evaluations", "list"): {"application_id": application["id"]},
        ("jobs", "get"): {"id": _first(records("job"))["id"]},
        ("jobs", "api_search"): {"title": _first(records("job"))["title"]},
        ("job_postings", "get"): {"job_posting_id": _first(records("jobPosting"))["id"]},
        ("job_interview_plans", "get"): {"job_id": _first(records("job"))["id"]},
        ("openings", "get"): {"opening_id": _first(records("opening"))["id"]},
        ("openings", "api_search"): {"identifier": _first(records("opening"))["latestVersion"]["identifier"]},
        ("departments", "get"): {"department_id": _first(records("department"))["id"]},
        ("locations", "get"): {"location_id": _first(records("location"))["id"]},
        ("users", "get"): {"user_id": pause_user},
        ("users", "api_search"): {"email": _first(records("user"))["email"]},
        ("user_interviewer_settings", "get"): {"user_id": pause_user},
        ("user_interviewer_pauses", "list"): {"user_id": pause_user},
        ("custom_fields", "get"): {"custom_field_id": _first(records("customField"))["id"]},
        ("feedback_form_definitions", "get"): {"id": _first(records("feedbackFormDefinition"))["id"]},
        ("interviewer_pools", "get"): {"interviewer_pool_id": _first(records("interviewerPool"))["id"]},
        ("interview_stages", "list"): {"interview_plan_id": _first(records("interviewPlan"))["id"]},
        ("interview_stages", "get"): {"interview_stage_id": _first(records("interviewStage"))["id"]},
        ("interviews", "get"): {"id": _first(records("interview"))["id"]},
        ("interview_events", "list"): {"interview_schedule_id": schedule["id"]},
        ("offers", "get"): {"offer_id": _first(records("offer"))["id"]},
        ("projects", "get"): {"project_id": _first(records("project"))["id"]},
        ("projects", "api_search"): {"title": _first(records("project"))["title"]},
        ("files", "get"): {"file_handle": handle},
        ("webhooks", "get"): {"webhook_id": _first(records("webhook"))["id"]},
    }
    return by_entity.get((op.entity, op.action), {})


@pytest.mark.parametrize(
    "op", [op for op in operations() if op.read_only], ids=lambda op: f"{op.entity}.{op.action}"
)
async def test_every_read_returns_typed_records(op: Operation, connector: Any, shared_sandbox: Any) -> None:
    params = _params_for(op, shared_sandbox.control)
    result = await connector.execute(op.entity, op.action, params)
    if op.returns_list:
        assert isinstance(result, ListResult)
        assert all(isinstance(record, op.result) for record in result.data)
        if op.entity not in ("candidate_fraud_checks", "application_criteria_evaluations"):
            assert result.data, f"{op.endpoint} returned no records from a seeded sandbox"
        dumped = result.model_dump(mode="json")
        assert set(dumped) == {"data", "meta"}
        assert set(dumped["meta"]) == {"cursor", "has_more", "sync_token"}
    else:
        assert isinstance(result, op.result)
        assert isinstance(result.model_dump(mode="json"), dict)


async def test_list_and_get_use_their_own_record_models(connector: Any) -> None:
    postings = await connector.job_postings.list()
    assert postings.data and all(type(p) is JobPostingSummary for p in postings.data)
    posting = await connector.job_postings.get(job_posting_id=postings.data[0].id)
    assert type(posting) is JobPosting
    assert posting.id == postings.data[0].id


async def test_get_returns_the_record_not_the_wrapper(connector: Any, shared_sandbox: Any) -> None:
    expected = shared_sandbox.control.records("application")[0]
    application = await connector.applications.get(application_id=expected["id"])
    assert isinstance(application, Application)
    assert application.id == expected["id"]
    assert application.status == expected["status"]
    assert application.current_interview_stage.id == expected["currentInterviewStage"]["id"]
    assert application.created_at.isoformat().startswith(expected["createdAt"][:19])


async def test_iterate_walks_every_record_exactly_once(connector: Any, shared_sandbox: Any) -> None:
    expected = [record["id"] for record in shared_sandbox.control.records("candidate")]
    seen = [candidate.id async for candidate in connector.candidates.iterate(limit=37)]
    assert len(expected) > 100
    assert seen == expected


async def test_manual_paging_with_meta_cursor(connector: Any) -> None:
    first = await connector.execute("candidates", "list", {"limit": 50})
    assert len(first.data) == 50 and first.meta.has_more and first.meta.cursor and not first.meta.sync_token
    second = await connector.candidates.list(limit=50, cursor=first.meta.cursor)
    assert {c.id for c in first.data}.isdisjoint(c.id for c in second.data)


async def test_filters_reach_ashby(connector: Any, shared_sandbox: Any) -> None:
    records = shared_sandbox.control.records("application")
    job_id = records[0]["job"]["id"]
    expected = {r["id"] for r in records if r["job"]["id"] == job_id and r["status"] == "Active"}
    found = {a.id async for a in connector.applications.iterate(job_id=job_id, status="Active")}
    assert found == expected
    expanded = await connector.applications.list(limit=5, expand=["openings"])
    assert all(a.openings is not None for a in expanded.data)


async def test_created_after_accepts_iso_dates(connector: Any, shared_sandbox: Any) -> None:
    records = shared_sandbox.control.records("candidate")
    pivot = records[len(records) // 2]["createdAt"]
    later = [c async for c in connector.candidates.iterate(created_after=pivot)]
    assert later and all(c.created_at.isoformat() > pivot[:19] for c in later)
    assert len(later) < len(records)


@pytest.fixture
def private_sandbox() -> Iterator[Any]:
    with run_sandbox(seed=11, scale="small", api_keys=["full-key", "jobs-only:jobs:read"]) as sandbox:
        yield sandbox


async def test_sync_token_returns_exactly_the_changes(private_sandbox: Any) -> None:
    control = private_sandbox.control
    async with AshbyConnector(AshbyAuthConfig(api_key="full-key"), base_url=private_sandbox.url) as connector:
        last = None
        async for _ in connector.candidates.iterate():
            pass
        page = await connector.candidates.list()
        while page.meta.has_more:
            page = await connector.candidates.list(cursor=page.meta.cursor)
        last = page.meta.sync_token
        assert last
        candidates = control.records("candidate")
        control.advance_clock(60)
        control.update("candidate", candidates[3]["id"], name="Renamed Person")
        control.archive("application", control.records("application")[0]["id"])
        delta = await connector.candidates.list(sync_token=last)
        assert [c.id for c in delta.data] == [candidates[3]["id"]]
        assert delta.data[0].name == "Renamed Person"
        assert delta.meta.sync_token and not delta.meta.has_more
        again = await connector.candidates.list(sync_token=delta.meta.sync_token)
        assert again.data == []

        control.expire_sync_tokens()
        with pytest.raises(SyncTokenError, match="full sync") as caught:
            await connector.candidates.list(sync_token=delta.meta.sync_token)
        assert caught.value.code == "sync_token_expired"


async def test_api_errors_are_typed(private_sandbox: Any) -> None:
    url = private_sandbox.url
    async with AshbyConnector(AshbyAuthConfig(api_key="jobs-only"), base_url=url) as limited:
        with pytest.raises(PermissionDeniedError) as denied:
            await limited.candidates.list()
        assert denied.value.missing_permission in ("candidatesRead", "candidates:read")
        assert (await limited.jobs.list(limit=1)).data
    async with AshbyConnector(AshbyAuthConfig(api_key="wrong-key"), base_url=url) as wrong:
        with pytest.raises(AuthenticationError) as bad:
            await wrong.candidates.list()
        assert bad.value.status == 403
    async with AshbyConnector(AshbyAuthConfig(api_key="full-key"), base_url=url) as connector:
        with pytest.raises(NotFoundError) as missing:
            await connector.applications.get(application_id="3fa85f64-5717-4562-b3fc-2c963f66afa6")
        assert missing.value.code == "application_not_found"
        with pytest.raises(CursorError):
            await connector.candidates.list(cursor="not-a-cursor")
        with pytest.raises(InvalidParamsError):
            await connector.applications.get(application_id="not-a-uuid")


async def test_invalid_params_send_nothing(private_sandbox: Any) -> None:
    control = private_sandbox.control
    control.clear_requests()
    async with AshbyConnector(AshbyAuthConfig(api_key="full-key"), base_url=private_sandbox.url) as connector:
        with pytest.raises(InvalidParamsError):
            await connector.execute("applications", "list", {"status": "Pending"})
    assert control.requests() == []


async def test_retries_honour_retry_after_and_recover(private_sandbox: Any) -> None:
    control = private_sandbox.control
    control.set_faults(retry_after=1)
    control.queue_faults(["429", "500", "drop"])
    control.clear_requests()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:  # the waits the transport asks for, without taking them
        waits.append(seconds)

    transport = AshbyTransport("full-key", base_url=private_sandbox.url, retry=FAST_RETRY, sleep=sleep)
    async with AshbyConnector(transport=transport) as connector:
        page = await connector.candidates.list(limit=2)
    assert len(page.data) == 2
    log = control.requests()
    assert [entry["path"] for entry in log] == ["/candidate.list"] * 4
    assert waits[0] == 1.0, "the retry after a 429 must wait Retry-After seconds"
    assert sum(waits[1:]) < 0.9 and len(waits) == 3, "5xx and drops back off briefly, not Retry-After"


async def test_retries_are_bounded(private_sandbox: Any) -> None:
    control = private_sandbox.control
    control.set_faults(retry_after=0)
    control.queue_faults(["429"] * 4)
    async with AshbyConnector(
        AshbyAuthConfig(api_key="full-key"), base_url=private_sandbox.url, retry=FAST_RETRY
    ) as connector:
        with pytest.raises(RateLimitError):
            await connector.candidates.list(limit=2)
    control.clear_faults()


async def test_connection_refused_is_a_typed_error() -> None:
    async with AshbyConnector(
        AshbyAuthConfig(api_key="k"), base_url="http://127.0.0.1:9", retry=RetryPolicy(max_attempts=1)
    ) as connector:
        with pytest.raises(ConnectionFailedError):
            await connector.candidates.list()


async def test_the_key_never_leaks(private_sandbox: Any, caplog: pytest.LogCaptureFixture) -> None:
    secret = "full-key"
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    connector = AshbyConnector(
        AshbyAuthConfig(api_key=secret), base_url=private_sandbox.url, retry=FAST_RETRY
    )
    texts += [
        repr(connector),
        str(connector),
        repr(connector.auth_config),
        connector.auth_config.model_dump_json(),
    ]
    private_sandbox.control.queue_faults(["500"])
    await connector.candidates.list(limit=1)
    for bad in ({"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},):
        try:
            await connector.candidates.get(**bad)
        except NotFoundError as exc:
            texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    await connector.aclose()
    texts += [record.getMessage() for record in caplog.records]
    texts += [str(entry) for entry in private_sandbox.control.requests()]
    assert texts and not [text for text in texts if secret in text]


def test_sync_facade_shares_the_same_code(shared_sandbox: Any) -> None:
    async_connector = AshbyConnector(
        AshbyAuthConfig(api_key=shared_sandbox.api_key), base_url=shared_sandbox.url
    )
    with async_connector.sync() as connector:
        key = connector.check()
        assert "candidates:read" in key.scopes
        page = connector.candidates.list(limit=3)
        assert len(page.data) == 3 and isinstance(page.data[0], Candidate)
        assert sum(1 for _ in connector.candidates.iterate(limit=100)) == len(
            shared_sandbox.control.records("candidate")
        )
        with pytest.raises(InvalidParamsError):
            connector.execute("candidates", "list", {"bogus": 1})


async def test_check_reports_scopes(connector: Any) -> None:
    key = await connector.check()
    assert isinstance(key, BaseModel)
    assert {"candidates:read", "jobs:read"} <= set(key.scopes)
