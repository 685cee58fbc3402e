"""Interview scheduling writes under ``interviewsWrite``: ``interviewSchedule.create``, ``update`` and
``cancel``, each answering the InterviewSchedule as the write left it.

A schedule embeds its events (``interviewEvents``) and each event is also a row of its own table
(``interviewEvent.list``), so every write keeps the two the same. Interviewers are named by e-mail and
must be enabled users. The store's change listener sends ``interviewScheduleCreate`` +
``interviewScheduleUpdate`` for a new schedule and ``interviewScheduleUpdate`` for a change.

Where the reference is silent the sandbox chooses: a new schedule is ``Scheduled`` at the
application's current stage; archived applications get no new schedule; ``update`` works only on
schedules the calling key created (the reference's rule) and not on a schedule cancelled without
``allowReschedule`` (``interview_schedule_not_editable``); cancelling an event removes it, and with it
its scorecards when ``allowFeedbackDeletion`` allows; a schedule left without events
``NeedsScheduling``, one waiting for a time that gets events ``Scheduled``; cancelling keeps the events
and is idempotent.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..params import InvalidInput, Param, is_uuid, validate_item
from ..store import Record, iso_ms, public
from .endpoint import ApiError, Ctx, Endpoint, Params, not_found, ok
from .lookups import api_user, existing

WRITE = "interviewsWrite"
TABLE = "interviewSchedule"
EVENT_TABLE = "interviewEvent"
FEEDBACK_LINK = "https://app.ashbyhq.com/interview-briefings/"
#: Statuses of a schedule still waiting for a time: events added to it make it ``Scheduled``.
UNSCHEDULED = (
    "NeedsScheduling", "WaitingOnCandidateBooking", "WaitingOnCandidateAvailability",
    "CandidateAvailabilitySubmitted", "OnHold", "Unknown",
)  # fmt: skip
_INTERVIEWER = (Param("email", "str", required=True), Param("feedbackRequired", "bool"))
_EVENT_FIELDS = (
    Param("startTime", "iso"),
    Param("endTime", "iso"),
    Param("interviewers", "object_list", min_items=1),
    Param("interviewId", "uuid"),
    Param("extraData", "object"),
)
#: A new event needs its times and interviewers; a changed one (``interviewEventId``) only what changes.
_NEW_EVENT = (
    Param("startTime", "iso", required=True),
    Param("endTime", "iso", required=True),
    Param("interviewers", "object_list", required=True, min_items=1),
    *_EVENT_FIELDS[3:],
)
_CHANGED_EVENT = (Param("interviewEventId", "uuid"), *_EVENT_FIELDS)


def _now(ctx: Ctx) -> str:
    return iso_ms(ctx.store.now_ms())


def _schedule(ctx: Ctx, schedule_id: str) -> Record:
    record = ctx.store.get(TABLE, schedule_id)
    if record is None:
        raise not_found("interview_schedule_not_found", "Interview schedule")
    return record


def _interviewer(ctx: Ctx, item: Record, where: str) -> Record:
    """An event's interviewer: the enabled user with that e-mail, as Ashby embeds it."""
    email = str(item["email"]).strip().lower()
    users = ctx.store.table("user").rows.values()
    user = next((u for u in users if str(u.get("email", "")).lower() == email), None)
    if user is None:
        raise ApiError(
            "user_not_found",
            f"No user has the e-mail {item['email']!r} ({where}.email); interviewers must be users.",
            meta={"email": item["email"]},
        )
    if not user.get("isEnabled", True):
        raise InvalidInput(f'"{where}.email": the user {user.get("id")} is deactivated', f"{where}.email")
    required = item.get("feedbackRequired", True)
    return {**public(user), "trainingRole": None, "interviewerPool": None, "isFeedbackRequired": required}


def _interviewers(ctx: Ctx, items: list[Record], where: str) -> list[Record]:
    found: list[Record] = []
    for i, raw in enumerate(items):
        at = f"{where}.interviewers[{i}]"
        interviewer = _interviewer(ctx, validate_item(_INTERVIEWER, raw, at), at)
        if any(other["id"] == interviewer["id"] for other in found):
            raise InvalidInput(f'"{at}.email": the interviewer is listed twice', f"{at}.email")
        found.append(interviewer)
    return found


def _event_fields(ctx: Ctx, item: Params, where: str) -> Record:
    """The event fields a validated ``interviewEvent`` item sets (wire names)."""
    fields: Record = {}
    for key in ("startTime", "endTime", "extraData"):
        if key in item:
            fields[key] = item[key]
    if "interviewId" in item:
        interview = ctx.store.get("interview", item["interviewId"])
        if interview is None:
            raise not_found("interview_not_found", "Interview")
        if interview.get("isArchived"):
            raise InvalidInput(f'"{where}.interviewId": the interview is archived', f"{where}.interviewId")
        fields["interviewId"] = interview["id"]
    if "interviewers" in item:
        interviewers = _interviewers(ctx, item["interviewers"], where)
        fields["interviewerUserIds"] = [i["id"] for i in interviewers]
        fields["interviewers"] = interviewers
    return fields


