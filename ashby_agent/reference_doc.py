"""Render ``docs/REFERENCE.md`` from the operation catalog (never edited by hand; a test checks it)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ashby_agent.connectors.ashby.catalog import ENTITIES, Operation

__all__ = ["render_reference"]

_HEADER = """# ashby-agent connector reference

Generated from the operation catalog (`ashby_agent/connectors/ashby/catalog.py`) by
`ashby-agent docs reference`; do not edit by hand.

Call any operation with `await connector.execute(entity, action, params)` or the typed helper
`await connector.<entity>.<action>(**params)`. Param names are accepted in camelCase (Ashby's) or
snake_case. `list` and `api_search` return `{data, meta: {cursor, has_more, sync_token}}`; `get`
returns the record. Paginate by passing `meta.cursor` back as `cursor`.
"""


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    if text is None:
        text = str(annotation).replace("typing.", "").replace("datetime.", "")
        text = text.replace("ashby_agent.connectors.ashby.records.", "")
    return text.replace("NoneType", "None").replace("|", "\\|")


def _fields(model: type[BaseModel]) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        wire = info.alias or name
        required = "yes" if info.is_required() else ""
        description = (info.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{wire}` | {_type_name(info.annotation)} | {required} | {description} |")
    return rows


def _operation(op: Operation) -> list[str]:
    flags = ["read-only"]
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


def render_reference() -> str:
    """The whole reference page as Markdown."""
    lines = [_HEADER, "## Entities", ""]
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
