"""Application reads: applications, their history, evaluations and scorecards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..params import PAGED, SYNCED_CREATED, InvalidInput, Param
from ..store import Record, SortKey, Table, public
from .endpoint import Ctx, Endpoint, Params, dumps, not_found, ok
from .shapes import Accept, by_field, paged_list, plain

PERMISSION = "candidatesRead"
STATUSES = ("Active", "Archived", "Hired", "Lead")


def openings_for_job(ctx: Ctx, job_id: Any) -> list[Record]:
    """Openings whose latest version lists the job (``expand: ["openings"]``)."""
    table = ctx.store.table("opening")
    index = table.index("jobIds", lambda r: tuple((r.get("latestVersion") or {}).get("jobIds") or ()))
    return [public(table.rows[key[2]]) for key in index.get(job_id, [])]


def _job_id(record: Record) -> Any:
    job = record.get("job")
    return job.get("id") if isinstance(job, dict) else None


def _job_keys(_ctx: Ctx, table: Table, p: Params) -> list[SortKey] | None:
    if "jobId" not in p:
        return None
    return table.index("job.id", lambda r: (_job_id(r),)).get(p["jobId"], [])


def _status(_ctx: Ctx, p: Params) -> Accept | None:
    if "status" not in p:
        return None
    status = p["status"]
    return lambda record: record.get("status") == status


def _list_render(ctx: Ctx, table: Table, p: Params) -> Callable[[str], bytes]:
    if "openings" not in p.get("expand", ()):
        return table.json
    return lambda row_id: dumps(
        {**public(table.rows[row_id]), "openings": openings_for_job(ctx, _job_id(table.rows[row_id]))}
    )


def history(ctx: Ctx, application_id: str) -> list[Record]:
    """An application's history entries in order (stage number, then entry time), wire form."""
    table = ctx.store.table("applicationHistory")
    index = table.index("_applicationId", lambda r: (r.get("_applicationId"),))
    rows = [table.rows[key[2]] for key in index.get(application_id, [])]
    rows.sort(key=lambda r: (r.get("stageNumber", 0), str(r.get("enteredStageAt", ""))))
    return [public(r) for r in rows]


def _info(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        table = ctx.store.table("application")
        if "applicationId" in p:
            row_id = p["applicationId"]
        elif "submittedFormInstanceId" in p:
            index = table.index("_submittedFormInstanceId", lambda r: (r.get("_submittedFormInstanceId"),))
            keys = index.get(p["submittedFormInstanceId"])
            row_id = keys[0][2] if keys else ""
        else:
            raise InvalidInput(
                'Missing required parameter "applicationId" (or "submittedFormInstanceId")', "applicationId"
            )
        record = table.rows.get(row_id)
        if record is None:
            raise not_found("application_not_found", "Application")
        result = {**public(record), "applicationHistory": history(ctx, row_id)}
        expand = p.get("expand", ())
        if "openings" in expand:
            result["openings"] = openings_for_job(ctx, _job_id(record))
        if "applicationFormSubmissions" in expand:
            result["applicationFormSubmissions"] = record.get("_applicationFormSubmissions", [])
        if "referrals" in expand:
            result["referrals"] = record.get("_referrals", [])
        return ok(dumps(result))


def _hiring_team_roles(ctx: Ctx, _p: Params) -> list[bytes]:
    table = ctx.store.table("hiringTeamRole")
    return [
        dumps({"id": table.rows[k[2]].get("id"), "title": table.rows[k[2]].get("title")}) for k in table.keys
    ]


_APPLICATION_ID = Param("applicationId", "uuid", required=True)
_PARENT = ("application", "applicationId", "application_not_found")

ENDPOINTS: list[Endpoint] = [
    paged_list(
        "application.list",
        PERMISSION,
        "application",
        (
            *SYNCED_CREATED,
            Param("status", "enum", choices=STATUSES),
            Param("jobId", "uuid"),
            Param("expand", "enum_list", choices=("openings",)),
        ),
        sync=True,
        accept=_status,
        keys=_job_keys,
        render=_list_render,
    ),
    Endpoint(
        "application.info",
        PERMISSION,
        (
            Param("applicationId", "uuid"),
            Param("submittedFormInstanceId", "uuid"),
            Param("expand", "enum_list", choices=("openings", "applicationFormSubmissions", "referrals")),
        ),
        _info,
    ),
    paged_list(
        "application.listHistory",
        PERMISSION,
        "applicationHistory",
        (_APPLICATION_ID, *PAGED),
        sync=False,
        keys=by_field("_applicationId", "applicationId"),
        parent=_PARENT,
    ),
    paged_list(
        "application.listCriteriaEvaluations",
        PERMISSION,
        "criteriaEvaluation",
        (_APPLICATION_ID, *PAGED),
        sync=False,
        keys=by_field("applicationId", "applicationId"),
        parent=_PARENT,
    ),
    paged_list(
        "applicationFeedback.list",
        PERMISSION,
        "applicationFeedback",
        (*SYNCED_CREATED, Param("applicationId", "uuid")),
        sync=True,
        keys=by_field("applicationId", "applicationId"),
    ),
    plain("applicationHiringTeamRole.list", PERMISSION, (), _hiring_team_roles),
]

__all__ = ["ENDPOINTS", "STATUSES", "history", "openings_for_job"]
