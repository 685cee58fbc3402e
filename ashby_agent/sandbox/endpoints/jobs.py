"""Jobs module reads: jobs, postings, boards, templates, interview plans, openings."""

from __future__ import annotations

from collections.abc import Callable

from ..params import SYNCED, SYNCED_CREATED, InvalidInput, Param
from ..store import Record, Table, iso_ms, public
from .applications import openings_for_job
from .endpoint import Ctx, Endpoint, Params, dumps, not_found, ok
from .shapes import Accept, info, paged_list, plain, table_rows

PERMISSION = "jobsRead"
JOB_STATUSES = ("Draft", "Open", "Closed", "Archived")
DEFAULT_JOB_STATUSES = ("Open", "Closed", "Archived")  # Draft only when asked for
SUMMARY_FIELDS = (
    "id", "title", "jobId", "departmentName", "teamName", "locationName", "locationExternalName",
    "locationIds", "workplaceType", "employmentType", "isListed", "publishedDate", "applicationDeadline",
    "externalLink", "applyLink", "compensationTierSummary", "shouldDisplayCompensationOnJobBoard",
    "updatedAt",
)  # fmt: skip


def is_published(posting: Record) -> bool:
    """Generator marks unpublished postings with ``_isPublished: false``; default published."""
    return bool(posting.get("_isPublished", posting.get("isPublished", True)))


def _summary(record: Record) -> Record:
    return {name: record[name] for name in SUMMARY_FIELDS if name in record}


def _job_accept(_ctx: Ctx, p: Params) -> Accept:
    statuses = set(p.get("status") or DEFAULT_JOB_STATUSES)
    bounds = [
        (field, op, iso_ms(p[name]))
        for name, field, op in (
            ("openedAfter", "openedAt", ">"),
            ("openedBefore", "openedAt", "<"),
            ("closedAfter", "closedAt", ">"),
            ("closedBefore", "closedAt", "<"),
        )
        if name in p
    ]

    def accept(record: Record) -> bool:
        if record.get("status") not in statuses:
            return False
        for field, op, iso in bounds:
            value = record.get(field)
            if not isinstance(value, str) or (value <= iso if op == ">" else value >= iso):
                return False
        return True

    return accept


def _job_view(ctx: Ctx, record: Record, p: Params) -> Record:
    job = public(record)
    if not p.get("includeUnpublishedJobPostingsIds"):
        postings = ctx.store.table("jobPosting").rows
        job["jobPostingIds"] = [
            pid for pid in job.get("jobPostingIds") or [] if pid in postings and is_published(postings[pid])
        ]
    expand = p.get("expand", ())
    if "location" in expand:
        location = ctx.store.table("location").rows.get(str(record.get("locationId")))
        job["location"] = public(location) if location else None
    if "openings" in expand:
        job["openings"] = openings_for_job(ctx, record.get("id"))
    if "compensation" in expand:
        job["compensation"] = (
            record.get("compensation") or record.get("_compensation") or {"compensationTiers": []}
        )
    return job


def _job_render(ctx: Ctx, table: Table, p: Params) -> Callable[[str], bytes]:
    return lambda row_id: dumps(_job_view(ctx, table.rows[row_id], p))


def _job_info(ctx: Ctx, table: Table, row_id: str, p: Params) -> bytes:
    return dumps(_job_view(ctx, table.rows[row_id], p))


def _job_search(ctx: Ctx, p: Params) -> list[bytes]:
    if "title" not in p and "requisitionId" not in p:
        raise InvalidInput('Provide "title" or "requisitionId"', "title")
    title = p.get("title", "").lower()
    requisition = p.get("requisitionId")

    def accept(record: Record) -> bool:
        if requisition is not None and record.get("customRequisitionId") != requisition:
            return False
        return title in str(record.get("title", "")).lower()

    return table_rows(ctx, "job", accept, limit=100)


def _default_board(ctx: Ctx) -> str | None:
    boards = ctx.store.table("jobBoard")
    for key in boards.keys:
        if not boards.rows[key[2]].get("isInternal"):
            return key[2]
    return None


def _postings(ctx: Ctx, p: Params) -> list[bytes]:
    """Published postings (listed and unlisted) of one board, summary projection, not paginated."""
    board = p.get("jobBoardId") or _default_board(ctx)

    def accept(r: Record) -> bool:
        if not is_published(r) or (p.get("listedOnly") and not r.get("isListed")):
            return False
        if "location" in p and r.get("locationName") != p["location"]:
            return False
        if "department" in p and r.get("departmentName") != p["department"]:
            return False
        boards = r.get("_jobBoardIds")
        return board is None or boards is None or board in boards

    table = ctx.store.table("jobPosting")
    rows = [k[2] for k in table.keys if accept(table.rows[k[2]])]
    if _is_internal(ctx, board):  # internal boards have no public page: externalLink is null
        return [table.json(row_id, _internal_summary, "internal") for row_id in rows]
    return [table.json(row_id, _summary, "summary") for row_id in rows]


