"""Where an application stands: its job's interview plans and stages, its status, its history.

An application is always in one stage of one interview plan of its job, and its ``status`` follows
that stage's type: a Hired stage makes it ``Hired``, an Archived stage ``Archived`` (with an
``archiveReason`` and ``archivedAt``, which exist for archived applications only), a Lead stage
``Lead``, any other ``Active``. Every move adds a history entry (``stageNumber`` one past the last) and
closes the previous one (``leftStageAt``). The writes in ``application_writes`` go through here.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from ..params import InvalidInput, Param, validate_item
from ..store import Record, public
from .applications import history
from .endpoint import ApiError, Ctx
from .lookups import archive_reason, existing

STATUS_OF_STAGE = {"Lead": "Lead", "Archived": "Archived", "Hired": "Hired"}  # other types: Active
CLOSED_JOB_STATUSES = ("Closed", "Archived")
ALLOWED_ACTIONS = ("delete", "set_entered_at")
HISTORY_TABLE = "applicationHistory"
HISTORY_ITEM = (
    Param("stageId", "uuid", required=True),
    Param("stageNumber", "int", required=True),
    Param("enteredStageAt", "iso", required=True),
    Param("archiveReasonId", "uuid"),
    Param("applicationHistoryId", "uuid"),
)


def status_of(stage: Record) -> str:
    return STATUS_OF_STAGE.get(str(stage.get("type")), "Active")


def plan_of(application: Record) -> Any:
    stage = application.get("currentInterviewStage")
    return stage.get("interviewPlanId") if isinstance(stage, dict) else None


def open_job(ctx: Ctx, job_id: str) -> Record:
    """The job, if it takes applications (Closed and Archived jobs do not)."""
    job = existing(ctx, "job", job_id)
    if job.get("status") in CLOSED_JOB_STATUSES:
        raise ApiError(
            "job_closed",
            f"Job {job_id} is {job.get('status')} and takes no applications; reopen it or pick an open job.",
            meta={"jobStatus": job.get("status")},
        )
    return job


def job_plan(ctx: Ctx, job: Record, plan_id: str | None) -> str:
    """``plan_id`` if it is one of the job's interview plans; the job's default plan when None."""
    if plan_id is None:
        default = job.get("defaultInterviewPlanId")
        if not isinstance(default, str):
            raise ApiError("interview_plan_not_found", f"Job {job.get('id')} has no default interview plan.")
        return default
    existing(ctx, "interviewPlan", plan_id)
    if plan_id != job.get("defaultInterviewPlanId") and plan_id not in (job.get("interviewPlanIds") or []):
        raise ApiError(
            "interview_plan_not_found",
            f"Interview plan {plan_id} is not a plan of job {job.get('id')}; "
            "jobInterviewPlan.info lists the job's plan.",
        )
    return plan_id


def plan_stages(ctx: Ctx, plan_id: str) -> list[Record]:
    """The plan's stages in plan order."""
    table = ctx.store.table("interviewStage")
    keys = table.index("interviewPlanId", lambda r: (r.get("interviewPlanId"),)).get(plan_id, [])
    return sorted((table.rows[key[2]] for key in keys), key=lambda s: s.get("orderInInterviewPlan") or 0)


def stage_in_plan(ctx: Ctx, stage_id: str, plan_id: Any) -> Record:
    """The stage, if it belongs to ``plan_id``; a stage of another plan is not found in this one."""
    stage = existing(ctx, "interviewStage", stage_id)
    if stage.get("interviewPlanId") != plan_id:
        raise ApiError(
            "interview_stage_not_found",
            f"Interview stage {stage_id} is not a stage of the interview plan {plan_id}; "
            "interviewStage.list lists the plan's stages.",
        )
    return stage


def no_other_application(ctx: Ctx, candidate: Record, job_id: str, own_id: str | None = None) -> None:
    """Refuse a second application of the candidate to a job while one is not archived."""
    for application_id in candidate.get("applicationIds") or []:
        other = ctx.store.get("application", application_id)
        job = (other or {}).get("job")
        if (
            other is not None
            and application_id != own_id
            and isinstance(job, dict)
            and job.get("id") == job_id
            and other.get("status") != "Archived"
        ):
            raise ApiError(
                "application_already_exists",
                f"The candidate already has an application to job {job_id} ({application_id}); "
                "move it with application.changeStage instead.",
                meta={"applicationId": application_id},
            )


