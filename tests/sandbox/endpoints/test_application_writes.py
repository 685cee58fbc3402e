"""Application writes over real HTTP: status following the stage, history entries, plans and jobs,
each change read back through ``application.info`` and seen in the ``application.list`` sync delta,
each refusal with its Ashby error code."""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api
from tests.sandbox.contract_spec import (
    APPLICATION,
    APPLICATION_INFO,
    HIRING_TEAM_MEMBER,
    conform,
    generic_violations,
)
from tests.sandbox.endpoints.conftest import Delta, error, results
from tests.sandbox.write_dataset import IDS, UNKNOWN

LONELY, ACTIVE, JOB, REASON = IDS["lonely"], IDS["active_app"], IDS["open_job"], IDS["reason"]
LEAD, ACT, ARCHIVED = IDS["stage_Lead"], IDS["stage_Active"], IDS["stage_Archived"]


def _info(api: Api, application_id: str) -> dict[str, Any]:
    record: dict[str, Any] = results(api("application.info", applicationId=application_id))
    assert conform(record, APPLICATION_INFO) == []
    assert generic_violations(record) == []
    return record


def _answer(payload: dict[str, Any]) -> dict[str, Any]:
    """A write's Application: the list form, without history."""
    record: dict[str, Any] = results(payload)
    assert conform(record, APPLICATION) == [], conform(record, APPLICATION)
    return record


def _stages(record: dict[str, Any]) -> list[tuple[str, int]]:
    return [(h["stageId"], h["stageNumber"]) for h in record["applicationHistory"]]


# -- create -----------------------------------------------------------------------------------------
def test_create_puts_the_candidate_in_the_first_lead_stage_of_the_default_plan(wapi: Api) -> None:
    applications, candidates = Delta(wapi, "application.list"), Delta(wapi, "candidate.list")
    created = _answer(wapi("application.create", candidateId=LONELY, jobId=IDS["open_job"]))
    assert created["status"] == "Lead"
    assert created["currentInterviewStage"]["id"] == IDS["stage_Lead"]
    assert created["job"]["id"] == IDS["open_job"] and "brandId" not in created["job"]
    assert created["candidate"]["id"] == LONELY
    assert created["archiveReason"] is None and "archivedAt" not in created
    assert [m["userId"] for m in created["hiringTeam"]] == [IDS["user1"]]  # the job's hiring team
    assert created["createdAt"] == created["updatedAt"]
    info = _info(wapi, created["id"])
    assert {k: v for k, v in info.items() if k != "applicationHistory"} == created
    (entry,) = info["applicationHistory"]
    assert (entry["stageId"], entry["stageNumber"], entry["enteredStageAt"]) == (
        IDS["stage_Lead"], 0, created["createdAt"],
    )  # fmt: skip
    assert "leftStageAt" not in entry and entry["actorId"] == IDS["admin"]
    assert applications.ids() == [created["id"]]
    assert candidates.ids() == [LONELY]
    assert results(wapi("candidate.info", id=LONELY))["applicationIds"] == [created["id"]]


def test_create_takes_a_plan_a_stage_a_source_and_a_date(wapi: Api) -> None:
    created = _answer(
        wapi(
            "application.create",
            candidateId=LONELY,
            jobId=IDS["open_job"],
            interviewPlanId=IDS["plan2"],
            interviewStageId=IDS["plan2_active"],
            sourceId=IDS["source"],
            creditedToUserId=IDS["user1"],
            createdAt="2025-06-01T09:00:00Z",
        )
    )
    assert created["status"] == "Active"
    assert created["currentInterviewStage"]["interviewPlanId"] == IDS["plan2"]
    assert created["source"]["id"] == IDS["source"]
    assert created["creditedToUser"]["id"] == IDS["user1"]
    assert created["createdAt"] == "2025-06-01T09:00:00.000Z"