def _check_times(event: Record, where: str) -> None:
    if str(event.get("endTime")) <= str(event.get("startTime")):
        raise InvalidInput(f'"{where}.endTime" must be after its startTime', f"{where}.endTime")


def _new_event(ctx: Ctx, item: Params, schedule_id: str, where: str) -> Record:
    event_id = str(uuid.uuid4())
    now = _now(ctx)
    fields = _event_fields(ctx, item, where)
    event: Record = {
        "id": event_id,
        "interviewId": fields.get("interviewId"),
        "interviewScheduleId": schedule_id,
        "interviewerUserIds": fields["interviewerUserIds"],
        "interviewers": fields["interviewers"],
        "createdAt": now,
        "updatedAt": now,
        "startTime": fields["startTime"],
        "endTime": fields["endTime"],
        "feedbackLink": f"{FEEDBACK_LINK}{event_id}/feedback",
        "location": None,
        "meetingLink": None,
        "interviewerCalendarEventId": None,
        "hasSubmittedFeedback": False,
        "notetakerTranscriptId": None,
    }
    if "extraData" in fields:
        event["extraData"] = fields["extraData"]
    _check_times(event, where)
    return event


def _items(value: Any, name: str) -> list[Any]:
    """A parameter Ashby takes as one item or an array of them."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise InvalidInput(f'"{name}" must not be empty', name)
    return items


def _where(name: str, value: Any, i: int) -> str:
    return f"{name}[{i}]" if isinstance(value, list) else name


def _save(ctx: Ctx, schedule: Record, events: list[Record], status: str | None = None) -> None:
    """Write the schedule with these events (and status) when either changed."""
    fields: Record = {}
    if events != schedule.get("interviewEvents"):
        fields["interviewEvents"] = events
    if status is not None and status != schedule.get("status"):
        fields["status"] = status
    if fields:
        ctx.store.update(TABLE, schedule["id"], fields)


def _answer(ctx: Ctx, schedule_id: str) -> bytes:
    return ok(ctx.store.table(TABLE).json(schedule_id))


# -- create -----------------------------------------------------------------------------------------
def _create(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        application = existing(ctx, "application", p["applicationId"])
        if application.get("status") == "Archived":
            raise ApiError(
                "application_not_active",
                f"Application {application['id']} is archived; move it to an active stage first.",
                meta={"applicationStatus": "Archived"},
            )
        schedule_id = str(uuid.uuid4())
        events = [
            _new_event(ctx, validate_item(_NEW_EVENT, item, f"interviewEvents[{i}]"), schedule_id,
                       f"interviewEvents[{i}]")
            for i, item in enumerate(p["interviewEvents"])
        ]  # fmt: skip
        now = _now(ctx)
        for event in events:
            ctx.store.create(EVENT_TABLE, event)
        stage = application.get("currentInterviewStage") or {}
        ctx.store.create(
            TABLE,
            {
                "id": schedule_id,
                "status": "Scheduled",
                "applicationId": application["id"],
                "interviewStageId": stage.get("id"),
                "scheduledBy": public(api_user(ctx)),
                "createdAt": now,
                "updatedAt": now,
                "interviewEvents": events,
                "_keyTitle": ctx.key.title,
            },
        )
        return _answer(ctx, schedule_id)


# -- update -----------------------------------------------------------------------------------------
def _editable(ctx: Ctx, schedule: Record) -> None:
    if schedule.get("_keyTitle") != ctx.key.title:
        raise ApiError(
            "interview_schedule_not_editable",
            f"Interview schedule {schedule['id']} was not created by this API key; a key can update "
            "only the schedules it created (interviewSchedule.create).",
        )
    if schedule.get("status") == "Cancelled" and not schedule.get("_allowReschedule"):
        raise ApiError(
            "interview_schedule_not_editable",
            f"Interview schedule {schedule['id']} is cancelled; cancel with allowReschedule: true to "
            "keep a schedule open to new times, or create a new schedule.",
        )


def _feedback_guard(event: Record, allowed: bool, where: str) -> None:
    if event.get("hasSubmittedFeedback") and not allowed:
        raise InvalidInput(
            f'"{where}": interview event {event["id"]} has submitted feedback, which cancelling it '
            'deletes; pass "allowFeedbackDeletion": true to allow that',
            "allowFeedbackDeletion",
        )


def _cancel_events(ctx: Ctx, events: list[Record], p: Params) -> list[Record]:
    raw = p["interviewEventIdToCancel"]
    allowed = bool(p.get("allowFeedbackDeletion"))
    by_id = {event["id"]: event for event in events}
    cancelled: list[Record] = []
    for i, value in enumerate(_items(raw, "interviewEventIdToCancel")):
        where = _where("interviewEventIdToCancel", raw, i)
        if not isinstance(value, str) or not is_uuid(value):
            raise InvalidInput(f'"{where}" must be a UUID, got {value!r}', where)
        event = by_id.get(value.lower())
        if event is None:
            raise not_found("interview_event_not_found", "Interview event")
        _feedback_guard(event, allowed, where)
        if event not in cancelled:
            cancelled.append(event)
    for event in cancelled:
        feedback = ctx.store.table("applicationFeedback").rows
        for row_id in [k for k, row in feedback.items() if row.get("interviewEventId") == event["id"]]:
            ctx.store.delete("applicationFeedback", row_id)
        if ctx.store.get(EVENT_TABLE, event["id"]) is not None:
            ctx.store.delete(EVENT_TABLE, event["id"])
    return [event for event in events if event not in cancelled]


def _change_events(ctx: Ctx, schedule: Record, events: list[Record], raw: Any) -> list[Record]:
    """Events with ``interviewEventId`` are changed in place, the others added."""
    changed = list(events)
    for i, value in enumerate(_items(raw, "interviewEvent")):
        where = _where("interviewEvent", raw, i)
        item = validate_item(_CHANGED_EVENT, value, where)
        if "interviewEventId" not in item:
            new = _new_event(ctx, validate_item(_NEW_EVENT, value, where), schedule["id"], where)
            ctx.store.create(EVENT_TABLE, new)
            changed.append(new)
            continue
        at = next((n for n, e in enumerate(changed) if e["id"] == item["interviewEventId"]), None)
        if at is None:
            raise not_found("interview_event_not_found", "Interview event")
        old = changed[at]
        fields = {k: v for k, v in _event_fields(ctx, item, where).items() if old.get(k) != v}
        if fields:
            candidate = {**old, **fields}
            _check_times(candidate, where)
            if ctx.store.get(EVENT_TABLE, old["id"]) is not None:
                changed[at] = public(ctx.store.update(EVENT_TABLE, old["id"], fields))
            else:
                changed[at] = {**candidate, "updatedAt": _now(ctx)}
    return changed


def _update(ctx: Ctx, p: Params) -> bytes:
    given = [name for name in ("interviewEvent", "interviewEventIdToCancel") if name in p]
    if len(given) != 1:
        problem = "give one of" if not given else "give only one of"
        raise InvalidInput(
            f'{problem} "interviewEvent" (events to add or change) and "interviewEventIdToCancel"',
            "interviewEvent",
        )
    with ctx.store.lock:
        schedule = _schedule(ctx, p["interviewScheduleId"])
        _editable(ctx, schedule)
        # the event rows are the truth: scorecards mark the row, not the schedule's copy
        events = [
            public(ctx.store.get(EVENT_TABLE, str(event.get("id"))) or event)
            for event in schedule.get("interviewEvents") or []
        ]
        if "interviewEvent" in p:
            events = _change_events(ctx, schedule, events, p["interviewEvent"])
        else:
            events = _cancel_events(ctx, events, p)
        status = str(schedule.get("status"))
        if not events:
            status = "NeedsScheduling"
        elif status in (*UNSCHEDULED, "Cancelled"):
            status = "Scheduled"
        _save(ctx, schedule, events, status)
        return _answer(ctx, schedule["id"])


# -- cancel -----------------------------------------------------------------------------------------
def _cancel(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        schedule = _schedule(ctx, p["id"])
        reschedule = bool(p.get("allowReschedule"))
        if schedule.get("status") != "Cancelled":  # cancelling again changes nothing
            ctx.store.update(TABLE, schedule["id"], {"status": "Cancelled", "_allowReschedule": reschedule})
        return _answer(ctx, schedule["id"])


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "interviewSchedule.create",
        WRITE,
        (
            Param("applicationId", "uuid", required=True),
            Param("interviewEvents", "object_list", required=True, min_items=1),
        ),
        _create,
    ),
    Endpoint(
        "interviewSchedule.update",
        WRITE,
        (
            Param("interviewScheduleId", "uuid", required=True),
            Param("interviewEvent", "any"),
            Param("interviewEventIdToCancel", "any"),
            Param("allowFeedbackDeletion", "bool"),
        ),
        _update,
    ),
    Endpoint(
        "interviewSchedule.cancel",
        WRITE,
        (Param("id", "uuid", required=True), Param("allowReschedule", "bool")),
        _cancel,
    ),
]

__all__ = ["ENDPOINTS"]
