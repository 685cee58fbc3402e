"""Which events each write announces, cascades included, and what their ``data`` holds.

Most tests listen on the real store (its change listener is the seam the dispatcher uses) so that
"nothing else is announced" can be asserted exactly; the last one follows a hire over real HTTP.
"""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from ashby_agent.sandbox.generate import TABLES
from ashby_agent.sandbox.store import Clock, Record, Store
from ashby_agent.sandbox.webhooks.events import announcements
from tests.sandbox.conftest import NOW_MS, tiny_dataset
from tests.sandbox.webhooks.conftest import subscribe
from tests.sandbox.webhooks.receiver import Receiver

Heard = list[tuple[str, Record]]


class Listening:
    """A store over the tiny dataset and the events its writes announce, with their payloads."""

    def __init__(self) -> None:
        self.store = Store(tiny_dataset(), Clock(NOW_MS), tables=TABLES)
        self.heard: Heard = []
        self.store.on_change = self._listen

    def _listen(self, table: str, before: Record | None, after: Record | None) -> None:
        self.heard += [
            (action, payload()) for action, payload in announcements(self.store, table, before, after)
        ]

    def actions(self) -> list[str]:
        actions = [action for action, _data in self.heard]
        self.heard.clear()
        return actions

    def stage(self, stage_type: str, plan_id: str | None = None) -> Record:
        plan_id = plan_id or self.store.table("interviewPlan").keys[0][2]
        return next(
            dict(s)
            for s in self.store.table("interviewStage").rows.values()
            if s["type"] == stage_type and s["interviewPlanId"] == plan_id
        )

    def application(self, status: str) -> Record:
        return next(dict(a) for a in self.store.table("application").rows.values() if a["status"] == status)


@pytest.fixture
def listening() -> Listening:
    return Listening()


def test_hiring_announces_the_update_the_stage_change_and_the_hire(listening: Listening) -> None:
    store, application = listening.store, listening.application("Active")
    offer = store.create("offer", {"applicationId": application["id"], "acceptanceStatus": "Accepted"})
    store.create("offer", {"applicationId": application["id"], "acceptanceStatus": "Declined"})
    listening.actions()
    store.update(
        "application",
        application["id"],
        {"status": "Hired", "currentInterviewStage": listening.stage("Hired")},
    )
    (update, change, hire) = listening.heard
    assert [update[0], change[0], hire[0]] == ["applicationUpdate", "candidateStageChange", "candidateHire"]
    assert update[1] == change[1] == {"application": store.get("application", application["id"])}
    assert hire[1]["application"]["status"] == "Hired"
    assert hire[1]["offer"]["id"] == offer["id"]  # the accepted offer, not the later declined one


def test_a_hire_without_an_offer_says_so(listening: Listening) -> None:
    application = listening.application("Active")
    listening.store.update("application", application["id"], {"status": "Hired"})
    assert listening.heard[-1] == (
        "candidateHire",
        {"application": listening.heard[0][1]["application"], "offer": None},
    )


def test_a_stage_change_announces_the_update_too(listening: Listening) -> None:
    application = listening.application("Active")
    listening.store.update(
        "application", application["id"], {"currentInterviewStage": listening.stage("Offer")}
    )
    assert listening.actions() == ["applicationUpdate", "candidateStageChange"]


def test_archiving_moves_the_stage(listening: Listening) -> None:
    listening.store.archive("application", listening.application("Active")["id"])
    assert listening.actions() == ["applicationUpdate", "candidateStageChange"]


@pytest.mark.parametrize("status", ["Active", "Hired"])
def test_other_changes_announce_the_update_only(listening: Listening, status: str) -> None:
    listening.store.update("application", listening.application(status)["id"], {"submitterClientIp": "::1"})
    assert listening.actions() == ["applicationUpdate"]


def test_a_new_application_is_submitted_and_a_deleted_one_says_nothing(listening: Listening) -> None:
    created = listening.store.create("application", {**listening.application("Active"), "id": "new-one"})
    assert listening.actions() == ["applicationSubmit"]
    listening.store.delete("application", created["id"])
    assert listening.actions() == []


def test_candidates_announce_only_their_deletion(listening: Listening) -> None:
    store = listening.store
    created = store.create("candidate", {"name": "New", "emailAddresses": []})
    store.update("candidate", created["id"], {"name": "Renamed"})
    assert listening.actions() == []
    store.delete("candidate", created["id"])
    assert listening.heard == [("candidateDelete", {"candidate": {"id": created["id"]}})]


def test_a_new_interview_schedule_announces_create_and_update(listening: Listening) -> None:
    store, application = listening.store, listening.application("Active")
    schedule = store.create(
        "interviewSchedule",
        {
            "status": "Scheduled",
            "applicationId": application["id"],
            "interviewStageId": "s",
            "interviewEvents": [],
        },
    )
    (create, update) = listening.heard
    assert create == ("interviewScheduleCreate", {"interviewSchedule": schedule})
    assert update == (
        "interviewScheduleUpdate",
        {"interviewSchedule": schedule, "candidateId": application["candidate"]["id"]},
    )
    listening.heard.clear()
    store.update("interviewSchedule", schedule["id"], {"status": "Complete"})
    assert listening.actions() == ["interviewScheduleUpdate"]


