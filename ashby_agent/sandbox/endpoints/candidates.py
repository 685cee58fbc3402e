"""Candidates module reads: ``candidate.*`` list, info, search and child lists."""

from __future__ import annotations

from ..params import PAGED, SYNCED, SYNCED_CREATED, InvalidInput, Param
from ..store import Record, SortKey, Table
from .endpoint import Ctx, Endpoint, Params, not_found, ok
from .shapes import by_field, paged_list, plain

PERMISSION = "candidatesRead"
SEARCH_CAP = 100


def _emails(record: Record) -> set[str]:
    """Every address of a candidate, lower-cased, once (the primary is also in ``emailAddresses``)."""
    found = [
        str(e.get("value", "")).lower() for e in record.get("emailAddresses") or [] if isinstance(e, dict)
    ]
    primary = record.get("primaryEmailAddress")
    if isinstance(primary, dict):
        found.append(str(primary.get("value", "")).lower())
    return set(found)


def _info(ctx: Ctx, p: Params) -> bytes:
    table = ctx.store.table("candidate")
    if "id" in p:
        if p["id"] not in table.rows:
            raise not_found("candidate_not_found", "Candidate")
        return ok(table.json(p["id"]))
    if "externalMappingId" in p:
        index = table.index("_externalMappingId", lambda r: (r.get("_externalMappingId"),))
        keys = index.get(p["externalMappingId"])
        if not keys:
            raise not_found("candidate_not_found", "Candidate")
        return ok(table.json(keys[0][2]))
    raise InvalidInput('Missing required parameter "id" (or "externalMappingId")', "id")


def _info_handler(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        return _info(ctx, p)


def _search(ctx: Ctx, p: Params) -> list[bytes]:
    """``email`` (exact, case-insensitive) AND ``name`` (case-insensitive substring); max 100 rows."""
    table = ctx.store.table("candidate")
    if "email" in p:
        index = table.index("email", _emails)
        keys: list[SortKey] = index.get(p["email"].strip().lower(), [])
    else:
        keys = table.keys
    needle = p.get("name", "").strip().lower()
    out: list[bytes] = []
    for key in keys:
        if needle and needle not in str(table.rows[key[2]].get("name", "")).lower():
            continue
        out.append(table.json(key[2]))
        if len(out) >= SEARCH_CAP:
            break
    return out


def _project_keys(ctx: Ctx, table: Table, p: Params) -> list[SortKey]:
    links = ctx.store.table("candidateProject")
    index = links.index("_candidateId", lambda r: (r.get("_candidateId"),))
    project_ids = {links.rows[key[2]].get("_projectId") for key in index.get(p["candidateId"], [])}
    return sorted(table.key_of[pid] for pid in project_ids if isinstance(pid, str) and pid in table.key_of)


_CANDIDATE_ID = Param("candidateId", "uuid", required=True)
_PARENT = ("candidate", "candidateId", "candidate_not_found")

ENDPOINTS: list[Endpoint] = [
    paged_list("candidate.list", PERMISSION, "candidate", SYNCED_CREATED, sync=True),
    Endpoint(
        "candidate.info",
        PERMISSION,
        (Param("id", "uuid"), Param("externalMappingId", "str")),
        _info_handler,
    ),
    plain("candidate.search", PERMISSION, (Param("email", "str"), Param("name", "str")), _search),
    paged_list(
        "candidate.listNotes",
        PERMISSION,
        "note",
        (_CANDIDATE_ID, *SYNCED),  # syncToken accepted and ignored
        sync=False,
        keys=by_field("_candidateId", "candidateId"),
        parent=_PARENT,
    ),
    paged_list(
        "candidate.listProjects",
        PERMISSION,
        "project",
        (_CANDIDATE_ID, *PAGED),
        sync=False,
        keys=_project_keys,
        parent=_PARENT,
    ),
    paged_list(
        "candidate.listClientInfo",
        PERMISSION,
        "clientInfo",
        (_CANDIDATE_ID, *SYNCED),
        sync=True,
        keys=by_field("candidateId", "candidateId"),
        parent=_PARENT,
    ),
    paged_list(
        "candidate.listFraudChecks",
        PERMISSION,
        "fraudCheck",
        (_CANDIDATE_ID, *PAGED),
        sync=False,
        keys=by_field("candidateId", "candidateId"),
        parent=_PARENT,
    ),
]

__all__ = ["ENDPOINTS"]
