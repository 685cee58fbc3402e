"""The agent tool's description, generated from the operation catalog.

One text tells the model everything it needs to call ``ashby_execute(entity, action, params)``: the
entities and their actions, each action's params (required ones starred, "a|b" = give one of them),
where ids come from, how to page (``meta.cursor``), the result shape, ``params.fields`` and what the
errors mean. Only the operations available in the current mode and permitted by the key's scopes
(when known) are listed.

The text is plain lines with no indentation and no ``Word:`` headings, so the Google/NumPy/Sphinx
docstring parsers of Pydantic AI, OpenAI Agents and FastMCP keep it whole (tests pin this).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from ashby_agent.connectors.ashby.catalog import ENTITIES, Entity, Operation
from ashby_agent.connectors.ashby.guardrails import allows, kind_of, normalize_permissions
from ashby_agent.connectors.ashby.operation import Access
from ashby_agent.connectors.ashby.params import Param, ParamType
from ashby_agent.connectors.ashby.store_actions import DESCRIBE, STORE_ACTIONS

__all__ = [
    "Mode",
    "available_entities",
    "build_description",
    "describe_entity",
    "normalize_permissions",
    "permitted",
]

#: ``local``: the connector calls Ashby directly with an API key. ``hosted`` will add operations served
#: by the hosted service (e.g. the context store); until then both modes expose the Ashby catalog.
Mode = Literal["local", "hosted"]
MODES: tuple[Mode, ...] = ("local", "hosted")

#: The description must stay under this many bytes (UTF-8); a test keeps it honest.
DESCRIPTION_BUDGET_BYTES = 4096

#: Default output budget of a tool call, in characters of JSON.
DEFAULT_MAX_OUTPUT_CHARS = 24_000


def permitted(op: Operation, permissions: frozenset[str] | None) -> bool:
    """Whether a key with ``permissions`` (``None`` = unknown) may run ``op``."""
    return permissions is None or op.permission in permissions


def available_entities(
    mode: Mode = "local",
    permissions: frozenset[str] | None = None,
    access: Access = "read",
    kinds: frozenset[str] | None = None,
) -> list[tuple[Entity[Any, Any], list[Operation]]]:
    """Entities and their operations available in ``mode``, permitted by ``permissions``, admitted
    by the ``access`` level (writes are not shown to a read-only tool) and of the ``kinds`` a tool is
    limited to (``None``: every kind)."""
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; valid: {', '.join(MODES)}.")
    found: list[tuple[Entity[Any, Any], list[Operation]]] = []
    for entity in ENTITIES:
        ops = [
            op
            for op in entity.operations.values()
            if permitted(op, permissions) and allows(access, op) and (kinds is None or kind_of(op) in kinds)
        ]
        if ops:
            found.append((entity, ops))
    return found


# ----------------------------------------------------------------------------- rendering

_PAGING = frozenset({"limit", "cursor", "syncToken"})


def _param(param: Param) -> str:
    text = param.name + ("*" if param.required else "")
    if param.choices and param.type in (ParamType.ENUM, ParamType.ENUM_LIST):
        joined = "|".join(param.choices)
        text += f"=[{joined}]" if param.type is ParamType.ENUM_LIST else f"={joined}"
    elif param.type is ParamType.STRING_LIST:
        text += "=[..]"
    return text


#: How much of each operation the entity lines show, most first: every param; the required ones (the
#: rest as ``..``); the action names alone. The first level that fits the budget is used.
_LEVELS: tuple[str, ...] = ("full", "required", "names")


def _operation(op: Operation, level: str = "full") -> str:
    """``action(params)+flags`` at ``level`` (see :data:`_LEVELS`)."""
    if level == "names":
        return op.action
    compact = level == "required"
    params = [p for p in op.params if p.name not in _PAGING]
    one_of = [p for p in params if p.name in op.one_of]
    rest = [_param(p) for p in params if p.name not in op.one_of and (p.required or not compact)]
    if compact and any(not p.required and p.name not in op.one_of for p in params):
        rest.append("..")
    parts = (["|".join(p.name for p in one_of)] if one_of else []) + rest
    flags = ("+p" if op.paginated else "") + ("+s" if op.sync else "")
    args = f"({', '.join(parts)})" if parts else ""
    return f"{op.action}{args}{flags}"


def _entity_line(entity: Entity[Any, Any], ops: Sequence[Operation], level: str = "full") -> str:
    return f"{entity.name}: " + "; ".join(_operation(op, level) for op in ops)


_HEADER = "{verb} the Ashby ATS{mode_note}. Call with entity, action, params (JSON object)."
_MODE_NOTES: dict[str, str] = {"local": " (local mode{reach})", "hosted": " (hosted mode{reach})"}
_GUIDE = (
    "list = a page of records; get = one record; api_search = Ashby search (max 100, no paging).",
    "Params: * = required; a|b = give one; x=A|B = allowed values; [..] = a list; timestamps: ms "
    "since epoch or ISO date.",
    "fooId = id of a record of entity foos (e.g. interviewPlanId from interview_plans); get's id = the "
    "record's id; fileHandle = a candidate's resume_file_handle.handle.",
    '+p = paged (limit 1-100, cursor). list/api_search return {"data": [records], "meta": {"cursor", '
    '"has_more", "sync_token"}}; while meta.has_more, call again with cursor = meta.cursor.',
    "+s = sync: the last page has meta.sync_token; pass it later as syncToken to get only changes.",
    "get returns one record. Keys are snake_case; nulls omitted.",
    'params.fields = ["id", "primary_email_address.value"] (dot paths) keeps only those record keys. Output '
    'over {budget} chars is cut at a record boundary (see "truncated"): then use a smaller limit or fields.',
    "Errors give a kind, message and valid choices: fix the call when asked; authentication, permission "
    "and not-found errors won't change on retry; rate limits say when to retry.",
)


_WRITE_LINE = (
    "Writes (access {access}) act on the live Ashby: first call with params.dry_run=true (checks ids, "
    "sends nothing, returns the request); destructive ones (anonymize, archiving) need params.confirm=true; "
    "params.intent = why, for the audit log."
)
_DESCRIBE_LINE = f'action "{DESCRIBE}" (any entity) gives its actions with every param, type and meaning.'
_STORE_LINES = (
    "Context store = synced copy of Ashby, every field, one call, camelCase keys, meta.as_of = last "
    "sync, fresh=true pulls Ashby's latest changes first; prefer it to paging list:",
    'condition = {"eq|neq|gt|gte|lt|lte|in|like|fuzzy|keyword": {"field.path": value}} | {"contains": '
    '{listField: value}} | {"any": {listField: condition}} | {"not": c} | {"and|or": [c]}; like: % '
    "wildcard; fuzzy: typo-tolerant; keyword: any word.",
)


def _store_lines() -> list[str]:
    lines = list(_STORE_LINES)
    lines += [f"{action.name}: {action.use}: {action.params}" for action in STORE_ACTIONS.values()]
    return lines


def build_description(
    mode: Mode = "local",
    scopes: Iterable[str] | None = None,
    *,
    max_output_chars: int = DEFAULT_MAX_OUTPUT_CHARS,
    context_store: bool = False,
    access: Access = "read",
    kinds: frozenset[str] | None = None,
) -> str:
    """The tool description for ``mode``, listing only what ``scopes`` permit (all when ``None``) and
    ``access`` admits, with the context store's actions when ``context_store``.

    Entity lines list every param while that fits :data:`DESCRIPTION_BUDGET_BYTES`; otherwise only the
    required ones (the rest shown as ``..``), else the action names; the ``describe`` action gives the
    full list on demand.
    """
    for level in _LEVELS:
        text = _render(mode, scopes, max_output_chars, context_store, level, access, kinds)
        if len(text.encode()) < DESCRIPTION_BUDGET_BYTES:
            break
    return text


def _render(
    mode: Mode,
    scopes: Iterable[str] | None,
    max_output_chars: int,
    context_store: bool,
    level: str,
    access: Access = "read",
    kinds: frozenset[str] | None = None,
) -> str:
    compact = level != "full"
    permissions = normalize_permissions(scopes)
    entities = available_entities(mode, permissions, access, kinds)
    budget = str(max_output_chars)
    writes = [op for _, ops in entities for op in ops if not op.read_only]
    reads = any(op.read_only for _, ops in entities for op in ops)
    verb = (
        "Read recruiting data from"
        if not writes
        else ("Read and change" if reads else "Change recruiting data in")
    )
    reach = ", read-only" if not writes else f", {access} access"
    lines = [_HEADER.format(verb=verb, mode_note=_MODE_NOTES[mode].format(reach=reach))]
    lines += [line.replace("{budget}", budget) for line in _GUIDE]
    if compact:
        lines.append(_DESCRIBE_LINE)
    if context_store:
        lines += _store_lines()
    if writes:
        lines.append(_WRITE_LINE.format(access=access))
    if permissions is not None:
        lines.append("Only the entities this API key may read are listed.")
    lines.append(
        "Entities (entity: action(params)+flags; ...)" + (" (..: more, see describe)" if compact else "")
    )
    lines += [_entity_line(entity, ops, level) for entity, ops in entities]
    if not entities:
        lines.append("(none: this API key may read nothing; ask an Ashby admin to grant read permissions)")
    return "\n".join(lines)


def describe_entity(entity: Entity[Any, Any], *, stored: bool) -> dict[str, Any]:
    """Everything about one entity's operations (the ``describe`` action's answer)."""
    actions = []
    for op in entity.operations.values():
        params = [
            {
                "name": param.name,
                "type": param.type.value,
                "required": param.required,
                "description": param.description,
                **({"choices": list(param.choices)} if param.choices else {}),
                **({"aliases": list(param.aliases)} if param.aliases else {}),
            }
            for param in op.all_params
        ]
        actions.append(
            {
                "action": op.action,
                "description": op.description,
                "params": params,
                **({"one_of": list(op.one_of)} if op.one_of else {}),
                "paged": op.paginated,
                "sync": op.sync,
                "access": op.access,
                **({"destructive": True} if op.destructive or op.destructive_with else {}),
            }
        )
    if stored:
        actions += [
            {"action": action.name, "description": action.use, "params": action.params}
            for action in STORE_ACTIONS.values()
        ]
    return {"entity": entity.name, "description": entity.description, "actions": actions}
