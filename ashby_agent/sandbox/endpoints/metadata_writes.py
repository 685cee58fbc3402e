"""Hiring-process metadata writes: candidate tags and custom fields.

Tags and custom field definitions are created and changed under ``hiringProcessMetadataWrite``;
setting a custom field's value on an application, candidate, job or opening needs ``candidatesWrite``
(as in Ashby). ``candidateTag.create`` answers the tag that already has the title (compared trimmed and
case-insensitively) instead of making a second one. A value is checked against its field's type
(``field_values``, the formats scorecards use) and, for selects, its active options; it lands in the
object's ``customFields`` (an opening's, on its ``latestVersion``), replacing that field's earlier value.
Value writes on applications and jobs announce ``applicationUpdate`` / ``jobUpdate`` through the store.
Archiving a tag leaves the copies candidates embed as they were.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..params import InvalidInput, Param, validate_item
from ..store import Record, public
from .endpoint import Ctx, Endpoint, Handler, Params, dumps, not_found, ok
from .field_values import check

METADATA_WRITE = "hiringProcessMetadataWrite"
VALUES_WRITE = "candidatesWrite"
FIELD_TYPES = (
    "Boolean", "CompensationRange", "Currency", "Date", "LongText", "MultiValueSelect", "Number",
    "NumberRange", "String", "ValueSelect", "Url", "UUID",
)  # fmt: skip
SELECT_TYPES = ("ValueSelect", "MultiValueSelect")
#: ``customField.create`` object types -> the objectType the definition carries (versions of openings
#: and offers hold the fields of openings and offers).
CREATE_OBJECT_TYPES = {
    "Application": "Application", "Candidate": "Candidate", "Job": "Job", "Employee": "Employee",
    "Talent_Project": "Talent_Project", "Opening_Version": "Opening", "Offer_Version": "Offer",
}  # fmt: skip
#: ``customField.setValue(s)`` object types -> (table, not-found code, what).
VALUE_OBJECTS = {
    "Application": ("application", "application_not_found", "Application"),
    "Candidate": ("candidate", "candidate_not_found", "Candidate"),
    "Job": ("job", "job_not_found", "Job"),
    "Opening": ("opening", "opening_not_found", "Opening"),
}
_OPTION = (
    Param("label", "str", required=True),
    Param("value", "str", required=True),
    Param("isArchived", "bool"),
)
_VALUE = (Param("fieldId", "uuid", required=True), Param("fieldValue", "any", required=True))


def _text(p: Params, name: str) -> str:
    value = str(p[name]).strip()
    if not value:
        raise InvalidInput(f'"{name}" must not be blank', name)
    return value


def _field(ctx: Ctx, field_id: str) -> Record:
    field = ctx.store.table("customField").rows.get(field_id)
    if field is None:
        raise not_found("custom_field_not_found", "Custom field")
    return field


def _answer_field(ctx: Ctx, field_id: str) -> bytes:
    return ok(ctx.store.table("customField").json(field_id))


# -- tags -------------------------------------------------------------------------------------------
def _tag_create(ctx: Ctx, p: Params) -> bytes:
    """A new active tag, or the one with this title already (an active one before an archived one)."""
    title = _text(p, "title")
    with ctx.store.lock:
        table = ctx.store.table("candidateTag")
        same = [
            table.rows[key[2]]
            for key in table.keys
            if str(table.rows[key[2]].get("title", "")).strip().lower() == title.lower()
        ]
        if same:
            found = min(same, key=lambda tag: bool(tag.get("isArchived")))
            return ok(table.json(str(found["id"])))
        tag: Record = {"id": str(uuid.uuid4()), "title": title, "isArchived": False}
        ctx.store.create("candidateTag", tag, stamped=False)
        return ok(table.json(tag["id"]))


def _tag_archive(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        table = ctx.store.table("candidateTag")
        tag = table.rows.get(p["tagId"])
        if tag is None:
            raise not_found("candidate_tag_not_found", "Candidate tag")
        if not tag.get("isArchived"):
            ctx.store.update("candidateTag", tag["id"], {"isArchived": True})
        return ok(table.json(tag["id"]))


# -- definitions ------------------------------------------------------------------------------------
def _new_options(items: list[Record], where: str) -> list[Record]:
    """``selectableValues`` of a new select field: at least one, each value once, all active."""
    options: list[Record] = []
    for i, item in enumerate(items):
        option = validate_item(_OPTION[:2], item, f"{where}[{i}]")
        value = option["value"]
        if any(o["value"] == value for o in options):
            raise InvalidInput(f'"{where}[{i}].value": {value!r} is given twice', f"{where}[{i}].value")
        options.append({"label": option["label"], "value": value, "isArchived": False})
    return options


def _field_create(ctx: Ctx, p: Params) -> bytes:
    kind, title = p["fieldType"], _text(p, "title")
    record: Record = {
        "id": str(uuid.uuid4()),
        "title": title,
        "objectType": CREATE_OBJECT_TYPES[p["objectType"]],
        "fieldType": kind,
        "isArchived": False,
        "isRequired": False,
        "isPrivate": False,
    }
    if kind in SELECT_TYPES:
        if not p.get("selectableValues"):
            raise InvalidInput(f'"selectableValues" is required for a {kind} field', "selectableValues")
        record["selectableValues"] = _new_options(p["selectableValues"], "selectableValues")
    elif "selectableValues" in p:
        raise InvalidInput(
            f'"selectableValues" is only for {" and ".join(SELECT_TYPES)} fields', "selectableValues"
        )
    if "isDateOnlyField" in p:
        if kind != "Date":
            raise InvalidInput('"isDateOnlyField" is only for Date fields', "isDateOnlyField")
        record["isDateOnlyField"] = p["isDateOnlyField"]
    if "description" in p:
        record["description"] = p["description"]
    record["isExposableToCandidate"] = p.get("isExposableToCandidate", False)
    with ctx.store.lock:
        ctx.store.create("customField", record, stamped=False)
        return _answer_field(ctx, record["id"])


def _update_options(ctx: Ctx, p: Params) -> bytes:
    """Merge by ``value``: given options are added or relabelled (active unless said otherwise),
    options left out are archived; the existing order is kept, new options come last."""
    given: dict[str, Record] = {}
    for i, item in enumerate(p["selectableValues"]):
        where = f"selectableValues[{i}]"
        option = validate_item(_OPTION, item, where)
        extra = sorted(set(item) - {param.name for param in _OPTION})
        if extra:
            raise InvalidInput(
                f'"{where}.{extra[0]}" is not accepted: give label, value, isArchived', f"{where}.{extra[0]}"
            )
        if option["value"] in given:
            raise InvalidInput(f'"{where}.value": {option["value"]!r} is given twice', f"{where}.value")
        given[option["value"]] = {
            "label": option["label"],
            "value": option["value"],
            "isArchived": option.get("isArchived", False),
        }
    with ctx.store.lock:
        field = _field(ctx, p["customFieldId"])
        if field.get("fieldType") not in SELECT_TYPES:
            raise InvalidInput(
                f'"customFieldId": {field.get("fieldType")} fields have no selectable values', "customFieldId"
            )
        merged = [
            given.pop(str(o.get("value")), {**o, "isArchived": True})
            for o in field.get("selectableValues") or []
        ]
        merged += list(given.values())
        if merged != field.get("selectableValues"):
            ctx.store.update("customField", field["id"], {"selectableValues": merged})
        return _answer_field(ctx, field["id"])


# -- values -----------------------------------------------------------------------------------------
def _object(ctx: Ctx, p: Params) -> tuple[str, Record]:
    table, code, what = VALUE_OBJECTS[p["objectType"]]
    record = ctx.store.table(table).rows.get(p["objectId"])
    if record is None:
        raise not_found(code, what)
    return table, record


def _value(ctx: Ctx, object_type: str, field_id: str, value: Any, where: str) -> Record:
    """The CustomFieldValue ``value`` makes for the field, after checking both."""
    field = _field(ctx, field_id)
    param = where.rsplit(".", 1)[0] + ".fieldId" if "." in where else "fieldId"
    if field.get("objectType") != object_type:
        raise InvalidInput(
            f'"{param}": the custom field {field_id} is for {field.get("objectType")} records, '
            f"not {object_type}",
            param,
        )
    if field.get("isArchived"):
        raise InvalidInput(f'"{param}": the custom field {field_id} is archived', param)
    kind = str(field.get("fieldType"))
    options = [o for o in field.get("selectableValues") or [] if not o.get("isArchived")]
    check(kind, value, [str(o.get("value")) for o in options], where)
    entry: Record = {"id": field["id"], "title": field.get("title"), "value": value}
    entry["isPrivate"] = bool(field.get("isPrivate"))
    labels = {o.get("value"): o.get("label") for o in options}
    if kind == "ValueSelect":
        entry["valueLabel"] = labels[value]
    elif kind == "MultiValueSelect":
        entry["valueLabel"] = ", ".join(str(labels[v]) for v in value)
    return entry


def _store_values(ctx: Ctx, table: str, record: Record, entries: list[Record]) -> None:
    """Put the entries in the object's ``customFields`` (each replacing its field's), if they change it."""
    version = (record.get("latestVersion") or {}) if table == "opening" else {}
    current = list((version if table == "opening" else record).get("customFields") or [])
    ids = {entry["id"] for entry in entries}
    updated = [*(value for value in current if value.get("id") not in ids), *entries]
    by_id = {value.get("id"): value for value in current}
    if all(by_id.get(entry["id"]) == entry for entry in entries):
        return
    if table == "opening":
        ctx.store.update(table, record["id"], {"latestVersion": {**version, "customFields": updated}})
    else:
        ctx.store.update(table, record["id"], {"customFields": updated})


def _set_value(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        table, record = _object(ctx, p)
        entry = _value(ctx, p["objectType"], p["fieldId"], p["fieldValue"], "fieldValue")
        _store_values(ctx, table, record, [entry])
        return ok(dumps(public(entry)))


def _set_values(ctx: Ctx, p: Params) -> bytes:
    """Every value is checked before any is stored: one write, or none."""
    items = [validate_item(_VALUE, item, f"values[{i}]") for i, item in enumerate(p["values"])]
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item["fieldId"] in seen:
            raise InvalidInput(f'"values[{i}].fieldId": the field is given twice', f"values[{i}].fieldId")
        seen.add(item["fieldId"])
    with ctx.store.lock:
        table, record = _object(ctx, p)
        entries = [
            _value(ctx, p["objectType"], item["fieldId"], item["fieldValue"], f"values[{i}].fieldValue")
            for i, item in enumerate(items)
        ]
        _store_values(ctx, table, record, entries)
        return ok(dumps(entries))


def _endpoint(
    name: str, permission: str, params: tuple[Param, ...], handler: Handler, *, strict: bool = False
) -> Endpoint:
    return Endpoint(name, permission, params, handler, strict_schema=strict)


_OBJECT = (
    Param("objectId", "uuid", required=True),
    Param("objectType", "enum", required=True, choices=tuple(VALUE_OBJECTS)),
)

ENDPOINTS: list[Endpoint] = [
    _endpoint("candidateTag.create", METADATA_WRITE, (Param("title", "str", required=True),), _tag_create),
    _endpoint(
        "candidateTag.archive",
        METADATA_WRITE,
        (Param("tagId", "uuid", required=True),),
        _tag_archive,
        strict=True,
    ),
    _endpoint(
        "customField.create",
        METADATA_WRITE,
        (
            Param("fieldType", "enum", required=True, choices=FIELD_TYPES),
            Param("objectType", "enum", required=True, choices=tuple(CREATE_OBJECT_TYPES)),
            Param("title", "str", required=True),
            Param("description", "str"),
            Param("selectableValues", "object_list"),
            Param("isDateOnlyField", "bool"),
            Param("isExposableToCandidate", "bool"),
        ),
        _field_create,
    ),
    _endpoint("customField.setValue", VALUES_WRITE, (*_OBJECT, *_VALUE), _set_value),
    _endpoint(
        "customField.setValues",
        VALUES_WRITE,
        (*_OBJECT, Param("values", "object_list", required=True, min_items=1)),
        _set_values,
    ),
    _endpoint(
        "customField.updateSelectableValues",
        METADATA_WRITE,
        (
            Param("customFieldId", "uuid", required=True),
            Param("selectableValues", "object_list", required=True),
        ),
        _update_options,
        strict=True,
    ),
]

__all__ = ["ENDPOINTS"]