def test_first_pre_interview_screen_and_the_analyst_jobs_brand(wapi: Api) -> None:
    created = _answer(
        wapi(
            "application.create",
            candidateId=LONELY,
            jobId=IDS["analyst_job"],
            interviewStageId="FirstPreInterviewScreen",
        )
    )
    assert created["currentInterviewStage"]["type"] == "PreInterviewScreen"
    assert created["status"] == "Active"
    assert created["job"]["brandId"]


def test_create_with_a_history_imports_an_archived_application(wapi: Api) -> None:
    history = [
        {"stageId": IDS["stage_Archived"], "stageNumber": 2, "enteredStageAt": "2025-03-03T00:00:00Z",
         "archiveReasonId": IDS["reason"]},
        {"stageId": IDS["stage_Lead"], "stageNumber": 0, "enteredStageAt": "2025-03-01T00:00:00Z"},
        {"stageId": IDS["stage_Active"], "stageNumber": 1, "enteredStageAt": "2025-03-02T00:00:00Z"},
    ]  # fmt: skip
    created = _answer(
        wapi("application.create", candidateId=LONELY, jobId=IDS["open_job"], applicationHistory=history)
    )
    assert created["status"] == "Archived"
    assert created["archiveReason"]["id"] == IDS["reason"] and created["archiveReason"]["customFields"] == []
    assert created["archivedAt"] == "2025-03-03T00:00:00.000Z"
    assert created["createdAt"] == "2025-03-01T00:00:00.000Z"
    info = _info(wapi, created["id"])
    assert _stages(info) == [(IDS["stage_Lead"], 0), (IDS["stage_Active"], 1), (IDS["stage_Archived"], 2)]
    assert [h.get("leftStageAt") for h in info["applicationHistory"]] == [
        "2025-03-02T00:00:00.000Z", "2025-03-03T00:00:00.000Z", None,
    ]  # fmt: skip


