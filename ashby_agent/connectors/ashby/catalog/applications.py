"""Applications and what hangs off them: stage history, criteria evaluations, feedback, team roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.catalog.candidates import (
    CANDIDATE,
    CANDIDATES_READ,
    CANDIDATES_WRITE,
    written_at,
)
from ashby_agent.connectors.ashby.operation import (
    CREATED_AFTER,
    Entity,
    EntityGroup,
    Operation,
    expand_param,
    filter_param,
    id_param,
    ref_param,
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

_APPLICATION = ref_param("applicationId", "applications", "application")
_JOB = ref_param("jobId", "jobs", "job")
_STAGE = ref_param("interviewStageId", "interview_stages", "interview stage (of the job's plan)")
_PLAN = Param("interviewPlanId", ParamType.UUID, "Id of the job's interview plan.")
_SOURCE = Param("sourceId", ParamType.UUID, "Id of the source (sources list) credited.")
_CREDITED = ref_param("creditedToUserId", "users", "user credited", required=False)
_MEMBER = ref_param("teamMemberId", "users", "user")
_ROLE = Param("roleId", ParamType.UUID, "Id of the hiring team role.", required=True)
_HISTORY = Param(
    "applicationHistory",
    ParamType.OBJECT_LIST,
    'Past stages: [{"stageId", "stageNumber", "enteredStageAt", "archiveReasonId"?}].',
)


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
        Operation(
            "create",
            "application.create",
            CANDIDATES_WRITE,
            "Apply a candidate to an open job (first Lead stage of the job's plan unless a stage is given).",
            (
                CANDIDATE,
                _JOB,
                _PLAN,
                Param(
                    "interviewStageId",
                    ParamType.STRING,
                    'Id of the first stage, or "FirstPreInterviewScreen" (default: the first Lead stage).',
                ),
                _SOURCE,
                _CREDITED,
                written_at("application"),
                _HISTORY,
            ),
            access="write",
        ),
        Operation(
            "change_stage",
            "application.changeStage",
            CANDIDATES_WRITE,
            "Move an application to a stage of its plan; to archive, pick the Archived stage and a reason.",
            (
                _APPLICATION,
                _STAGE,
                Param(
                    "archiveReasonId", ParamType.UUID, "Why it is archived (needed for an Archived stage)."
                ),
                Param(
                    "archiveEmail",
                    ParamType.OBJECT,
                    'Email the candidate on archiving: {"communicationTemplateId", "sendAt"?}.',
                ),
            ),
            access="write",
            idempotent=True,
            destructive_with=("archiveReasonId",),
        ),
        Operation(
            "change_source",
            "application.changeSource",
            CANDIDATES_WRITE,
            "Credit an application to another source.",
            (_APPLICATION, Param("sourceId", ParamType.UUID, "Id of the source.", required=True)),
            access="write",
            idempotent=True,
        ),
        Operation(
            "update",
            "application.update",
            CANDIDATES_WRITE,
            "Change an application's source, credited user or creation time.",
            (
                _APPLICATION,
                _SOURCE,
                _CREDITED,
                written_at("application"),
                Param("sendNotifications", ParamType.BOOLEAN, "Notify subscribed users (default true)."),
            ),
            access="write",
            idempotent=True,
        ),
        Operation(
            "transfer",
            "application.transfer",
            CANDIDATES_WRITE,
            "Move an application to another job, at a stage of that job's plan.",
            (
                _APPLICATION,
                _JOB,
                Param(
                    "interviewPlanId", ParamType.UUID, "Id of the new job's interview plan.", required=True
                ),
                _STAGE,
                Param(
                    "startAutomaticActivities",
                    ParamType.BOOLEAN,
                    "Run the new stage's automatic activities (default true).",
                ),
            ),
            access="write",
        ),
        Operation(
            "add_hiring_team_member",
            "application.addHiringTeamMember",
            CANDIDATES_WRITE,
            "Put a user on an application's hiring team in a role (application_hiring_team_roles).",
            (_APPLICATION, _MEMBER, _ROLE),
            access="write",
            idempotent=True,
            returns="common:HiringTeamMember",
        ),
        Operation(
            "remove_hiring_team_member",
            "application.removeHiringTeamMember",
            CANDIDATES_WRITE,
            "Take a user off an application's hiring team role.",
            (_APPLICATION, _MEMBER, _ROLE),
            access="write",
            idempotent=True,
            returns="common:HiringTeamMember",
        ),
        Operation(
            "delete",
            "application.delete",
            CANDIDATES_WRITE,
            "Delete an application and its stage history for good.",
            (_APPLICATION,),
            access="write",
            destructive=True,
            returns="applications:DeletedApplication",
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
        Operation(
            "update",
            "application.updateHistory",
            CANDIDATES_WRITE,
            "Replace an application's whole stage history (Ashby must have enabled it for the key).",
            (_APPLICATION, Param(_HISTORY.name, ParamType.OBJECT_LIST, _HISTORY.description, required=True)),
            access="write",
            idempotent=True,
            returns="applications:Application",
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
        Operation(
            "submit",
            "applicationFeedback.submit",
            CANDIDATES_WRITE,
            "Submit a scorecard for an application (or an interview event, with userId).",
            (
                Param(
                    "feedbackForm",
                    ParamType.OBJECT,
                    'The answers: {"fieldSubmissions": [{"path", "value"}]} (see feedback_form_definitions).',
                    required=True,
                ),
                ref_param("formDefinitionId", "feedback_form_definitions", "feedback form definition"),
                _APPLICATION,
                ref_param("userId", "users", "user submitting", required=False),
                Param("interviewEventId", ParamType.UUID, "Id of the interview event it is about."),
            ),
            access="comment",
            returns="applications:SubmittedFeedback",
        ),
    )

    application_hiring_team_roles: Entity[HiringTeamRole, HiringTeamRole] = Entity(
        "Roles a user can hold on an application's hiring team.",
        Operation(
            "list", "applicationHiringTeamRole.list", CANDIDATES_READ, "All application hiring team roles."
        ),
    )
