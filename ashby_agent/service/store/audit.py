"""The audit trail of executions: who ran what on which connector, how it ended and how long it took.

Records carry ids, the entity/action, the caller's stated intent, the outcome and the duration; never
param values, results or credentials. Rows are plain strings without foreign keys so history survives
deleting a workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Insert, Select, insert, select

from ashby_agent.service.store.schema import audit_log
from ashby_agent.service.store.timestamps import aware

__all__ = ["AuditRecord", "build_list", "build_record", "list_records", "record", "record_many", "row_values"]


@dataclass(frozen=True, slots=True)
class AuditRecord:
    at: datetime
    client_id: str
    organization_id: str
    workspace_id: str
    connector_id: str
    entity: str
    action: str
    intent: str | None
    #: ``success`` or the error code returned to the caller.
    status: str
    http_status: int
    duration_ms: int
    #: The ids a write named (``candidateId``, ``tagId``, ...); empty for reads.
    record_ids: tuple[str, ...] = ()


def row_values(entry: AuditRecord) -> dict[str, object]:
    """The ``audit_log`` row of ``entry`` (long texts cut to their column's size)."""
    return {
        "at": entry.at,
        "client_id": entry.client_id,
        "organization_id": entry.organization_id,
        "workspace_id": entry.workspace_id,
        "connector_id": entry.connector_id,
        "entity": entry.entity[:100],
        "action": entry.action[:50],
        "intent": entry.intent[:500] if entry.intent else None,
        "status": entry.status[:100],
        "http_status": entry.http_status,
        "duration_ms": entry.duration_ms,
        "record_ids": ",".join(entry.record_ids)[:4000] or None,
    }


def build_record(entry: AuditRecord) -> Insert:
    return insert(audit_log).values(**row_values(entry))


def record(connection: Connection, entry: AuditRecord) -> None:
    connection.execute(build_record(entry))


def record_many(connection: Connection, entries: Sequence[AuditRecord]) -> None:
    """Insert every entry in one statement (executemany): a group commit's rows."""
    if entries:
        connection.execute(insert(audit_log), [row_values(entry) for entry in entries])


def build_list(
    *, organization_id: str | None = None, connector_id: str | None = None, limit: int = 100
) -> Select[tuple[object, ...]]:
    """Newest first."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if organization_id is not None:
        query = query.where(audit_log.c.organization_id == organization_id)
    if connector_id is not None:
        query = query.where(audit_log.c.connector_id == connector_id)
    return query


def list_records(
    connection: Connection,
    *,
    organization_id: str | None = None,
    connector_id: str | None = None,
    limit: int = 100,
) -> list[AuditRecord]:
    rows = connection.execute(
        build_list(organization_id=organization_id, connector_id=connector_id, limit=limit)
    )
    return [
        AuditRecord(
            at=aware(row.at),
            client_id=row.client_id,
            organization_id=row.organization_id,
            workspace_id=row.workspace_id,
            connector_id=row.connector_id,
            entity=row.entity,
            action=row.action,
            intent=row.intent,
            status=row.status,
            http_status=row.http_status,
            duration_ms=row.duration_ms,
            record_ids=tuple(row.record_ids.split(",")) if row.record_ids else (),
        )
        for row in rows
    ]
