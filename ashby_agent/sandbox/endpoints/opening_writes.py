"""Opening writes under ``jobsWrite``: ``opening.create/update/addJob/removeJob/addLocation/
removeLocation/setOpeningState/setArchived``.

Each answers the Opening as the write left it; a write that changes nothing (a job the opening has,
the state it is in) writes nothing. Only creation announces a webhook event (``openingCreate``), as
in Ashby's payload list; every write feeds the ``opening.list`` sync delta.

Where the reference is silent the sandbox chooses: a change edits ``latestVersion`` in place (its id
and ``createdAt`` stay, so ``createdAfter`` keeps meaning creation); an opening in any state but
Draft needs a department, a job and a location (``opening_state_invalid`` when a write would leave it
without), which is the "additional validation" Ashby runs outside Draft; closing needs a
``closeReasonId``, which only closing accepts; an archived opening takes no change but unarchiving
(``opening_archived``). Open stamps ``openedAt`` once; Closed stamps ``closedAt``; leaving Closed clears
``closedAt`` and the close reason.
"""

from __future__ import annotations

import uuid
from datetime import date

from ..params import InvalidInput, Param, is_uuid
from ..store import Record, iso_ms
from .endpoint import ApiError, Ctx, Endpoint, Handler, Params, ok
from .job_writes import EMPLOYMENT_TYPES, active, record_of
from .lookups import api_user

WRITE = "jobsWrite"
TABLE = "opening"
STATES = ("Draft", "Approved", "Open", "Closed")
_OPENING_ID = Param("openingId", "uuid", required=True)
#: ``employmentType`` accepts "" as Ashby's schema does: the default, FullTime.
_EMPLOYMENT = Param("employmentType", "enum", choices=(*EMPLOYMENT_TYPES, ""))
_VERSION_PARAMS = (
    Param("identifier", "str"),
    Param("description", "str"),
    Param("teamId", "uuid"),
    Param("targetHireDate", "str"),
    Param("targetStartDate", "str"),
    Param("isBackfill", "bool"),
    _EMPLOYMENT,
)


def _answer(ctx: Ctx, opening_id: str) -> bytes:
    return ok(ctx.store.table(TABLE).json(opening_id))


def _day(p: Params, name: str) -> str:
    value = str(p[name]).strip()
    try:
        valid = len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        valid = False
    if not valid:
        raise InvalidInput(f'"{name}" must be a date in YYYY-MM-DD form, such as 2026-03-31', name)
    return value


def _ids(ctx: Ctx, p: Params, name: str, table: str) -> list[str]:
    """The distinct ids of ``name``, in order, each an existing ``table`` record."""
    found: list[str] = []
    for i, value in enumerate(p.get(name, [])):
        where = f"{name}[{i}]"
        if not is_uuid(value):
            raise InvalidInput(f'"{where}" must be a UUID, got {value!r}', where)
        row_id = value.lower()
        record = active(ctx, table, row_id, where) if table == "location" else record_of(ctx, table, row_id)
        if record["id"] not in found:
            found.append(record["id"])
    return found


def _version_fields(ctx: Ctx, p: Params) -> Record:
    """The ``latestVersion`` fields the body sets (identifier, description, team, dates, kind)."""
    fields: Record = {}
    for name in ("identifier", "description"):
        if name in p:
            fields[name] = p[name].strip() or None
    if "teamId" in p:
        fields["teamId"] = active(ctx, "department", p["teamId"], "teamId")["id"]
    for name in ("targetHireDate", "targetStartDate"):
        if name in p:
            fields[name] = _day(p, name)
    if "isBackfill" in p:
        fields["isBackfill"] = p["isBackfill"]
    if "employmentType" in p:
        fields["employmentType"] = p["employmentType"] or "FullTime"
    return fields


def _complete(state: str, version: Record) -> None:
    """Outside Draft an opening needs a department, a job and a location."""
    if state == "Draft":
        return
    missing = [
        what
        for what, present in (
            ("a department (teamId)", version.get("teamId")),
            ("a job (jobIds)", version.get("jobIds")),
            ("a location (locationIds)", version.get("locationIds")),
        )
        if not present
    ]
    if missing:
        raise ApiError(
            "opening_state_invalid",
            f"An opening in state {state} needs {', '.join(missing)}; add it, or keep the opening a Draft.",
            meta={"openingState": state},
        )


def _writable(ctx: Ctx, opening_id: str) -> Record:
    opening = record_of(ctx, TABLE, opening_id)
    if opening.get("isArchived"):
        raise ApiError(
            "opening_archived",
            f"Opening {opening['id']} is archived; unarchive it (opening.setArchived archive: false) first.",
        )
    return opening


def _state_fields(opening: Record, state: str, reason_id: str | None, now: str) -> Record:
    fields: Record = {"openingState": state, "closeReasonId": reason_id}
    if state == "Open" and not opening.get("openedAt"):
        fields["openedAt"] = now
    fields["closedAt"] = now if state == "Closed" else None
    return fields