def _history(*items: tuple[str, int, str]) -> list[dict[str, Any]]:
    return [{"stageId": s, "stageNumber": n, "enteredStageAt": at} for s, n, at in items]


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({"jobId": JOB}, "invalid_input", "candidateId"),
        ({"candidateId": LONELY}, "invalid_input", "jobId"),
        ({"candidateId": UNKNOWN, "jobId": JOB}, "candidate_not_found", None),
        ({"candidateId": LONELY, "jobId": UNKNOWN}, "job_not_found", None),
        ({"candidateId": LONELY, "jobId": IDS["closed_job"]}, "job_closed", None),
        ({"candidateId": LONELY, "jobId": IDS["archived_job"]}, "job_closed", None),
        ({"candidateId": LONELY, "jobId": JOB, "interviewPlanId": IDS["plan3"]},
         "interview_plan_not_found", None),
        ({"candidateId": LONELY, "jobId": JOB, "interviewPlanId": UNKNOWN},
         "interview_plan_not_found", None),
        ({"candidateId": LONELY, "jobId": JOB, "interviewStageId": IDS["plan3_lead"]},
         "interview_stage_not_found", None),
        ({"candidateId": LONELY, "jobId": JOB, "interviewStageId": "FirstLead"},
         "invalid_input", "interviewStageId"),
        ({"candidateId": LONELY, "jobId": JOB, "interviewStageId": ARCHIVED},
         "invalid_input", "applicationHistory"),
        ({"candidateId": LONELY, "jobId": JOB, "sourceId": UNKNOWN}, "source_not_found", None),
        ({"candidateId": LONELY, "jobId": JOB, "applicationHistory": []},
         "invalid_input", "applicationHistory"),
        ({"candidateId": LONELY, "jobId": JOB, "applicationHistory": [{"stageId": LEAD}]},
         "invalid_input", "applicationHistory[0].stageNumber"),
        ({"candidateId": LONELY, "jobId": JOB,
          "applicationHistory": _history((LEAD, 0, "2025-01-01"), (ACT, 2, "2025-01-02"))},
         "invalid_input", "applicationHistory"),
        ({"candidateId": LONELY, "jobId": JOB,
          "applicationHistory": _history((LEAD, 0, "2025-01-02"), (ACT, 1, "2025-01-01"))},
         "invalid_input", "applicationHistory"),
        ({"candidateId": LONELY, "jobId": JOB,
          "applicationHistory": _history((ARCHIVED, 0, "2025-01-01"))},
         "invalid_input", "applicationHistory[0].archiveReasonId"),
        ({"candidateId": LONELY, "jobId": JOB,
          "applicationHistory": _history((IDS["plan3_lead"], 0, "2025-01-01"))},
         "interview_stage_not_found", None),
        ({"candidateId": LONELY, "jobId": JOB, "interviewStageId": ACT,
          "applicationHistory": _history((LEAD, 0, "2025-01-01"))},
         "invalid_input", "interviewStageId"),
    ],
)  # fmt: skip
def test_create_refusals_write_nothing(
    wapi: Api, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    applications, candidates = Delta(wapi, "application.list"), Delta(wapi, "candidate.list")
    error(wapi("application.create", **body), code, parameter)
    assert applications.ids() == candidates.ids() == []


def test_a_draft_job_takes_applications(wapi: Api) -> None:
    assert _answer(wapi("application.create", candidateId=LONELY, jobId=IDS["draft_job"]))["status"] == "Lead"


def test_one_open_application_per_candidate_and_job(wapi: Api) -> None:
    first = _answer(wapi("application.create", candidateId=LONELY, jobId=IDS["open_job"]))
    payload = wapi("application.create", candidateId=LONELY, jobId=IDS["open_job"])
    error(payload, "application_already_exists")
    assert payload["errorInfo"]["meta"] == {"applicationId": first["id"]}
    wapi(
        "application.changeStage",
        applicationId=first["id"],
        interviewStageId=IDS["stage_Archived"],
        archiveReasonId=IDS["reason"],
    )
    assert _answer(wapi("application.create", candidateId=LONELY, jobId=IDS["open_job"]))["id"] != first["id"]


# -- changeStage ------------------------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", ["application.changeStage", "application.change_stage"])
def test_a_stage_change_moves_the_status_and_the_history(
    wapi: Api, wsb: SandboxHandle, endpoint: str
) -> None:
    created = _answer(wapi("application.create", candidateId=LONELY, jobId=JOB))
    delta = Delta(wapi, "application.list")
    wsb.control.advance_clock(60)
    moved = _answer(wapi(endpoint, applicationId=created["id"], interviewStageId=ACT))
    assert moved["status"] == "Active"
    assert moved["updatedAt"] > created["updatedAt"]
    info = _info(wapi, created["id"])
    assert _stages(info) == [(LEAD, 0), (ACT, 1)]
    assert info["applicationHistory"][0]["leftStageAt"] == info["applicationHistory"][1]["enteredStageAt"]
    assert info["applicationHistory"][1]["enteredStageAt"] == moved["updatedAt"]
    assert delta.ids() == [created["id"]]
    hired = _answer(wapi(endpoint, applicationId=created["id"], interviewStageId=IDS["stage_Hired"]))
    assert hired["status"] == "Hired" and hired["archiveReason"] is None


def test_archiving_needs_a_reason_and_unarchiving_drops_it(wapi: Api) -> None:
    message = error(
        wapi("application.changeStage", applicationId=ACTIVE, interviewStageId=ARCHIVED),
        "invalid_input",
        "archiveReasonId",
    )
    assert "Archived" in message
    archived = _answer(
        wapi("application.changeStage", applicationId=ACTIVE, interviewStageId=ARCHIVED,
             archiveReasonId=REASON, archiveEmail={"communicationTemplateId": IDS["template"]})
    )  # fmt: skip
    assert archived["status"] == "Archived"
    assert archived["archiveReason"]["id"] == IDS["reason"]
    assert archived["archivedAt"] == archived["updatedAt"]
    back = _answer(
        wapi("application.changeStage", applicationId=ACTIVE, interviewStageId=IDS["stage_Active"])
    )
    assert back["status"] == "Active" and back["archiveReason"] is None and "archivedAt" not in back
    assert "archivedAt" not in _info(wapi, ACTIVE)


def test_moving_to_the_current_stage_writes_nothing(wapi: Api) -> None:
    stage = _info(wapi, ACTIVE)["currentInterviewStage"]["id"]
    delta = Delta(wapi, "application.list")
    before = _info(wapi, ACTIVE)
    assert (
        _answer(wapi("application.changeStage", applicationId=ACTIVE, interviewStageId=stage))["updatedAt"]
        == before["updatedAt"]
    )
    assert delta.ids() == []


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({"applicationId": ACTIVE}, "invalid_input", "interviewStageId"),
        ({"interviewStageId": ACT}, "invalid_input", "applicationId"),
        ({"applicationId": "app-1", "interviewStageId": ACT}, "invalid_input", "applicationId"),
        ({"applicationId": UNKNOWN, "interviewStageId": ACT}, "application_not_found", None),
        ({"applicationId": ACTIVE, "interviewStageId": UNKNOWN}, "interview_stage_not_found", None),
        ({"applicationId": ACTIVE, "interviewStageId": IDS["plan3_active"]}, "interview_stage_not_found",
         None),
        ({"applicationId": ACTIVE, "interviewStageId": IDS["stage_Hired"], "archiveReasonId": REASON},
         "invalid_input", "archiveReasonId"),
        ({"applicationId": ACTIVE, "interviewStageId": IDS["stage_Hired"],
          "archiveEmail": {"communicationTemplateId": IDS["template"]}}, "invalid_input", "archiveEmail"),
        ({"applicationId": ACTIVE, "interviewStageId": ARCHIVED, "archiveReasonId": UNKNOWN},
         "archive_reason_not_found", None),
        ({"applicationId": ACTIVE, "interviewStageId": ARCHIVED, "archiveReasonId": REASON,
          "archiveEmail": {}}, "invalid_input", "archiveEmail.communicationTemplateId"),
        ({"applicationId": ACTIVE, "interviewStageId": ARCHIVED, "archiveReasonId": REASON,
          "archiveEmail": {"communicationTemplateId": UNKNOWN}}, "communication_template_not_found", None),
        ({"applicationId": ACTIVE, "interviewStageId": ARCHIVED, "archiveReasonId": REASON,
          "archiveEmail": {"communicationTemplateId": IDS["archived_template"]}},
         "communication_template_not_allowed", None),
    ],
)  # fmt: skip
def test_stage_change_refusals(wapi: Api, body: dict[str, Any], code: str, parameter: str | None) -> None:
    delta = Delta(wapi, "application.list")
    error(wapi("application.changeStage", **body), code, parameter)
    error(wapi("application.change_stage", **body), code, parameter)
    assert delta.ids() == []


