"""The operation catalog: every Ashby read endpoint the connector exposes, declared once.

Each :class:`Entity` groups the Ashby endpoints about one kind of record under the actions ``list``,
``get`` and ``api_search``; each module of this package declares the entities of one Ashby module as
an :class:`EntityGroup`, and :class:`Entities` inherits them all. ``execute``, the typed helpers
(``AshbyConnector`` inherits :class:`Entities`), param validation, agent tool descriptions, the hosted
service's validation and ``docs/REFERENCE.md`` are all derived from these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ashby_agent.connectors.ashby.catalog.api_keys import ApiKeyEntities
from ashby_agent.connectors.ashby.catalog.applications import ApplicationEntities
from ashby_agent.connectors.ashby.catalog.candidates import CandidateEntities
from ashby_agent.connectors.ashby.catalog.files import FileEntities
from ashby_agent.connectors.ashby.catalog.interviews import InterviewEntities
from ashby_agent.connectors.ashby.catalog.jobs import JobEntities
from ashby_agent.connectors.ashby.catalog.metadata import MetadataEntities
from ashby_agent.connectors.ashby.catalog.offers import OfferEntities
from ashby_agent.connectors.ashby.catalog.organization import OrganizationEntities
from ashby_agent.connectors.ashby.catalog.projects import ProjectEntities
from ashby_agent.connectors.ashby.catalog.webhooks import WebhookEntities
from ashby_agent.connectors.ashby.operation import ACTIONS, Entity, EntityGroup, Operation, declared_entities
from ashby_agent.connectors.ashby.params import Param, ParamType
from ashby_agent.errors import UnknownEntityError

__all__ = [
    "ACTIONS",
    "CATALOG",
    "ENTITIES",
    "Entities",
    "Entity",
    "EntityGroup",
    "Operation",
    "Param",
    "ParamType",
    "find_entity",
    "find_operation",
    "operations",
]


class Entities(
    CandidateEntities,
    ApplicationEntities,
    JobEntities,
    OrganizationEntities,
    MetadataEntities,
    InterviewEntities,
    OfferEntities,
    ProjectEntities,
    FileEntities,
    WebhookEntities,
    ApiKeyEntities,
):
    """Every entity of the catalog, in catalog order (the order of the docs and tool descriptions)."""


ENTITIES: tuple[Entity[Any, Any], ...] = declared_entities(Entities)

#: entity name -> Entity
CATALOG: Mapping[str, Entity[Any, Any]] = {entity.name: entity for entity in ENTITIES}


def find_entity(name: str) -> Entity[Any, Any]:
    """The entity called ``name`` or an :class:`UnknownEntityError` naming the valid ones."""
    if not isinstance(name, str):
        raise UnknownEntityError(repr(name), list(CATALOG))
    entity = CATALOG.get(name)
    if entity is None:
        normalised = name.strip().lower().replace("-", "_").replace(" ", "_")
        entity = CATALOG.get(normalised) or CATALOG.get(normalised + "s")
    if entity is None:
        import difflib

        close = difflib.get_close_matches(name, list(CATALOG), n=1)
        raise UnknownEntityError(name, list(CATALOG), suggestion=close[0] if close else None)
    return entity


def find_operation(entity: str, action: str) -> Operation:
    """The operation for ``(entity, action)`` or a typed error listing the valid choices."""
    found = find_entity(entity)
    return found.operation(action if isinstance(action, str) else repr(action))


def operations() -> Sequence[Operation]:
    """Every operation in catalog order."""
    return [op for entity in ENTITIES for op in entity.operations.values()]
