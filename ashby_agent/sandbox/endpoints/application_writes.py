"""Application writes under ``candidatesWrite``: create, stage and source changes (both spellings),
update, transfer, history, hiring team, delete.

Each answers the Application as the write left it (``updateHistory`` adds its ``applicationHistory``;
the hiring-team writes answer the HiringTeamMember; ``delete`` ``{applicationId}``). A write that
changes nothing (the current stage again, the same source) writes nothing. The webhook events follow
from the store's change listener: a new application is ``applicationSubmit``, a change
``applicationUpdate``, a stage move adds ``candidateStageChange`` and a hire ``candidateHire``.
"""

from __future__ import annotations

import itertools
import uuid

from ..merges import candidate_summary
from ..params import InvalidInput, Param, is_uuid, validate_item
from ..store import Record, iso_ms, public
from .application_stages import (
    HISTORY_TABLE,
    Entry,
    archive_rule,
    enter_stage,
    history_entries,
    history_row,
    job_plan,
    no_other_application,
    open_job,
    plan_of,
    plan_stages,
    stage_in_plan,
    standing,
)
from .applications import history
from .endpoint import ApiError, Ctx, Endpoint, Handler, Params, dumps, ok
from .lookups import api_user, archive_reason, existing, hiring_team_member

WRITE = "candidatesWrite"
FIRST_PRE_INTERVIEW_SCREEN = "FirstPreInterviewScreen"
JOB_SUMMARY_KEYS = ("id", "title", "locationId", "departmentId", "brandId")
TABLE = "application"
_APPLICATION_ID = Param("applicationId", "uuid", required=True)
_ARCHIVE_EMAIL = (Param("communicationTemplateId", "uuid", required=True), Param("sendAt", "iso"))


def _answer(ctx: Ctx, application_id: str) -> bytes:
    return ok(ctx.store.table(TABLE).json(application_id))


def _job_summary(job: Record) -> Record:
    """The ``job`` an application embeds (``brandId`` only when the job has one)."""
    return {key: job[key] for key in JOB_SUMMARY_KEYS if isinstance(job.get(key), str)}


def _embedded(ctx: Ctx, table: str, row_id: str | None) -> Record | None:
    return None if row_id is None else public(existing(ctx, table, row_id))


def _now(ctx: Ctx) -> str:
    return iso_ms(ctx.store.now_ms())


def _move(ctx: Ctx, application: Record, stage: Record, reason: Record | None, extra: Record) -> None:
    """Put the application in ``stage`` now: a history entry, the status and archive fields, all at
    one instant (the entry's ``enteredStageAt`` is the application's ``updatedAt``)."""
    now = _now(ctx)
    application_id = str(application["id"])
    enter_stage(ctx, application_id, stage, now, api_user(ctx).get("id"))
    fields, drop = standing(stage, reason, now)
    ctx.store.update(TABLE, application_id, {**extra, **fields, "updatedAt": now}, drop=drop)


# -- create -----------------------------------------------------------------------------------------
def _first_stage(ctx: Ctx, plan_id: str, wanted: str | None) -> Record:
    """The stage ``interviewStageId`` names: a stage id, ``FirstPreInterviewScreen``, or by default
    the plan's first Lead stage (its first stage if it has none)."""
    if wanted is not None and wanted != FIRST_PRE_INTERVIEW_SCREEN:
        if not is_uuid(wanted):
            raise InvalidInput(
                f'"interviewStageId" must be a UUID or "{FIRST_PRE_INTERVIEW_SCREEN}", got {wanted!r}',
                "interviewStageId",
            )
        return stage_in_plan(ctx, wanted.lower(), plan_id)
    stages = plan_stages(ctx, plan_id)
    kind = "PreInterviewScreen" if wanted == FIRST_PRE_INTERVIEW_SCREEN else "Lead"
    found = next((s for s in stages if s.get("type") == kind), None)
    if found is None and wanted is None and stages:
        found = stages[0]
    if found is None:
        raise ApiError(
            "interview_stage_not_found",
            f"Interview plan {plan_id} has no {kind} stage; pass interviewStageId.",
        )
    return found