# -- create / update --------------------------------------------------------------------------------
def _create(ctx: Ctx, p: Params) -> bytes:
    state = p.get("openingState", "Draft")
    with ctx.store.lock:
        version: Record = {
            "id": str(uuid.uuid4()),
            "identifier": None,
            "description": None,
            "authorId": api_user(ctx).get("id"),
            "createdAt": iso_ms(ctx.store.now_ms()),
            "teamId": None,
            "jobIds": _ids(ctx, p, "jobIds", "job"),
            "targetHireDate": None,
            "targetStartDate": None,
            "isBackfill": False,
            "employmentType": "FullTime",
            "locationIds": _ids(ctx, p, "locationIds", "location"),
            "hiringTeam": [],
            "customFields": [],
        }
        version.update(_version_fields(ctx, p))
        _complete(state, version)
        opening: Record = {
            "id": str(uuid.uuid4()),
            "openedAt": None,
            "closedAt": None,
            "isArchived": False,
            "archivedAt": None,
        }
        opening.update(_state_fields(opening, state, None, version["createdAt"]))
        opening["latestVersion"] = version
        ctx.store.create(TABLE, opening, stamped=False)
        return _answer(ctx, opening["id"])


def _write_version(ctx: Ctx, opening: Record, fields: Record) -> bytes:
    """Store the changed ``latestVersion`` fields (nothing, if none changed), keeping the state's rule."""
    version = dict(opening.get("latestVersion") or {})
    changed = {key: value for key, value in fields.items() if version.get(key) != value}
    if changed:
        version.update(changed)
        _complete(str(opening.get("openingState")), version)
        ctx.store.update(TABLE, opening["id"], {"latestVersion": version})
    return _answer(ctx, opening["id"])


def _update(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        opening = _writable(ctx, p["openingId"])
        return _write_version(ctx, opening, _version_fields(ctx, p))


def _member(ctx: Ctx, p: Params, *, key: str, table: str, field: str, add: bool) -> bytes:
    """Add (or remove) the record ``p[key]`` names to (from) the version's ``field`` list."""
    with ctx.store.lock:
        opening = _writable(ctx, p["openingId"])
        record = (
            active(ctx, table, p[key], key) if add and table == "location" else record_of(ctx, table, p[key])
        )
        current = list((opening.get("latestVersion") or {}).get(field) or [])
        if add:
            updated = current if record["id"] in current else [*current, record["id"]]
        else:
            updated = [row_id for row_id in current if row_id != record["id"]]
        return _write_version(ctx, opening, {field: updated})


def _add_job(ctx: Ctx, p: Params) -> bytes:
    return _member(ctx, p, key="jobId", table="job", field="jobIds", add=True)


def _remove_job(ctx: Ctx, p: Params) -> bytes:
    return _member(ctx, p, key="jobId", table="job", field="jobIds", add=False)


def _add_location(ctx: Ctx, p: Params) -> bytes:
    return _member(ctx, p, key="locationId", table="location", field="locationIds", add=True)


def _remove_location(ctx: Ctx, p: Params) -> bytes:
    return _member(ctx, p, key="locationId", table="location", field="locationIds", add=False)


# -- state, archive ---------------------------------------------------------------------------------
def _set_state(ctx: Ctx, p: Params) -> bytes:
    state, reason_id = p["openingState"], p.get("closeReasonId")
    if state == "Closed" and reason_id is None:
        raise InvalidInput(
            '"closeReasonId" is required to close an opening (closeReason.list)', "closeReasonId"
        )
    if state != "Closed" and reason_id is not None:
        raise InvalidInput('"closeReasonId" is only allowed when openingState is Closed', "closeReasonId")
    with ctx.store.lock:
        opening = _writable(ctx, p["openingId"])
        if reason_id is not None:
            reason_id = active(ctx, "closeReason", reason_id, "closeReasonId")["id"]
        if (opening.get("openingState"), opening.get("closeReasonId")) == (state, reason_id):
            return _answer(ctx, opening["id"])
        _complete(state, opening.get("latestVersion") or {})
        fields = _state_fields(opening, state, reason_id, iso_ms(ctx.store.now_ms()))
        ctx.store.update(TABLE, opening["id"], fields)
        return _answer(ctx, opening["id"])


def _set_archived(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        opening = record_of(ctx, TABLE, p["openingId"])
        if bool(opening.get("isArchived")) != p["archive"]:
            archived_at = iso_ms(ctx.store.now_ms()) if p["archive"] else None
            ctx.store.update(TABLE, opening["id"], {"isArchived": p["archive"], "archivedAt": archived_at})
        return _answer(ctx, opening["id"])


def _endpoint(verb: str, params: tuple[Param, ...], handler: Handler) -> Endpoint:
    return Endpoint(f"opening.{verb}", WRITE, params, handler)


def _with(key: str) -> tuple[Param, ...]:
    return (_OPENING_ID, Param(key, "uuid", required=True))


ENDPOINTS: list[Endpoint] = [
    _endpoint(
        "create",
        (
            *_VERSION_PARAMS,
            Param("locationIds", "str_list"),
            Param("jobIds", "str_list"),
            Param("openingState", "enum", choices=STATES),
        ),
        _create,
    ),
    _endpoint("update", (_OPENING_ID, *_VERSION_PARAMS), _update),
    _endpoint("addJob", _with("jobId"), _add_job),
    _endpoint("removeJob", _with("jobId"), _remove_job),
    _endpoint("addLocation", _with("locationId"), _add_location),
    _endpoint("removeLocation", _with("locationId"), _remove_location),
    _endpoint(
        "setOpeningState",
        (
            _OPENING_ID,
            Param("openingState", "enum", required=True, choices=STATES),
            Param("closeReasonId", "uuid"),
        ),
        _set_state,
    ),
    _endpoint("setArchived", (_OPENING_ID, Param("archive", "bool", required=True)), _set_archived),
]

__all__ = ["ENDPOINTS"]
