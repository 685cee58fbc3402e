"""Organization writes under ``organizationWrite``: departments, locations and hiring teams.

Departments and locations answer the record as the write left it; ``hiringTeam.*`` answers the
HiringTeamMember. A write that changes nothing (archiving an archived department, the same name again)
writes nothing, so ``updatedAt`` (departments have one; locations none) and the sync deltas of
``department.list`` / ``location.list`` move only on a change. Both trees stay trees: a parent must
exist, be active and (for locations) be a hierarchy node, and nothing moves under itself. Archiving
flips ``isArchived`` only: children, jobs and postings keep pointing at the record. Hiring-team changes
on an application or a job announce ``applicationUpdate`` / ``jobUpdate`` through the store; an
opening's team lives on its ``latestVersion`` and openings announce no updates.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..params import InvalidInput, Param
from ..store import Record, iso_ms
from .endpoint import ApiError, Ctx, Endpoint, Handler, Params, dumps, not_found, ok
from .lookups import existing, hiring_team_member

WRITE = "organizationWrite"
WORKPLACE_TYPES = ("OnSite", "Hybrid", "Remote")
LOCATION_TYPES = ("Location", "LocationHierarchy")
POSTAL_KEYS = ("addressCountry", "addressRegion", "addressLocality", "postalCode", "streetAddress")
#: Ashby's limits on ``extraData``: keys up to 100 characters, values up to 512, under 1 kB in all.
EXTRA_KEY_MAX, EXTRA_VALUE_MAX, EXTRA_TOTAL_MAX = 100, 512, 1024
#: hiringTeam targets: body key -> (table, not-found code, what).
TEAM_TARGETS = {
    "applicationId": ("application", "application_not_found", "Application"),
    "jobId": ("job", "job_not_found", "Job"),
    "openingId": ("opening", "opening_not_found", "Opening"),
}
_NOT_FOUND = {
    "department": ("department_not_found", "Department"),
    "location": ("location_not_found", "Location"),
}


def _record(ctx: Ctx, table: str, row_id: str) -> Record:
    record = ctx.store.table(table).rows.get(row_id)
    if record is None:
        raise not_found(*_NOT_FOUND[table])
    return record


def _answer(ctx: Ctx, table: str, row_id: str) -> bytes:
    return ok(ctx.store.table(table).json(row_id))


def _write(ctx: Ctx, table: str, record: Record, fields: Record) -> bytes:
    """Store what differs (nothing, if nothing does) and answer the record."""
    changed = {key: value for key, value in fields.items() if record.get(key) != value}
    if changed:
        ctx.store.update(table, record["id"], changed)
    return _answer(ctx, table, record["id"])


def _text(p: Params, name: str) -> str:
    value = str(p[name]).strip()
    if not value:
        raise InvalidInput(f'"{name}" must not be blank', name)
    return value


def _optional_text(p: Params, name: str) -> str | None:
    """A name that may be cleared: absent, null or blank is None."""
    value = p.get(name)
    return (value.strip() or None) if isinstance(value, str) else None


def _extra_data(value: dict[str, Any]) -> dict[str, str]:
    """``extraData``: string keys and values within Ashby's size limits."""
    total = 0
    for key, item in value.items():
        where = f"extraData.{key}"
        if len(key) > EXTRA_KEY_MAX:
            raise InvalidInput(f'"extraData" keys must be at most {EXTRA_KEY_MAX} characters', "extraData")
        if not isinstance(item, str):
            raise InvalidInput(f'"{where}" must be a string', where)
        if len(item) > EXTRA_VALUE_MAX:
            raise InvalidInput(f'"{where}" must be at most {EXTRA_VALUE_MAX} characters', where)
        total += len(key.encode()) + len(item.encode())
    if total >= EXTRA_TOTAL_MAX:
        raise InvalidInput(f'"extraData" must be smaller than {EXTRA_TOTAL_MAX} bytes in all', "extraData")
    return dict(value)


def _ancestors(ctx: Ctx, table: str, parent_key: str, start: str | None) -> list[str]:
    """``start`` and the ids above it (a broken or cyclic chain simply ends)."""
    chain: list[str] = []
    current = start
    while isinstance(current, str) and current not in chain:
        chain.append(current)
        record = ctx.store.get(table, current)
        current = None if record is None else record.get(parent_key)
    return chain