def _is_internal(ctx: Ctx, board_id: str | None) -> bool:
    board = ctx.store.table("jobBoard").rows.get(board_id) if board_id else None
    return bool(board and board.get("isInternal"))


def _internal_summary(record: Record) -> Record:
    return {**_summary(record), "externalLink": None}


def _posting_info(ctx: Ctx, table: Table, row_id: str, p: Params) -> bytes:
    internal = _is_internal(ctx, p.get("jobBoardId"))
    if "job" not in p.get("expand", ()) and not internal:
        return table.json(row_id)
    posting = public(table.rows[row_id])
    if internal:
        posting["externalLink"] = None
    if "job" not in p.get("expand", ()):
        return dumps(posting)
    job = ctx.store.table("job").rows.get(str(posting.get("jobId")))
    return dumps({**posting, "job": _job_view(ctx, job, {}) if job else None})


def _template_render(ctx: Ctx, table: Table, p: Params) -> Callable[[str], bytes]:
    if "location" not in p.get("expand", ()):
        return table.json
    locations = ctx.store.table("location").rows

    def one(row_id: str) -> bytes:
        record = public(table.rows[row_id])
        location = locations.get(str(record.get("locationId")))
        return dumps({**record, "location": public(location) if location else None})

    return one


def _job_interview_plan(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        if p["jobId"] not in ctx.store.table("job").rows:
            raise not_found("job_not_found", "Job")
        table = ctx.store.table("jobInterviewPlan")
        keys = table.index("jobId", lambda r: (r.get("jobId"),)).get(p["jobId"])
        if not keys:
            raise not_found("job_interview_plan_not_found", "Job interview plan")
        return ok(table.json(keys[0][2]))


def _opening_search(ctx: Ctx, p: Params) -> list[bytes]:
    identifier = p["identifier"]
    return table_rows(
        ctx, "opening", lambda r: (r.get("latestVersion") or {}).get("identifier") == identifier, limit=100
    )


_EXPAND_JOB = Param("expand", "enum_list", choices=("location", "openings", "compensation"))
_UNPUBLISHED = Param("includeUnpublishedJobPostingsIds", "bool")

ENDPOINTS: list[Endpoint] = [
    paged_list(
        "job.list",
        PERMISSION,
        "job",
        (
            *SYNCED_CREATED,
            Param("status", "enum_list", choices=JOB_STATUSES),
            Param("openedAfter", "timestamp"),
            Param("openedBefore", "timestamp"),
            Param("closedAfter", "timestamp"),
            Param("closedBefore", "timestamp"),
            _UNPUBLISHED,
            Param("expand", "enum_list", choices=("location", "openings")),
        ),
        sync=True,
        accept=_job_accept,
        render=_job_render,
    ),
    info(
        "job.info",
        PERMISSION,
        "job",
        "id",
        "job_not_found",
        extra=(_UNPUBLISHED, _EXPAND_JOB),
        render=_job_info,
    ),
    plain("job.search", PERMISSION, (Param("title", "str"), Param("requisitionId", "str")), _job_search),
    plain(
        "jobPosting.list",
        PERMISSION,
        (
            Param("location", "str"),
            Param("department", "str"),
            Param("listedOnly", "bool"),
            Param("jobBoardId", "uuid"),
        ),
        _postings,
    ),
    info(
        "jobPosting.info",
        PERMISSION,
        "jobPosting",
        "jobPostingId",
        "job_posting_not_found",
        extra=(Param("jobBoardId", "uuid"), Param("expand", "enum_list", choices=("job",))),
        render=_posting_info,
    ),
    plain("jobBoard.list", PERMISSION, (), lambda ctx, _p: table_rows(ctx, "jobBoard")),
    paged_list(
        "jobTemplate.list",
        PERMISSION,
        "jobTemplate",
        (*SYNCED, Param("expand", "enum_list", choices=("location",))),
        sync=True,
        render=_template_render,
    ),
    Endpoint(
        "jobInterviewPlan.info", PERMISSION, (Param("jobId", "uuid", required=True),), _job_interview_plan
    ),
    paged_list("opening.list", PERMISSION, "opening", SYNCED_CREATED, sync=True),
    info("opening.info", PERMISSION, "opening", "openingId", "opening_not_found"),
    plain("opening.search", PERMISSION, (Param("identifier", "str", required=True),), _opening_search),
]

__all__ = ["ENDPOINTS", "is_published"]