def standing(stage: Record, reason: Record | None, at: str) -> tuple[Record, tuple[str, ...]]:
    """(fields, keys to drop) putting an application in ``stage``; ``reason`` only for Archived."""
    status = status_of(stage)
    fields: Record = {
        "status": status,
        "currentInterviewStage": public(stage),
        "archiveReason": archive_reason(reason) if reason is not None and status == "Archived" else None,
    }
    if status == "Archived":
        fields["archivedAt"] = at
        return fields, ()
    return fields, ("archivedAt",)


def archive_rule(stage: Record, reason_id: str | None, where: str) -> None:
    """Archived stages need an archive reason; other stages take none."""
    if stage.get("type") == "Archived" and reason_id is None:
        raise InvalidInput(f'"{where}" is required for a stage of type Archived', where)
    if stage.get("type") != "Archived" and reason_id is not None:
        raise InvalidInput(f'"{where}" is only allowed for a stage of type Archived', where)


@dataclass(frozen=True)
class Entry:
    """One validated ``applicationHistory`` item."""

    stage: Record
    entered_at: str
    reason: Record | None
    history_id: str | None


def history_entries(ctx: Ctx, items: list[Any], plan_id: Any, where: str) -> list[Entry]:
    """Validated history items in ``stageNumber`` order: stages of ``plan_id``, numbers exactly
    0..n-1, entry times that do not go back, an archive reason on (new) Archived entries only."""
    parsed: list[tuple[int, Entry]] = []
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        fields = validate_item(HISTORY_ITEM, item, at)
        stage = stage_in_plan(ctx, fields["stageId"], plan_id)
        reason_id = fields.get("archiveReasonId")
        if "applicationHistoryId" not in fields or reason_id is not None:
            archive_rule(stage, reason_id, f"{at}.archiveReasonId")
        reason = existing(ctx, "archiveReason", reason_id) if reason_id else None
        entry = Entry(stage, fields["enteredStageAt"], reason, fields.get("applicationHistoryId"))
        parsed.append((fields["stageNumber"], entry))
    parsed.sort(key=lambda pair: pair[0])
    if [number for number, _entry in parsed] != list(range(len(parsed))):
        raise InvalidInput(
            f'"{where}" stage numbers must be 0, 1, ... {len(parsed) - 1}, each once (0 is the first entry)',
            where,
        )
    entries = [entry for _number, entry in parsed]
    for number, (before, after) in enumerate(itertools.pairwise(entries), 1):
        if after.entered_at < before.entered_at:
            raise InvalidInput(
                f'"{where}": the entry with stageNumber {number} entered its stage before the one before it',
                where,
            )
    return entries


def history_row(application_id: str, entry: Entry, number: int, actor_id: Any) -> Record:
    """A new history entry in its stored form (``_applicationId`` ties it to its application)."""
    return {
        "id": str(uuid.uuid4()),
        "stageId": entry.stage.get("id"),
        "title": entry.stage.get("title"),
        "stageNumber": number,
        "enteredStageAt": entry.entered_at,
        "allowedActions": list(ALLOWED_ACTIONS),
        "actorId": actor_id,
        "_applicationId": application_id,
    }


def enter_stage(ctx: Ctx, application_id: str, stage: Record, at: str, actor_id: Any) -> None:
    """Close the current history entry and open one for ``stage``."""
    rows = history(ctx, application_id)
    if rows:
        ctx.store.update(HISTORY_TABLE, rows[-1]["id"], {"leftStageAt": at})
    row = history_row(application_id, Entry(stage, at, None, None), len(rows), actor_id)
    ctx.store.create(HISTORY_TABLE, row, stamped=False)


__all__ = [
    "ALLOWED_ACTIONS",
    "HISTORY_TABLE",
    "Entry",
    "archive_rule",
    "enter_stage",
    "history_entries",
    "history_row",
    "job_plan",
    "no_other_application",
    "open_job",
    "plan_of",
    "plan_stages",
    "stage_in_plan",
    "standing",
    "status_of",
]
