"""What "the store equals the sandbox" means, per entity: the same ids with the same ``updatedAt``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import records

#: Store entity -> sandbox table, for the entities whose every record the list returns.
TABLES = {
    "candidates": "candidate",
    "applications": "application",
    "jobs": "job",
    "offers": "offer",
    "projects": "project",
    "openings": "opening",
    "departments": "department",
    "users": "user",
    "interview_schedules": "interviewSchedule",
}

#: Every other entity whose list returns every record of its sandbox table (most have no ``updatedAt``:
#: for them the comparison is of ids). Not here: locations and job postings, whose lists hide archived
#: locations and unpublished postings.
MORE_TABLES = {
    "application_feedback": "applicationFeedback",
    "interview_plans": "interviewPlan",
    "interview_stages": "interviewStage",
    "interview_stage_groups": "interviewStageGroup",
    "interviews": "interview",
    "interviewer_pools": "interviewerPool",
    "archive_reasons": "archiveReason",
    "close_reasons": "closeReason",
    "brands": "brand",
    "candidate_tags": "candidateTag",
    "communication_templates": "communicationTemplate",
    "custom_fields": "customField",
    "feedback_form_definitions": "feedbackFormDefinition",
    "hiring_team_roles": "hiringTeamRole",
    "application_hiring_team_roles": "hiringTeamRole",
    "job_boards": "jobBoard",
    "job_templates": "jobTemplate",
    "sources": "source",
    "source_tracking_links": "sourceTrackingLink",
}


def stored(store: ContextStore, connector_id: str, entity: str) -> dict[str, str | None]:
    return stored_column(store, connector_id, entity, "updated_at")


def stored_column(store: ContextStore, connector_id: str, entity: str, column: str) -> dict[str, Any]:
    """Record id -> one column of its ``store_records`` row (``archived``, ``pass_number``, ``data``)."""
    query = sa.select(records.c.record_id, records.c[column]).where(
        records.c.connector_id == connector_id, records.c.entity == entity
    )
    return dict(store.transaction(lambda c: [tuple(row) for row in c.execute(query)]))


def in_sandbox(sandbox: Any, entity: str, tables: dict[str, str] = TABLES) -> dict[str, str | None]:
    return {record["id"]: record.get("updatedAt") for record in sandbox.control.records(tables[entity])}


def assert_equal(
    store: ContextStore, connector_id: str, sandbox: Any, tables: dict[str, str] = TABLES
) -> None:
    """Per entity of ``tables`` (default :data:`TABLES`), the same ids with the same ``updatedAt``."""
    for entity in tables:
        assert stored(store, connector_id, entity) == in_sandbox(sandbox, entity, tables), entity


def row_count(store: ContextStore) -> int:
    return int(
        store.transaction(lambda c: c.execute(sa.select(sa.func.count()).select_from(records)).scalar_one())
    )
