"""Organization module reads: departments, locations, users, hiring-team roles, brands."""

from __future__ import annotations

from ..params import INCLUDE_ARCHIVED, PAGED, SYNCED, Param
from ..store import Record
from .endpoint import Ctx, Endpoint, Params, dumps, not_found, ok
from .shapes import Accept, hide_archived, info, paged_list, plain, table_rows

PERMISSION = "organizationRead"
_USER_ID = Param("userId", "uuid", required=True)


def _locations(ctx: Ctx, p: Params) -> Accept | None:
    """Archived rows and hierarchy nodes (regions) are hidden unless asked for."""
    archived = bool(p.get("includeArchived")) or ctx.delta
    hierarchy = bool(p.get("includeLocationHierarchy"))
    if archived and hierarchy:
        return None
    return lambda r: (
        (archived or not r.get("isArchived")) and (hierarchy or r.get("type") != "LocationHierarchy")
    )


def _users(ctx: Ctx, p: Params) -> Accept | None:
    if p.get("includeDeactivated") or ctx.delta:
        return None
    return lambda r: r.get("isEnabled", True) is not False


def _user_search(ctx: Ctx, p: Params) -> list[bytes]:
    email = p["email"].strip().lower()
    return table_rows(ctx, "user", lambda r: str(r.get("email", "")).lower() == email, limit=100)


def _require_user(ctx: Ctx, user_id: str) -> None:
    if user_id not in ctx.store.table("user").rows:
        raise not_found("user_not_found", "User")


def _interviewer_settings(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        _require_user(ctx, p["userId"])
        table = ctx.store.table("interviewerSettings")
        if p["userId"] in table.rows:
            return ok(table.json(p["userId"]))
        default: Record = {
            "userId": p["userId"],
            "isInterviewer": False,
            "maxInterviewsPerDay": None,
            "maxInterviewsPerWeek": None,
        }
        return ok(dumps(default))


def _pauses(ctx: Ctx, p: Params) -> list[bytes]:
    _require_user(ctx, p["userId"])
    user_id = p["userId"]
    return table_rows(ctx, "interviewerPause", lambda r: r.get("userId") == user_id)


def _hiring_team_roles(ctx: Ctx, p: Params) -> list[bytes]:
    """``namesOnly`` defaults to true: bare title strings."""
    table = ctx.store.table("hiringTeamRole")
    rows = [table.rows[k[2]] for k in table.keys]
    if p.get("namesOnly", True):
        return [dumps(r.get("title")) for r in rows]
    return [dumps({"id": r.get("id"), "title": r.get("title")}) for r in rows]


ENDPOINTS: list[Endpoint] = [
    paged_list(
        "department.list",
        PERMISSION,
        "department",
        (*SYNCED, INCLUDE_ARCHIVED),
        sync=True,
        accept=hide_archived(),
    ),
    info("department.info", PERMISSION, "department", "departmentId", "department_not_found"),
    paged_list(
        "location.list",
        PERMISSION,
        "location",
        (*SYNCED, INCLUDE_ARCHIVED, Param("includeLocationHierarchy", "bool")),
        sync=True,
        accept=_locations,
        strict_schema=True,
    ),
    info("location.info", PERMISSION, "location", "locationId", "location_not_found"),
    paged_list(
        "user.list",
        PERMISSION,
        "user",
        (*SYNCED, Param("includeDeactivated", "bool")),
        sync=True,
        accept=_users,
    ),
    info("user.info", PERMISSION, "user", "userId", "user_not_found"),
    plain("user.search", PERMISSION, (Param("email", "str", required=True),), _user_search),
    Endpoint("user.interviewerSettings", PERMISSION, (_USER_ID,), _interviewer_settings),
    plain("user.listInterviewerPauses", PERMISSION, (_USER_ID,), _pauses),
    plain("hiringTeamRole.list", PERMISSION, (Param("namesOnly", "bool"),), _hiring_team_roles),
    paged_list("brand.list", PERMISSION, "brand", PAGED, sync=False),
]

__all__ = ["ENDPOINTS"]
