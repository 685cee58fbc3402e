"""Tool output: JSON the model can read, only the fields it asked for, within a character budget.

:func:`shape_output` takes whatever the wrapped function returned (a :class:`ListResult`, a record model,
a dict already ``model_dump``-ed, a list) and returns JSON-able data:

- list results keep their ``{"data": [...], "meta": {...}}`` shape (a bare list becomes ``{"data": [...]}``);
- ``fields`` (dot paths, camelCase or snake_case) keeps only those keys of each record;
- null values inside records are left out;
- over ``max_chars`` characters of compact JSON, records are dropped from the end (a record boundary) and
  a ``truncated`` note says how many and how to get them; a single record too large on its own has its
  long strings and lists shortened. A call never fails because its output is large.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from ashby_agent.connectors.ashby.params import snake_case

__all__ = ["FieldsError", "json_size", "parse_fields", "shape_output", "to_json_text"]

_WHOLE = ""  # marks "keep this key whole" in a field tree


class FieldsError(ValueError):
    """``params.fields`` is not a list of key names."""


def to_json_text(payload: Any) -> str:
    """Compact JSON, non-ASCII kept: what the budget measures and what string-only frameworks return."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)


def json_size(payload: Any) -> int:
    return len(to_json_text(payload))


def to_jsonable(result: Any) -> Any:
    """Plain JSON data from models and pages (``model_dump(mode="json")``: field names), dicts, lists."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    dump = getattr(result, "model_dump", None)
    if callable(dump) and not isinstance(result, type):  # ListResult and other model-like pages
        return to_jsonable(dump(mode="json"))
    if isinstance(result, Mapping):
        return {str(key): to_jsonable(value) for key, value in result.items()}
    if isinstance(result, list | tuple):
        return [to_jsonable(item) for item in result]
    return to_jsonable_python(result, fallback=str)


# ----------------------------------------------------------------------------- fields


def parse_fields(value: Any) -> list[str] | None:
    """``["id", "job.title"]`` or ``"id, job.title"`` → paths; ``None``/empty → ``None``."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise FieldsError(
            'params.fields must be a list of key names (dot paths allowed), e.g. ["id", "name", "job.title"]'
        )
    paths = [item.strip() for item in value if item.strip()]
    return paths or None