def _create(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        now = _now(ctx)
        candidate = existing(ctx, "candidate", p["candidateId"])
        job = open_job(ctx, p["jobId"])
        plan_id = job_plan(ctx, job, p.get("interviewPlanId"))
        source = _embedded(ctx, "source", p.get("sourceId")) if "sourceId" in p else candidate.get("source")
        credited = candidate.get("creditedToUser")
        if "creditedToUserId" in p:
            credited = _embedded(ctx, "user", p["creditedToUserId"])
        entries = history_entries(ctx, p.get("applicationHistory", []), plan_id, "applicationHistory")
        if not entries:
            stage = _first_stage(ctx, plan_id, p.get("interviewStageId"))
            # an application that starts archived needs a reason, which only a history entry carries
            archive_rule(stage, None, "applicationHistory")
            entries = [Entry(stage, p.get("createdAt") or now, None, None)]
        elif (
            "interviewStageId" in p
            and _first_stage(ctx, plan_id, p["interviewStageId"])["id"] != (entries[-1].stage["id"])
        ):
            raise InvalidInput(
                '"interviewStageId" must be the stage of the last applicationHistory entry',
                "interviewStageId",
            )
        no_other_application(ctx, candidate, job["id"])
        current = entries[-1]
        standing_fields, _drop = standing(current.stage, current.reason, current.entered_at)
        record: Record = {
            "id": str(uuid.uuid4()),
            "createdAt": p.get("createdAt") or entries[0].entered_at,
            "updatedAt": now,
            "status": standing_fields["status"],
            "candidate": candidate_summary(candidate),
            "currentInterviewStage": standing_fields["currentInterviewStage"],
            "job": _job_summary(job),
            "hiringTeam": list(job.get("hiringTeam") or []),
            "customFields": [],
            "source": source,
            "archiveReason": standing_fields["archiveReason"],
        }
        if "archivedAt" in standing_fields:
            record["archivedAt"] = standing_fields["archivedAt"]
        record.update(creditedToUser=credited, submitterClientIp=None, submitterUserAgent=None)
        application_id = record["id"]
        actor = api_user(ctx).get("id")
        rows = [history_row(application_id, entry, n, actor) for n, entry in enumerate(entries)]
        for row, following in itertools.pairwise(rows):
            row["leftStageAt"] = following["enteredStageAt"]
        for row in rows:
            ctx.store.create(HISTORY_TABLE, row, stamped=False)
        ctx.store.create(TABLE, record)
        ids = [*(candidate.get("applicationIds") or []), application_id]
        ctx.store.update("candidate", candidate["id"], {"applicationIds": ids})
        return _answer(ctx, application_id)


# -- stage, source, fields --------------------------------------------------------------------------
def _change_stage(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        application = existing(ctx, TABLE, p["applicationId"])
        stage = stage_in_plan(ctx, p["interviewStageId"], plan_of(application))
        reason_id = p.get("archiveReasonId")
        if stage.get("type") != "Archived" and "archiveEmail" in p:
            raise InvalidInput('"archiveEmail" is only allowed for a stage of type Archived', "archiveEmail")
        archive_rule(stage, reason_id, "archiveReasonId")
        reason = existing(ctx, "archiveReason", reason_id) if reason_id else None
        if "archiveEmail" in p:
            email = validate_item(_ARCHIVE_EMAIL, p["archiveEmail"], "archiveEmail")
            template = existing(ctx, "communicationTemplate", email["communicationTemplateId"])
            if template.get("isArchived"):
                raise ApiError(
                    "communication_template_not_allowed",
                    f"Communication template {template.get('id')} is archived; pick an active one.",
                )
        if (application.get("currentInterviewStage") or {}).get("id") != stage.get("id"):
            _move(ctx, application, stage, reason, {})
        elif reason is not None and (application.get("archiveReason") or {}).get("id") != reason.get("id"):
            ctx.store.update(TABLE, application["id"], {"archiveReason": archive_reason(reason)})
        return _answer(ctx, application["id"])


def _change_source(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        application = existing(ctx, TABLE, p["applicationId"])
        source = _embedded(ctx, "source", p["sourceId"])
        if application.get("source") != source:
            ctx.store.update(TABLE, application["id"], {"source": source})
        return _answer(ctx, application["id"])


def _update(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        application = existing(ctx, TABLE, p["applicationId"])
        fields: Record = {}
        if "sourceId" in p:
            fields["source"] = _embedded(ctx, "source", p["sourceId"])
        if "creditedToUserId" in p:
            fields["creditedToUser"] = _embedded(ctx, "user", p["creditedToUserId"])
        if "createdAt" in p:
            fields["createdAt"] = p["createdAt"]
        changed = {key: value for key, value in fields.items() if application.get(key) != value}
        if changed:
            ctx.store.update(TABLE, application["id"], changed)
        return _answer(ctx, application["id"])


def _transfer(ctx: Ctx, p: Params) -> bytes:
    """Move the application to another job's plan and stage; its hiring team becomes the job's."""
    with ctx.store.lock:
        application = existing(ctx, TABLE, p["applicationId"])
        job = open_job(ctx, p["jobId"])
        plan_id = job_plan(ctx, job, p["interviewPlanId"])
        stage = stage_in_plan(ctx, p["interviewStageId"], plan_id)
        if stage.get("type") == "Archived":
            raise InvalidInput(
                '"interviewStageId" cannot be an Archived stage: transfer, then archive with '
                "application.changeStage and an archiveReasonId",
                "interviewStageId",
            )
        candidate_id = (application.get("candidate") or {}).get("id")
        candidate = ctx.store.get("candidate", str(candidate_id))
        if candidate is not None and job["id"] != (application.get("job") or {}).get("id"):
            no_other_application(ctx, candidate, job["id"], own_id=application["id"])
        extra = {"job": _job_summary(job), "hiringTeam": list(job.get("hiringTeam") or [])}
        if (application.get("currentInterviewStage") or {}).get("id") != stage["id"] or any(
            application.get(key) != value for key, value in extra.items()
        ):
            _move(ctx, application, stage, None, extra)
        return _answer(ctx, application["id"])


# -- history ----------------------------------------------------------------------------------------
def _update_history(ctx: Ctx, p: Params) -> bytes:
    """Replace the whole history: entries with an ``applicationHistoryId`` keep their event (their
    stage cannot change; their time only if ``set_entered_at`` is allowed), the others are new, and
    events left out are deleted (only if ``delete`` is allowed). The last entry is the current stage."""
    with ctx.store.lock:
        application = existing(ctx, TABLE, p["applicationId"])
        application_id = application["id"]
        entries = history_entries(ctx, p["applicationHistory"], plan_of(application), "applicationHistory")
        stored = {row["id"]: row for row in history(ctx, application_id)}
        kept = _check_kept(entries, stored)
        for row_id, row in stored.items():
            if row_id not in kept and "delete" not in (row.get("allowedActions") or []):
                raise InvalidInput(
                    f'"applicationHistory" leaves out the history event {row_id}, which cannot be deleted',
                    "applicationHistory",
                )
        current = entries[-1]
        reason = current.reason or _current_reason(ctx, application)
        if reason is None and current.stage.get("type") == "Archived":
            raise InvalidInput(
                '"applicationHistory": the last entry is an Archived stage; give it an archiveReasonId',
                "applicationHistory",
            )
        actor = api_user(ctx).get("id")
        for row_id in stored.keys() - kept:
            ctx.store.delete(HISTORY_TABLE, row_id)
        for number, entry in enumerate(entries):
            following = entries[number + 1].entered_at if number + 1 < len(entries) else None
            left: Record = {} if following is None else {"leftStageAt": following}
            drop = ("leftStageAt",) if following is None else ()
            if entry.history_id is None:
                row = {**history_row(application_id, entry, number, actor), **left}
                ctx.store.create(HISTORY_TABLE, row, stamped=False)
            else:
                fields = {"stageNumber": number, "enteredStageAt": entry.entered_at, **left}
                ctx.store.update(HISTORY_TABLE, entry.history_id, fields, drop=drop)
        fields, drop_fields = standing(current.stage, reason, current.entered_at)
        ctx.store.update(TABLE, application_id, fields, drop=drop_fields)
        record = {**public(ctx.store.table(TABLE).rows[application_id])}
        record["applicationHistory"] = history(ctx, application_id)
        return ok(dumps(record))


def _current_reason(ctx: Ctx, application: Record) -> Record | None:
    """The archive reason of an archived application (None otherwise)."""
    reason = application.get("archiveReason")
    if application.get("status") != "Archived" or not isinstance(reason, dict):
        return None
    return ctx.store.get("archiveReason", str(reason.get("id")))


def _check_kept(entries: list[Entry], stored: dict[str, Record]) -> set[str]:
    """The stored events the new history keeps, after checking what may change about them."""
    kept: set[str] = set()
    for entry in entries:
        row_id = entry.history_id
        if row_id is None:
            continue
        row = stored.get(row_id)
        if row is None or row_id in kept:
            problem = "is not a history event of this application" if row is None else "appears twice"
            raise InvalidInput(
                f'"applicationHistory": applicationHistoryId {row_id} {problem}', "applicationHistory"
            )
        if row.get("stageId") != entry.stage.get("id"):
            raise InvalidInput(
                f'"applicationHistory": the stage of history event {row_id} cannot change; '
                "leave the event out (to delete it) and add a new entry",
                "applicationHistory",
            )
        if row.get("enteredStageAt") != entry.entered_at and "set_entered_at" not in (
            row.get("allowedActions") or []
        ):
            raise InvalidInput(
                f'"applicationHistory": the entry time of history event {row_id} cannot be changed',
                "applicationHistory",
            )
        kept.add(row_id)
    return kept


# -- hiring team, delete ----------------------------------------------------------------------------
def _team_member(ctx: Ctx, p: Params) -> tuple[Record, Record, list[Record]]:
    application = existing(ctx, TABLE, p["applicationId"])
    member = hiring_team_member(
        existing(ctx, "user", p["teamMemberId"]), existing(ctx, "hiringTeamRole", p["roleId"])
    )
    others = [
        m
        for m in application.get("hiringTeam") or []
        if not (m.get("userId") == member["userId"] and m.get("role") == member["role"])
    ]
    return application, member, others


def _add_team_member(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        application, member, others = _team_member(ctx, p)
        if len(others) == len(application.get("hiringTeam") or []):
            ctx.store.update(TABLE, application["id"], {"hiringTeam": [*others, member]})
        return ok(dumps(member))


def _remove_team_member(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        application, member, others = _team_member(ctx, p)
        if len(others) != len(application.get("hiringTeam") or []):
            ctx.store.update(TABLE, application["id"], {"hiringTeam": others})
        return ok(dumps(member))


def _delete(ctx: Ctx, p: Params) -> bytes:
    """Remove the application and its history; the candidate no longer lists it."""
    with ctx.store.lock:
        application = existing(ctx, TABLE, p["applicationId"])
        application_id = application["id"]
        for row in history(ctx, application_id):
            ctx.store.delete(HISTORY_TABLE, row["id"])
        ctx.store.delete(TABLE, application_id)
        candidate = ctx.store.get("candidate", str((application.get("candidate") or {}).get("id")))
        if candidate is not None and application_id in (candidate.get("applicationIds") or []):
            ids = [i for i in candidate["applicationIds"] if i != application_id]
            ctx.store.update("candidate", candidate["id"], {"applicationIds": ids})
        return ok(dumps({"applicationId": application_id}))


def _both_spellings(name: str, alias: str, params: tuple[Param, ...], handler: Handler) -> list[Endpoint]:
    """Ashby serves these under a camelCase name and its deprecated snake_case alias, identically."""
    return [Endpoint(name, WRITE, params, handler), Endpoint(alias, WRITE, params, handler)]


_TEAM = (
    _APPLICATION_ID,
    Param("teamMemberId", "uuid", required=True),
    Param("roleId", "uuid", required=True),
)

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "application.create",
        WRITE,
        (
            Param("candidateId", "uuid", required=True),
            Param("jobId", "uuid", required=True),
            Param("interviewPlanId", "uuid"),
            Param("interviewStageId", "str"),
            Param("sourceId", "uuid"),
            Param("creditedToUserId", "uuid"),
            Param("createdAt", "iso"),
            Param("applicationHistory", "object_list", min_items=1),
        ),
        _create,
    ),
    *_both_spellings(
        "application.changeStage",
        "application.change_stage",
        (
            _APPLICATION_ID,
            Param("interviewStageId", "uuid", required=True),
            Param("archiveReasonId", "uuid"),
            Param("archiveEmail", "object"),
        ),
        _change_stage,
    ),
    *_both_spellings(
        "application.changeSource",
        "application.change_source",
        (_APPLICATION_ID, Param("sourceId", "uuid", required=True, nullable=True)),
        _change_source,
    ),
    Endpoint(
        "application.update",
        WRITE,
        (
            _APPLICATION_ID,
            Param("sourceId", "uuid"),
            Param("creditedToUserId", "uuid"),
            Param("createdAt", "iso"),
            Param("sendNotifications", "bool"),
        ),
        _update,
    ),
    Endpoint(
        "application.transfer",
        WRITE,
        (
            _APPLICATION_ID,
            Param("jobId", "uuid", required=True),
            Param("interviewPlanId", "uuid", required=True),
            Param("interviewStageId", "uuid", required=True),
            Param("startAutomaticActivities", "bool"),
        ),
        _transfer,
    ),
    Endpoint(
        "application.updateHistory",
        WRITE,
        (_APPLICATION_ID, Param("applicationHistory", "object_list", required=True, min_items=1)),
        _update_history,
    ),
    Endpoint("application.addHiringTeamMember", WRITE, _TEAM, _add_team_member),
    Endpoint("application.removeHiringTeamMember", WRITE, _TEAM, _remove_team_member),
    Endpoint("application.delete", WRITE, (_APPLICATION_ID,), _delete),
]

__all__ = ["ENDPOINTS", "FIRST_PRE_INTERVIEW_SCREEN"]
