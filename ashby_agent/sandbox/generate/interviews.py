"""Interview plans, their stages and interviews, and the schedules held in them.

Called at two points of the run. While jobs are built, each job's plan gets its stages and the
interviews each Active stage holds (``interview_stages``, ``with_activities``). Once applications
exist, ``add_schedules`` adds what happened in each Active stage an application passed through
(``Complete``) or sits in (``Scheduled``, ``WaitingOnFeedback``, ...): a schedule whose events fall
inside the stage's time span, and a scorecard (application feedback) per submitting interviewer that
points at its event, interview and history entry.
"""

from __future__ import annotations

from collections.abc import Callable

from . import corpus
from .context import DAY_MS, HOUR_MS, MINUTE_MS, Context, Record, Walk

_LEAD = (("New Lead", "Lead"), ("Reached Out", "Lead"), ("Application Review", "PreInterviewScreen"))
_END = (("Offer", "Offer"), ("Hired", "Hired"), ("Archived", "Archived"))
_PLAN_ACTIVE = {
    "technical": ("Recruiter Screen", "Technical Screen", "Onsite", "Reference Check"),
    "sales": ("Recruiter Screen", "Role Play", "Executive Interview"),
    "general": ("Recruiter Screen", "Hiring Manager Interview", "Panel Interview"),
}
# Shared interviews (no jobId): title → (feedback form index, duration minutes, isDebrief, isArchived)
_SHARED = {
    "Recruiter Screen": (2, 30, False, False),
    "Technical Screen": (1, 60, False, False),
    "Hiring Manager Interview": (0, 45, False, False),
    "Culture Add": (3, 45, False, False),
    "Reference Call": (0, 30, False, False),
    "Debrief": (0, 30, True, False),
    "Legacy Phone Screen": (4, 30, False, True),
}
# Stage title → interviews: a shared interview's title, or (job-specific title, form index, minutes)
_STAGE_INTERVIEWS: dict[str, tuple[str | tuple[str, int, int], ...]] = {
    "Recruiter Screen": ("Recruiter Screen",),
    "Technical Screen": ("Technical Screen",),
    "Onsite": (("System Design", 1, 60), ("Coding", 1, 60), "Culture Add", "Debrief"),
    "Reference Check": ("Reference Call",),
    "Hiring Manager Interview": ("Hiring Manager Interview",),
    "Panel Interview": (("Panel Interview", 0, 60), "Culture Add"),
    "Role Play": (("Discovery Call Role Play", 0, 45),),
    "Executive Interview": (("Executive Interview", 0, 45),),
}

_QUARTER = 15 * MINUTE_MS
_FEEDBACK_LINK = "https://app.ashbyhq.com/interview-briefings/"
_MEET = "https://meet.google.com/"
_FieldSpec = tuple[str, str, list[str]]

ScorecardForms = dict[str, tuple[Record, list[_FieldSpec]]]
"""Feedback form id → (the form, its fields as ``_scorecard`` reads them)."""


def shared_interviews(ctx: Context) -> dict[str, tuple[Record, int]]:
    """Interviews without ``jobId`` any plan may use: title → (Interview, minutes)."""
    return {
        title: (_interview(ctx, title, None, form, debrief, archived), minutes)
        for title, (form, minutes, debrief, archived) in _SHARED.items()
    }


def _interview(
    ctx: Context, title: str, job_id: str | None, form: int, debrief: bool, archived: bool
) -> Record:
    """An Interview; ``jobId`` is omitted for shared interviews."""
    row: Record = {
        "id": ctx.uid(),
        "title": title,
        "externalTitle": "Team conversation" if debrief else title,
        "isArchived": archived,
        "isDebrief": debrief,
        "isFeedbackRequired": not debrief,
        "isFeedbackRequested": not debrief,
        "instructionsHtml": None,
        "instructionsPlain": None,
    }
    if job_id is not None:
        row["jobId"] = job_id
    row["feedbackFormDefinitionId"] = ctx.feedback_forms[form]["id"]
    return row


def interview_stages(ctx: Context, plan_id: str, kind: str) -> list[Record]:
    """The plan's stages in order; every type has its stage group."""
    titles = (*_LEAD, *((t, "Active") for t in _PLAN_ACTIVE[kind]), *_END)
    return [
        {
            "id": ctx.uid(),
            "title": title,
            "type": stage_type,
            "orderInInterviewPlan": order,
            "interviewStageGroupId": ctx.stage_groups[stage_type],
            "interviewPlanId": plan_id,
        }
        for order, (title, stage_type) in enumerate(titles)
    ]


def with_activities(
    ctx: Context,
    stage: Record,
    job_id: str,
    kind: str,
    shared: dict[str, tuple[Record, int]],
    interviews: list[Record],
) -> Record:
    """The JobInterviewPlan form of a stage; registers the stage's interviews for scheduling."""
    specs = _STAGE_INTERVIEWS.get(stage["title"], ()) if stage["type"] == "Active" else ()
    pairs: list[tuple[Record, int]] = []
    for spec in specs:
        if isinstance(spec, str):
            pairs.append(shared[spec])
        else:
            title, form, minutes = spec
            form = form if kind == "technical" else 0
            interview = _interview(ctx, title, job_id, form, False, False)
            interviews.append(interview)
            pairs.append((interview, minutes))
    ctx.stage_interviews[stage["id"]] = pairs
    activities: list[Record] = []
    if pairs:
        entries = [
            {
                "id": ctx.uid(),
                "title": interview["title"],
                "interviewId": interview["id"],
                "interviewDurationMinutes": minutes,
                "isSchedulable": True,
            }
            for interview, minutes in pairs
        ]
        activities.append({"id": ctx.uid(), "title": stage["title"], "interviews": entries})
    return {**stage, "activities": activities}


