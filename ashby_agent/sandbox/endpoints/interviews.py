"""Interviews module reads: plans, stages, interviews, schedules and their events."""

from __future__ import annotations

from collections.abc import Callable

from ..params import INCLUDE_ARCHIVED, SYNCED, SYNCED_CREATED, Param
from ..store import Dataset, Record, Table, public
from .endpoint import Ctx, Endpoint, Params, dumps, not_found
from .shapes import Accept, by_field, info, paged_list, plain, table_rows

PERMISSION = "interviewsRead"


def derive_events(dataset: Dataset) -> None:
    """Give ``interviewEvent.list`` its own table (change-tracked) when the dataset only embeds events."""
    if "interviewEvent" in dataset:
        return
    events: list[Record] = []
    for schedule in dataset.get("interviewSchedule", []):
        for event in schedule.get("interviewEvents") or []:
            events.append({"interviewScheduleId": schedule.get("id"), **event})
    dataset["interviewEvent"] = events


def _plans(ctx: Ctx, p: Params) -> Accept:
    """Draft plans (``_isDraft``) are never listed; archived ones only with ``includeArchived``."""
    archived = bool(p.get("includeArchived")) or ctx.delta
    return lambda r: not r.get("_isDraft") and (archived or not r.get("isArchived"))


def _stages(ctx: Ctx, p: Params) -> list[bytes]:
    plan_id = p["interviewPlanId"]
    if plan_id not in ctx.store.table("interviewPlan").rows:
        raise not_found("interview_plan_not_found", "Interview plan")
    table = ctx.store.table("interviewStage")
    keys = table.index("interviewPlanId", lambda r: (r.get("interviewPlanId"),)).get(plan_id, [])
    ordered = sorted(keys, key=lambda k: table.rows[k[2]].get("orderInInterviewPlan", 0))
    return [table.json(k[2]) for k in ordered]


def _interviews(ctx: Ctx, p: Params) -> Accept | None:
    """Job-specific interviews (``jobId`` set) need ``includeNonSharedInterviews``."""
    archived = bool(p.get("includeArchived")) or ctx.delta
    non_shared = bool(p.get("includeNonSharedInterviews"))
    if archived and non_shared:
        return None
    return lambda r: (archived or not r.get("isArchived")) and (non_shared or not r.get("jobId"))


def _schedule_accept(_ctx: Ctx, p: Params) -> Accept | None:
    if "interviewStageId" not in p:
        return None
    stage_id = p["interviewStageId"]
    return lambda r: r.get("interviewStageId") == stage_id


def _event_render(ctx: Ctx, table: Table, p: Params) -> Callable[[str], bytes]:
    if "interview" not in p.get("expand", ()):
        return table.json
    interviews = ctx.store.table("interview").rows

    def one(row_id: str) -> bytes:
        event = public(table.rows[row_id])
        interview = interviews.get(str(event.get("interviewId")))
        return dumps({**event, "interview": public(interview) if interview else None})

    return one


ENDPOINTS: list[Endpoint] = [
    paged_list(
        "interviewPlan.list",
        PERMISSION,
        "interviewPlan",
        (*SYNCED, INCLUDE_ARCHIVED),
        sync=True,
        accept=_plans,
    ),
    plain(
        "interviewStage.list",
        PERMISSION,
        (Param("interviewPlanId", "uuid", required=True),),
        _stages,
        more_false=True,
    ),
    info(
        "interviewStage.info", PERMISSION, "interviewStage", "interviewStageId", "interview_stage_not_found"
    ),
    plain("interviewStageGroup.list", PERMISSION, (), lambda ctx, _p: table_rows(ctx, "interviewStageGroup")),
    paged_list(
        "interview.list",
        PERMISSION,
        "interview",
        (
            *SYNCED,
            INCLUDE_ARCHIVED,
            Param("includeNonSharedInterviews", "bool"),
            Param("excludeArchivedScheduleTemplateInterviews", "bool"),
        ),
        sync=True,
        accept=_interviews,
    ),
    info("interview.info", PERMISSION, "interview", "id", "interview_not_found"),
    paged_list(
        "interviewSchedule.list",
        PERMISSION,
        "interviewSchedule",
        (*SYNCED_CREATED, Param("applicationId", "uuid"), Param("interviewStageId", "uuid")),
        sync=True,
        accept=_schedule_accept,
        keys=by_field("applicationId", "applicationId"),
    ),
    paged_list(
        "interviewEvent.list",
        PERMISSION,
        "interviewEvent",
        (
            Param("interviewScheduleId", "uuid", required=True),
            *SYNCED_CREATED,
            Param("expand", "enum_list", choices=("interview",)),
        ),
        sync=True,
        keys=by_field("interviewScheduleId", "interviewScheduleId"),
        render=_event_render,
        parent=("interviewSchedule", "interviewScheduleId", "interview_schedule_not_found"),
        strict_schema=True,
    ),
]

__all__ = ["ENDPOINTS", "derive_events"]
