"""The JSON Schema of an execute body, derived from the catalog: one branch per operation.

:class:`~ashby_agent.wire.ExecuteRequest` cannot know the catalog (the wire models sit below it), so
its schema says only "a string" for ``entity`` and "an object" for ``params``. The handler is stricter:
the entity and action are the catalog's names, and the params are exactly the operation's (any of
their spellings, ``null`` meaning "not given", required ones present, one spelling each), with each
value in a form :func:`~ashby_agent.connectors.ashby.params.coerce_param` accepts. This module states
those rules, so a schema-driven client, a fuzzer and the handler agree on what is valid.

The document asks for one naming style per call (the camelCase wire names, or snake_case; declared
aliases in either): "this param under one spelling only" is then a rule about aliases alone, which a
schema-driven generator can still model (a rule per pair of spellings of every param cannot be).
The handler also accepts a mix of styles, as local mode does: the one place the document is stricter.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any, Final

from ashby_agent.connectors.ashby.catalog import Operation, operations
from ashby_agent.connectors.ashby.guardrails import CONTROL_PARAMS
from ashby_agent.connectors.ashby.operation import LIMIT
from ashby_agent.connectors.ashby.params import (
    BOOLEAN_PATTERN,
    DATE_PATTERN,
    DATE_TIME_PATTERN,
    INTEGER_RANGE,
    TIMESTAMP_MS_RANGE,
    UUID_PATTERN,
    Param,
    ParamType,
    case_insensitive_pattern,
    decimal_pattern,
)
from ashby_agent.connectors.ashby.store_actions import (
    AGGREGATE,
    SEARCH,
    SQL_ENTITY,
    SQL_QUERY,
    STORE_ACTIONS,
    STORE_ALIASES,
)
from ashby_agent.service.api.projection import field_path_pattern
from ashby_agent.store.plan import STREAMS
from ashby_agent.wire import ExecuteRequest

__all__ = ["execute_request_schema", "param_schema"]

_NULL: Final = {"type": "null"}
_NOT_NULL: Final = {"not": _NULL}


def _integer(low: int, high: int) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "integer", "minimum": low, "maximum": high},
            {"type": "string", "pattern": decimal_pattern(low, high)},
        ]
    }


def _value_schema(param: Param) -> dict[str, Any]:
    """Every form of a value :func:`coerce_param` accepts for ``param``."""
    kind = param.type
    if kind is ParamType.STRING:
        return {"type": "string"}
    if kind is ParamType.UUID:
        return {"type": "string", "pattern": UUID_PATTERN}
    if kind is ParamType.INTEGER:
        # build_body also requires limit >= 1.
        return _integer(1 if param is LIMIT else INTEGER_RANGE[0], INTEGER_RANGE[1])
    if kind is ParamType.BOOLEAN:
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": BOOLEAN_PATTERN}]}
    if kind is ParamType.TIMESTAMP_MS:
        low, high = TIMESTAMP_MS_RANGE
        return {
            "anyOf": [
                {"type": "integer", "minimum": low, "maximum": high},
                {"type": "string", "pattern": decimal_pattern(0, high)},
                {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                {"type": "string", "format": "date-time", "pattern": DATE_TIME_PATTERN},
            ]
        }
    if kind is ParamType.ENUM:
        return {"type": "string", "pattern": case_insensitive_pattern(param.choices)}
    if kind is ParamType.DATE_TIME:
        return {
            "anyOf": [
                {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                {"type": "string", "format": "date-time", "pattern": DATE_TIME_PATTERN},
            ]
        }
    if kind is ParamType.OBJECT:
        return {"type": "object"}
    if kind is ParamType.TEXT_OR_OBJECT:
        return {"anyOf": [{"type": "string"}, {"type": "object"}]}
    if kind is ParamType.OBJECT_LIST:
        return {"type": "array", "minItems": 1, "items": {"type": "object"}}
    if kind is ParamType.JSON:
        return {"type": ["string", "number", "boolean", "array", "object"]}
    if kind is ParamType.ENUM_LIST:
        one = {"type": "string", "pattern": case_insensitive_pattern(param.choices)}
    else:  # STRING_LIST
        one = {"type": "string"}
    return {"anyOf": [one, {"type": "array", "minItems": 1, "items": one}]}


def param_schema(param: Param) -> dict[str, Any]:
    """One param under any of its spellings: a value, or ``null`` for "not given"."""
    choices = f" One of: {', '.join(param.choices)} (any case)." if param.choices else ""
    return {"description": param.description + choices, "anyOf": [_value_schema(param), _NULL]}


def _given(spelling: str) -> dict[str, Any]:
    return {"required": [spelling], "properties": {spelling: _NOT_NULL}}


def _style_spellings(param: Param, style: str) -> tuple[str, ...]:
    """The spellings of ``param`` in one naming style: its wire name or snake_case, and its aliases."""
    name = param.name if style == "wire" else param.snake
    return tuple(dict.fromkeys((name, *param.aliases)))


def _params_schema(op: Operation, style: str) -> dict[str, Any]:
    """The params object in one naming style (camelCase wire names, or snake_case)."""
    fixed = {"description": "Fixed for this endpoint; ignored."}
    properties: dict[str, Any] = dict.fromkeys(op.fixed_body, fixed)
    rules: list[dict[str, Any]] = []
    # A write also takes its guardrails' params (dry_run, confirm, intent, ...), spelled alike in both styles.
    controls = () if op.read_only else CONTROL_PARAMS
    properties.update({param.name: param_schema(param) for param in controls})
    for param in op.all_params:
        spellings = _style_spellings(param, style)
        properties.update(dict.fromkeys(spellings, param_schema(param)))
        if param.required:
            rules.append({"anyOf": [_given(spelling) for spelling in spellings]})
        for first, second in itertools.combinations(spellings, 2):
            rules.append({"not": {"allOf": [_given(first), _given(second)]}})  # the same param twice
    if op.one_of:
        wanted = [spelling for name in op.one_of for spelling in _style_spellings(op.spellings[name], style)]
        rules.append({"anyOf": [_given(spelling) for spelling in wanted]})
    schema: dict[str, Any] = {
        "title": f"params ({'camelCase' if style == 'wire' else 'snake_case'} names)",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if rules:
        schema["allOf"] = rules
    return schema


def _params(op: Operation) -> dict[str, Any]:
    """One naming style per call: the wire names or snake_case (the same object when they coincide)."""
    wire, snake = _params_schema(op, "wire"), _params_schema(op, "snake")
    styles = [wire] if wire["properties"].keys() == snake["properties"].keys() else [wire, snake]
    return styles[0] if len(styles) == 1 else {"anyOf": styles}


def _needs_params(op: Operation) -> bool:
    return bool(op.one_of) or any(param.required for param in op.all_params)


def _branch(op: Operation, common: dict[str, Any]) -> dict[str, Any]:
    params = _params(op)
    fields = {"type": "array", "items": {"type": "string", "pattern": field_path_pattern(op.result)}}
    return {
        "title": f"{op.entity}.{op.action}",
        "description": op.description,
        "type": "object",
        "properties": {
            **common,
            "entity": {"const": op.entity},
            "action": {"const": op.action},
            "params": params if _needs_params(op) else {"anyOf": [params, _NULL]},
            "select_fields": {"anyOf": [fields, _NULL], "description": "Keep only these record fields."},
            "exclude_fields": {"anyOf": [fields, _NULL], "description": "Drop these record fields."},
        },
        "required": ["entity", "action", *(["params"] if _needs_params(op) else [])],
        "additionalProperties": False,
    }


@cache
def execute_request_schema() -> dict[str, Any]:
    """The execute body: exactly one branch per operation of the catalog (``entity.action``)."""
    base = ExecuteRequest.model_json_schema()
    common = {name: base["properties"][name] for name in ("skip_truncation", "intent")}
    return {
        "title": "ExecuteRequest",
        "description": "One operation of the catalog: its entity and action, and its params; or a context "
        "store action on a stored entity (answered 400 entity_not_synced until its first sync ends).",
        "oneOf": [_branch(op, common) for op in operations()] + _store_branches(common),
    }


def _limit(maximum: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": maximum}


def _store_params() -> dict[str, dict[str, Any]]:
    """The params object of each store action: its keys (the handler refuses others) and the types of
    the plain ones; conditions, group keys and metrics are objects the handler checks field by field."""
    from ashby_agent.store.query import aggregate, search, sql

    obj, array = {"type": "object"}, {"type": "array"}
    shapes: dict[str, dict[str, dict[str, Any]]] = {
        SEARCH: {
            "query": {
                "type": "object",
                "properties": {"filter": obj, "sort": array},
                "additionalProperties": False,
            },
            "limit": _limit(search.MAX_LIMIT),
            "cursor": {"type": "string"},
            "fields": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            "fresh": {"type": "boolean"},
        },
        AGGREGATE: {
            "filter": obj,
            "group_by": array,
            "metrics": obj,
            "having": obj,
            "sort": array,
            "limit": _limit(aggregate.MAX_LIMIT),
            "fresh": {"type": "boolean"},
        },
        SQL_QUERY: {
            "sql": {"type": "string", "minLength": 1},
            "query": {"type": "string", "minLength": 1},
            "limit": _limit(sql.MAX_ROW_CAP),
        },
    }
    declared = {
        SEARCH: search.SEARCH_PARAMS,
        AGGREGATE: aggregate.AGGREGATE_PARAMS,
        SQL_QUERY: sql.SQL_PARAMS,
    }
    for action, names in declared.items():
        assert set(shapes[action]) == set(names), f"{action}: the schema and the handler disagree"
    return {  # null means "not given", as for the catalog's params
        action: {
            "type": "object",
            "properties": {name: {"anyOf": [shape, _NULL]} for name, shape in properties.items()},
            "additionalProperties": False,
        }
        for action, properties in shapes.items()
    }


def _store_branches(common: dict[str, Any]) -> list[dict[str, Any]]:
    """One branch per context store action. The query language is recursive and typed by each entity's
    fields, which JSON Schema can state only loosely: the handler answers 422 ``invalid_query`` naming
    the bad operator, field or value."""
    stored = sorted(STREAMS)
    params = _store_params()
    branches = []
    for action in STORE_ACTIONS.values():
        entities = [SQL_ENTITY, *stored] if action.name == SQL_QUERY else stored
        branches.append(
            {
                "title": f"context store: {action.name}",
                "description": f"{action.use}. Params: {action.params}.",
                "type": "object",
                "properties": {
                    **common,
                    "entity": {"enum": entities},
                    "action": {
                        "enum": [action.name, *(a for a, n in STORE_ALIASES.items() if n == action.name)]
                    },
                    "params": {"anyOf": [params[action.name], _NULL]},
                },
                "required": ["entity", "action"],
                "additionalProperties": False,
            }
        )
    return branches