def scorecard_forms(ctx: Context) -> ScorecardForms:
    """Every feedback form with its fields read once, for ``add_schedules``."""
    return {f["id"]: (f, _field_specs(f["formDefinition"])) for f in ctx.feedback_forms}


def _field_specs(definition: Record) -> list[_FieldSpec]:
    """(path, type, option values) per field: what ``_scorecard`` needs, read once per form."""
    return [
        (f["field"]["path"], f["field"]["type"], [v["value"] for v in f["field"].get("selectableValues", ())])
        for section in definition["sections"]
        for f in section["fields"]
    ]


def add_schedules(
    ctx: Context,
    walk: Walk,
    forms: ScorecardForms,
    schedules: list[Record],
    feedback: list[Record],
) -> None:
    """One schedule per Active stage of the walk that has interviews (skipping stays shorter than a day)."""
    rng = ctx.rng
    rand = rng.random
    bits = rng.getrandbits
    iso = ctx.iso
    uid = ctx.uid
    now = ctx.now_ms
    app_id = walk.application["id"]
    stages = walk.plan.stages
    last = len(walk.path) - 1
    users = ctx.enabled_users
    n_users = len(users)
    interviewer_of = ctx.interviewer_of
    for k, index in enumerate(walk.path):
        stage = stages[index]
        if stage["type"] != "Active":
            continue
        entered = walk.entered_ms[k]
        current = k == last
        bound = now if current else walk.entered_ms[k + 1]
        span = bound - entered
        if not current and span < DAY_MS:
            continue
        r = rand()
        if not current:
            status = "Complete" if r < 0.95 else "Cancelled"
        elif r < 0.35 or span < DAY_MS:
            status = "Scheduled"
        elif r < 0.65:
            status = "WaitingOnFeedback"
        elif r < 0.85:
            status = "NeedsScheduling"
        else:
            status = "WaitingOnCandidateAvailability"
        created = entered + int(span * (0.02 + 0.08 * rand()))
        created_at = iso(created)
        schedule_id = uid()
        updated = created
        events: list[Record] = []
        if status not in ("NeedsScheduling", "WaitingOnCandidateAvailability"):
            if status == "Scheduled":
                t = now + HOUR_MS + int(rand() * 7 * DAY_MS)
            else:
                t = entered + int(span * (0.3 + 0.3 * rand()))
            t = max(created, t - t % _QUARTER)
            meeting = rand() < 0.8
            scored = status in ("Complete", "WaitingOnFeedback")
            for interview, minutes in ctx.stage_interviews[stage["id"]]:
                start, end = t, t + minutes * MINUTE_MS
                t = end + _QUARTER
                panel = [users[int(rand() * n_users)]]
                if rand() < 0.3:
                    panel.append(users[int(rand() * n_users)])
                event_id = uid()
                submitted_any = False
                event_updated = created
                if scored and interview["isFeedbackRequired"]:
                    form, specs = forms[interview["feedbackFormDefinitionId"]]
                    for user in panel:
                        if status == "WaitingOnFeedback" and rand() < 0.5:
                            continue
                        at = max(end, min(end + 30 * MINUTE_MS + int(rand() * 2 * DAY_MS), bound))
                        event_updated = max(event_updated, at)
                        submitted_any = True
                        feedback.append(
                            {
                                "id": uid(),
                                "applicationId": app_id,
                                "formDefinition": form["formDefinition"],
                                "submittedValues": _scorecard(rand, specs),
                                "submittedByUser": user,
                                "submittedAt": iso(at),
                                "feedbackFormDefinitionId": form["id"],
                                "interviewId": interview["id"],
                                "interviewEventId": event_id,
                                "applicationHistoryId": walk.history[k]["id"],
                            }
                        )
                updated = max(updated, event_updated)
                events.append(
                    {
                        "id": event_id,
                        "interviewId": interview["id"],
                        "interviewScheduleId": schedule_id,
                        "interviewerUserIds": [u["id"] for u in panel],
                        "interviewers": [interviewer_of[u["id"]] for u in panel],
                        "createdAt": created_at,
                        "updatedAt": iso(event_updated) if submitted_any else created_at,
                        "startTime": iso(start),
                        "endTime": iso(end),
                        "feedbackLink": _FEEDBACK_LINK + event_id + "/feedback",
                        "location": None if meeting else "Office",
                        "meetingLink": _MEET + bits(40).to_bytes(5, "big").hex() if meeting else None,
                        "interviewerCalendarEventId": None
                        if rand() < 0.5
                        else bits(64).to_bytes(8, "big").hex(),
                        "hasSubmittedFeedback": submitted_any,
                        "notetakerTranscriptId": None,
                    }
                )
        schedules.append(
            {
                "id": schedule_id,
                "status": status,
                "applicationId": app_id,
                "interviewStageId": stage["id"],
                "scheduledBy": walk.plan.job["author"] if rand() < 0.9 else None,
                "createdAt": created_at,
                "updatedAt": iso(updated) if updated != created else created_at,
                "interviewEvents": events,
            }
        )


def _scorecard(rand: Callable[[], float], specs: list[_FieldSpec]) -> Record:
    """``submittedValues`` consistent with one overall score (1-4)."""
    score = 1 + int(rand() * 4)
    values: Record = {}
    for path, kind, options in specs:
        if kind == "Score":
            values[path] = {"score": score}
        elif kind == "ValueSelect":
            index = min(len(options) - 1, max(0, score - 1 + (rand() < 0.2) - (rand() < 0.2)))
            values[path] = options[index]
        elif kind == "Boolean":
            values[path] = score >= 3
        else:
            comments = corpus.SCORECARD_COMMENTS
            values[path] = comments[int(rand() * len(comments))]
    return values
