"""Interview scheduling writes over real HTTP: schedules and their events read back through
``interviewSchedule.list`` and ``interviewEvent.list`` (and their sync deltas), each refusal with its
Ashby error code and nothing written, the key rule of ``update``, permissions and webhook events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api, SandboxFactory, _uid
from tests.sandbox.endpoints.conftest import Delta, error, results
from tests.sandbox.webhooks.conftest import subscribe
from tests.sandbox.webhooks.receiver import Receiver
from tests.sandbox.write_dataset import IDS, UNKNOWN, write_dataset

KEYS = ["full-key", "other-key", "read-key:interviews:read", "write-key:interviews:write"]
INTERVIEW, ARCHIVED_INTERVIEW = _uid(0, 50), _uid(1, 50)
SEEDED = _uid(0, 51)  # the dataset's schedule, made by no key of this sandbox
START, END = "2026-02-01T10:00:00Z", "2026-02-01T11:00:00Z"


def _dataset() -> dict[str, list[dict[str, Any]]]:
    data = write_dataset()
    data["interview"] = [
        {"id": interview_id, "title": title, "externalTitle": title, "isArchived": archived,
         "isDebrief": False, "isFeedbackRequired": True, "isFeedbackRequested": True,
         "instructionsHtml": None, "instructionsPlain": None, "feedbackFormDefinitionId": IDS["form"]}
        for interview_id, title, archived in ((INTERVIEW, "Onsite", False), (ARCHIVED_INTERVIEW, "Old", True))
    ]  # fmt: skip
    return data


@pytest.fixture
def isb(fresh: SandboxFactory, receiver: Receiver) -> Iterator[SandboxHandle]:
    with fresh(api_keys=KEYS, dataset=_dataset(), webhook_retry_scale=0.0001) as sb:
        for event in ("interviewScheduleCreate", "interviewScheduleUpdate"):
            subscribe(sb, receiver, event, f"/{event}")
        yield sb


@pytest.fixture
def iapi(isb: SandboxHandle, client_for: Any) -> Api:
    client: Api = client_for(isb)
    return client


def _event(**extra: Any) -> dict[str, Any]:
    return {"startTime": START, "endTime": END, "interviewers": [{"email": "user1@example.com"}], **extra}


def _create(api: Api, **body: Any) -> dict[str, Any]:
    body.setdefault("applicationId", IDS["active_app"])
    body.setdefault("interviewEvents", [_event(interviewId=INTERVIEW)])
    created: dict[str, Any] = results(api("interviewSchedule.create", **body))
    return created


def _listed(api: Api, schedule_id: str) -> dict[str, Any]:
    records, _token = api.walk("interviewSchedule.list", applicationId=IDS["active_app"])
    return next(r for r in records if r["id"] == schedule_id)


def _events(api: Api, schedule_id: str) -> list[dict[str, Any]]:
    records, _token = api.walk("interviewEvent.list", interviewScheduleId=schedule_id)
    return records


# -- create -----------------------------------------------------------------------------------------
def test_create_answers_a_scheduled_schedule_seen_by_both_lists_their_deltas_and_webhooks(
    iapi: Api, isb: SandboxHandle, receiver: Receiver
) -> None:
    schedules = Delta(iapi, "interviewSchedule.list")
    created = _create(iapi, interviewEvents=[_event(interviewId=INTERVIEW, extraData={"room": "4"})])
    assert created["status"] == "Scheduled"
    assert created["applicationId"] == IDS["active_app"]
    active = isb.control.get("application", IDS["active_app"])
    assert created["interviewStageId"] == active["currentInterviewStage"]["id"]
    assert created["scheduledBy"]["id"] == IDS["admin"]
    assert created["createdAt"] == created["updatedAt"]
    assert "_keyTitle" not in created
    (event,) = created["interviewEvents"]
    assert (event["startTime"], event["endTime"]) == ("2026-02-01T10:00:00.000Z", "2026-02-01T11:00:00.000Z")
    assert event["interviewId"] == INTERVIEW and event["interviewScheduleId"] == created["id"]
    assert event["interviewerUserIds"] == [IDS["user1"]]
    (interviewer,) = event["interviewers"]
    assert interviewer["id"] == IDS["user1"] and interviewer["isFeedbackRequired"] is True
    assert interviewer["trainingRole"] is None and interviewer["interviewerPool"] is None
    assert event["hasSubmittedFeedback"] is False and event["extraData"] == {"room": "4"}
    assert event["feedbackLink"].endswith(f"/{event['id']}/feedback")
    assert _listed(iapi, created["id"]) == created
    assert _events(iapi, created["id"]) == [event]
    assert schedules.ids() == [created["id"]]
    create, update = receiver.wait_for(1, "/interviewScheduleCreate") + receiver.wait_for(
        1, "/interviewScheduleUpdate"
    )
    assert create.json["data"] == {"interviewSchedule": created}
    assert update.json["data"]["candidateId"] == IDS["active_app_candidate"]


def test_interviewers_are_matched_by_email_case_insensitively_and_may_skip_feedback(iapi: Api) -> None:
    event = _event(interviewers=[{"email": "USER0@example.com", "feedbackRequired": False},
                                 {"email": "user1@example.com"}])  # fmt: skip
    created = _create(iapi, interviewEvents=[event, _event()])
    first, second = created["interviewEvents"]
    assert first["interviewerUserIds"] == [IDS["admin"], IDS["user1"]]
    assert [i["isFeedbackRequired"] for i in first["interviewers"]] == [False, True]
    assert second["interviewId"] is None


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({}, "invalid_input", "applicationId"),
        ({"applicationId": IDS["active_app"]}, "invalid_input", "interviewEvents"),
        ({"applicationId": IDS["active_app"], "interviewEvents": []}, "invalid_input", "interviewEvents"),
        ({"applicationId": "nope", "interviewEvents": [_event()]}, "invalid_input", "applicationId"),
        ({"applicationId": UNKNOWN, "interviewEvents": [_event()]}, "application_not_found", None),
        (
            {"applicationId": IDS["archived_app"], "interviewEvents": [_event()]},
            "application_not_active",
            None,
        ),
        (
            {"interviewEvents": [{"endTime": END, "interviewers": [{"email": "user1@example.com"}]}]},
            "invalid_input",
            "interviewEvents[0].startTime",
        ),
        (
            {"interviewEvents": [_event(startTime="tomorrow")]},
            "invalid_input",
            "interviewEvents[0].startTime",
        ),
        ({"interviewEvents": [_event(endTime=START)]}, "invalid_input", "interviewEvents[0].endTime"),
        ({"interviewEvents": [_event(interviewers=[])]}, "invalid_input", "interviewEvents[0].interviewers"),
        (
            {"interviewEvents": [_event(interviewers=[{}])]},
            "invalid_input",
            "interviewEvents[0].interviewers[0].email",
        ),
        (
            {"interviewEvents": [_event(interviewers=[{"email": "nobody@example.com"}])]},
            "user_not_found",
            None,
        ),
        (
            {"interviewEvents": [_event(interviewers=[{"email": "user2@example.com"}])]},
            "invalid_input",
            "interviewEvents[0].interviewers[0].email",
        ),
        (
            {"interviewEvents": [_event(interviewers=[{"email": "user1@example.com"}] * 2)]},
            "invalid_input",
            "interviewEvents[0].interviewers[1].email",
        ),
        ({"interviewEvents": [_event(), _event(interviewId=UNKNOWN)]}, "interview_not_found", None),
        (
            {"interviewEvents": [_event(interviewId=ARCHIVED_INTERVIEW)]},
            "invalid_input",
            "interviewEvents[0].interviewId",
        ),
        ({"interviewEvents": [_event(extraData="x")]}, "invalid_input", "interviewEvents[0].extraData"),
    ],
)
def test_create_refusals_write_nothing(
    iapi: Api, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    schedules, events = (
        Delta(iapi, "interviewSchedule.list"),
        len(iapi.sandbox.control.records("interviewEvent")),
    )
    body = {"applicationId": IDS["active_app"], **body} if "interviewEvents" in body else body
    error(iapi("interviewSchedule.create", **body), code, parameter)
    assert schedules.ids() == []
    assert len(iapi.sandbox.control.records("interviewEvent")) == events


# -- update -----------------------------------------------------------------------------------------
def test_update_changes_an_event_in_place_and_adds_new_ones(iapi: Api, isb: SandboxHandle) -> None:
    created = _create(iapi)
    (event,) = created["interviewEvents"]
    isb.control.advance_clock(5)
    changed = {"interviewEventId": event["id"], "endTime": "2026-02-01T11:30:00Z",
               "interviewers": [{"email": "user0@example.com"}]}  # fmt: skip
    updated = results(
        iapi(
            "interviewSchedule.update", interviewScheduleId=created["id"], interviewEvent=[changed, _event()]
        )
    )
    first, added = updated["interviewEvents"]
    assert first["id"] == event["id"] and first["endTime"] == "2026-02-01T11:30:00.000Z"
    assert first["startTime"] == event["startTime"] and first["interviewerUserIds"] == [IDS["admin"]]
    assert first["updatedAt"] > event["updatedAt"] and updated["updatedAt"] > created["updatedAt"]
    assert added["id"] != event["id"] and added["interviewScheduleId"] == created["id"]
    assert _events(iapi, created["id"]) == [first, added]
    assert _listed(iapi, created["id"]) == updated


def test_an_update_that_changes_nothing_writes_nothing(iapi: Api) -> None:
    created = _create(iapi)
    (event,) = created["interviewEvents"]
    schedules = Delta(iapi, "interviewSchedule.list")
    same = {
        "interviewEventId": event["id"],
        "startTime": START,
        "interviewers": [{"email": "user1@example.com"}],
    }
    assert results(
        iapi("interviewSchedule.update", interviewScheduleId=created["id"], interviewEvent=same)
    ) == (created)
    assert schedules.ids() == []
    assert _events(iapi, created["id"]) == [event]


def test_cancelling_events_removes_them_and_an_empty_schedule_needs_scheduling(iapi: Api) -> None:
    created = _create(iapi, interviewEvents=[_event(), _event()])
    first, second = (e["id"] for e in created["interviewEvents"])
    one = results(
        iapi("interviewSchedule.update", interviewScheduleId=created["id"], interviewEventIdToCancel=first)
    )
    assert [e["id"] for e in one["interviewEvents"]] == [second] and one["status"] == "Scheduled"
    none = results(
        iapi("interviewSchedule.update", interviewScheduleId=created["id"], interviewEventIdToCancel=[second])
    )
    assert none["interviewEvents"] == [] and none["status"] == "NeedsScheduling"
    assert _events(iapi, created["id"]) == []
    again = results(
        iapi("interviewSchedule.update", interviewScheduleId=created["id"], interviewEvent=_event())
    )
    assert again["status"] == "Scheduled" and len(again["interviewEvents"]) == 1


def test_cancelling_an_event_with_feedback_needs_allow_feedback_deletion_and_deletes_it(iapi: Api) -> None:
    created = _create(iapi, interviewEvents=[_event(interviewId=INTERVIEW)])
    (event,) = created["interviewEvents"]
    submissions = [{"path": "overall", "value": {"score": 3}}, {"path": "fit", "value": "Yes"},
                   {"path": "notes", "value": "Good."}]  # fmt: skip
    results(iapi("applicationFeedback.submit", applicationId=IDS["active_app"], formDefinitionId=IDS["form"],
                 userId=IDS["user1"], interviewEventId=event["id"],
                 feedbackForm={"fieldSubmissions": submissions}))  # fmt: skip
    cancel = {"interviewScheduleId": created["id"], "interviewEventIdToCancel": [event["id"]]}
    error(iapi("interviewSchedule.update", **cancel), "invalid_input", "allowFeedbackDeletion")
    assert len(_events(iapi, created["id"])) == 1
    results(iapi("interviewSchedule.update", **cancel, allowFeedbackDeletion=True))
    feedback, _token = iapi.walk("applicationFeedback.list", applicationId=IDS["active_app"])
    assert [f for f in feedback if f.get("interviewEventId") == event["id"]] == []


def test_only_the_key_that_created_a_schedule_may_update_it(
    iapi: Api, isb: SandboxHandle, client_for: Any
) -> None:
    created = _create(iapi)
    other: Api = client_for(isb, "other-key")
    body = {"interviewScheduleId": created["id"], "interviewEvent": _event()}
    error(other("interviewSchedule.update", **body), "interview_schedule_not_editable")
    error(iapi("interviewSchedule.update", interviewScheduleId=SEEDED, interviewEvent=_event()),
          "interview_schedule_not_editable")  # fmt: skip
    assert _listed(iapi, created["id"]) == created


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({}, "invalid_input", "interviewScheduleId"),
        ({"interviewScheduleId": UNKNOWN, "interviewEvent": _event()}, "interview_schedule_not_found", None),
        ({"interviewEvent": None}, "invalid_input", "interviewEvent"),
        (
            {"interviewEvent": _event(), "interviewEventIdToCancel": UNKNOWN},
            "invalid_input",
            "interviewEvent",
        ),
        ({"interviewEvent": []}, "invalid_input", "interviewEvent"),
        ({"interviewEvent": "x"}, "invalid_input", "interviewEvent"),
        ({"interviewEvent": [_event(), {"startTime": START}]}, "invalid_input", "interviewEvent[1].endTime"),
        (
            {"interviewEvent": {"interviewEventId": UNKNOWN, "endTime": END}},
            "interview_event_not_found",
            None,
        ),
        ({"interviewEvent": {"interviewEventId": "x"}}, "invalid_input", "interviewEvent.interviewEventId"),
        ({"interviewEventIdToCancel": UNKNOWN}, "interview_event_not_found", None),
        ({"interviewEventIdToCancel": ["nope"]}, "invalid_input", "interviewEventIdToCancel[0]"),
        ({"interviewEventIdToCancel": []}, "invalid_input", "interviewEventIdToCancel"),
    ],
)
def test_update_refusals_write_nothing(
    iapi: Api, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    created = _create(iapi)
    schedules = Delta(iapi, "interviewSchedule.list")
    body = {"interviewScheduleId": created["id"], **body} if body else body
    error(iapi("interviewSchedule.update", **body), code, parameter)
    assert schedules.ids() == []


def test_an_event_changed_to_end_before_it_starts_is_refused(iapi: Api) -> None:
    created = _create(iapi)
    change = {"interviewEventId": created["interviewEvents"][0]["id"], "endTime": "2026-02-01T09:00:00Z"}
    error(iapi("interviewSchedule.update", interviewScheduleId=created["id"], interviewEvent=change),
          "invalid_input", "interviewEvent.endTime")  # fmt: skip
    assert _listed(iapi, created["id"]) == created


# -- cancel -----------------------------------------------------------------------------------------
def test_cancel_is_idempotent_and_ends_updates_unless_rescheduling_is_allowed(
    iapi: Api, isb: SandboxHandle
) -> None:
    created = _create(iapi)
    schedules = Delta(iapi, "interviewSchedule.list")
    isb.control.advance_clock(5)
    cancelled = results(iapi("interviewSchedule.cancel", id=created["id"]))
    assert cancelled["status"] == "Cancelled" and cancelled["updatedAt"] > created["updatedAt"]
    assert cancelled["interviewEvents"] == created["interviewEvents"]
    assert results(iapi("interviewSchedule.cancel", id=created["id"])) == cancelled
    assert schedules.ids() == [created["id"]]
    error(iapi("interviewSchedule.update", interviewScheduleId=created["id"], interviewEvent=_event()),
          "interview_schedule_not_editable")  # fmt: skip
    other = _create(iapi)
    results(iapi("interviewSchedule.cancel", id=other["id"], allowReschedule=True))
    again = results(
        iapi("interviewSchedule.update", interviewScheduleId=other["id"], interviewEvent=_event())
    )
    assert again["status"] == "Scheduled" and len(again["interviewEvents"]) == 2


def test_cancel_works_on_any_schedule_and_sends_an_update(iapi: Api, receiver: Receiver) -> None:
    cancelled = results(iapi("interviewSchedule.cancel", id=SEEDED))
    assert cancelled["status"] == "Cancelled"
    (update,) = receiver.wait_for(1, "/interviewScheduleUpdate")
    assert update.json["data"]["interviewSchedule"] == cancelled
    assert receiver.received("/interviewScheduleCreate") == []


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({}, "invalid_input", "id"),
        ({"interviewScheduleId": SEEDED}, "invalid_input", "id"),
        ({"id": "x"}, "invalid_input", "id"),
        ({"id": UNKNOWN}, "interview_schedule_not_found", None),
        ({"id": SEEDED, "allowReschedule": "maybe"}, "invalid_input", "allowReschedule"),
    ],
)
def test_cancel_refusals(iapi: Api, body: dict[str, Any], code: str, parameter: str | None) -> None:
    error(iapi("interviewSchedule.cancel", **body), code, parameter)
    assert iapi.sandbox.control.get("interviewSchedule", SEEDED)["status"] == "WaitingOnFeedback"


# -- permissions ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "endpoint", ["interviewSchedule.create", "interviewSchedule.update", "interviewSchedule.cancel"]
)
def test_the_writes_need_interviews_write(isb: SandboxHandle, client_for: Any, endpoint: str) -> None:
    reader: Api = client_for(isb, "read-key")
    response = reader.raw(endpoint, {"id": SEEDED})
    assert response.status_code == 403
    assert response.json()["errorInfo"]["meta"] == {"missingPermission": "interviewsWrite"}
    writer: Api = client_for(isb, "write-key")
    assert writer("interviewSchedule.cancel", id=SEEDED)["success"] is True
