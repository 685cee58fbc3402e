"""The tiny dataset plus what the write endpoints refer to: tags, projects, a scorecard form with a
field of every type, e-mail templates, a second and a third interview plan, an archived job and an
open one on its own plan, an interview with its interviewer, and candidates that list their
applications. ``IDS`` names the records the write tests use.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.sandbox.conftest import NOW_MS, _iso, _uid, tiny_dataset

Record = dict[str, Any]
DAY = 86_400_000
STAGE_TYPES = ["Lead", "PreInterviewScreen", "Active", "Offer", "Hired", "Archived"]
UNKNOWN = "0b5e2f4c-9d1a-4c3b-8e7f-6a5d4c3b2a19"

#: (path, type, required, options) of the scorecard form's fields.
FORM_FIELDS = [
    ("overall", "Score", True, ()),
    ("fit", "ValueSelect", True, ("Strong No", "No", "Yes", "Strong Yes")),
    ("notes", "LongText", True, ()),
    ("again", "Boolean", False, ()),
    ("start", "Date", False, ()),
    ("skills", "MultiValueSelect", False, ("Python", "SQL", "Go")),
    ("years", "Number", False, ()),
    ("referee", "Email", False, ()),
    ("salary", "Currency", False, ()),
    ("band", "NumberRange", False, ()),
    ("comp", "CompensationRange", False, ()),
    ("summary", "RichText", False, ()),
    ("portfolio", "Url", False, ()),
    ("ref", "UUID", False, ()),
    ("phone", "Phone", False, ()),
    ("title", "String", False, ()),
]


def _stages(plan_id: str, kind: int, types: list[str]) -> list[Record]:
    return [
        {
            "id": _uid(i, kind),
            "title": f"{t} ({kind})",
            "type": t,
            "orderInInterviewPlan": i,
            "interviewStageGroupId": None,
            "interviewPlanId": plan_id,
        }
        for i, t in enumerate(types)
    ]


def _plan(plan_id: str, title: str) -> Record:
    start = _iso(NOW_MS - 400 * DAY)
    return {"id": plan_id, "title": title, "isArchived": False, "createdAt": start, "updatedAt": start}


def write_dataset() -> dict[str, list[Record]]:
    data = tiny_dataset()
    users, jobs, stages = data["user"], data["job"], data["interviewStage"]
    plan1 = data["interviewPlan"][0]["id"]
    plan2, plan3 = _uid(2, 3), _uid(3, 3)
    data["interviewPlan"] += [_plan(plan2, "Short"), _plan(plan3, "Analyst plan")]
    stages += _stages(plan2, 40, ["Lead", "Active", "Hired", "Archived"])
    stages += _stages(plan3, 41, STAGE_TYPES)
    member = {k: users[1][k] for k in ("firstName", "lastName", "email")}
    jobs[0]["interviewPlanIds"] = [plan1, plan2]
    jobs[0]["hiringTeam"] = [{"userId": users[1]["id"], **member, "role": "Recruiter"}]
    for title, status, plan in (("Retired", "Archived", plan1), ("Analyst", "Open", plan3)):
        job = copy.deepcopy(jobs[0])
        job.update(id=_uid(len(jobs), 5), title=title, status=status, hiringTeam=[])
        job.update(defaultInterviewPlanId=plan, interviewPlanIds=[plan], brandId=_uid(0, 42))
        jobs.append(job)
    for i, application in enumerate(data["application"]):
        data["candidate"][i]["applicationIds"] = [application["id"]]
    data["candidateTag"] = [
        {"id": _uid(0, 43), "title": "Python", "isArchived": False},
        {"id": _uid(1, 43), "title": "Old tag", "isArchived": True},
    ]
    data["project"] = [
        {"id": _uid(i, 44), "title": f"Project {i}", "description": None, "isArchived": False,
         "confidential": False, "authorId": users[0]["id"], "createdAt": _iso(NOW_MS - 300 * DAY),
         "customFieldEntries": []}
        for i in range(2)
    ]  # fmt: skip
    data["communicationTemplate"] = [
        {"id": _uid(0, 45), "title": "Rejection", "isArchived": False},
        {"id": _uid(1, 45), "title": "Old rejection", "isArchived": True},
    ]
    data["feedbackFormDefinition"] = [
        {
            "id": _uid(0, 46),
            "organizationId": _uid(0, 47),
            "title": "Scorecard",
            "isArchived": False,
            "isDefaultForm": True,
            "formDefinition": {
                "sections": [
                    {
                        "title": "Feedback",
                        "fields": [
                            {
                                "isRequired": required,
                                "field": {
                                    "id": _uid(n, 48),
                                    "type": kind,
                                    "path": path,
                                    "humanReadablePath": path.title(),
                                    "title": path.title(),
                                    "isNullable": not required,
                                    **(
                                        {"selectableValues": [{"label": o, "value": o} for o in options]}
                                        if options
                                        else {}
                                    ),
                                },
                            }
                            for n, (path, kind, required, options) in enumerate(FORM_FIELDS)
                        ],
                    }
                ]
            },
        }
    ]
    active = next(a for a in data["application"] if a["status"] == "Active")
    event = {
        "id": _uid(0, 49),
        "interviewId": _uid(0, 50),
        "interviewScheduleId": _uid(0, 51),
        "interviewerUserIds": [users[1]["id"]],
        "interviewers": [
            {**users[1], "trainingRole": None, "interviewerPool": None, "isFeedbackRequired": True}
        ],
        "createdAt": _iso(NOW_MS - DAY),
        "updatedAt": _iso(NOW_MS - DAY),
        "startTime": _iso(NOW_MS - DAY),
        "endTime": _iso(NOW_MS - DAY + 3_600_000),
        "feedbackLink": "https://app.ashbyhq.com/interview-briefings/x/feedback",
        "location": None,
        "meetingLink": None,
        "interviewerCalendarEventId": None,
        "hasSubmittedFeedback": False,
        "notetakerTranscriptId": None,
    }
    data["interviewSchedule"] = [
        {
            "id": _uid(0, 51),
            "status": "WaitingOnFeedback",
            "applicationId": active["id"],
            "interviewStageId": active["currentInterviewStage"]["id"],
            "scheduledBy": None,
            "createdAt": _iso(NOW_MS - 2 * DAY),
            "updatedAt": _iso(NOW_MS - 2 * DAY),
            "interviewEvents": [event],
        }
    ]
    return data


def _first(data: dict[str, list[Record]], table: str, **match: Any) -> Record:
    return next(r for r in data[table] if all(r.get(k) == v for k, v in match.items()))


def _ids() -> dict[str, str]:
    data = write_dataset()
    apps = data["application"]
    plan1 = data["interviewPlan"][0]["id"]

    def stage(plan: str, kind: str) -> str:
        return str(_first(data, "interviewStage", interviewPlanId=plan, type=kind)["id"])

    return {
        "admin": data["user"][0]["id"],
        "user1": data["user"][1]["id"],
        "disabled": data["user"][2]["id"],
        "lonely": data["candidate"][100]["id"],  # no applications
        "other": data["candidate"][101]["id"],
        "open_job": data["job"][0]["id"],
        "closed_job": data["job"][1]["id"],
        "draft_job": data["job"][2]["id"],
        "archived_job": data["job"][3]["id"],
        "analyst_job": data["job"][4]["id"],
        "plan1": plan1,
        "plan2": _uid(2, 3),
        "plan3": _uid(3, 3),
        **{f"stage_{kind}": stage(plan1, kind) for kind in STAGE_TYPES},
        "plan2_active": stage(_uid(2, 3), "Active"),
        "plan3_lead": stage(_uid(3, 3), "Lead"),
        "plan3_active": stage(_uid(3, 3), "Active"),
        "plan3_archived": stage(_uid(3, 3), "Archived"),
        "active_app": _first(data, "application", status="Active")["id"],
        "lead_app": _first(data, "application", status="Lead")["id"],
        "hired_app": _first(data, "application", status="Hired")["id"],
        "archived_app": _first(data, "application", status="Archived")["id"],
        "active_app_candidate": _first(data, "application", status="Active")["candidate"]["id"],
        "lead_app_candidate": _first(data, "application", status="Lead")["candidate"]["id"],
        "source": data["source"][0]["id"],
        "source2": data["source"][1]["id"],
        "reason": data["archiveReason"][0]["id"],
        "recruiter_role": data["hiringTeamRole"][0]["id"],
        "manager_role": data["hiringTeamRole"][1]["id"],
        "tag": data["candidateTag"][0]["id"],
        "archived_tag": data["candidateTag"][1]["id"],
        "project": data["project"][0]["id"],
        "template": data["communicationTemplate"][0]["id"],
        "archived_template": data["communicationTemplate"][1]["id"],
        "form": data["feedbackFormDefinition"][0]["id"],
        "event": _uid(0, 49),
        "apps": ",".join(a["id"] for a in apps),
    }


IDS = _ids()

__all__ = ["FORM_FIELDS", "IDS", "UNKNOWN", "write_dataset"]
