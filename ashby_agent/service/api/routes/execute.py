"""``POST /integrations/connectors/{id}/execute``: the same catalog and transport as local mode, run on a
pooled connector, shaped for the wire, audited.

The params are validated once, here, by the catalog's ``Operation``; the validated body goes straight to
the connector's send path, and Ashby's envelope comes back. Records are forwarded in Ashby's camelCase
wire form, as Ashby sent them: when nothing is projected, truncated or redacted, the bytes of Ashby's
``results`` are spliced into the answer unchanged, never decoded (:mod:`~ashby_agent.service.api.forwarded`).
The hosted-mode client validates them into the same record models as local mode.

``entity`` and ``action`` are the catalog's names exactly (a near miss is a 422 with the name meant), as
the OpenAPI document states. Every audited field was validated where the request entered. The answer
waits for the group commit holding its audit row (:class:`~ashby_agent.service.store.journal.Journal`),
so every answer returned has its row; a failing audit write is logged without replacing the answer:
Ashby was called, so its result reaches the caller.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson
from starlette.responses import Response

from ashby_agent.connectors.ashby.catalog import CATALOG, Entity, Operation, find_entity
from ashby_agent.connectors.ashby.guardrails import require_access, split_controls
from ashby_agent.connectors.ashby.operation import Access
from ashby_agent.connectors.ashby.params import ParamType
from ashby_agent.connectors.ashby.store_actions import SEARCH, SQL_ENTITY, SQL_QUERY, store_action
from ashby_agent.connectors.ashby.write_result import DryRun
from ashby_agent.envelope import execute_answer, listed_results, single_result
from ashby_agent.errors import (
    AshbyAgentError,
    UnknownActionError,
    UnknownEntityError,
)
from ashby_agent.pagination import ListResult
from ashby_agent.service.api.errors import from_connector_error, json_response
from ashby_agent.service.api.execute_schema import execute_request_schema
from ashby_agent.service.api.forwarded import forwardable
from ashby_agent.service.api.projection import FieldPlan, plan_fields, truncate_strings
from ashby_agent.service.api.routing import Call, Endpoint
from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.security.tenancy import executable_connector
from ashby_agent.service.state import ServiceState
from ashby_agent.service.store import audit
from ashby_agent.service.store.timestamps import utcnow
from ashby_agent.tools.redaction import Redaction
from ashby_agent.transports.ashby import AshbyTransport
from ashby_agent.undecoded import decode_envelope, materialize
from ashby_agent.wire import ExecuteOut, ExecuteRequest

__all__ = ["ENDPOINTS"]

_LOG = logging.getLogger("ashby_agent.service")


def _entity(name: str) -> Entity[Any, Any]:
    """The entity called exactly ``name``; else the catalog's error, naming the entity meant."""
    entity = CATALOG.get(name)
    if entity is None:
        try:
            meant: str | None = find_entity(name).name  # a spelling local mode would accept
        except UnknownEntityError as exc:
            meant = exc.suggestion
        raise UnknownEntityError(name, list(CATALOG), suggestion=meant)
    return entity


def _operation(entity: Entity[Any, Any], action: str) -> Operation:
    op = entity.operations.get(action)
    if op is None:
        raise UnknownActionError(entity.name, action, entity.actions)
    return op


def _inactive(row: Any) -> ServiceError:
    """Deactivating a workspace is how an operator stops its executions (audited as refused)."""
    return ServiceError.forbidden(
        f"Workspace '{row.workspace_name}' is inactive, so its connectors do not execute; reactivate it "
        f'with PUT /api/v1/workspaces/{row.workspace_id} {{"status": "active"}}.',
        code="workspace_inactive",
        field="workspace",
    )


def _prepare(body: ExecuteRequest, access: Access) -> tuple[Operation, dict[str, Any] | None, FieldPlan]:
    """Everything that can fail before Ashby is called: the operation, the connector's access level
    (a write above it is refused), a read's validated body (a write's is checked by its guardrails), and
    the fields."""
    entity = _entity(body.entity)
    op = _operation(entity, body.action)
    require_access(op, access, hosted=True)
    if op.read_only:
        ashby_body: dict[str, Any] | None = op.build_body(body.params)
    else:  # checked here too, so that a bad write is refused before the connector is even built
        op.build_body(split_controls(op, body.params)[0])
        ashby_body = None
    return op, ashby_body, plan_fields(op.result, body.select_fields, body.exclude_fields)