# -- source, update, transfer -----------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", ["application.changeSource", "application.change_source"])
def test_change_source_sets_and_null_unsets(wapi: Api, endpoint: str) -> None:
    delta = Delta(wapi, "application.list")
    assert (
        _answer(wapi(endpoint, applicationId=ACTIVE, sourceId=IDS["source2"]))["source"]["id"]
        == IDS["source2"]
    )
    assert _info(wapi, ACTIVE)["source"]["id"] == IDS["source2"]
    assert delta.ids() == [ACTIVE]
    assert _answer(wapi(endpoint, applicationId=ACTIVE, sourceId=None))["source"] is None
    error(wapi(endpoint, applicationId=ACTIVE), "invalid_input", "sourceId")
    error(wapi(endpoint, applicationId=ACTIVE, sourceId=UNKNOWN), "source_not_found")


def test_update_sets_credit_source_and_creation_date(wapi: Api) -> None:
    delta = Delta(wapi, "application.list")
    updated = _answer(
        wapi("application.update", applicationId=ACTIVE, creditedToUserId=IDS["user1"],
             createdAt="2024-01-01T00:00:00Z", sendNotifications=False)
    )  # fmt: skip
    assert updated["creditedToUser"]["id"] == IDS["user1"]
    assert updated["createdAt"] == "2024-01-01T00:00:00.000Z"
    assert delta.ids() == [ACTIVE]
    unchanged = Delta(wapi, "application.list")
    assert _answer(wapi("application.update", applicationId=ACTIVE, creditedToUserId=IDS["user1"])) == updated
    assert unchanged.ids() == []
    error(wapi("application.update", applicationId=ACTIVE, creditedToUserId=UNKNOWN), "user_not_found")


