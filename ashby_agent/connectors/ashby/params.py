"""Declared request params and their validation.

A :class:`Param` is declared once in the catalog; the same declaration validates ``execute`` calls,
renders tool descriptions, the generated reference and the hosted API's JSON Schema. Validation is
hand-written (not a generated Pydantic model per operation) because the messages must name the param,
the expected type and the valid choices in words a model or a person can act on, and because building
~60 models at import would cost import time for nothing.

Every accepted spelling of a value is also stated as a regular expression or a range here
(:data:`UUID_PATTERN`, :func:`decimal_pattern`, :data:`TIMESTAMP_MS_RANGE`, ...), so the JSON Schema
the service publishes accepts exactly what :func:`coerce_param` accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

__all__ = [
    "BOOLEAN_PATTERN",
    "DATE_PATTERN",
    "DATE_TIME_PATTERN",
    "INTEGER_RANGE",
    "TIMESTAMP_MS_RANGE",
    "UUID_PATTERN",
    "Param",
    "ParamType",
    "case_insensitive_pattern",
    "coerce_param",
    "decimal_pattern",
    "snake_case",
]

UUID_PATTERN: Final = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
BOOLEAN_PATTERN: Final = r"^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"
#: ``2025-01-31``: a calendar date (UTC midnight).
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: ``2025-01-31T10:00:00Z``: an RFC 3339 date-time, with its offset (``Z`` or ``+01:00``).
DATE_TIME_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
#: Integers JSON carries exactly (and Ashby accepts): ±(2**53 - 1).
INTEGER_RANGE: Final = (-(2**53 - 1), 2**53 - 1)
#: Milliseconds since the epoch of the years 1..9999 (what a date can say).
TIMESTAMP_MS_RANGE: Final = (-62_135_596_800_000, 253_402_300_799_999)

_UUID = re.compile(UUID_PATTERN)
_BOOLEAN = re.compile(BOOLEAN_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_DATE_TIME = re.compile(DATE_TIME_PATTERN)
_DIGITS = re.compile(r"^-?[0-9]+$")
_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def snake_case(name: str) -> str:
    """``applicationId`` -> ``application_id`` (the spelling Python users and models reach for)."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def _escape(char: str) -> str:
    """Escape a regex syntax character; anything else stands for itself (valid in every dialect)."""
    return "\\" + char if char in "^$\\.*+?()[]{}|/" else char


def case_insensitive_pattern(choices: tuple[str, ...]) -> str:
    """A regex matching exactly ``choices`` in any ASCII case (what :func:`coerce_param` accepts)."""

    def spell(choice: str) -> str:
        return "".join(
            f"[{c.upper()}{c.lower()}]" if c.isascii() and c.isalpha() else _escape(c) for c in choice
        )

    return "^(?:" + "|".join(spell(choice) for choice in choices) + ")$"


def _up_to(limit: int) -> list[str]:
    """Regex alternatives for the decimals 1..``limit`` written without leading zeros."""
    digits = str(limit)
    alternatives = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for index, char in enumerate(digits):
        low = 1 if index == 0 else 0
        if int(char) > low:
            rest = len(digits) - index - 1
            alternatives.append(
                digits[:index] + f"[{low}-{int(char) - 1}]" + (f"[0-9]{{{rest}}}" if rest else "")
            )
    alternatives.append(digits)
    return alternatives


def decimal_pattern(low: int, high: int) -> str:
    """A regex for the decimal strings (leading zeros allowed) of the integers ``low..high``.

    ``low`` is ``-high``, 0 or 1: the ranges the params use (a symmetric range, or non-negative, or
    positive numbers).
    """
    positive = "|".join(_up_to(high))
    if low == 1:
        return f"^0*(?:{positive})$"
    if low == 0:
        return f"^0*(?:{positive}|0)$"
    assert low == -high, "decimal_pattern: low must be -high, 0 or 1"
    return f"^(?:-?0*(?:{positive})|-?0+)$"