def _parent(ctx: Ctx, table: str, parent_key: str, parent_id: str, param: str, child: str | None) -> Record:
    """The active parent ``parent_id`` names, which must not be ``child`` or below it."""
    parent = _record(ctx, table, parent_id)
    if parent.get("isArchived"):
        raise InvalidInput(f'"{param}" names an archived {table}; restore it first', param)
    if child is not None and child in _ancestors(ctx, table, parent_key, parent_id):
        raise InvalidInput(f'"{param}" would put the {table} under itself', param)
    return parent


# -- departments ------------------------------------------------------------------------------------
def _department_create(ctx: Ctx, p: Params) -> bytes:
    name = _text(p, "name")
    extra = _extra_data(p["extraData"]) if "extraData" in p else None
    with ctx.store.lock:
        parent_id = None
        if "parentId" in p:
            parent_id = _parent(ctx, "department", "parentId", p["parentId"], "parentId", None)["id"]
        now = iso_ms(ctx.store.now_ms())
        record: Record = {
            "id": str(uuid.uuid4()),
            "name": name,
            "externalName": _optional_text(p, "externalName"),
            "isArchived": False,
            "parentId": parent_id,
            "createdAt": now,
            "updatedAt": now,
            "extraData": extra,
        }
        ctx.store.create("department", record)
        return _answer(ctx, "department", record["id"])


