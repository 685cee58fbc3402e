"""The jobs module's writes through the connector, against a generated sandbox: each answers its typed
record and changes the sandbox's state; Ashby's refusals come back as typed errors."""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.records.jobs import Job, JobPosting, JobWithCompensationTiers, Opening
from ashby_agent.errors import (
    AshbyValidationError,
    ConfirmationRequiredError,
    InvalidParamsError,
    NotFoundError,
)

SALARY = {
    "compensationType": "Salary",
    "interval": "1 YEAR",
    "currencyCode": "USD",
    "minValue": 90000,
    "maxValue": 120000,
}


def _first(sandbox: Any, table: str, **match: Any) -> dict[str, Any]:
    return next(r for r in sandbox.control.records(table) if all(r.get(k) == v for k, v in match.items()))


def _office(sandbox: Any, n: int = 0) -> str:
    offices = [
        r
        for r in sandbox.control.records("location")
        if not r["isArchived"] and r.get("type") != "LocationHierarchy"
    ]
    return str(offices[n]["id"])


def _team(sandbox: Any) -> str:
    return str(_first(sandbox, "department", isArchived=False)["id"])


async def _new_job(writer: AshbyConnector, sandbox: Any, **extra: Any) -> Job:
    job = await writer.execute(
        "jobs",
        "create",
        {"title": "Agent-made job", "team_id": _team(sandbox), "location_id": _office(sandbox), **extra},
    )
    assert isinstance(job, Job)
    return job


async def test_create_update_and_open_a_job(writer: AshbyConnector, sandbox: Any) -> None:
    plan = _first(sandbox, "interviewPlan", isArchived=False)["id"]
    job = await _new_job(writer, sandbox)
    assert job.status == "Draft" and sandbox.control.get("job", job.id)["title"] == "Agent-made job"
    updated = await writer.execute(
        "jobs",
        "update",
        {
            "job_id": job.id,
            "title": "Renamed",
            "default_interview_plan_id": plan,
            "custom_requisition_id": "REQ-77",
        },
    )
    assert isinstance(updated, Job) and updated.custom_requisition_id == "REQ-77"
    assert sandbox.control.get("job", job.id)["defaultInterviewPlanId"] == plan
    with pytest.raises(ConfirmationRequiredError):
        await writer.execute("jobs", "set_status", {"job_id": job.id, "status": "Open"})
    opened = await writer.execute("jobs", "set_status", {"job_id": job.id, "status": "Open", "confirm": True})
    assert isinstance(opened, Job) and opened.status == "Open" and opened.opened_at is not None
    assert sandbox.control.get("job", job.id)["status"] == "Open"


async def test_a_transition_ashby_forbids_is_a_typed_validation_error(
    writer: AshbyConnector, sandbox: Any
) -> None:
    job = await _new_job(writer, sandbox)
    with pytest.raises(AshbyValidationError) as caught:
        await writer.execute("jobs", "set_status", {"job_id": job.id, "status": "Closed", "confirm": True})
    assert caught.value.code == "job_status_transition_invalid"
    with pytest.raises(AshbyValidationError) as no_plan:
        await writer.execute("jobs", "set_status", {"job_id": job.id, "status": "Open", "confirm": True})
    assert no_plan.value.code == "job_interview_plan_required"
    assert sandbox.control.get("job", job.id)["status"] == "Draft"


async def test_update_compensation_answers_the_job_with_its_tiers(
    writer: AshbyConnector, sandbox: Any
) -> None:
    job = _first(sandbox, "job", status="Open")
    answer = await writer.execute(
        "jobs", "update_compensation", {"job_id": job["id"], "compensation_tiers": [{"components": [SALARY]}]}
    )
    assert isinstance(answer, JobWithCompensationTiers) and answer.id == job["id"]
    assert answer.compensation_tiers[0].tier_summary == "$90K – $120K"
    stored = sandbox.control.get("job", job["id"])["_compensation"]["compensationTiers"]
    assert stored[0]["id"] == answer.compensation_tiers[0].id
    with pytest.raises(AshbyValidationError) as caught:
        await writer.execute("jobs", "update_compensation", {"job_id": job["id"], "compensation_tiers": [{}]})
    assert caught.value.code == "invalid_input"