async def _write_answer(
    state: ServiceState, row: Any, op: Operation, body: ExecuteRequest, plan: FieldPlan
) -> tuple[Any, dict[str, Any]]:
    """A write through the connector's guardrails at its stored access level; idempotency keys are kept
    in the service's store under the connector's id. The answer is Ashby's record in its wire form
    (secrets masked), or the dry run."""
    connector = await state.pooled_connector(row)
    answer = await connector.write(op, body.params, access=row.access, keys=(state.store, row.id))
    metadata = {"cursor": None, "has_more": False, "sync_token": None}
    if isinstance(answer, ListResult):
        return [plan.apply(record) for record in answer.wire_records()], metadata
    if isinstance(answer, DryRun):
        return answer.model_dump(mode="json"), metadata
    return plan.apply(answer.model_dump(mode="json", by_alias=True, exclude_unset=True)), metadata


def _target_ids(op: Operation, params: Any) -> tuple[str, ...]:
    """The record ids a write names (audited; ids only, never other values)."""
    if op.read_only or not isinstance(params, dict):
        return ()
    spellings = op.spellings
    found = []
    for name, value in params.items():
        param = spellings.get(name) if isinstance(name, str) else None
        if param is not None and param.type is ParamType.UUID and isinstance(value, str):
            found.append(value[:64])
    return tuple(found)


def _shape(
    envelope: dict[str, Any], op: Operation, plan: FieldPlan, body: ExecuteRequest, limit: int
) -> tuple[Any, dict[str, Any]]:
    """The wire API's ``result`` and ``connector_metadata`` for Ashby's ``envelope``."""

    def one(wire: dict[str, Any]) -> dict[str, Any]:
        data = plan.apply(wire)
        return data if body.skip_truncation else truncate_strings(data, limit)

    if op.returns_list:
        records = [one(record) for record in listed_results(envelope, op.endpoint)]
        return execute_answer(op.action, envelope, records)
    return execute_answer(op.action, envelope, one(single_result(envelope, op.endpoint)))


def _as_sent(
    envelope: dict[str, Any], op: Operation, plan: FieldPlan, body: ExecuteRequest, limit: int
) -> tuple[bytes, dict[str, Any]] | None:
    """The answer's ``result`` as the bytes Ashby sent (with its ``connector_metadata``) when nothing
    is projected or truncated; ``None`` when the records must be shaped (:func:`_shape`)."""
    if plan.select is not None or plan.exclude:
        return None
    cut = None if body.skip_truncation else limit
    results = forwardable(envelope, op.endpoint, returns_list=op.returns_list, limit=cut)
    if results is None:
        return None
    metadata = execute_answer(op.action, envelope, None)[1]
    if op.action == "api_search":  # {"data": records, "meta": ...}, as execute_answer shapes it
        results = b'{"data":' + results + b',"meta":' + orjson.dumps(metadata) + b"}"
    return results, metadata


def _answer(result: bytes, metadata: dict[str, Any], connector_id: str, elapsed_ms: int) -> Response:
    """The execute answer around ``result``'s bytes: what :func:`json_response` would send for it."""
    rest = orjson.dumps(
        {
            "connector_metadata": metadata,
            "execution_metadata": {"connector_instance_id": connector_id, "execution_time_ms": elapsed_ms},
        }
    )
    content = b'{"status":"success","result":' + result + b"," + rest[1:]
    return Response(content, media_type="application/json")


async def _store_answer(
    state: ServiceState, row: Any, body: ExecuteRequest, action: str
) -> tuple[Any, dict[str, Any]]:
    """A context store action on the service's store, confined to the connector's rows."""
    store = state.store
    if action == SQL_QUERY:
        if body.entity != SQL_ENTITY:
            _entity(body.entity)
        answer = await store.sql(row.id, body.params)
    else:
        entity = _entity(body.entity).name
        transport = (await state.pooled_connector(row)).transport
        if action == SEARCH:
            answer = await store.search(row.id, entity, body.params, transport=transport)
        else:
            answer = await store.aggregate(row.id, entity, body.params, transport=transport)
    meta = answer.get("meta", {})
    return answer, {"cursor": meta.get("cursor"), "has_more": bool(meta.get("has_more")), "sync_token": None}


