"""The context store's query language, parsed and checked against an entity's fields.

A condition is JSON::

    {"eq"|"neq"|"gt"|"gte"|"lt"|"lte": {field: value}}   {"in": {field: [values]}}
    {"like": {field: "pat%"}}  {"fuzzy": {field: "text"}}  {"keyword": {field: "words"}}
    {"contains": {array_field: value}}  {"any": {array_field: condition}}
    {"not": condition}  {"and": [conditions]}  {"or": [conditions]}

Several operator keys in one object, or several fields under one operator, are ANDed. Parsing resolves
every field against the entity's :class:`~ashby_agent.store.query.fields.Schema` and coerces every
value to the field's kind (instants to Ashby's millisecond UTC form, so they compare as text), so the
compilers and the reference evaluator receive a tree that is already valid.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from ashby_agent.errors import InvalidQueryError
from ashby_agent.store.query.fields import Kind, Path, Schema, Segment
from ashby_agent.store.query.text import query_words

__all__ = [
    "COMPARISONS",
    "OPERATORS",
    "TEXT_OPERATORS",
    "And",
    "AnyOf",
    "Compare",
    "Condition",
    "In",
    "Not",
    "Or",
    "Text",
    "canonical_instant",
    "parse_condition",
    "resolve_path",
]

COMPARISONS: Final = ("eq", "neq", "gt", "gte", "lt", "lte")
TEXT_OPERATORS: Final = ("like", "fuzzy", "keyword")
OPERATORS: Final = (*COMPARISONS, "in", *TEXT_OPERATORS, "contains", "any", "not", "and", "or")
_MAX_NODES: Final = 200
_MAX_FUZZY_WORD: Final = 255
Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Compare:
    """``path <op> value``; on a path through lists, true when some element compares true. ``neq`` is
    ``not eq`` (so a missing field is ``neq`` anything but null)."""

    op: str
    path: Path
    value: Scalar


@dataclass(frozen=True, slots=True)
class In:
    path: Path
    values: tuple[Scalar, ...]


@dataclass(frozen=True, slots=True)
class Text:
    """``like`` (pattern, ``%`` any run, case-insensitive), ``fuzzy`` or ``keyword`` (``words``)."""

    op: str
    path: Path
    value: str


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Some element of the list at ``path`` satisfies ``condition`` (whose fields are the element's)."""

    path: Path
    condition: Condition


@dataclass(frozen=True, slots=True)
class Not:
    condition: Condition


@dataclass(frozen=True, slots=True)
class And:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Or:
    conditions: tuple[Condition, ...]


Condition = Compare | In | Text | AnyOf | Not | And | Or

#: Matches everything (an empty filter).
TRUE: Final = And(())


def _kind_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _fail(message: str, valid: Sequence[str] = (), where: str = "query.filter") -> InvalidQueryError:
    return InvalidQueryError(message, valid=valid, where=where)


def resolve_path(schema: Schema, name: Any, *, entity: str, where: str = "query.filter") -> Path:
    """The :class:`Path` for ``"a.b"`` (or ``["a", "b"]``); unknown parts name the valid fields."""
    parts = name if isinstance(name, list) else name.split(".") if isinstance(name, str) else None
    if not parts or not all(isinstance(part, str) and part for part in parts):
        raise _fail(f"A field name must be a dot path like 'source.title', got {name!r}.", where=where)
    segments: list[Segment] = []
    current: Schema | None = schema
    kind = Kind.OBJECT
    for index, part in enumerate(parts):
        found = current.lookup(part) if current is not None else None
        if found is None:
            done = ".".join(parts[:index])
            valid = sorted(current.fields) if current is not None else []
            close = difflib.get_close_matches(part, [*valid, *(current.aliases if current else ())], 1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            scope = f"'{done}' of {entity}" if done else entity
            if valid:
                detail = f"fields of {scope}: {', '.join(valid)}"
            elif current is not None and current.free:
                detail = f"keys below '{done}' are 1-64 letters, digits, '_' or '-', and not a bare number"
            else:
                detail = f"'{done}' has no fields"
            raise _fail(
                f"Unknown field '{'.'.join(parts)}' for {entity}.{hint} Valid {detail}.", valid, where
            )
        segments.append(Segment(found.key, found.array))
        current, kind = found.schema, found.kind
    return Path(".".join(seg.key for seg in segments), tuple(segments), kind, current)


def canonical_instant(value: str) -> str:
    """An ISO date or date-time as Ashby writes instants (UTC, milliseconds, ``Z``); naive means UTC.
    ``ValueError`` when it is not one (also for an offset that moves it past year 1 or 9999)."""
    text = value.strip()
    parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        utc = parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value!r} is out of range") from None
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _calendar_date(value: str) -> str:
    """An ISO date, or the date of an ISO date-time as written (a date has no time zone)."""
    text = value.strip()
    if len(text) <= 10:
        return date.fromisoformat(text).isoformat()
    text = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    return datetime.fromisoformat(text).date().isoformat()