def test_transfer_moves_the_application_to_another_job_plan_and_stage(wapi: Api) -> None:
    delta = Delta(wapi, "application.list")
    moved = _answer(
        wapi("application.transfer", applicationId=ACTIVE, jobId=IDS["analyst_job"],
             interviewPlanId=IDS["plan3"], interviewStageId=IDS["plan3_active"],
             startAutomaticActivities=False)
    )  # fmt: skip
    assert moved["job"]["id"] == IDS["analyst_job"]
    assert moved["currentInterviewStage"]["id"] == IDS["plan3_active"]
    assert moved["status"] == "Active" and moved["hiringTeam"] == []
    assert _info(wapi, ACTIVE)["applicationHistory"][-1]["stageId"] == IDS["plan3_active"]
    assert delta.ids() == [ACTIVE]
    back = _answer(wapi("application.changeStage", applicationId=ACTIVE, interviewStageId=IDS["plan3_lead"]))
    assert back["status"] == "Lead"  # the stage must now belong to the new plan
    error(
        wapi("application.changeStage", applicationId=ACTIVE, interviewStageId=IDS["stage_Active"]),
        "interview_stage_not_found",
    )


@pytest.mark.parametrize(
    ("change", "code", "parameter"),
    [
        ({"jobId": IDS["closed_job"], "interviewPlanId": IDS["plan1"], "interviewStageId": ACT},
         "job_closed", None),
        ({"interviewPlanId": IDS["plan1"]}, "interview_plan_not_found", None),
        ({"interviewStageId": ACT}, "interview_stage_not_found", None),
        ({"interviewStageId": IDS["plan3_archived"]}, "invalid_input", "interviewStageId"),
        ({"interviewPlanId": None}, "invalid_input", "interviewPlanId"),
    ],
)  # fmt: skip
def test_transfer_refusals(wapi: Api, change: dict[str, Any], code: str, parameter: str | None) -> None:
    body = {"applicationId": ACTIVE, "jobId": IDS["analyst_job"], "interviewPlanId": IDS["plan3"],
            "interviewStageId": IDS["plan3_active"], **change}  # fmt: skip
    delta = Delta(wapi, "application.list")
    error(wapi("application.transfer", **body), code, parameter)
    assert delta.ids() == []


# -- updateHistory ----------------------------------------------------------------------------------
def _moved_twice(api: Api) -> dict[str, Any]:
    created = _answer(
        api("application.create", candidateId=LONELY, jobId=IDS["open_job"], createdAt="2025-01-01T00:00:00Z")
    )
    api(
        "application.changeStage",
        applicationId=created["id"],
        interviewStageId=IDS["stage_PreInterviewScreen"],
    )
    api("application.changeStage", applicationId=created["id"], interviewStageId=IDS["stage_Active"])
    return _info(api, created["id"])