def _field_tree(paths: Sequence[str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for segment in path.split("."):
            node = node.setdefault(snake_case(segment.strip()), {})
        node[_WHOLE] = {}
    return tree


def _project(value: Any, tree: dict[str, Any]) -> Any:
    if not tree or _WHOLE in tree:
        return value
    if isinstance(value, list):
        return [_project(item, tree) for item in value]
    if isinstance(value, dict):
        kept: dict[str, Any] = {}
        for key, item in value.items():
            sub = tree.get(snake_case(key))
            if sub is not None:
                kept[key] = _project(item, sub)
        return kept
    return value


def _unmatched(records: Sequence[Any], paths: Sequence[str]) -> list[str]:
    keys = {snake_case(key) for record in records if isinstance(record, dict) for key in record}
    return [path for path in paths if snake_case(path.split(".")[0].strip()) not in keys]


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _drop_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_drop_nulls(item) for item in value]
    return value


# ----------------------------------------------------------------------------- shaping


@dataclass(frozen=True, slots=True)
class _Listing:
    """A list result split into its records and the rest of the envelope."""

    records: list[Any]
    envelope: dict[str, Any]  # everything but "data" (e.g. "meta")


def _as_listing(payload: Any) -> _Listing | None:
    if isinstance(payload, list):
        return _Listing(payload, {})
    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        return _Listing(payload["data"], {key: value for key, value in payload.items() if key != "data"})
    return None


def shape_output(
    result: Any,
    *,
    fields: Sequence[str] | None = None,
    max_chars: int = 24_000,
    paginated: bool | None = None,
    drop_nulls: bool = True,
) -> Any:
    """JSON-able output for the model; see the module docstring."""
    payload = to_jsonable(result)
    listing = _as_listing(payload)
    notes: list[str] = []
    if listing is not None:
        records = listing.records
        if drop_nulls:
            records = [_drop_nulls(record) for record in records]
        if fields:
            unmatched = _unmatched(records, fields)
            records = [_project(record, _field_tree(fields)) for record in records]
            if unmatched and records:
                notes.append(_unmatched_note(unmatched, listing.records))
        out: dict[str, Any] = {"data": records, **listing.envelope}
        if notes:
            out["notes"] = notes
        return _fit_listing(out, max_chars, paginated)
    if isinstance(payload, dict):
        record = _drop_nulls(payload) if drop_nulls else payload
        if fields:
            unmatched = _unmatched([record], fields)
            record = _project(record, _field_tree(fields))
            if unmatched:
                notes.append(_unmatched_note(unmatched, [payload]))
        if notes:
            return _fit_single({"result": record, "notes": notes}, max_chars)
        return _fit_single(record, max_chars)
    return _fit_single(payload, max_chars)


def _unmatched_note(unmatched: Sequence[str], records: Sequence[Any]) -> str:
    sample = next((record for record in records if isinstance(record, dict)), {})
    keys = ", ".join(list(sample)[:40])
    return f"fields matched no key: {', '.join(unmatched)}. Record keys are: {keys}."


def _truncation_note(total: int, kept: int, max_chars: int, paginated: bool | None) -> dict[str, Any]:
    dropped = total - kept
    text = f"Output cut to fit {max_chars} characters: the last {dropped} of {total} records were dropped. "
    if paginated is False:
        text += "Narrow the call (filters, search terms) or ask for fewer keys with params fields."
    else:
        text += (
            f"meta.cursor continues after the dropped records, so to see them repeat the call with "
            f"limit={max(kept, 1)} and page with meta.cursor, or ask for fewer keys with params fields."
        )
    return {"dropped_records": dropped, "kept_records": kept, "note": text}


def _fit_listing(out: dict[str, Any], max_chars: int, paginated: bool | None) -> dict[str, Any]:
    if json_size(out) <= max_chars:
        return out
    records: list[Any] = out["data"]
    total = len(records)
    sizes = [json_size(record) for record in records]
    worst_note = _truncation_note(total, 0, max_chars, paginated)
    base = json_size({**out, "data": [], "truncated": worst_note}) + 16  # digits of kept_records
    kept, used = 0, base
    for size in sizes:
        extra = size + (1 if kept else 0)
        if used + extra > max_chars:
            break
        used += extra
        kept += 1
    while kept > 0:
        candidate = {
            **out,
            "data": records[:kept],
            "truncated": _truncation_note(total, kept, max_chars, paginated),
        }
        if json_size(candidate) <= max_chars:
            return candidate
        kept -= 1
    # Even one record is over the budget: keep the first one, shortened.
    note = _truncation_note(total, 1, max_chars, paginated)
    note["note"] += " Long values of the kept record were shortened."
    room = max(max_chars - json_size({**out, "data": [], "truncated": note}), 200)
    return {**out, "data": [_shrink(records[0], room)] if records else [], "truncated": note}


def _fit_single(payload: Any, max_chars: int) -> Any:
    if json_size(payload) <= max_chars:
        return payload
    note = {
        "note": f"Output cut to fit {max_chars} characters: long values were shortened. "
        "Ask for the keys you need with params fields to get them in full."
    }
    room = max(max_chars - json_size({"result": None, "truncated": note}), 200)
    return {"result": _shrink(payload, room), "truncated": note}


def _cut(value: Any, text_limit: int, list_limit: int) -> Any:
    if isinstance(value, str) and len(value) > text_limit:
        return value[:text_limit] + f"…[+{len(value) - text_limit} chars]"
    if isinstance(value, list):
        head = [_cut(item, text_limit, list_limit) for item in value[:list_limit]]
        if len(value) > list_limit:
            head.append(f"…[+{len(value) - list_limit} items]")
        return head
    if isinstance(value, dict):
        return {key: _cut(item, text_limit, list_limit) for key, item in value.items()}
    return value


def _shrink(value: Any, max_chars: int) -> Any:
    """``value`` with long strings and lists shortened until it fits ``max_chars`` (best effort)."""
    for text_limit, list_limit in ((4000, 50), (1000, 20), (300, 10), (100, 5), (40, 3), (16, 1)):
        cut = _cut(value, text_limit, list_limit)
        if json_size(cut) <= max_chars:
            return cut
    text = to_json_text(value)
    return text[: max(max_chars - 40, 0)] + f"…[+{len(text) - max_chars + 40} chars]"