async def test_update_a_posting(writer: AshbyConnector, sandbox: Any) -> None:
    posting = sandbox.control.records("jobPosting")[0]
    answer = await writer.execute(
        "job_postings",
        "update",
        {
            "job_posting_id": posting["id"],
            "title": "Posting by agent",
            "workplace_type": "Hybrid",
            "description": {"type": "text/html", "content": "<h3>About</h3><p>We build.</p>"},
        },
    )
    assert isinstance(answer, JobPosting) and answer.workplace_type == "Hybrid"
    stored = sandbox.control.get("jobPosting", posting["id"])
    assert stored["title"] == "Posting by agent"
    assert stored["descriptionParts"]["descriptionBody"]["html"] == "<h3>About</h3>We build."
    with pytest.raises(InvalidParamsError):
        await writer.execute(
            "job_postings", "update", {"job_posting_id": posting["id"], "workplace_type": "Moon"}
        )


async def test_the_opening_family(writer: AshbyConnector, sandbox: Any) -> None:
    job = _first(sandbox, "job", status="Open")
    created = await writer.execute("openings", "create", {"identifier": "AGENT-1", "job_ids": [job["id"]]})
    assert isinstance(created, Opening) and created.opening_state == "Draft"
    opening_id = created.id
    assert sandbox.control.get("opening", opening_id)["latestVersion"]["jobIds"] == [job["id"]]
    steps: list[tuple[str, dict[str, Any]]] = [
        ("update", {"team_id": _team(sandbox), "target_hire_date": "2026-12-01", "is_backfill": True}),
        ("add_location", {"location_id": _office(sandbox)}),
        ("add_location", {"location_id": _office(sandbox, 1)}),
        ("remove_location", {"location_id": _office(sandbox, 1)}),
        ("add_job", {"job_id": _first(sandbox, "job", status="Draft")["id"]}),
        ("remove_job", {"job_id": _first(sandbox, "job", status="Draft")["id"]}),
        ("set_state", {"opening_state": "Open"}),
    ]
    for action, params in steps:
        answer = await writer.execute("openings", action, {"opening_id": opening_id, **params})
        assert isinstance(answer, Opening), action
    stored = sandbox.control.get("opening", opening_id)
    assert stored["openingState"] == "Open" and stored["latestVersion"]["locationIds"] == [_office(sandbox)]
    assert stored["latestVersion"]["isBackfill"] is True and stored["latestVersion"]["jobIds"] == [job["id"]]
    with pytest.raises(AshbyValidationError) as caught:
        await writer.execute("openings", "remove_job", {"opening_id": opening_id, "job_id": job["id"]})
    assert caught.value.code == "opening_state_invalid"
    with pytest.raises(ConfirmationRequiredError):
        await writer.execute("openings", "set_archived", {"opening_id": opening_id, "archive": True})
    archived = await writer.execute(
        "openings", "set_archived", {"opening_id": opening_id, "archive": True, "confirm": True}
    )
    assert isinstance(archived, Opening) and archived.is_archived
    assert sandbox.control.get("opening", opening_id)["isArchived"] is True


async def test_closing_an_opening_names_a_reason(writer: AshbyConnector, sandbox: Any) -> None:
    opening = _first(sandbox, "opening", openingState="Open", isArchived=False)
    reason = _first(sandbox, "closeReason", isArchived=False)["id"]
    with pytest.raises(AshbyValidationError):
        await writer.execute(
            "openings", "set_state", {"opening_id": opening["id"], "opening_state": "Closed"}
        )
    closed = await writer.execute(
        "openings",
        "set_state",
        {"opening_id": opening["id"], "opening_state": "Closed", "close_reason_id": reason},
    )
    assert isinstance(closed, Opening) and closed.close_reason_id == reason
    assert sandbox.control.get("opening", opening["id"])["openingState"] == "Closed"


async def test_unknown_records_are_typed_not_found_errors(writer: AshbyConnector) -> None:
    unknown = "0b5e2f4c-9d1a-4c3b-8e7f-6a5d4c3b2a19"
    with pytest.raises(NotFoundError):
        await writer.execute("jobs", "update", {"job_id": unknown, "title": "X"})
    with pytest.raises(NotFoundError):
        await writer.execute("openings", "add_job", {"opening_id": unknown, "job_id": unknown})