def check_text(value: str, op: str, field: str) -> None:
    """Refuse text no database can bind: a NUL character (PostgreSQL) or a lone surrogate (UTF-8)."""
    if "\x00" in value:
        raise _fail(f"'{op}' on {field}: the text contains a NUL character (\\x00); remove it.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(
            f"'{op}' on {field}: the text is not valid Unicode (a lone surrogate); send UTF-8."
        ) from None


def coerce(path: Path, value: Any, op: str, entity: str) -> Scalar:
    """``value`` as ``path``'s kind compares it, or a message naming the field and what it takes."""
    if value is None:
        return None
    kind = path.kind
    wrong = _fail(
        f"{op} on {entity}.{path.text} ({kind.value}) needs {_EXPECT[kind]}, got {_kind_name(value)} "
        f"{value!r}."
    )
    if kind is Kind.OBJECT:
        raise _fail(
            f"{entity}.{path.text} is an object; compare one of its fields (e.g. '{path.text}.id'), "
            "or use 'any' for a list of objects."
        )
    if isinstance(value, bool):
        if kind in (Kind.BOOLEAN, Kind.ANY):
            return value
        raise wrong
    if kind is Kind.BOOLEAN:
        raise wrong
    if isinstance(value, (int, float)):
        if kind not in (Kind.NUMBER, Kind.ANY):
            raise wrong
        if not (math.isfinite(value) if isinstance(value, float) else -(2**63) <= value < 2**63):
            raise _fail(
                f"{op} on {entity}.{path.text} needs a finite number within 64 bits "
                f"(|n| < 9223372036854775808), got {value!r}."
            )
        return value
    if not isinstance(value, str):
        raise wrong
    if kind is Kind.NUMBER:
        raise wrong
    check_text(value, op, f"{entity}.{path.text}")
    if kind is Kind.TIMESTAMP:
        try:
            return canonical_instant(value)
        except ValueError:
            raise wrong from None
    if kind is Kind.DATE:
        try:
            return _calendar_date(value)
        except ValueError:
            raise wrong from None
    return value


_EXPECT: Final = {
    Kind.STRING: "a string",
    Kind.TIMESTAMP: "an ISO date or date-time such as '2024-05-01' or '2024-05-01T09:30:00Z'",
    Kind.DATE: "an ISO date such as '2024-05-01'",
    Kind.NUMBER: "a number",
    Kind.BOOLEAN: "true or false",
    Kind.OBJECT: "a field of the object",
    Kind.ANY: "a string, number or boolean",
}