def test_jobs_announce_create_update_and_plan_transitions(listening: Listening) -> None:
    store = listening.store
    job = store.create("job", {"title": "New", "status": "Draft"})
    assert listening.heard == [("jobCreate", {"job": job})]
    listening.heard.clear()
    store.update("job", job["id"], {"status": "Open"})
    assert listening.actions() == ["jobUpdate"]

    old_plan = store.table("interviewPlan").keys[0][2]
    store.update("job", job["id"], {"defaultInterviewPlanId": old_plan})
    listening.heard.clear()
    new_plan = store.create("interviewPlan", {"title": "Short", "isArchived": False})["id"]
    for order, stage_type in enumerate(["Lead", "Active", "Hired", "Archived"]):
        store.create(
            "interviewStage",
            {
                "title": stage_type,
                "type": stage_type,
                "orderInInterviewPlan": order,
                "interviewPlanId": new_plan,
            },
        )
    store.update("job", job["id"], {"defaultInterviewPlanId": new_plan})
    (transition, update) = listening.heard
    assert update[0] == "jobUpdate"
    assert transition[0] == "interviewPlanTransition"
    data = transition[1]
    assert data["jobId"] == job["id"]
    assert (data["fromInterviewPlan"]["id"], data["toInterviewPlan"]["id"]) == (old_plan, new_plan)
    mapped = {m["fromInterviewStageId"]: m["toInterviewStageId"] for m in data["interviewStageMappings"]}
    assert mapped[listening.stage("Hired")["id"]] == listening.stage("Hired", new_plan)["id"]
    assert mapped[listening.stage("Offer")["id"]] is None  # the new plan has no Offer stage


def test_postings_announce_publishing_and_every_update(listening: Listening) -> None:
    store = listening.store
    fields = {"title": "Engineer", "jobId": "j", "descriptionHtml": "<p>long</p>", "_jobBoardIds": ["b"]}
    posting = store.create("jobPosting", fields)
    assert listening.actions() == ["jobPostingPublish", "jobPostingUpdate"]
    store.update("jobPosting", posting["id"], {"_isPublished": False})
    assert listening.actions() == ["jobPostingUnpublish", "jobPostingUpdate"]
    renamed = store.update("jobPosting", posting["id"], {"title": "Senior Engineer"})
    summary = {
        "id": posting["id"],
        "title": "Senior Engineer",
        "jobId": "j",
        "updatedAt": renamed["updatedAt"],  # the update's own time: the sandbox clock ticks in real time
    }
    assert listening.heard == [("jobPostingUpdate", {"jobPosting": summary})]  # the summary form
    listening.heard.clear()
    store.update("jobPosting", posting["id"], {"_isPublished": True})
    assert listening.actions() == ["jobPostingPublish", "jobPostingUpdate"]
    store.create("jobPosting", {"title": "Hidden", "_isPublished": False})
    assert listening.actions() == ["jobPostingUpdate"]


def test_offers_announce_create_update_and_delete(listening: Listening) -> None:
    store = listening.store
    offer = store.create("offer", {"applicationId": "a", "offerStatus": "WaitingOnApprovalStart"})
    store.update("offer", offer["id"], {"offerStatus": "WaitingOnCandidateResponse"})
    assert listening.actions() == ["offerCreate", "offerUpdate"]
    store.delete("offer", offer["id"])
    assert listening.heard == [("offerDelete", {"offer": {"id": offer["id"], "applicationId": "a"}})]


def test_openings_announce_their_creation_only(listening: Listening) -> None:
    opening = listening.store.create("opening", {"isArchived": False, "openingState": "Open"})
    listening.store.update("opening", opening["id"], {"openingState": "Filled"})
    assert listening.heard == [("openingCreate", {"opening": opening})]


def test_other_tables_announce_nothing(listening: Listening) -> None:
    store = listening.store
    store.archive("department", store.table("department").keys[0][2])
    store.create(
        "webhook", {"enabled": True, "requestUrl": "http://127.0.0.1:9/", "webhookType": "jobCreate"}
    )
    store.update("note", store.table("note").keys[0][2], {"content": "edited"})
    assert listening.actions() == []


def test_a_hire_reaches_each_webhook_of_the_three_types(hooked: SandboxHandle, receiver: Receiver) -> None:
    for event in ("candidateHire", "applicationUpdate", "candidateStageChange"):
        subscribe(hooked, receiver, event, f"/{event}")
    application: dict[str, Any] = next(
        a for a in hooked.control.records("application") if a["status"] == "Active"
    )
    hired_stage = next(s for s in hooked.control.records("interviewStage") if s["type"] == "Hired")
    hooked.control.update("application", application["id"], status="Hired", currentInterviewStage=hired_stage)
    bodies = [
        receiver.wait_for(1, f"/{event}")[0].json
        for event in ("candidateHire", "applicationUpdate", "candidateStageChange")
    ]
    assert [b["action"] for b in bodies] == ["candidateHire", "applicationUpdate", "candidateStageChange"]
    assert len({b["webhookActionId"] for b in bodies}) == 3  # three events, three ids
    assert all(b["data"]["application"]["id"] == application["id"] for b in bodies)
    assert bodies[0]["data"]["offer"] is None
