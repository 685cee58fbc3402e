"""The value formats Ashby accepts for a form field, by field type (scorecards, custom fields).

``check(field_type, value, options, where)`` returns the value as stored or raises ``invalid_input``
naming ``where`` and the format the type takes. Types without a documented format (``File``,
``Location``, ``SocialLink``, ...) take any JSON value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeGuard

from ..params import InvalidInput, is_http_url, is_uuid

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
#: A compensation interval: a count and a unit, such as "1 YEAR" or "2 WEEK".
INTERVAL = re.compile(r"^[1-9]\d{0,3} (HOUR|DAY|WEEK|MONTH|YEAR)$")
SCORES = range(1, 5)

#: Field type -> the format named in the error message.
FORMATS = {
    "Boolean": "true or false",
    "Date": "a date string YYYY-MM-DD",
    "Email": "an e-mail address",
    "Number": "an integer",
    "String": "a string",
    "LongText": "a string",
    "Phone": "a string",
    "ValueSelect": "the value of one of the field's selectable options",
    "MultiValueSelect": "an array of values of the field's selectable options",
    "Score": "an object {score: 1..4}",
    "RichText": 'an object {type: "PlainText", value: "<text>"}',
    "Currency": 'an object {value: <number>, currencyCode: "<ISO 4217 code>"}',
    "NumberRange": 'an object {type: "number-range", minValue: <number>, maxValue: <number>}',
    "CompensationRange": (
        'an object {type: "compensation-range", minValue: <number>, maxValue: <number>, '
        'currencyCode: "<ISO 4217 code>", interval: "1 YEAR"}'
    ),
    "Url": "a URL string (or the empty string)",
    "UUID": 'a UUID string or an object {value: "<uuid>"}',
}


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value  # not NaN


def _date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _range(value: Any, kind: str, *extra: str) -> bool:
    if not isinstance(value, dict) or value.get("type") != kind:
        return False
    low, high = value.get("minValue"), value.get("maxValue")
    if not (_number(low) and _number(high)):
        return False
    return low <= high and all(name in value for name in extra)


def _compensation(value: Any) -> bool:
    return (
        _range(value, "compensation-range", "currencyCode", "interval")
        and isinstance(value["currencyCode"], str)
        and bool(CURRENCY_CODE.match(value["currencyCode"]))
        and isinstance(value["interval"], str)
        and bool(INTERVAL.match(value["interval"]))
    )


_VALID: dict[str, Callable[[Any, Sequence[str]], bool]] = {
    "Boolean": lambda v, _o: isinstance(v, bool),
    "Date": lambda v, _o: _date(v),
    "Email": lambda v, _o: isinstance(v, str) and bool(EMAIL.match(v)),
    "Number": lambda v, _o: isinstance(v, int) and not isinstance(v, bool),
    "String": lambda v, _o: isinstance(v, str),
    "LongText": lambda v, _o: isinstance(v, str),
    "Phone": lambda v, _o: isinstance(v, str),
    "ValueSelect": lambda v, o: isinstance(v, str) and v in o,
    "MultiValueSelect": lambda v, o: isinstance(v, list) and all(isinstance(i, str) and i in o for i in v),
    "Score": lambda v, _o: isinstance(v, dict) and type(v.get("score")) is int and v["score"] in SCORES,
    "RichText": lambda v, _o: (
        isinstance(v, dict) and v.get("type") == "PlainText" and isinstance(v.get("value"), str)
    ),
    "Currency": lambda v, _o: (
        isinstance(v, dict)
        and _number(v.get("value"))
        and isinstance(v.get("currencyCode"), str)
        and bool(CURRENCY_CODE.match(v["currencyCode"]))
    ),
    "NumberRange": lambda v, _o: _range(v, "number-range"),
    "CompensationRange": lambda v, _o: _compensation(v),
    "Url": lambda v, _o: isinstance(v, str) and (v == "" or is_http_url(v)),
    "UUID": lambda v, _o: (
        (isinstance(v, str) and is_uuid(v))
        or (isinstance(v, dict) and isinstance(v.get("value"), str) and is_uuid(v["value"]))
    ),
}


def check(field_type: str, value: Any, options: Sequence[str], where: str) -> Any:
    """``value`` if it is in the format of ``field_type`` (see the module docstring)."""
    valid = _VALID.get(field_type)
    if valid is None or valid(value, options):
        return value
    listed = f" ({', '.join(options)})" if options and field_type.endswith("ValueSelect") else ""
    raise InvalidInput(f'"{where}": a {field_type} field takes {FORMATS[field_type]}{listed}', where)


__all__ = ["EMAIL", "FORMATS", "check"]
