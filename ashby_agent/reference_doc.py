"""Render ``docs/REFERENCE.md`` from the operation catalog (never edited by hand; a test checks it)."""

from __future__ import annotations

from collections.abc import Mapping
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from ashby_agent.connectors.ashby.catalog import ENTITIES, Operation
from ashby_agent.connectors.ashby.guardrails import ACCESS_ENV, CONTROL_PARAMS
from ashby_agent.connectors.ashby.operation import ACCESS_LEVELS
from ashby_agent.connectors.ashby.store_actions import DESCRIBE, STORE_ACTIONS, STORE_ALIASES
from ashby_agent.store.plan import STREAMS
from ashby_agent.store.query.indexes import FACETED, INDEXED, WORD_INDEXED
from ashby_agent.store.query.views import describe_view

__all__ = ["render_reference"]

_HEADER = """# ashby-agent connector reference

Generated from the operation catalog (`ashby_agent/connectors/ashby/catalog/`) by
`ashby-agent docs reference`; do not edit by hand.

Call any operation with `await connector.execute(entity, action, params)`, or a read with the typed
helper `await connector.<entity>.<action>(**params)`. Param names are accepted in camelCase (Ashby's)
or snake_case. `list` and `api_search` return `{data, meta: {cursor, has_more, sync_token}}`; `get`
and the writes return the record. Paginate by passing `meta.cursor` back as `cursor`.
"""


def _writes_section() -> list[str]:
    lines = [
        "## Writes",
        "",
        "Every action other than `list`, `get` and `api_search` changes Ashby. A connector runs the "
        f"writes its access level admits: {', '.join(f'`{level}`' for level in ACCESS_LEVELS)} (the "
        f"default `read` runs none; `comment` adds notes and tags), set by `AshbyConnector(access=...)` or "
        f"`{ACCESS_ENV}`. The hosted service runs reads only. Besides its own params, a write takes:",
        "",
        "| param | type | description |",
        "|---|---|---|",
    ]
    lines += [f"| `{p.name}` | {p.type_label()} | {_cell(p.description)} |" for p in CONTROL_PARAMS]
    return [*lines, ""]


def _type_name(annotation: Any) -> str:
    """A short, stable, readable name for a field annotation (no reprs with memory addresses)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _type_name(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return " or ".join(_type_name(arg) for arg in get_args(annotation))
    if origin is not None:
        args = ", ".join(_type_name(arg) for arg in get_args(annotation))
        name = getattr(origin, "__name__", str(origin))
        return f"{name}[{args}]" if args else name
    if annotation is type(None):
        return "null"
    if annotation is Any:
        return "any"
    return getattr(annotation, "__name__", str(annotation))


def _fields(model: type[BaseModel]) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        wire = info.alias or name
        required = "yes" if info.is_required() else ""
        description = (info.description or "").replace("|", "\\|").replace("\n", " ")
        type_name = _type_name(info.annotation).replace("|", "\\|")
        rows.append(f"| `{wire}` | {type_name} | {required} | {description} |")
    return rows


def _operation(op: Operation) -> list[str]:
    if op.read_only:
        flags = ["read-only"]
    else:
        flags = [f"a write: access level `{op.access}`"]
        if op.destructive:
            flags.append("destructive (needs `confirm: true`)")
        elif op.destructive_with:
            names = " or ".join(f"`{name}`" for name in op.destructive_with)
            flags.append(f"destructive with {names} (needs `confirm: true`)")
        if op.idempotent:
            flags.append("idempotent")
    if op.paginated:
        flags.append("paginated (`limit`, `cursor`)")
    if op.sync:
        flags.append("incremental sync (`syncToken`)")
    lines = [
        f"#### `{op.action}` — `POST /{op.endpoint}`",
        "",
        f"{op.description} Permission: `{op.permission}`; {', '.join(flags)}.",
        "",
    ]
    params = op.all_params
    if params:
        lines += ["| param | type | required | description |", "|---|---|---|---|"]
        for param in params:
            required = "yes" if param.required else ""
            names = f"`{param.snake}`" + (f" / `{param.name}`" if param.name != param.snake else "")
            lines.append(f"| {names} | {param.type_label()} | {required} | {param.description} |")
        lines.append("")
    if op.one_of:
        lines += [f"Give at least one of: {', '.join(f'`{name}`' for name in op.one_of)}.", ""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _paths(declared: Mapping[str, tuple[str, ...]]) -> list[str]:
    return [f"- `{entity}`: {', '.join(f'`{path}`' for path in paths)}" for entity, paths in declared.items()]


def _store_section() -> list[str]:
    aliases = ", ".join(f"`{alias}` = `{name}`" for alias, name in STORE_ALIASES.items())
    lines = [
        "## Context store actions",
        "",
        "Answered from the replicated copy of Ashby (see `docs/context-store.md`), on every entity the "
        f"store keeps: {', '.join(f'`{name}`' for name in STREAMS)}. Aliases: {aliases}.",
        "",
        "| action | use | params |",
        "|---|---|---|",
    ]
    lines += [f"| `{a.name}` | {_cell(a.use)} | {_cell(a.params)} |" for a in STORE_ACTIONS.values()]
    lines += ["", "Fields with an expression index (besides `id`, `createdAt`, `updatedAt`):", ""]
    lines += _paths(INDEXED)
    lines += ["", "Word-indexed text fields (fast `fuzzy` and `keyword`):", "", *_paths(WORD_INDEXED)]
    lines += ["", "Faceted fields (aggregates on them read `store_facets`):", "", *_paths(FACETED)]
    lines += [
        "",
        "Views of `context_store_sql_query` (PostgreSQL syntax; JSON columns hold objects, lists):",
        "",
    ]
    lines += [f"- `{describe_view(name)}`" for name in STREAMS]
    lines += [
        "",
        f"`{DESCRIBE}` (any entity, no params) answers that entity's operations with every param.",
        "",
    ]
    return lines


def render_reference() -> str:
    """The whole reference page as Markdown."""
    lines = [_HEADER, *_writes_section(), *_store_section(), "## Entities", ""]
    lines += [f"- [`{e.name}`](#{e.name}) — {', '.join(e.actions)}" for e in ENTITIES]
    lines.append("")
    for entity in ENTITIES:
        lines += [f"### {entity.name}", "", entity.description, ""]
        for op in entity.operations.values():
            lines += _operation(op)
        models = dict.fromkeys([entity.list_model, entity.get_model])
        for model in models:
            lines += [
                f"Record `{model.__name__}` fields:",
                "",
                "| field | type | required | description |",
                "|---|---|---|---|",
                *_fields(model),
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"
