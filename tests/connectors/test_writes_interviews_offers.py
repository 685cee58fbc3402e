"""The interview scheduling and offer writes through the connector, against a real sandbox: each answers
its typed record and changes the sandbox's state; destructive ones need ``confirm``; refusals are typed."""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.records.interviews import InterviewSchedule
from ashby_agent.connectors.ashby.records.offers import Offer, OfferForm, OfferProcess
from ashby_agent.errors import AshbyValidationError, ConfirmationRequiredError, NotFoundError

UNKNOWN = "0b5e2f4c-9d1a-4c3b-8e7f-6a5d4c3b2a19"


def _active_applications(sandbox: Any) -> list[dict[str, Any]]:
    offered = {offer["applicationId"] for offer in sandbox.control.records("offer")}
    return [
        a
        for a in sandbox.control.records("application")
        if a["status"] == "Active" and a["id"] not in offered
    ]


def _wire_event(sandbox: Any) -> dict[str, Any]:
    user = next(u for u in sandbox.control.records("user") if u["isEnabled"])
    return {
        "startTime": "2026-05-04T09:00:00Z",
        "endTime": "2026-05-04T10:00:00Z",
        "interviewers": [{"email": user["email"]}],
    }


# -- interview schedules ----------------------------------------------------------------------------
async def test_create_update_and_cancel_a_schedule(writer: AshbyConnector, sandbox: Any) -> None:
    application = _active_applications(sandbox)[0]
    created = await writer.execute(
        "interview_schedules",
        "create",
        {"application_id": application["id"], "interview_events": [_wire_event(sandbox)]},
    )
    assert isinstance(created, InterviewSchedule)
    assert created.status == "Scheduled" and created.application_id == application["id"]
    stored = sandbox.control.get("interviewSchedule", created.id)
    assert [e["id"] for e in stored["interviewEvents"]] == [e.id for e in created.interview_events]

    added = await writer.execute(
        "interview_schedules",
        "update",
        {"interview_schedule_id": created.id, "interview_event": [_wire_event(sandbox)]},
    )
    assert isinstance(added, InterviewSchedule) and len(added.interview_events) == 2
    assert len(sandbox.control.get("interviewSchedule", created.id)["interviewEvents"]) == 2

    cancel_one = {
        "interview_schedule_id": created.id,
        "interview_event_id_to_cancel": [added.interview_events[0].id],
    }
    with pytest.raises(ConfirmationRequiredError):
        await writer.execute("interview_schedules", "update", cancel_one)
    fewer = await writer.execute("interview_schedules", "update", {**cancel_one, "confirm": True})
    assert [e.id for e in fewer.interview_events] == [added.interview_events[1].id]
    assert (
        sandbox.control.get("interviewEvent", added.interview_events[1].id)["interviewScheduleId"]
        == created.id
    )

    with pytest.raises(ConfirmationRequiredError):
        await writer.execute("interview_schedules", "cancel", {"id": created.id})
    assert sandbox.control.get("interviewSchedule", created.id)["status"] == "Scheduled"
    cancelled = await writer.execute("interview_schedules", "cancel", {"id": created.id, "confirm": True})
    assert isinstance(cancelled, InterviewSchedule) and cancelled.status == "Cancelled"
    assert sandbox.control.get("interviewSchedule", created.id)["status"] == "Cancelled"


async def test_schedule_refusals_are_typed(writer: AshbyConnector, sandbox: Any) -> None:
    seeded = sandbox.control.records("interviewSchedule")[0]
    with pytest.raises(AshbyValidationError) as caught:
        await writer.execute(
            "interview_schedules",
            "update",
            {"interview_schedule_id": seeded["id"], "interview_event": [_wire_event(sandbox)]},
        )
    assert caught.value.code == "interview_schedule_not_editable"
    with pytest.raises(NotFoundError):
        await writer.execute("interview_schedules", "cancel", {"id": UNKNOWN, "confirm": True})
    event = {**_wire_event(sandbox), "interviewers": [{"email": "nobody@example.invalid"}]}
    with pytest.raises(NotFoundError):
        await writer.execute(
            "interview_schedules",
            "create",
            {"application_id": _active_applications(sandbox)[0]["id"], "interview_events": [event]},
        )
    assert sandbox.control.get("interviewSchedule", seeded["id"]) == seeded