class ParamType(StrEnum):
    """Wire types of Ashby request params."""

    UUID = "uuid"
    STRING = "string"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    TIMESTAMP_MS = "timestamp"  # Ashby wants integer ms since the epoch; we also accept ISO dates
    ENUM = "enum"
    ENUM_LIST = "enum list"
    STRING_LIST = "string list"
    #: An ISO-8601 date-time string, sent as written (Ashby's write endpoints take ``createdAt`` so).
    DATE_TIME = "date-time"
    #: A JSON object (``location``, ``feedbackForm``), sent as given; Ashby checks its fields.
    OBJECT = "object"
    #: A non-empty list of JSON objects (``socialLinks``, ``applicationHistory``).
    OBJECT_LIST = "object list"
    #: A string, or an object such as ``{"type": "text/html", "value": ...}`` (a note's body).
    TEXT_OR_OBJECT = "string or object"
    #: Any JSON value but null (a custom field's value: text, number, boolean, list or object).
    JSON = "json"


@dataclass(frozen=True, slots=True)
class Param:
    """One request param of an Ashby endpoint, under its wire (camelCase) name."""

    name: str
    type: ParamType
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    #: The entity whose record this id names (a dry run checks that it exists).
    refers_to: str = ""
    #: A credential (a webhook's signing secret): never echoed back, e.g. by a dry run.
    secret: bool = False
    snake: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "snake", snake_case(self.name))

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every accepted spelling: wire name, snake_case, declared aliases."""
        names = (self.name, self.snake, *self.aliases)
        return tuple(dict.fromkeys(names))

    def type_label(self) -> str:
        if self.choices:
            return f"{self.type.value} of {'|'.join(self.choices)}"
        return self.type.value


class ParamValueError(ValueError):
    """A value that does not fit its param; the message completes 'param X: ...'."""


def shown(value: Any) -> str:
    """``value`` for an error message: short, and never a walk of a nested (possibly hostile) structure."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:60] + "…")
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10**30 else "a very large number"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _in_range(number: int, bounds: tuple[int, int], what: str) -> int:
    low, high = bounds
    if not low <= number <= high:
        raise ParamValueError(f"{what} must be between {low} and {high}, got {shown(number)}")
    return number


def _iso_to_ms(text: str) -> int | None:
    """``YYYY-MM-DD`` (UTC midnight) or an RFC 3339 date-time as ms since the epoch; ``None``: neither."""
    if _DATE.fullmatch(text):
        moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    elif _DATE_TIME.fullmatch(text):
        text = text.upper().replace("Z", "+00:00")
        if text[17:19] == "60":  # a leap second (RFC 3339 allows it; datetime cannot hold it)
            text = text[:17] + "59" + text[19:]
        moment = datetime.fromisoformat(text)
    else:
        return None
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def _to_ms(value: Any) -> int:
    if isinstance(value, bool):
        raise ParamValueError("expected milliseconds since the epoch or an ISO date, got a boolean")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return _in_range(value, TIMESTAMP_MS_RANGE, "milliseconds since the epoch")
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return (moment - _EPOCH) // timedelta(milliseconds=1)
    if isinstance(value, date):
        return _to_ms(datetime(value.year, value.month, value.day, tzinfo=UTC))
    if isinstance(value, str):
        if _DIGITS.fullmatch(value) and not value.startswith("-"):
            return _in_range(int(value), TIMESTAMP_MS_RANGE, "milliseconds since the epoch")
        try:
            ms = _iso_to_ms(value)
        except ValueError:  # the shape of a date, but not a real one (2025-02-30, 25:00)
            raise ParamValueError(f"{shown(value)} is not a real date and time") from None
        if ms is not None:
            return _in_range(ms, TIMESTAMP_MS_RANGE, "the date")
    raise ParamValueError(
        "expected milliseconds since the epoch, a date like 2025-01-31 or a date-time like "
        f"2025-01-31T10:00:00Z, got {shown(value)}"
    )


