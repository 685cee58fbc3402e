"""Applications and what hangs off them: stage history, criteria evaluations, feedback, team roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.catalog.candidates import CANDIDATES_READ
from ashby_agent.connectors.ashby.operation import (
    CREATED_AFTER,
    Entity,
    EntityGroup,
    Operation,
    expand_param,
    filter_param,
    id_param,
)
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.applications import (
        Application,
        ApplicationFeedback,
        ApplicationHistory,
        CriteriaEvaluation,
    )
    from ashby_agent.connectors.ashby.records.organization import HiringTeamRole

__all__ = ["ApplicationEntities"]


class ApplicationEntities(EntityGroup):
    """The entities of Ashby's applications module."""

    applications: Entity[Application, Application] = Entity(
        "A candidate's application to a job: status, current stage, source, hiring team.",
        Operation(
            "list",
            "application.list",
            CANDIDATES_READ,
            "List applications, oldest first; filter by job/status.",
            (
                CREATED_AFTER,
                Param(
                    "status",
                    ParamType.ENUM,
                    "Only this status.",
                    choices=("Active", "Archived", "Hired", "Lead"),
                ),
                filter_param("jobId", "job"),
                expand_param("openings"),
            ),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "application.info",
            CANDIDATES_READ,
            "One application with its stage history.",
            (
                Param("applicationId", ParamType.UUID, "Application id.", aliases=("id",)),
                Param("submittedFormInstanceId", ParamType.UUID, "Id of the submitted application form."),
                expand_param("openings", "applicationFormSubmissions", "referrals"),
            ),
            one_of=("applicationId", "submittedFormInstanceId"),
        ),
    )

    application_history: Entity[ApplicationHistory, ApplicationHistory] = Entity(
        "Stages an application went through, with entry/exit times.",
        Operation(
            "list",
            "application.listHistory",
            CANDIDATES_READ,
            "Stage history of one application.",
            (id_param("applicationId", "application"),),
            paginated=True,
        ),
    )

    application_criteria_evaluations: Entity[CriteriaEvaluation, CriteriaEvaluation] = Entity(
        "AI review of an application against job criteria.",
        Operation(
            "list",
            "application.listCriteriaEvaluations",
            CANDIDATES_READ,
            "Criteria evaluations of one application.",
            (id_param("applicationId", "application"),),
            paginated=True,
        ),
    )

    application_feedback: Entity[ApplicationFeedback, ApplicationFeedback] = Entity(
        "Submitted interview feedback (scorecards).",
        Operation(
            "list",
            "applicationFeedback.list",
            CANDIDATES_READ,
            "List feedback, optionally for one application.",
            (CREATED_AFTER, filter_param("applicationId", "application")),
            paginated=True,
            sync=True,
        ),
    )

    application_hiring_team_roles: Entity[HiringTeamRole, HiringTeamRole] = Entity(
        "Roles a user can hold on an application's hiring team.",
        Operation(
            "list", "applicationHiringTeamRole.list", CANDIDATES_READ, "All application hiring team roles."
        ),
    )
