"""Ashby webhook events applied to the store: what lists never report, and what to refresh now.

Deletions and merges reach the store only this way: ``candidateDelete`` removes the candidate,
``candidateMerge`` keeps an alias from the deleted id to the surviving one and drops the old record,
``offerDelete`` removes the offer. Every other event names the entities it changed, which the caller
refreshes with an incremental sync (one request per entity with a ``syncToken``), so the store holds
Ashby's own list form rather than the slightly different webhook payloads. Deliveries are retried by
Ashby; each ``webhookActionId`` is applied once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from ashby_agent.errors import InvalidRequestError
from ashby_agent.store import rows
from ashby_agent.store.schema import webhook_events

__all__ = ["REFRESHES", "WebhookOutcome", "apply_event"]

#: Event type -> the entities whose listings it changes (refreshed incrementally).
REFRESHES: Final[dict[str, tuple[str, ...]]] = {
    "applicationSubmit": ("candidates", "applications"),
    "applicationUpdate": ("applications",),
    "candidateStageChange": ("applications",),
    "candidateHire": ("candidates", "applications", "offers"),
    "pushToHRIS": ("applications",),
    "candidateMerge": ("candidates", "applications"),
    "interviewPlanTransition": ("jobs", "applications"),
    "interviewScheduleCreate": ("interview_schedules",),
    "interviewScheduleUpdate": ("interview_schedules",),
    "jobCreate": ("jobs",),
    "jobUpdate": ("jobs",),
    "jobPostingUpdate": ("job_postings",),
    "jobPostingPublish": ("job_postings",),
    "jobPostingUnpublish": ("job_postings",),
    "offerCreate": ("offers",),
    "offerUpdate": ("offers",),
    "openingCreate": ("openings",),
}


@dataclass(frozen=True, slots=True)
class WebhookOutcome:
    action: str
    #: False when this ``webhookActionId`` was applied before (a retried delivery).
    applied: bool
    #: Entities to refresh now.
    refresh: tuple[str, ...] = ()
    #: Records removed from the store (deletions, merged-away candidates).
    removed: list[str] = field(default_factory=list)


def _id(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    ident = value.get("id") if isinstance(value, dict) else None
    if not isinstance(ident, str) or not ident:
        raise InvalidRequestError(f"The webhook's data has no {key}.id.")
    return ident


def _first_delivery(connection: Connection, connector_id: str, action_id: str, action: str) -> bool:
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(webhook_events).values(
        connector_id=connector_id, action_id=action_id, action=action, received_at=datetime.now(UTC)
    )
    inserted = statement.on_conflict_do_nothing().returning(webhook_events.c.action_id)
    return connection.execute(inserted).first() is not None


def apply_event(connection: Connection, connector_id: str, event: Any) -> WebhookOutcome:
    """Apply one webhook body (``{webhookActionId, action, data}``) for ``connector_id``."""
    if not isinstance(event, dict):
        raise InvalidRequestError("A webhook body is a JSON object {webhookActionId, action, data}.")
    action, action_id, data = event.get("action"), event.get("webhookActionId"), event.get("data")
    if not isinstance(action, str) or not action:
        raise InvalidRequestError("The webhook has no action.")
    if not isinstance(data, dict):
        data = {}
    if action == "ping" or data.get("webhookActionType") == "ping":
        return WebhookOutcome("ping", applied=True)
    if not isinstance(action_id, str) or not action_id:
        raise InvalidRequestError("The webhook has no webhookActionId.")
    if not _first_delivery(connection, connector_id, action_id, action):
        return WebhookOutcome(action, applied=False)
    now = datetime.now(UTC)
    removed: list[str] = []
    if action == "candidateDelete":
        candidate_id = _id(data, "candidate")
        if rows.delete(connection, connector_id, "candidates", candidate_id):
            removed.append(candidate_id)
    elif action == "candidateMerge":
        old, new = _id(data, "deletedCandidate"), _id(data, "mergedCandidate")
        rows.merge(connection, connector_id, "candidates", old, new, now)
        removed.append(old)
    elif action == "offerDelete":
        offer_id = _id(data, "offer")
        if rows.delete(connection, connector_id, "offers", offer_id):
            removed.append(offer_id)
    return WebhookOutcome(action, applied=True, refresh=REFRESHES.get(action, ()), removed=removed)
