"""What stands between a model and an Ashby write: access levels, confirmation, dry runs.

A connector has one access level (``read`` by default, ``comment``, ``write``; see
:data:`~ashby_agent.connectors.ashby.operation.ACCESS_LEVELS`), from ``AshbyConnector(access=...)`` or
``ASHBY_AGENT_ACCESS``. An operation above it is refused before anything is sent, naming the level it
needs and how to grant it. A write's params may carry three keys the guardrails read and Ashby never
sees: ``dry_run`` (check everything that can be checked without writing, send nothing, answer the
exact request that would be sent), ``confirm`` (required by destructive writes) and ``intent`` (why
the write is made, for the audit log).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from ashby_agent.connectors.ashby.operation import (
    ACCESS_ENV,
    ACCESS_LEVELS,
    Access,
    Operation,
    resolve_access,
)
from ashby_agent.connectors.ashby.params import Param, ParamType, ParamValueError, coerce_param, shown
from ashby_agent.errors import (
    AccessDeniedError,
    ConfirmationRequiredError,
    DuplicateRecordError,
    InvalidParamsError,
    PermissionDeniedError,
)

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.write_result import DryRun

__all__ = [
    "ACCESS_ENV",
    "CONTROL_PARAMS",
    "OPERATION_KINDS",
    "OperationKind",
    "WriteControls",
    "allows",
    "control_values",
    "dry_run",
    "kind_of",
    "normalize_permissions",
    "refuse_duplicate",
    "require_access",
    "require_confirmation",
    "resolve_access",
    "split_controls",
]

_MAX_INTENT: Final = 500
_MAX_KEY: Final = 255

#: The params of a write that steer the guardrails (never sent to Ashby).
CONTROL_PARAMS: Final[tuple[Param, ...]] = (
    Param("dry_run", ParamType.BOOLEAN, "Check the call and answer the request it would send; send nothing."),
    Param("confirm", ParamType.BOOLEAN, "Required (true) by destructive writes: anonymize, delete, archive."),
    Param(
        "intent",
        ParamType.STRING,
        f"Why this write is made, for the audit log (at most {_MAX_INTENT} chars).",
    ),
    Param("allow_duplicate", ParamType.BOOLEAN, "Create even if a record with the same email exists."),
    Param(
        "idempotency_key",
        ParamType.STRING,
        "A key of yours (at most 255 chars): repeating the call with it answers the first result for 24 h.",
    ),
)
_CONTROL_NAMES: Final = frozenset(param.name for param in CONTROL_PARAMS)


#: What an operation does, as an agent tool (and MCP's annotations) tells them apart: reads, writes,
#: and writes that may destroy or archive (``destructive`` or ``destructive_with``).
OperationKind = Literal["read", "write", "destructive"]
OPERATION_KINDS: Final[tuple[OperationKind, ...]] = ("read", "write", "destructive")


def kind_of(op: Operation) -> OperationKind:
    if op.read_only:
        return "read"
    return "destructive" if op.destructive or op.destructive_with else "write"


def normalize_permissions(scopes: Iterable[str] | None) -> frozenset[str] | None:
    """Scopes (``candidates:read``) or permission ids (``candidatesRead``) as permission ids.

    ``None`` means "not known": everything is permitted.
    """
    if scopes is None:
        return None
    found: set[str] = set()
    for scope in scopes:
        module, sep, level = scope.strip().partition(":")
        found.add(module + level.capitalize() if sep else module)
    return frozenset(found)


def allows(access: Access, op: Operation) -> bool:
    return ACCESS_LEVELS.index(op.access) <= ACCESS_LEVELS.index(access)


def require_access(op: Operation, access: Access, *, hosted: bool = False) -> None:
    """Refuse ``op`` unless ``access`` admits it, saying which level it needs and how to grant it."""
    if allows(access, op):
        return
    how = (
        "the hosted service runs writes only for connectors whose access an operator raised"
        if hosted
        else f'create the connector with access="{op.access}" or set {ACCESS_ENV}={op.access}'
    )
    raise AccessDeniedError(
        f"{op.entity}.{op.action} is a {op.access} action and this connector's access level is {access}: "
        f"{how}.",
        needed=op.access,
        access=access,
    )


@dataclass(frozen=True, slots=True)
class WriteControls:
    dry_run: bool = False
    confirm: bool = False
    intent: str | None = None
    allow_duplicate: bool = False
    idempotency_key: str | None = None


def split_controls(op: Operation, params: Mapping[str, Any] | None) -> tuple[dict[str, Any], WriteControls]:
    """``params`` without the control keys, and the controls they carried (checked)."""
    if params is None or not isinstance(params, Mapping):
        return cast(dict[str, Any], params), WriteControls()
    rest = {key: value for key, value in params.items() if key not in _CONTROL_NAMES}
    values: dict[str, Any] = {}
    problems = []
    for param in CONTROL_PARAMS:
        value = params.get(param.name)
        if value is None:
            continue
        try:
            values[param.name] = coerce_param(param, value)
        except ParamValueError as exc:
            problems.append(f"param '{param.name}': {exc}")
    intent = values.get("intent")
    if intent is not None and len(intent) > _MAX_INTENT:
        problems.append(f"param 'intent': at most {_MAX_INTENT} characters, got {len(intent)}")
    key = values.get("idempotency_key")
    if key is not None and not 1 <= len(key) <= _MAX_KEY:
        problems.append(f"param 'idempotency_key': 1 to {_MAX_KEY} characters, got {len(key)}")
    if problems:
        valid = [p.snake for p in (*op.all_params, *CONTROL_PARAMS)]
        raise InvalidParamsError(op.entity, op.action, problems, valid)
    return rest, WriteControls(**values)


def control_values(controls: WriteControls) -> dict[str, Any]:
    """The controls as params again (those set), to pass a write on to the hosted service."""
    defaults = WriteControls()
    return {
        param.name: getattr(controls, param.name)
        for param in CONTROL_PARAMS
        if getattr(controls, param.name) != getattr(defaults, param.name)
    }


def require_confirmation(op: Operation, body: Mapping[str, Any], controls: WriteControls) -> None:
    if op.destructive_for(body) and not controls.confirm and not controls.dry_run:
        raise ConfirmationRequiredError(
            f'{op.entity}.{op.action} cannot be undone: call it again with "confirm": true once the user '
            'agreed (or with "dry_run": true to see what it would send).'
        )


#: Finds the ids of an entity's records by (entity, param, value) with its ``api_search``.
Search = Callable[[str, str, str], Awaitable[list[str]]]


async def refuse_duplicate(
    op: Operation, body: Mapping[str, Any], controls: WriteControls, search: Search
) -> None:
    """For a create with ``unique_by``: refuse when a record with the same value exists."""
    value = body.get(op.unique_by) if op.unique_by else None
    if not isinstance(value, str) or controls.allow_duplicate:
        return
    found = await search(op.entity, op.unique_by, value)
    if found:
        again = f'{op.entity}.{op.action} again with "allow_duplicate": true'
        raise DuplicateRecordError(
            f"{op.entity} {', '.join(found)} already has {op.unique_by} {value!r}: use it (get, update), "
            f"or call {again} to create another.",
            existing=found,
        )


#: Reads one record by (entity, id); raises (``NotFoundError``) when it does not exist.
Lookup = Callable[[str, str], Awaitable[object]]


#: The scopes of the key making the calls (``apiKey.info``).
Scopes = Callable[[], Awaitable[list[str] | None]]


async def dry_run(op: Operation, body: Mapping[str, Any], lookup: Lookup, scopes: Scopes) -> DryRun:
    """Check what can be checked without writing — the key holds the endpoint's permission, every
    record ``body`` names exists (one read each), a stage belongs to the plan it is used in — then
    describe the request."""
    from ashby_agent.connectors.ashby.write_result import DryRun

    granted = normalize_permissions(await scopes())
    if granted is not None and op.permission not in granted:
        raise PermissionDeniedError(
            f"This API key lacks {op.permission}, which {op.entity}.{op.action} needs: ask an Ashby admin "
            "to grant it to the key (nothing was sent).",
            missing_permission=op.permission,
            endpoint=op.endpoint,
        )
    found: dict[str, Any] = {}
    for param in op.params:
        value = body.get(param.name)
        if param.refers_to and isinstance(value, str):
            found[param.name] = await lookup(param.refers_to, value)
    _check_plan(op, body, found)
    secrets = {param.name for param in op.params if param.secret}
    request = {name: "[redacted]" if name in secrets else value for name, value in body.items()}
    shown_params = ", ".join(f"{name}={_brief(value)}" for name, value in request.items())
    summary = f"Would {op.description[0].lower()}{op.description[1:].rstrip('.')} (POST /{op.endpoint}"
    summary += f" with {shown_params}); nothing was sent." if shown_params else "); nothing was sent."
    return DryRun(
        entity=op.entity,
        action=op.action,
        endpoint=op.endpoint,
        request=request,
        summary=summary,
        checked=dict.fromkeys(found, "found"),
    )


def _check_plan(op: Operation, body: Mapping[str, Any], found: Mapping[str, Any]) -> None:
    """A stage must belong to the interview plan it is used in: the application's (a stage move) or
    the one named (a transfer)."""
    stage = found.get("interviewStageId")
    stage_plan = getattr(stage, "interview_plan_id", None)
    if stage_plan is None:
        return
    plan = body.get("interviewPlanId")
    if plan is None and "applicationId" in found:
        current = getattr(found["applicationId"], "current_interview_stage", None)
        plan = getattr(current, "interview_plan_id", None)
    if plan is not None and plan != stage_plan:
        raise InvalidParamsError(
            op.entity,
            op.action,
            [
                f"param 'interviewStageId': stage {body['interviewStageId']} belongs to interview plan "
                f"{stage_plan}, not to {plan}; pick a stage of that plan (interview_stages list)"
            ],
            [p.snake for p in op.all_params],
        )


def _brief(value: Any) -> str:
    if isinstance(value, str):
        return value if len(value) <= 40 else value[:40] + "…"
    return shown(value)