def _enum(value: Any, choices: tuple[str, ...]) -> str:
    if isinstance(value, str) and value.isascii():
        for choice in choices:
            if value.lower() == choice.lower():
                return choice
    raise ParamValueError(f"expected one of {', '.join(choices)}, got {shown(value)}")


def _object(value: Any, expected: str = "an object") -> dict[str, Any]:
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return dict(value)
    raise ParamValueError(f"expected {expected}, got {shown(value)}")


def _json_value(value: Any, depth: int = 0) -> Any:
    """``value`` if JSON can carry it (strings, finite numbers, booleans, lists, string-keyed objects)."""
    if depth > 20:
        raise ParamValueError("expected a JSON value nested at most 20 deep")
    if isinstance(value, str | bool | int) or (
        isinstance(value, float) and value == value and abs(value) != float("inf")
    ):
        return value
    if isinstance(value, list | tuple):
        return [_json_value(item, depth + 1) for item in value]
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return {key: _json_value(item, depth + 1) for key, item in value.items()}
    raise ParamValueError(
        f"expected a JSON value (text, number, boolean, list or object), got {shown(value)}"
    )


def coerce_param(param: Param, value: Any) -> Any:
    """Return ``value`` in the wire type of ``param`` or raise :class:`ParamValueError`."""
    kind = param.type
    if kind is ParamType.STRING:
        if isinstance(value, str):
            return value
        raise ParamValueError(f"expected a string, got {shown(value)}")
    if kind is ParamType.UUID:
        if isinstance(value, str) and _UUID.fullmatch(value):
            return value.lower()
        raise ParamValueError(
            f"expected an Ashby id (UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6), got {shown(value)}"
        )
    if kind is ParamType.INTEGER:
        if isinstance(value, bool):
            raise ParamValueError("expected an integer, got a boolean")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            return _in_range(value, INTEGER_RANGE, "the integer")
        if isinstance(value, str) and _DIGITS.fullmatch(value):
            return _in_range(int(value), INTEGER_RANGE, "the integer")
        raise ParamValueError(f"expected an integer, got {shown(value)}")
    if kind is ParamType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and _BOOLEAN.fullmatch(value):
            return value.lower() == "true"
        raise ParamValueError(f"expected true or false, got {shown(value)}")
    if kind is ParamType.TIMESTAMP_MS:
        return _to_ms(value)
    if kind is ParamType.ENUM:
        return _enum(value, param.choices)
    if kind is ParamType.DATE_TIME:
        if isinstance(value, datetime):
            return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
        if isinstance(value, str) and (_DATE_TIME.fullmatch(value) or _DATE.fullmatch(value)):
            try:
                _iso_to_ms(value)
            except ValueError:
                raise ParamValueError(f"{shown(value)} is not a real date and time") from None
            return value
        raise ParamValueError(f"expected an ISO date-time like 2025-01-31T10:00:00Z, got {shown(value)}")
    if kind is ParamType.OBJECT:
        return _object(value)
    if kind is ParamType.TEXT_OR_OBJECT:
        return value if isinstance(value, str) else _object(value, "a string or an object")
    if kind is ParamType.JSON:
        return _json_value(value)
    if kind is ParamType.OBJECT_LIST:
        if not isinstance(value, list | tuple) or not value:
            raise ParamValueError(f"expected a non-empty list of objects, got {shown(value)}")
        return [_object(item, "a list of objects") for item in value]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        raise ParamValueError("expected a non-empty list")
    if kind is ParamType.ENUM_LIST:
        return [_enum(item, param.choices) for item in items]
    if not all(isinstance(item, str) for item in items):
        raise ParamValueError("expected a list of strings")
    return list(items)


def index_spellings(params: tuple[Param, ...]) -> Mapping[str, Param]:
    """Map every accepted spelling to its param."""
    return {spelling: param for param in params for spelling in param.spellings}