async def _write_audit(state: ServiceState, entry: audit.AuditRecord) -> None:
    """Record the execution before answering (group commit: the answer waits for the batch holding its
    row); a failure is logged (ids and type only) and never replaces the answer."""
    try:
        await state.journal.record(entry)
    except Exception as exc:
        _LOG.error(
            "audit write failed (%s) for %s.%s on connector %s; the answer was still sent",
            type(exc).__name__,
            entry.entity,
            entry.action,
            entry.connector_id,
        )


async def execute(call: Call) -> Response:
    connector_id = call.path("connector_id")
    body = await call.body(ExecuteRequest)
    state, principal = call.state, call.principal
    row = await executable_connector(state, principal, connector_id)
    started = time.perf_counter()
    outcome, http_status = "internal", 500
    record_ids: tuple[str, ...] = ()
    as_sent: bytes | None = None
    try:
        if row.workspace_status != "active":
            raise _inactive(row)
        store = store_action(body.action)
        if store is not None:
            shaped, metadata = await _store_answer(state, row, body, store)
        else:
            op, ashby_body, plan = _prepare(body, row.access)
            record_ids = _target_ids(op, body.params)
            if ashby_body is None:
                shaped, metadata = await _write_answer(state, row, op, body, plan)
            else:
                transport = (await state.pooled_connector(row)).transport
                assert isinstance(transport, AshbyTransport)  # (a pooled connector's)
                async with state.pool.slot():
                    envelope = await transport.post(op.endpoint, ashby_body, decode=decode_envelope)
                limit = state.settings.truncate_strings_at
                forwarded = None if row.redact else _as_sent(envelope, op, plan, body, limit)
                if forwarded is not None:
                    as_sent, metadata = forwarded
                else:
                    shaped, metadata = _shape(materialize(envelope), op, plan, body, limit)
        if row.redact:  # (never forwarded as sent)
            shaped = Redaction.parse(row.redact).apply(shaped)
        outcome, http_status = "success", 200
    except (ServiceError, AshbyAgentError) as exc:
        error = exc if isinstance(exc, ServiceError) else from_connector_error(exc, connector_id=row.id)
        outcome, http_status = error.errors[0].error_code if error.errors else "error", error.status
        if outcome == "invalid_api_key":  # perhaps rotated by another process: read the row again
            scope = principal.scope
            state.standing.forget_connector(scope.organization_id, scope.workspace_id, row.id)
        raise error from None
    finally:
        elapsed_ms = round((time.perf_counter() - started) * 1000)
        entry = audit.AuditRecord(
            at=utcnow(),
            client_id=principal.client_id,
            organization_id=principal.organization_id,
            workspace_id=row.workspace_id,
            connector_id=row.id,
            entity=body.entity,
            action=body.action,
            intent=body.intent,
            status=outcome,
            http_status=http_status,
            duration_ms=elapsed_ms,
            record_ids=record_ids,
        )
        await _write_audit(state, entry)
    if as_sent is not None:
        return _answer(as_sent, metadata, row.id, elapsed_ms)
    # ExecuteOut documents this shape (OpenAPI); the records are already JSON, so they go straight to
    # orjson instead of through a model that would walk every one of them again.
    return json_response(
        {
            "status": "success",
            "result": shaped,
            "connector_metadata": metadata,
            "execution_metadata": {"connector_instance_id": row.id, "execution_time_ms": elapsed_ms},
        }
    )


ENDPOINTS = (
    Endpoint(
        "POST",
        "/integrations/connectors/{connector_id}/execute",
        execute,
        "any",
        "Run an operation (entity, action, params) of the connector's catalog against Ashby.",
        body=ExecuteRequest,
        body_schema=execute_request_schema,
        response=ExecuteOut,
        errors=(400, 401, 403, 404, 413, 422, 429, 502),
    ),
)
