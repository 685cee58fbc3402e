"""Projects and files (reference §4.10): ``project.*`` (note the mixed permissions) and ``file.info``."""

from __future__ import annotations

from .handlers import Ctx, Endpoint, Params, dumps, info, not_found, ok, paged_list, plain, table_rows
from .params import SYNCED_CREATED, Param


def _search(ctx: Ctx, p: Params) -> list[bytes]:
    """Case-insensitive title substring, at most 100 rows."""
    title = p.get("title", "").strip().lower()
    return table_rows(ctx, "project", lambda r: title in str(r.get("title", "")).lower(), limit=100)


def _file_info(ctx: Ctx, p: Params) -> bytes:
    """A signed, short-lived URL for a file handle (the generator's ``fileHandle`` table)."""
    with ctx.store.lock:
        record = ctx.store.table("fileHandle").rows.get(p["fileHandle"])
        if record is None:
            raise not_found("file_not_found", "File")
        return ok(dumps({"url": record.get("url")}))


ENDPOINTS: list[Endpoint] = [
    paged_list("project.list", "candidatesRead", "project", SYNCED_CREATED, sync=True),
    info("project.info", "jobsRead", "project", "projectId", "project_not_found"),  # jobsRead per the OpenAPI
    plain("project.search", "candidatesRead", (Param("title", "str"),), _search),
    Endpoint("file.info", "candidatesRead", (Param("fileHandle", "str", required=True),), _file_info),
]

__all__ = ["ENDPOINTS"]
