"""Declared request params and their validation.

A :class:`Param` is declared once in the catalog; the same declaration validates ``execute`` calls,
renders tool descriptions and the generated reference. Validation is hand-written (not a generated
Pydantic model per operation) because the messages must name the param, the expected type and the
valid choices in words a model or a person can act on, and because building ~60 models at import
would cost import time for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

__all__ = ["Param", "ParamType", "coerce_param", "snake_case"]

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def snake_case(name: str) -> str:
    """``applicationId`` -> ``application_id`` (the spelling Python users and models reach for)."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


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


@dataclass(frozen=True, slots=True)
class Param:
    """One request param of an Ashby endpoint, under its wire (camelCase) name."""

    name: str
    type: ParamType
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
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


def _to_ms(value: Any) -> int:
    if isinstance(value, bool):
        raise ParamValueError("expected milliseconds since the epoch or an ISO date, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return int(moment.timestamp() * 1000)
    if isinstance(value, date):
        return _to_ms(datetime(value.year, value.month, value.day, tzinfo=UTC))
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        try:
            return _to_ms(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            pass
    raise ParamValueError(
        f"expected milliseconds since the epoch or an ISO date like 2025-01-31, got {value!r}"
    )


def _enum(value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise ParamValueError(f"expected one of {', '.join(choices)}, got {value!r}")
    for choice in choices:
        if value == choice or value.lower() == choice.lower():
            return choice
    raise ParamValueError(f"expected one of {', '.join(choices)}, got {value!r}")


def coerce_param(param: Param, value: Any) -> Any:
    """Return ``value`` in the wire type of ``param`` or raise :class:`ParamValueError`."""
    kind = param.type
    if kind is ParamType.STRING:
        if isinstance(value, str):
            return value
        raise ParamValueError(f"expected a string, got {type(value).__name__}")
    if kind is ParamType.UUID:
        if isinstance(value, str) and _UUID.match(value):
            return value.lower()
        raise ParamValueError(
            f"expected an Ashby id (UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6), got {value!r}"
        )
    if kind is ParamType.INTEGER:
        if isinstance(value, bool):
            raise ParamValueError("expected an integer, got a boolean")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        raise ParamValueError(f"expected an integer, got {value!r}")
    if kind is ParamType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ParamValueError(f"expected true or false, got {value!r}")
    if kind is ParamType.TIMESTAMP_MS:
        return _to_ms(value)
    if kind is ParamType.ENUM:
        return _enum(value, param.choices)
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