# -- offers -----------------------------------------------------------------------------------------
def _form(salary: int) -> dict[str, Any]:
    return {
        "fieldSubmissions": [
            {"path": "startDate", "value": "2026-06-01"},
            {"path": "salary", "value": {"value": salary, "currencyCode": "USD"}},
            {"path": "jobTitle", "value": "Engineer"},
        ]
    }


async def test_the_offer_flow_from_process_to_approved_new_version(
    writer: AshbyConnector, sandbox: Any
) -> None:
    application = _active_applications(sandbox)[1]
    process = await writer.execute("offers", "start_process", {"application_id": application["id"]})
    assert isinstance(process, OfferProcess) and process.status == "WaitingOnOfferCreation"
    assert sandbox.control.get("offerProcess", process.id)["applicationId"] == application["id"]

    form = await writer.execute("offers", "start_form", {"offer_process_id": process.id})
    assert isinstance(form, OfferForm)
    paths = [entry.field.path for section in form.form_definition.sections for entry in section.fields]
    assert {"startDate", "salary", "jobTitle"} <= set(paths)

    offer = await writer.execute(
        "offers",
        "create",
        {"offer_process_id": process.id, "offer_form_id": form.id, "offer_form": _form(90_000)},
    )
    assert isinstance(offer, Offer) and offer.offer_status == "WaitingOnApprovalStart"
    assert sandbox.control.get("offer", offer.id)["latestVersion"]["salary"]["value"] == 90_000

    waiting = await writer.execute("offers", "start_approval", {"offer_version_id": offer.latest_version.id})
    assert isinstance(waiting, Offer) and waiting.latest_version.approval_status == "WaitingOnApprovals"
    (approval,) = [a for a in sandbox.control.records("approval") if a["entityId"] == offer.id]
    step = approval["steps"][0]
    approved = await writer.execute(
        "offers",
        "approve",
        {
            "offer_version_id": offer.latest_version.id,
            "approval_step_id": step["id"],
            "user_id": step["approvers"][0]["userId"],
        },
    )
    assert isinstance(approved, Offer) and approved.offer_status == "WaitingOnCandidateResponse"
    assert sandbox.control.get("offer", offer.id)["latestVersion"]["approvalStatus"] == "Approved"

    newer = await writer.execute("offers", "update", {"offer_id": offer.id, "offer_form": _form(95_000)})
    assert isinstance(newer, Offer) and len(newer.versions) == 2
    assert newer.offer_status == "WaitingOnOfferApproval"  # approval had run: it restarts
    assert sandbox.control.get("offerProcess", process.id)["status"] == "WaitingOnOfferApproval"


async def test_offer_refusals_are_typed(writer: AshbyConnector, sandbox: Any) -> None:
    with pytest.raises(NotFoundError):
        await writer.execute("offers", "start_form", {"offer_process_id": UNKNOWN})
    accepted = next(o for o in sandbox.control.records("offer") if o["offerStatus"] == "CandidateAccepted")
    with pytest.raises(AshbyValidationError) as caught:
        await writer.execute("offers", "update", {"offer_id": accepted["id"], "offer_form": _form(1)})
    assert caught.value.code == "offer_state_invalid"
    process = await writer.execute(
        "offers", "start_process", {"application_id": _active_applications(sandbox)[2]["id"]}
    )
    with pytest.raises(AshbyValidationError) as caught:
        await writer.execute(
            "offers",
            "create",
            {"offer_process_id": process.id, "offer_form_id": UNKNOWN, "offer_form": _form(1)},
        )
    assert caught.value.code == "offer_state_invalid"  # offer.start comes first
    assert sandbox.control.get("offer", accepted["id"]) == accepted
