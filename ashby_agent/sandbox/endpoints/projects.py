"""Project reads: ``project.*``, note the mixed permissions."""

from __future__ import annotations

from ..params import SYNCED_CREATED, Param
from .endpoint import Ctx, Endpoint, Params
from .shapes import info, paged_list, plain, table_rows


def _search(ctx: Ctx, p: Params) -> list[bytes]:
    """Case-insensitive title substring, at most 100 rows."""
    title = p.get("title", "").strip().lower()
    return table_rows(ctx, "project", lambda r: title in str(r.get("title", "")).lower(), limit=100)


ENDPOINTS: list[Endpoint] = [
    paged_list("project.list", "candidatesRead", "project", SYNCED_CREATED, sync=True),
    info("project.info", "jobsRead", "project", "projectId", "project_not_found"),  # jobsRead per the OpenAPI
    plain("project.search", "candidatesRead", (Param("title", "str"),), _search),
]

__all__ = ["ENDPOINTS"]
