"""``applicationFeedback.submit``: a scorecard for an application, under ``candidatesWrite``.

The submission fills a feedback form definition: ``feedbackForm.fieldSubmissions[{path, value}]``,
each path a field of the form, each value in its type's format (``field_values``), every required
field present. It is credited to ``userId`` (by default the API key's user); with an
``interviewEventId`` the user must be one of that interview's interviewers, the event one of the
application's, and the event then has submitted feedback. The answer is ``{submittedFormInstance:
{id, formDefinition, submittedValues}}``; ``applicationFeedback.list`` shows the whole scorecard.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..params import InvalidInput, Param, validate_item
from ..store import Record, iso_ms, public
from .applications import history
from .endpoint import ApiError, Ctx, Endpoint, Params, dumps, ok
from .field_values import check
from .lookups import api_user, existing

TABLE = "applicationFeedback"
_FORM = (Param("fieldSubmissions", "object_list", required=True),)
_SUBMISSIONS = "feedbackForm.fieldSubmissions"


def form_fields(definition: Record) -> dict[str, tuple[Record, bool]]:
    """A FormDefinition's fields by path: (field, required)."""
    fields: dict[str, tuple[Record, bool]] = {}
    for section in definition.get("sections") or []:
        for entry in section.get("fields") or []:
            field = entry.get("field") or {}
            if isinstance(field.get("path"), str):
                fields[field["path"]] = (field, bool(entry.get("isRequired")))
    return fields


def form_values(
    submissions: list[Record], fields: dict[str, tuple[Record, bool]], prefix: str = _SUBMISSIONS
) -> Record:
    """``submittedValues`` (path -> value) from the submissions, checked against the form (``prefix``:
    where the submissions are in the request, for the messages)."""
    values: Record = {}
    for i, item in enumerate(submissions):
        where = f"{prefix}[{i}]"
        path = item.get("path")
        if not isinstance(path, str) or path not in fields:
            shown = ", ".join(sorted(fields)[:20])
            raise InvalidInput(
                f'"{where}.path" must be the path of a field of the form: {shown}', f"{where}.path"
            )
        if path in values:
            raise InvalidInput(f'"{where}.path": the field {path} is submitted twice', f"{where}.path")
        if "value" not in item:
            raise InvalidInput(f'"{where}.value" is missing', f"{where}.value")
        field, required = fields[path]
        value = item["value"]
        if value is None and required:
            raise InvalidInput(f'"{where}.value": the field {path} is required', f"{where}.value")
        options = [str(o.get("value")) for o in field.get("selectableValues") or [] if isinstance(o, dict)]
        values[path] = (
            None if value is None else check(str(field.get("type")), value, options, f"{where}.value")
        )
    missing = [
        str(field.get("title") or path)
        for path, (field, required) in fields.items()
        if required and path not in values
    ]
    if missing:
        raise InvalidInput(f'"{prefix}" lacks the required field(s): {", ".join(missing)}', prefix)
    return values


def _interviewer_ids(event: Record) -> set[Any]:
    ids = set(event.get("interviewerUserIds") or [])
    return ids | {i.get("id") for i in event.get("interviewers") or [] if isinstance(i, dict)}


def _event(ctx: Ctx, p: Params, application_id: str, user: Record) -> Record:
    """The interview event the feedback is for, checked against the application and the user."""
    if "userId" not in p:
        raise InvalidInput(
            '"userId" is required with "interviewEventId": the interviewer giving feedback', "userId"
        )
    event = existing(ctx, "interviewEvent", p["interviewEventId"])
    schedule = ctx.store.get("interviewSchedule", str(event.get("interviewScheduleId")))
    if schedule is None or schedule.get("applicationId") != application_id:
        raise ApiError(
            "interview_event_not_found",
            f"Interview event {event.get('id')} is not an interview of application {application_id}.",
        )
    if user.get("id") not in _interviewer_ids(event):
        raise InvalidInput(f'"userId" must be an interviewer of interview event {event.get("id")}', "userId")
    return event


def _submit(ctx: Ctx, p: Params) -> bytes:
    form = validate_item(_FORM, p["feedbackForm"], "feedbackForm")
    with ctx.store.lock:
        application = existing(ctx, "application", p["applicationId"])
        definition = existing(ctx, "feedbackFormDefinition", p["formDefinitionId"])
        user = existing(ctx, "user", p["userId"]) if "userId" in p else api_user(ctx)
        event = _event(ctx, p, application["id"], user) if "interviewEventId" in p else None
        form_definition = definition.get("formDefinition") or {"sections": []}
        values = form_values(form["fieldSubmissions"], form_fields(form_definition))
        record: Record = {
            "id": str(uuid.uuid4()),
            "applicationId": application["id"],
            "formDefinition": form_definition,
            "submittedValues": values,
            "submittedByUser": public(user),
            "submittedAt": iso_ms(ctx.store.now_ms()),
            "feedbackFormDefinitionId": definition["id"],
        }
        if event is not None:
            record["interviewId"] = event.get("interviewId")
            record["interviewEventId"] = event["id"]
        rows = history(ctx, application["id"])
        if rows:
            record["applicationHistoryId"] = rows[-1]["id"]
        ctx.store.create(TABLE, record, stamped=False)
        if event is not None and not event.get("hasSubmittedFeedback"):
            ctx.store.update("interviewEvent", event["id"], {"hasSubmittedFeedback": True})
        instance = {key: record[key] for key in ("id", "formDefinition", "submittedValues")}
        return ok(dumps({"submittedFormInstance": instance}))


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "applicationFeedback.submit",
        "candidatesWrite",
        (
            Param("feedbackForm", "object", required=True),
            Param("formDefinitionId", "uuid", required=True),
            Param("applicationId", "uuid", required=True),
            Param("userId", "uuid"),
            Param("interviewEventId", "uuid"),
        ),
        _submit,
    ),
]

__all__ = ["ENDPOINTS", "form_fields", "form_values"]
