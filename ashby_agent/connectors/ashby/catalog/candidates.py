"""Candidates and what hangs off them: notes, projects, client info, fraud checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import CREATED_AFTER, Entity, EntityGroup, Operation, id_param
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.candidates import Candidate, ClientInfo, FraudCheck, Note
    from ashby_agent.connectors.ashby.records.projects import Project

__all__ = ["CANDIDATES_READ", "CandidateEntities"]

#: The permission Ashby requires to read its candidates module.
CANDIDATES_READ = "candidatesRead"


class CandidateEntities(EntityGroup):
    """The entities of Ashby's candidates module."""

    candidates: Entity[Candidate, Candidate] = Entity(
        "People in the hiring pipeline: contact info, tags, source, application ids.",
        Operation(
            "list",
            "candidate.list",
            CANDIDATES_READ,
            "List candidates, oldest first.",
            (CREATED_AFTER,),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "candidate.info",
            CANDIDATES_READ,
            "One candidate by id (or by HRIS externalMappingId).",
            (
                Param("id", ParamType.UUID, "Candidate id.", aliases=("candidate_id", "candidateId")),
                Param("externalMappingId", ParamType.STRING, "The candidate's id in your HRIS."),
            ),
            one_of=("id", "externalMappingId"),
        ),
        Operation(
            "api_search",
            "candidate.search",
            CANDIDATES_READ,
            "Find candidates by email and/or name (AND-combined; at most 100, no paging).",
            (
                Param("email", ParamType.STRING, "Email address to match."),
                Param("name", ParamType.STRING, "Name to match."),
            ),
            one_of=("email", "name"),
        ),
    )

    candidate_notes: Entity[Note, Note] = Entity(
        "Notes written on a candidate's profile.",
        Operation(
            "list",
            "candidate.listNotes",
            CANDIDATES_READ,
            "Notes of one candidate.",
            (id_param("candidateId", "candidate"),),
            paginated=True,
        ),
    )

    candidate_projects: Entity[Project, Project] = Entity(
        "Sourcing projects a candidate belongs to.",
        Operation(
            "list",
            "candidate.listProjects",
            CANDIDATES_READ,
            "Projects of one candidate.",
            (id_param("candidateId", "candidate"),),
            paginated=True,
        ),
    )

    candidate_client_info: Entity[ClientInfo, ClientInfo] = Entity(
        "Browser/IP info recorded when a candidate applied.",
        Operation(
            "list",
            "candidate.listClientInfo",
            CANDIDATES_READ,
            "Client info rows of one candidate.",
            (id_param("candidateId", "candidate"),),
            paginated=True,
            sync=True,
        ),
    )

    candidate_fraud_checks: Entity[FraudCheck, FraudCheck] = Entity(
        "Fraud checks run on a candidate (feature-gated).",
        Operation(
            "list",
            "candidate.listFraudChecks",
            CANDIDATES_READ,
            "Fraud checks of one candidate.",
            (id_param("candidateId", "candidate"),),
            paginated=True,
        ),
    )
