"""The searchable fields of every replicated entity, derived from its record model.

A record model (``connectors/ashby/records``) already states each field's wire key, its snake_case
name, its type and whether it is a list; the query language resolves field paths against this tree, so
the fields an agent can filter on are exactly the ones the typed results document, and an unknown field
is refused with the list of valid ones. Free-form objects (``dict[str, Any]``) and values typed ``Any``
accept any sub-path below them.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Final, Union

from pydantic import BaseModel

from ashby_agent.store.plan import STREAMS

__all__ = ["FREE_KEY", "Field", "Kind", "Path", "Schema", "Segment", "entity_schema"]

#: Keys accepted below a free-form object: they become part of SQL JSON paths, so no quotes or dots,
#: and never a bare integer (PostgreSQL's ``#>`` would read it as an index into a list, SQLite not).
FREE_KEY: Final = re.compile(r"^(?!-?[0-9]+$)[A-Za-z0-9_\-]{1,64}$")
_MAX_DEPTH: Final = 6


class Kind(StrEnum):
    """How a value compares: text (binary order), instants and dates (ISO text in Ashby's form),
    numbers, booleans; ``object`` for nested records; ``any`` when the model does not say."""

    STRING = "string"
    TIMESTAMP = "timestamp"
    DATE = "date"
    NUMBER = "number"
    BOOLEAN = "boolean"
    OBJECT = "object"
    ANY = "any"

    @property
    def ordered(self) -> bool:
        return self in (Kind.STRING, Kind.TIMESTAMP, Kind.DATE, Kind.NUMBER)

    @property
    def textual(self) -> bool:
        return self in (Kind.STRING, Kind.ANY)


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record: its wire key, kind, whether it is a list, and (for objects) its fields."""

    key: str
    kind: Kind
    array: bool = False
    schema: Schema | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Schema:
    """The fields of one record type, by wire key, with the snake_case spellings as aliases."""

    name: str
    fields: Mapping[str, Field] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: ``dict[str, Any]``: any key is accepted and typed ``any``.
    free: bool = False

    def lookup(self, name: str) -> Field | None:
        key = self.aliases.get(name, name)
        found = self.fields.get(key)
        if found is None and self.free and FREE_KEY.match(name):
            return Field(name, Kind.ANY, schema=_FREE)
        return found

    def names(self, prefix: str = "", depth: int = 2) -> list[str]:
        """Dot paths of this schema's fields, ``depth`` levels down (for error messages and docs)."""
        out: list[str] = []
        for key, item in self.fields.items():
            out.append(prefix + key)
            if item.schema is not None and item.schema.fields and depth > 1:
                out.extend(item.schema.names(prefix + key + ".", depth - 1))
        return out


_FREE: Final = Schema("object", free=True)


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    array: bool


@dataclass(frozen=True, slots=True)
class Path:
    """A resolved dot path: the wire keys from the record down, each marked when it holds a list."""

    text: str
    segments: tuple[Segment, ...]
    kind: Kind
    schema: Schema | None

    @property
    def through_array(self) -> bool:
        return any(segment.array for segment in self.segments)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(segment.key for segment in self.segments)


def _strip_optional(annotation: Any) -> Any:
    # Pydantic unwraps ``Annotated`` only at the top: ``Timestamp | None`` keeps it inside the union.
    if typing.get_origin(annotation) is Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
        if all(arg in (int, float) for arg in args):
            return float
        return Any
    return annotation


def _field(key: str, annotation: Any, description: str, depth: int) -> Field:
    annotation = _strip_optional(annotation)
    array = False
    if typing.get_origin(annotation) is list:
        array = True
        (annotation,) = typing.get_args(annotation) or (Any,)
        annotation = _strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        nested = _schema(annotation, depth + 1) if depth < _MAX_DEPTH else _FREE
        return Field(key, Kind.OBJECT, array, nested, description)
    if typing.get_origin(annotation) is dict or annotation is dict:
        return Field(key, Kind.OBJECT, array, _FREE, description)
    kind = {
        str: Kind.STRING,
        bool: Kind.BOOLEAN,
        int: Kind.NUMBER,
        float: Kind.NUMBER,
        dt.datetime: Kind.TIMESTAMP,
        dt.date: Kind.DATE,
    }.get(annotation, Kind.ANY)
    if kind is Kind.STRING and isinstance(annotation, type) and issubclass(annotation, StrEnum):
        kind = Kind.STRING
    return Field(key, kind, array, _FREE if kind is Kind.ANY else None, description)


def _schema(model: type[BaseModel], depth: int = 0) -> Schema:
    fields: dict[str, Field] = {}
    aliases: dict[str, str] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        fields[key] = _field(key, info.annotation, info.description or "", depth)
        if name != key:
            aliases[name] = key
    return Schema(model.__name__, fields, aliases)


@cache
def entity_schema(entity: str) -> Schema:
    """The schema of a replicated entity's records (``KeyError`` if the store does not replicate it)."""
    return _schema(STREAMS[entity].op.result)