def test_update_history_sets_times_deletes_and_adds_events(wapi: Api) -> None:
    info = _moved_twice(wapi)
    lead, screen, _active = info["applicationHistory"]
    delta = Delta(wapi, "application.list")
    history = [
        {"applicationHistoryId": lead["id"], "stageId": lead["stageId"], "stageNumber": 0,
         "enteredStageAt": "2025-01-02T00:00:00Z"},
        {"applicationHistoryId": screen["id"], "stageId": screen["stageId"], "stageNumber": 1,
         "enteredStageAt": "2025-01-03T00:00:00Z"},
        {"stageId": IDS["stage_Hired"], "stageNumber": 2, "enteredStageAt": "2025-01-04T00:00:00Z"},
    ]  # fmt: skip
    updated = results(wapi("application.updateHistory", applicationId=info["id"], applicationHistory=history))
    assert conform(updated, APPLICATION_INFO) == []
    assert updated["status"] == "Hired" and updated["currentInterviewStage"]["id"] == IDS["stage_Hired"]
    rows = updated["applicationHistory"]
    assert [r["id"] for r in rows[:2]] == [lead["id"], screen["id"]]  # kept events keep their ids
    assert [(r["enteredStageAt"], r.get("leftStageAt")) for r in rows] == [
        ("2025-01-02T00:00:00.000Z", "2025-01-03T00:00:00.000Z"),
        ("2025-01-03T00:00:00.000Z", "2025-01-04T00:00:00.000Z"),
        ("2025-01-04T00:00:00.000Z", None),
    ]
    assert _info(wapi, info["id"]) == updated
    assert wapi.walk("application.listHistory", applicationId=info["id"])[0] == rows
    assert delta.ids() == [info["id"]]


def test_update_history_keeps_the_reason_of_an_archived_application(wapi: Api) -> None:
    history = [
        {"stageId": LEAD, "stageNumber": 0, "enteredStageAt": "2025-03-01T00:00:00Z"},
        {"stageId": ARCHIVED, "stageNumber": 1, "enteredStageAt": "2025-03-02T00:00:00Z",
         "archiveReasonId": REASON},
    ]  # fmt: skip
    created = _answer(wapi("application.create", candidateId=LONELY, jobId=JOB, applicationHistory=history))
    lead, archived = _info(wapi, created["id"])["applicationHistory"]
    kept = [
        {"applicationHistoryId": lead["id"], "stageId": LEAD, "stageNumber": 0,
         "enteredStageAt": "2025-02-01"},
        {"applicationHistoryId": archived["id"], "stageId": ARCHIVED, "stageNumber": 1,
         "enteredStageAt": "2025-02-02T00:00:00Z"},
    ]  # fmt: skip
    updated = results(wapi("application.updateHistory", applicationId=created["id"], applicationHistory=kept))
    assert updated["status"] == "Archived" and updated["archiveReason"]["id"] == REASON
    assert updated["archivedAt"] == "2025-02-02T00:00:00.000Z"


def test_update_history_refusals(wapi: Api, wsb: SandboxHandle) -> None:
    info = _moved_twice(wapi)
    lead = info["applicationHistory"][0]
    kept = {"applicationHistoryId": lead["id"], "stageId": lead["stageId"], "stageNumber": 0,
            "enteredStageAt": lead["enteredStageAt"]}  # fmt: skip

    def refused(
        history: Any, code: str = "invalid_input", parameter: str | None = "applicationHistory"
    ) -> str:
        return error(
            wapi("application.updateHistory", applicationId=info["id"], applicationHistory=history),
            code,
            parameter,
        )

    refused([], parameter="applicationHistory")
    refused([{**kept, "applicationHistoryId": UNKNOWN}])
    refused([kept, {**kept, "stageNumber": 1}])  # the same event twice
    refused([{**kept, "stageId": IDS["stage_Active"]}])  # a kept event's stage cannot change
    refused([{**kept, "stageId": IDS["plan3_lead"]}], "interview_stage_not_found", None)
    refused([{"stageId": IDS["stage_Archived"], "stageNumber": 0, "enteredStageAt": "2025-01-01"}],
            parameter="applicationHistory[0].archiveReasonId")  # fmt: skip
    wsb.control.update("applicationHistory", lead["id"], allowedActions=["none"])
    assert "cannot be deleted" in refused(
        [{"stageId": IDS["stage_Active"], "stageNumber": 0, "enteredStageAt": "2025-01-05"}]
    )
    assert "cannot be changed" in refused([{**kept, "enteredStageAt": "2025-02-01T00:00:00Z"}])
    error(
        wapi("application.updateHistory", applicationId=UNKNOWN, applicationHistory=[kept]),
        "application_not_found",
    )
    assert _info(wapi, info["id"])["applicationHistory"] == [
        {**lead, "allowedActions": ["none"]},
        *info["applicationHistory"][1:],
    ]