def _department_update(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        department = _record(ctx, "department", p["departmentId"])
        fields: Record = {}
        if "name" in p:
            fields["name"] = _text(p, "name")
        if "externalName" in p:
            fields["externalName"] = _optional_text(p, "externalName")
        if "extraData" in p:
            fields["extraData"] = _extra_data(p["extraData"])
        return _write(ctx, "department", department, fields)


def _department_archived(archived: bool) -> Handler:
    def handler(ctx: Ctx, p: Params) -> bytes:
        with ctx.store.lock:
            department = _record(ctx, "department", p["departmentId"])
            return _write(ctx, "department", department, {"isArchived": archived})

    return handler


def _department_move(ctx: Ctx, p: Params) -> bytes:
    """Under ``parentId``, or to the top level without one."""
    with ctx.store.lock:
        department = _record(ctx, "department", p["departmentId"])
        parent_id = None
        if p.get("parentId") is not None:
            parent = _parent(ctx, "department", "parentId", p["parentId"], "parentId", department["id"])
            parent_id = parent["id"]
        return _write(ctx, "department", department, {"parentId": parent_id})


# -- locations --------------------------------------------------------------------------------------
def _address(value: Any, where: str = "address") -> Record:
    """A Location ``address``: ``{postalAddress: {...}}`` with every postal key (null when not given)."""
    if not isinstance(value, dict):
        raise InvalidInput(f'"{where}" must be an object {{postalAddress: {{...}}}}', where)
    postal = value.get("postalAddress", {})
    if not isinstance(postal, dict):
        raise InvalidInput(f'"{where}.postalAddress" must be an object', f"{where}.postalAddress")
    out: Record = {}
    for key in POSTAL_KEYS:
        part = postal.get(key)
        if part is not None and not isinstance(part, str):
            raise InvalidInput(
                f'"{where}.postalAddress.{key}" must be a string', f"{where}.postalAddress.{key}"
            )
        out[key] = (part.strip() or None) if isinstance(part, str) else None
    return {"postalAddress": out}


def _workplace(p: Params, kind: str) -> tuple[str | None, bool]:
    """(``workplaceType``, ``isRemote``) of a new location: they must agree; hierarchy nodes have none."""
    workplace, remote = p.get("workplaceType"), p.get("isRemote")
    if kind == "LocationHierarchy":
        if workplace is not None or remote:
            param = "workplaceType" if workplace is not None else "isRemote"
            raise InvalidInput(f'"{param}": a LocationHierarchy has no workplace type', param)
        return None, False
    if workplace is None:
        workplace = "Remote" if remote else "OnSite"
    elif remote is not None and remote != (workplace == "Remote"):
        raise InvalidInput(f'"isRemote" contradicts "workplaceType" {workplace}', "isRemote")
    return workplace, workplace == "Remote"


def _location_parent(ctx: Ctx, parent_id: str, param: str, child: str | None) -> str:
    parent = _parent(ctx, "location", "parentLocationId", parent_id, param, child)
    if parent.get("type") != "LocationHierarchy":
        raise InvalidInput(f'"{param}" must name a LocationHierarchy, not a Location', param)
    return str(parent["id"])


def _location_create(ctx: Ctx, p: Params) -> bytes:
    name, kind = _text(p, "name"), p["type"]
    workplace, remote = _workplace(p, kind)
    address = _address(p["address"]) if "address" in p else None
    extra = _extra_data(p["extraData"]) if "extraData" in p else None
    with ctx.store.lock:
        parent_id = None
        if "parentLocationId" in p:
            parent_id = _location_parent(ctx, p["parentLocationId"], "parentLocationId", None)
        record: Record = {
            "id": str(uuid.uuid4()),
            "name": name,
            "externalName": _optional_text(p, "externalName"),
            "isArchived": False,
            "address": address,
            "isRemote": remote,
            "workplaceType": workplace,
            "parentLocationId": parent_id,
            "type": kind,
            "extraData": extra,
        }
        ctx.store.create("location", record, stamped=False)  # a Location carries no timestamps
        return _answer(ctx, "location", record["id"])


def _location_archived(archived: bool) -> Handler:
    def handler(ctx: Ctx, p: Params) -> bytes:
        with ctx.store.lock:
            location = _record(ctx, "location", p["locationId"])
            return _write(ctx, "location", location, {"isArchived": archived})

    return handler


def _location_move(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        location = _record(ctx, "location", p["locationId"])
        parent_id = _location_parent(
            ctx, p["parentLocationHierarchyId"], "parentLocationHierarchyId", location["id"]
        )
        return _write(ctx, "location", location, {"parentLocationId": parent_id})


def _location_address(ctx: Ctx, p: Params) -> bytes:
    address = _address(p["address"])
    with ctx.store.lock:
        return _write(ctx, "location", _record(ctx, "location", p["locationId"]), {"address": address})


def _location_name(ctx: Ctx, p: Params) -> bytes:
    name = _text(p, "name")
    with ctx.store.lock:
        return _write(ctx, "location", _record(ctx, "location", p["locationId"]), {"name": name})


def _location_external_name(ctx: Ctx, p: Params) -> bytes:
    """A null (or absent, or blank) ``externalName`` clears it."""
    external = _optional_text(p, "externalName")
    with ctx.store.lock:
        return _write(ctx, "location", _record(ctx, "location", p["locationId"]), {"externalName": external})


def _location_workplace(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        location = _record(ctx, "location", p["locationId"])
        if location.get("type") == "LocationHierarchy":
            raise InvalidInput('"workplaceType": a LocationHierarchy has no workplace type', "workplaceType")
        fields = {"workplaceType": p["workplaceType"], "isRemote": p["workplaceType"] == "Remote"}
        return _write(ctx, "location", location, fields)


# -- hiring team ------------------------------------------------------------------------------------
def _team_target(ctx: Ctx, p: Params) -> tuple[str, Record]:
    """(table, record) of the one application, job or opening the body names."""
    given = [key for key in TEAM_TARGETS if key in p]
    if len(given) != 1:
        names = ", ".join(TEAM_TARGETS)
        problem = "Missing" if not given else "More than one of"
        raise InvalidInput(f"{problem} {names}: name exactly one hiring team", given[1] if given else None)
    table, code, what = TEAM_TARGETS[given[0]]
    record = ctx.store.table(table).rows.get(p[given[0]])
    if record is None:
        raise not_found(code, what)
    return table, record


def _team(table: str, record: Record) -> list[Record]:
    holder = (record.get("latestVersion") or {}) if table == "opening" else record
    return list(holder.get("hiringTeam") or [])


def _set_team(ctx: Ctx, table: str, record: Record, team: list[Record]) -> None:
    if table == "opening":
        version = {**(record.get("latestVersion") or {}), "hiringTeam": team}
        ctx.store.update(table, record["id"], {"latestVersion": version})
    else:
        ctx.store.update(table, record["id"], {"hiringTeam": team})


def _hiring_team(add: bool) -> Handler:
    """Add (once) or remove the user in the role; either way the answer is the member."""

    def handler(ctx: Ctx, p: Params) -> bytes:
        with ctx.store.lock:
            table, record = _team_target(ctx, p)
            user = existing(ctx, "user", p["teamMemberId"])
            member = hiring_team_member(user, existing(ctx, "hiringTeamRole", p["roleId"]))
            team = _team(table, record)
            others = [
                m for m in team if (m.get("userId"), m.get("role")) != (member["userId"], member["role"])
            ]
            if add and len(others) == len(team):
                if user.get("isEnabled") is False:
                    raise ApiError(
                        "user_deactivated",
                        f"User {user['id']} is deactivated and cannot join a hiring team.",
                    )
                _set_team(ctx, table, record, [*team, member])
            elif not add and len(others) != len(team):
                _set_team(ctx, table, record, others)
            return ok(dumps(member))

    return handler


def _endpoint(name: str, params: tuple[Param, ...], handler: Handler, *, strict: bool = False) -> Endpoint:
    return Endpoint(name, WRITE, params, handler, strict_schema=strict)


_DEPARTMENT_ID = Param("departmentId", "uuid", required=True)
_LOCATION_ID = Param("locationId", "uuid", required=True)
_EXTERNAL_NAME, _EXTRA_DATA = Param("externalName", "str"), Param("extraData", "object")
_TEAM = (
    *(Param(key, "uuid") for key in TEAM_TARGETS),
    Param("teamMemberId", "uuid", required=True),
    Param("roleId", "uuid", required=True),
)

ENDPOINTS: list[Endpoint] = [
    _endpoint(
        "department.create",
        (Param("name", "str", required=True), _EXTERNAL_NAME, Param("parentId", "uuid"), _EXTRA_DATA),
        _department_create,
    ),
    _endpoint(
        "department.update",
        (_DEPARTMENT_ID, Param("name", "str"), _EXTERNAL_NAME, _EXTRA_DATA),
        _department_update,
    ),
    _endpoint("department.archive", (_DEPARTMENT_ID,), _department_archived(True)),
    _endpoint("department.restore", (_DEPARTMENT_ID,), _department_archived(False)),
    _endpoint(
        "department.move", (_DEPARTMENT_ID, Param("parentId", "uuid", nullable=True)), _department_move
    ),
    _endpoint(
        "location.create",
        (
            Param("name", "str", required=True),
            Param("type", "enum", required=True, choices=LOCATION_TYPES),
            Param("address", "object"),
            Param("parentLocationId", "uuid"),
            Param("isRemote", "bool"),
            Param("workplaceType", "enum", choices=WORKPLACE_TYPES),
            _EXTERNAL_NAME,
            _EXTRA_DATA,
        ),
        _location_create,
    ),
    _endpoint("location.archive", (_LOCATION_ID,), _location_archived(True)),
    _endpoint("location.restore", (_LOCATION_ID,), _location_archived(False)),
    _endpoint(
        "location.move",
        (_LOCATION_ID, Param("parentLocationHierarchyId", "uuid", required=True)),
        _location_move,
    ),
    _endpoint(
        "location.updateAddress", (_LOCATION_ID, Param("address", "object", required=True)), _location_address
    ),
    _endpoint("location.updateName", (_LOCATION_ID, Param("name", "str", required=True)), _location_name),
    _endpoint(
        "location.updateExternalName",
        (_LOCATION_ID, Param("externalName", "str", nullable=True)),
        _location_external_name,
        strict=True,
    ),
    _endpoint(
        "location.updateWorkplaceType",
        (_LOCATION_ID, Param("workplaceType", "enum", required=True, choices=WORKPLACE_TYPES)),
        _location_workplace,
    ),
    _endpoint("hiringTeam.addMember", _TEAM, _hiring_team(add=True)),
    _endpoint("hiringTeam.removeMember", _TEAM, _hiring_team(add=False)),
]

__all__ = ["ENDPOINTS"]