class _Parser:
    def __init__(self, entity: str) -> None:
        self.entity = entity
        self.nodes = 0

    def condition(self, raw: Any, schema: Schema) -> Condition:
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            raise _fail(f"The filter has more than {_MAX_NODES} conditions; simplify it.")
        if not isinstance(raw, Mapping) or not raw:
            raise _fail(
                'A condition is an object such as {"eq": {"status": "Active"}}, got '
                f"{_kind_name(raw)} {raw!r}.",
                OPERATORS,
            )
        parts = [self.operator(op, operand, schema) for op, operand in raw.items()]
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def operator(self, op: Any, operand: Any, schema: Schema) -> Condition:
        if op in ("and", "or"):
            if not isinstance(operand, list):
                raise _fail(f"'{op}' takes a list of conditions, got {_kind_name(operand)}.")
            items = tuple(self.condition(item, schema) for item in operand)
            return And(items) if op == "and" else Or(items)
        if op == "not":
            return Not(self.condition(operand, schema))
        if op not in OPERATORS:
            close = difflib.get_close_matches(str(op), OPERATORS, 1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise _fail(f"Unknown operator {op!r}.{hint} Valid operators: {', '.join(OPERATORS)}.", OPERATORS)
        if not isinstance(operand, Mapping) or not operand:
            raise _fail(f'\'{op}\' takes an object of field -> value, e.g. {{"{op}": {{"name": ...}}}}.')
        parts = [self.leaf(op, name, value, schema) for name, value in operand.items()]
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def leaf(self, op: str, name: str, value: Any, schema: Schema) -> Condition:
        path = resolve_path(schema, name, entity=self.entity)
        if op in COMPARISONS:
            if op not in ("eq", "neq") and not (path.kind.ordered or path.kind is Kind.ANY):
                raise _fail(
                    f"'{op}' needs an ordered field (text, number, date or time); {self.entity}.{path.text} "
                    f"is {path.kind.value}: use eq or neq."
                )
            if op not in ("eq", "neq") and value is None:
                raise _fail(f"'{op}' cannot compare with null; use eq/neq null for missing values.")
            return Compare(op, path, coerce(path, value, op, self.entity))
        if op == "in":
            if not isinstance(value, list):
                raise _fail(f"'in' takes a list of values for {self.entity}.{path.text}, got {value!r}.")
            return In(path, tuple(coerce(path, item, op, self.entity) for item in value))
        if op in TEXT_OPERATORS:
            textual = path.kind.textual or (op == "like" and path.kind in (Kind.TIMESTAMP, Kind.DATE))
            if not textual:
                raise _fail(f"'{op}' searches text; {self.entity}.{path.text} is {path.kind.value}.")
            if not isinstance(value, str) or not value.strip():
                raise _fail(f"'{op}' on {self.entity}.{path.text} needs a non-empty string, got {value!r}.")
            check_text(value, op, f"{self.entity}.{path.text}")
            if op != "like" and not query_words(value):
                raise _fail(
                    f"'{op}' on {self.entity}.{path.text} matches words (letters and digits), and {value!r} "
                    "has none; use 'like' to match punctuation."
                )
            if op == "fuzzy" and any(len(word) > _MAX_FUZZY_WORD for word in query_words(value)):
                raise _fail(
                    f"'fuzzy' on {self.entity}.{path.text} compares words of at most {_MAX_FUZZY_WORD} "
                    "characters (PostgreSQL's levenshtein limit); use 'like' for a longer one."
                )
            return Text(op, path, value)
        if not path.segments[-1].array:
            raise _fail(
                f"'{op}' needs a list field; {self.entity}.{path.text} is not a list "
                f"(use eq, like or keyword on it)."
            )
        element = path.schema
        if op == "any":
            if element is None or path.kind is not Kind.OBJECT:
                raise _fail(
                    f"'any' needs a list of objects; {self.entity}.{path.text} holds {path.kind.value}s: "
                    f'use {{"contains": {{"{path.text}": value}}}}.'
                )
            return AnyOf(path, self.condition(value, element))
        # contains: an element equal to value, or (objects) an element with all of value's fields.
        if path.kind is Kind.OBJECT and element is not None:
            if not isinstance(value, Mapping) or not value:
                raise _fail(
                    f"'contains' on {self.entity}.{path.text} (a list of objects) takes an object of its "
                    f'fields, e.g. {{"{path.text}": {{"id": "..."}}}}; fields: {", ".join(element.fields)}.'
                )
            return AnyOf(path, self.condition({"eq": dict(value)}, element))
        return Compare("eq", path, coerce(path, value, op, self.entity))


def parse_condition(raw: Any, schema: Schema, *, entity: str) -> Condition:
    """The checked condition tree of ``raw`` (``None`` or ``{}``: everything)."""
    if raw is None or raw == {}:
        return TRUE
    return _Parser(entity).condition(raw, schema)
