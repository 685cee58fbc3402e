"""Request-body validation and coercion, declared once per endpoint.

Ashby coerces string-encoded integers and booleans where the schema expects them ("25", "true"),
treats ``null`` like an absent key (except where a write gives null a meaning: ``nullable``), ignores
unknown keys on most endpoints and answers ``invalid_input`` naming the parameter otherwise. Filter
timestamps (``createdAfter``, ``openedBefore``, ...) are integers of milliseconds since the Unix epoch;
write timestamps (``createdAt``, ``sentAt``) are ISO-8601 strings, kept in Ashby's own form. One that no
ISO-8601 instant can carry (before 1970, after 9999) is ``invalid_input`` too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

from .store import MAX_MS, MIN_MS, iso_ms

Kind = Literal[
    "int", "timestamp", "iso", "bool", "str", "uuid", "enum", "enum_list", "str_list", "object",
    "object_list", "any",
]  # fmt: skip

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_INT = re.compile(r"^-?\d{1,18}$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InvalidInput(Exception):
    """A body that fails validation; answered as HTTP 200 ``invalid_input``."""

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter


@dataclass(frozen=True)
class Param:
    """One accepted body key: its kind, whether required, allowed values for enums."""

    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    min_items: int = 0
    nullable: bool = False  # an explicit null is a value (``sourceId: null`` unsets), not an absent key


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host and a valid port, without whitespace."""
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises on a port that is not a number in 0..65535
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a bad port or bracketed host
        valid = False
    return valid and not any(ch.isspace() for ch in value)


def iso_instant(name: str, value: Any) -> str:
    """An ISO-8601 date or date-time (UTC when it names no offset) in Ashby's form, ms and ``Z``."""
    parsed: datetime | None = None
    if isinstance(value, str) and 10 <= len(value.strip()) <= 40:
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        ms = (parsed - _EPOCH) // timedelta(milliseconds=1) if parsed.year >= 1970 else -1
        if MIN_MS <= ms <= MAX_MS:
            return iso_ms(ms)
    raise InvalidInput(
        f'"{name}" must be an ISO-8601 date-time from 1970 to 9999, such as 2024-02-04T21:38:12.442Z',
        name,
    )


def _coerce(param: Param, value: Any) -> Any:
    name, kind = param.name, param.kind
    if kind == "timestamp":
        ms = _coerce(Param(name, "int"), value)
        if not MIN_MS <= ms <= MAX_MS:
            raise InvalidInput(
                f'"{name}" must be a time in milliseconds since the Unix epoch, '
                f"from {MIN_MS} to {MAX_MS} (9999-12-31T23:59:59.999Z)",
                name,
            )
        return ms
    if kind == "iso":
        return iso_instant(name, value)
    if kind == "int":
        if isinstance(value, bool):
            raise InvalidInput(f'"{name}" must be an integer', name)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INT.match(value.strip()):
            return int(value.strip())
        raise InvalidInput(f'"{name}" must be an integer', name)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise InvalidInput(f'"{name}" must be a boolean', name)
    if kind in ("str", "uuid", "enum"):
        if not isinstance(value, str):
            raise InvalidInput(f'"{name}" must be a string', name)
        if kind == "uuid" and not is_uuid(value):
            raise InvalidInput(f'"{name}" must be a UUID, got {value!r}', name)
        if kind == "enum" and value not in param.choices:
            raise InvalidInput(f'"{name}" must be one of {", ".join(param.choices)}; got {value!r}', name)
        return value.lower() if kind == "uuid" else value
    if kind in ("enum_list", "str_list"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise InvalidInput(f'"{name}" must be an array of strings', name)
        if len(items) < param.min_items:
            raise InvalidInput(f'"{name}" must contain at least {param.min_items} item(s)', name)
        if kind == "enum_list":
            bad = [item for item in items if item not in param.choices]
            if bad:
                raise InvalidInput(
                    f'"{name}" items must be among {", ".join(param.choices)}; got {bad[0]!r}', name
                )
        return items
    if kind == "object" and not isinstance(value, dict):
        raise InvalidInput(f'"{name}" must be an object', name)
    if kind == "object_list":
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise InvalidInput(f'"{name}" must be an array of objects', name)
        if len(value) < param.min_items:
            raise InvalidInput(f'"{name}" must contain at least {param.min_items} item(s)', name)
    return value


def validate(params: tuple[Param, ...], body: Any, *, strict: bool = False) -> dict[str, Any]:
    """The cleaned parameters: present keys only, coerced; ``null`` counts as absent."""
    if not isinstance(body, dict):
        raise InvalidInput("Request payload must be a JSON object")
    known = {param.name for param in params}
    if strict:
        extra = sorted(key for key in body if key not in known)
        if extra:
            raise InvalidInput(
                f'Unknown parameter "{extra[0]}"; accepted: {", ".join(sorted(known))}', extra[0]
            )
    cleaned: dict[str, Any] = {}
    for param in params:
        value = body.get(param.name)
        if value is None and param.nullable and param.name in body:
            cleaned[param.name] = None
            continue
        if value is None:
            if param.required:
                raise InvalidInput(f'Missing required parameter "{param.name}"', param.name)
            continue
        cleaned[param.name] = _coerce(param, value)
    return cleaned


def validate_item(params: tuple[Param, ...], item: Any, where: str) -> dict[str, Any]:
    """``validate`` for an object nested in a body (``applicationHistory[2]``, ``archiveEmail``): the
    same rules, with errors naming the nested parameter (``applicationHistory[2].stageId``)."""
    if not isinstance(item, dict):
        raise InvalidInput(f'"{where}" must be an object', where)
    try:
        return validate(params, item)
    except InvalidInput as exc:
        if exc.parameter is None:
            raise
        name = f"{where}.{exc.parameter}"
        raise InvalidInput(exc.message.replace(f'"{exc.parameter}"', f'"{name}"', 1), name) from None


# Shared declarations (Ashby's conventions: P = cursor + limit, S = syncToken, C = createdAfter).
CURSOR = Param("cursor", "str")
LIMIT = Param("limit", "int")
SYNC_TOKEN = Param("syncToken", "str")
CREATED_AFTER = Param("createdAfter", "timestamp")
PAGED = (CURSOR, LIMIT)
SYNCED = (CURSOR, LIMIT, SYNC_TOKEN)
SYNCED_CREATED = (CURSOR, LIMIT, SYNC_TOKEN, CREATED_AFTER)
INCLUDE_ARCHIVED = Param("includeArchived", "bool")


def page_limit(params: dict[str, Any]) -> int:
    """Default and maximum 100; larger is capped, below 1 is invalid."""
    limit = params.get("limit", 100)
    assert isinstance(limit, int)
    if limit < 1:
        raise InvalidInput('"limit" must be at least 1', "limit")
    return min(limit, 100)


__all__ = [
    "CREATED_AFTER",
    "CURSOR",
    "INCLUDE_ARCHIVED",
    "LIMIT",
    "PAGED",
    "SYNCED",
    "SYNCED_CREATED",
    "SYNC_TOKEN",
    "InvalidInput",
    "Param",
    "is_http_url",
    "is_uuid",
    "iso_instant",
    "page_limit",
    "validate",
    "validate_item",
]
