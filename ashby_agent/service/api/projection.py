"""Shaping execute results: ``select_fields`` / ``exclude_fields`` and long-string truncation.

Records are already in Ashby's camelCase wire form; field paths may use camelCase or snake_case and dots
for nesting (``primaryEmailAddress.value``). The first segment is checked against the record model so
a typo is a 422 listing the valid fields instead of a silently empty record; :func:`field_path_pattern`
states the same rule as a regular expression for the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import orjson
from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from ashby_agent.connectors.ashby.params import snake_case
from ashby_agent.service.exceptions import ErrorItem, ServiceError

__all__ = ["FieldPlan", "field_path_pattern", "field_spellings", "plan_fields", "truncate_strings"]

Path = tuple[str, ...]

#: What ``str.strip`` removes around a segment (every character for which ``str.isspace`` holds).
_WHITESPACE = r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def field_spellings(model: type[BaseModel]) -> dict[str, str]:
    """Accepted spelling → wire name, for every declared field of the record model."""
    names: dict[str, str] = {}
    for name, info in model.model_fields.items():
        wire = info.alias or name
        for spelling in (wire, name, snake_case(wire)):
            names.setdefault(spelling, wire)
    return names


def _parse(paths: Sequence[str], model: type[BaseModel], option: str) -> list[Path]:
    known = field_spellings(model)
    parsed: list[Path] = []
    problems: list[ErrorItem] = []
    for path in paths:
        segments = [segment.strip() for segment in path.split(".")]
        if not all(segments):
            problems.append(
                ErrorItem(option, f"'{path}' is not a field path like 'name' or 'job.title'", "invalid_field")
            )
            continue
        head = known.get(segments[0])
        if head is None:
            problems.append(ErrorItem(option, f"unknown field '{segments[0]}'", "unknown_field"))
            continue
        parsed.append((head, *(to_camel(segment) if "_" in segment else segment for segment in segments[1:])))
    if problems:
        valid = ", ".join(sorted(set(known.values())))
        raise ServiceError(
            422,
            f"Invalid {option}: {'; '.join(item.message for item in problems)}. Valid fields of "
            f"{model.__name__}: {valid}.",
            code="invalid_fields",
            errors=problems,
        )
    return parsed


def field_path_pattern(model: type[BaseModel]) -> str:
    """The field paths :func:`plan_fields` accepts for ``model``, as a regular expression."""
    heads = "|".join(re.escape(name) for name in sorted(field_spellings(model), key=lambda n: (-len(n), n)))
    segment = rf"[^.]*[^.{_WHITESPACE}][^.]*"
    return rf"^[{_WHITESPACE}]*(?:{heads})[{_WHITESPACE}]*(?:\.{segment})*$"


def _select(record: dict[str, Any], paths: list[Path]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in paths:
        source: Any = record
        for segment in path[:-1]:
            source = source.get(segment) if isinstance(source, dict) else None
        if not isinstance(source, dict) or path[-1] not in source:
            continue
        target = out
        for segment in path[:-1]:
            target = target.setdefault(segment, {})
        target[path[-1]] = source[path[-1]]
    return out


def _exclude(record: dict[str, Any], paths: list[Path]) -> dict[str, Any]:
    for path in paths:
        target: Any = record
        for segment in path[:-1]:
            target = target.get(segment) if isinstance(target, dict) else None
        if isinstance(target, dict):
            target.pop(path[-1], None)
    return record


class FieldPlan:
    """The parsed ``select_fields`` / ``exclude_fields`` of one execute call."""

    def __init__(self, select: list[Path] | None, exclude: list[Path]) -> None:
        self.select = select
        self.exclude = exclude

    def apply(self, record: dict[str, Any]) -> dict[str, Any]:
        if self.select is not None:
            record = _select(record, self.select)
        if self.exclude:
            record = _exclude(record, self.exclude)
        return record


def plan_fields(
    model: type[BaseModel], select: Sequence[str] | None, exclude: Sequence[str] | None
) -> FieldPlan:
    return FieldPlan(
        _parse(select, model, "select_fields") if select is not None else None,
        _parse(exclude, model, "exclude_fields") if exclude else [],
    )


def truncate_strings(value: Any, limit: int) -> Any:
    """Strings longer than ``limit`` shortened with a marker saying how to get them whole.

    A record whose whole JSON is within ``limit`` cannot hold such a string: it is returned as is
    without walking it (orjson measures it in C; most records are far below the limit).
    """
    if isinstance(value, dict | list) and len(orjson.dumps(value)) <= limit:
        return value
    return _truncate(value, limit)


def _truncate(value: Any, limit: int) -> Any:
    if isinstance(value, str):
        if len(value) <= limit:
            return value
        return f"{value[:limit]}… [truncated {len(value) - limit} characters; pass skip_truncation: true]"
    if isinstance(value, dict):
        return {key: _truncate(item, limit) for key, item in value.items()}
    if isinstance(value, list):
        return [_truncate(item, limit) for item in value]
    return value
