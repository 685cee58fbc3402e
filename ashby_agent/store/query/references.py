"""Which field paths hold the id of another stored record, and how such a record is named.

One rule instead of a table per entity: a path ending in ``<stem>.id``, ``<stem>Id`` or ``<stem>Ids``
refers to the entity its stem names, which is a declared alias (:data:`ALIASES`: ``creditedToUser`` ->
``users``, ``tags`` -> ``candidate_tags``, ...), else ``parent`` for the entity itself, else the stem's
snake_case plural (``job`` -> ``jobs``, ``interviewPlan`` -> ``interview_plans``) when the store keeps
that entity. So ``job.departmentId`` refers to ``departments``, ``candidate.id`` to ``candidates``,
``hiringTeam.userId`` to ``users``; the record's own ``id`` refers to nothing.

A referenced record's display name is its ``name``, else its ``title``, else ``firstName lastName``.
"""

from __future__ import annotations

import re
from typing import Final

from ashby_agent.store.plan import STREAMS
from ashby_agent.store.query.dialects import Base, Dialect
from ashby_agent.store.query.fields import Kind, Path

__all__ = ["ALIASES", "display_name", "referenced_entity"]

#: Stems whose entity is not their plural.
ALIASES: Final = {
    "user": "users",
    "creditedToUser": "users",
    "author": "users",
    "manager": "users",
    "actor": "users",
    "scheduledBy": "users",
    "submittedByUser": "users",
    "interviewers": "users",
    "interviewerUser": "users",
    "qualifiedMembers": "users",
    "trainees": "users",
    "tags": "candidate_tags",
    "stage": "interview_stages",
    "currentInterviewStage": "interview_stages",
    "archiveReason": "archive_reasons",
    "defaultInterviewPlan": "interview_plans",
    "parentLocation": "locations",
    "primaryLocation": "locations",
    "appliedViaJobPosting": "job_postings",
}
_ID_SUFFIX: Final = re.compile(r"^(?P<stem>[A-Za-z]+?)Ids?$")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _entity_of(stem: str, entity: str) -> str | None:
    if stem in ALIASES:
        return ALIASES[stem]
    if stem == "parent":
        return entity
    snake = _snake(stem)
    for name in (snake, snake + "s"):
        if name in STREAMS:
            return name
    return None


def referenced_entity(entity: str, path: Path) -> str | None:
    """The stored entity whose ids ``path`` (a field of ``entity``'s records) holds, if any."""
    if path.kind is not Kind.STRING:
        return None
    keys = path.keys
    if keys[-1] == "id":
        return _entity_of(keys[-2], entity) if len(keys) > 1 else None
    found = _ID_SUFFIX.match(keys[-1])
    return _entity_of(found["stem"], entity) if found else None


def display_name(dialect: Dialect, record: Base) -> str:
    """SQL for the display name of the stored record ``record`` (null when it has none)."""

    def field(key: str) -> str:
        return dialect.scalar(record, (key,), Kind.STRING)

    person = (
        f"NULLIF(TRIM(COALESCE({field('firstName')}, '') || ' ' || COALESCE({field('lastName')}, '')), '')"
    )
    return f"COALESCE({field('name')}, {field('title')}, {person})"