# -- hiring team, delete ----------------------------------------------------------------------------
def test_hiring_team_members_are_added_once_and_removed(wapi: Api) -> None:
    delta = Delta(wapi, "application.list")
    body = {"applicationId": ACTIVE, "teamMemberId": IDS["admin"], "roleId": IDS["manager_role"]}
    member = results(wapi("application.addHiringTeamMember", **body))
    assert member == {"userId": IDS["admin"], "firstName": "User0", "lastName": "Tester",
                      "email": "user0@example.com", "role": "Hiring Manager"}  # fmt: skip
    assert conform(member, HIRING_TEAM_MEMBER) == []
    assert member in _info(wapi, ACTIVE)["hiringTeam"]
    assert delta.ids() == [ACTIVE]
    results(wapi("application.addHiringTeamMember", **body))
    assert _info(wapi, ACTIVE)["hiringTeam"].count(member) == 1
    assert results(wapi("application.removeHiringTeamMember", **body)) == member
    assert member not in _info(wapi, ACTIVE)["hiringTeam"]
    error(
        wapi("application.addHiringTeamMember", **{**body, "roleId": UNKNOWN}), "hiring_team_role_not_found"
    )
    error(wapi("application.addHiringTeamMember", **{**body, "teamMemberId": UNKNOWN}), "user_not_found")
    error(
        wapi("application.removeHiringTeamMember", **{**body, "applicationId": UNKNOWN}),
        "application_not_found",
    )


def test_delete_removes_the_application_from_reads_and_from_its_candidate(wapi: Api) -> None:
    created = _answer(wapi("application.create", candidateId=LONELY, jobId=IDS["open_job"]))
    assert results(wapi("application.delete", applicationId=created["id"])) == {
        "applicationId": created["id"]
    }
    error(wapi("application.info", applicationId=created["id"]), "application_not_found")
    error(wapi("application.listHistory", applicationId=created["id"]), "application_not_found")
    assert created["id"] not in [a["id"] for a in wapi.walk("application.list")[0]]
    assert results(wapi("candidate.info", id=LONELY))["applicationIds"] == []
    error(wapi("application.delete", applicationId=created["id"]), "application_not_found")


# -- permissions ------------------------------------------------------------------------------------
APPLICATION_WRITES = [
    "application.create", "application.changeStage", "application.change_stage", "application.changeSource",
    "application.change_source", "application.update", "application.transfer", "application.updateHistory",
    "application.addHiringTeamMember", "application.removeHiringTeamMember", "application.delete",
    "applicationFeedback.submit", "file.createFileUploadHandle",
]  # fmt: skip


@pytest.mark.parametrize("endpoint", APPLICATION_WRITES)
def test_a_key_without_candidates_write_gets_the_permission_error(
    wsb: SandboxHandle, client_for: Any, endpoint: str
) -> None:
    before = wsb.control.records("application")
    body = {
        "applicationId": ACTIVE,
        "candidateId": LONELY,
        "jobId": IDS["open_job"],
        "interviewStageId": IDS["stage_Hired"],
    }
    response = client_for(wsb, "read-key").raw(endpoint, body)
    assert response.status_code == 403
    error(response.json(), "missing_endpoint_permission")
    assert response.json()["errorInfo"]["meta"] == {"missingPermission": "candidatesWrite"}
    assert wsb.control.records("application") == before
