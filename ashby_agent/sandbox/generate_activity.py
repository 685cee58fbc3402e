"""What happens inside an application's stages: interview schedules and events, scorecards, offers.

Derived from the application walks so the pieces agree: a schedule exists for an Active stage the
application passed through (``Complete``) or sits in (``Scheduled``, ``WaitingOnFeedback``, ...), its events
fall inside the stage's time span, each submitted scorecard points at its event, interview and history
entry, and offers exist exactly for applications that reached the Offer stage, with an acceptance
status that matches what happened next (Hired → Accepted, Archived → Declined/Cancelled).
"""

from __future__ import annotations

from collections.abc import Callable

from ashby_agent.sandbox import corpus
from ashby_agent.sandbox.generate_context import DAY_MS, HOUR_MS, MINUTE_MS, Context, Record, Walk
from ashby_agent.sandbox.generate_org import custom_value, sort_created

_QUARTER = 15 * MINUTE_MS
_FEEDBACK_LINK = "https://app.ashbyhq.com/interview-briefings/"
_MEET = "https://meet.google.com/"
_FieldSpec = tuple[str, str, list[str]]


def add_activity(ctx: Context, interview_rate: float) -> None:
    """Interview schedules (with events), application feedback and offers.

    ``interview_rate`` is the share of applications that get schedules and scorecards; the large scale
    lowers it to stay fast. Offers are always generated.
    """
    rand = ctx.rng.random
    forms = {f["id"]: (f, _field_specs(f["formDefinition"])) for f in ctx.feedback_forms}
    schedules: list[Record] = []
    feedback: list[Record] = []
    offers: list[Record] = []
    for walk in ctx.walks:
        if rand() < interview_rate:
            _schedules(ctx, walk, forms, schedules, feedback)
        offer_index = len(walk.plan.stages) - 3
        if offer_index in walk.path:
            offers.append(_offer(ctx, walk, walk.path.index(offer_index)))
    ctx.tables["interviewSchedule"] = sort_created(schedules)
    feedback.sort(key=lambda f: (f["submittedAt"], f["id"]))
    ctx.tables["applicationFeedback"] = feedback
    offers.sort(key=lambda o: (o["versions"][0]["createdAt"], o["id"]))
    ctx.tables["offer"] = offers


def _field_specs(definition: Record) -> list[_FieldSpec]:
    """(path, type, option values) per field: what ``_scorecard`` needs, read once per form."""
    return [
        (f["field"]["path"], f["field"]["type"], [v["value"] for v in f["field"].get("selectableValues", ())])
        for section in definition["sections"]
        for f in section["fields"]
    ]


def _schedules(
    ctx: Context,
    walk: Walk,
    forms: dict[str, tuple[Record, list[_FieldSpec]]],
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


def _offer(ctx: Context, walk: Walk, k: int) -> Record:
    """An offer for an application that entered the Offer stage at history index ``k``."""
    rng = ctx.rng
    rand = rng.random
    plan = walk.plan
    entered = walk.entered_ms[k]
    after = walk.plan.stages[walk.path[k + 1]]["type"] if k + 1 < len(walk.path) else None
    bound = walk.entered_ms[k + 1] if after else ctx.now_ms
    decided: str | None = ctx.iso(bound) if after else None
    approval: str | None = "Approved"
    if after == "Hired":
        acceptance, status = "Accepted", "CandidateAccepted"
    elif after == "Archived":
        acceptance, status = (
            ("Declined", "CandidateRejected") if rand() < 0.6 else ("Cancelled", "OfferCancelled")
        )
    else:
        r = rand()
        if r < 0.2:
            acceptance, status, approval = "Created", "WaitingOnApprovalStart", None
        elif r < 0.5:
            acceptance, status, approval = "Pending", "WaitingOnOfferApproval", "WaitingOnApprovals"
        else:
            acceptance, status = "WaitingOnResponse", "WaitingOnCandidateResponse"
    span = bound - entered
    times = [entered + int(span * 0.1 * rand())]
    if rand() < 0.25:
        times.append(times[0] + int((bound - times[0]) * 0.3 * rand()) + 1)
    author = rng.choice(ctx.recruiters)
    opening_id = rng.choice(plan.opening_ids)
    start_date = ctx.day(bound + (14 + int(rand() * 30)) * DAY_MS)
    versions: list[Record] = []
    for n, at in enumerate(times):
        latest = n == len(times) - 1
        salary = int(round(plan.salary_base * (0.95 + 0.3 * rand()), -3))
        versions.append(
            {
                "id": ctx.uid(),
                "startDate": start_date,
                "salary": {"currencyCode": plan.currency, "value": salary},
                "createdAt": ctx.iso(at),
                "openingId": opening_id,
                "customFields": [custom_value(ctx, d) for d in ctx.custom_fields["Offer"] if rand() < 0.5],
                "fileHandles": [ctx.file_handle("Offer Letter.pdf")] if approval == "Approved" else [],
                "author": author,
                "approvalStatus": approval if latest else "Approved",
            }
        )
    return {
        "id": ctx.uid(),
        "applicationId": walk.application["id"],
        "acceptanceStatus": acceptance,
        "offerStatus": status,
        "decidedAt": decided,
        "latestVersion": versions[-1],
        "versions": versions,
    }
