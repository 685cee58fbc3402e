"""Sourcing projects (talent pools)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.catalog.candidates import CANDIDATES_READ
from ashby_agent.connectors.ashby.catalog.jobs import JOBS_READ
from ashby_agent.connectors.ashby.operation import CREATED_AFTER, Entity, EntityGroup, Operation, id_param
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.projects import Project

__all__ = ["ProjectEntities"]


class ProjectEntities(EntityGroup):
    """The entities of Ashby's projects module."""

    projects: Entity[Project, Project] = Entity(
        "Sourcing projects (talent pools).",
        Operation(
            "list",
            "project.list",
            CANDIDATES_READ,
            "List projects.",
            (CREATED_AFTER,),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "project.info",
            JOBS_READ,
            "One project.",
            (id_param("projectId", "project", aliases=("id",)),),
        ),
        Operation(
            "api_search",
            "project.search",
            CANDIDATES_READ,
            "Find projects by title (at most 100).",
            (Param("title", ParamType.STRING, "Title to match."),),
        ),
    )
