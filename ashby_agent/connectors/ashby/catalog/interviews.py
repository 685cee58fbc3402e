"""Interview plans, stages, stage groups, interviews, interview schedules and events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import (
    CREATED_AFTER,
    INCLUDE_ARCHIVED,
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
    from ashby_agent.connectors.ashby.records.interviews import (
        Interview,
        InterviewEvent,
        InterviewPlan,
        InterviewSchedule,
        InterviewStage,
        InterviewStageGroup,
    )

__all__ = ["INTERVIEWS_READ", "INTERVIEWS_WRITE", "InterviewEntities"]

#: The permissions Ashby requires to read and to change its interviews module.
INTERVIEWS_READ = "interviewsRead"
INTERVIEWS_WRITE = "interviewsWrite"

_EVENT_SHAPE = (
    '{"startTime", "endTime" (ISO date-times), "interviewers": [{"email", "feedbackRequired"?}], '
    '"interviewId"?, "extraData"?}'
)


class InterviewEntities(EntityGroup):
    """The entities of Ashby's interviews module."""

    interview_plans: Entity[InterviewPlan, InterviewPlan] = Entity(
        "Interview plans (ordered stages a job's applications go through).",
        Operation(
            "list",
            "interviewPlan.list",
            INTERVIEWS_READ,
            "List published interview plans.",
            (INCLUDE_ARCHIVED,),
            paginated=True,
            sync=True,
        ),
    )

    interview_stages: Entity[InterviewStage, InterviewStage] = Entity(
        "Stages of an interview plan (Lead, screen, onsite, Offer, Hired, Archived).",
        Operation(
            "list",
            "interviewStage.list",
            INTERVIEWS_READ,
            "Stages of one interview plan, in order.",
            (id_param("interviewPlanId", "interview plan"),),
        ),
        Operation(
            "get",
            "interviewStage.info",
            INTERVIEWS_READ,
            "One interview stage.",
            (id_param("interviewStageId", "interview stage", aliases=("id",)),),
        ),
    )

    interview_stage_groups: Entity[InterviewStageGroup, InterviewStageGroup] = Entity(
        "Groups of interview stages.",
        Operation("list", "interviewStageGroup.list", INTERVIEWS_READ, "All interview stage groups."),
    )

    interviews: Entity[Interview, Interview] = Entity(
        "Interview types (shared, or specific to a job).",
        Operation(
            "list",
            "interview.list",
            INTERVIEWS_READ,
            "List interviews (shared only unless includeNonSharedInterviews).",
            (
                INCLUDE_ARCHIVED,
                Param("includeNonSharedInterviews", ParamType.BOOLEAN, "Include job-specific interviews."),
                Param(
                    "excludeArchivedScheduleTemplateInterviews",
                    ParamType.BOOLEAN,
                    "Leave out interviews of archived schedule templates.",
                ),
            ),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "interview.info",
            INTERVIEWS_READ,
            "One interview.",
            (
                Param(
                    "id",
                    ParamType.UUID,
                    "Interview id.",
                    required=True,
                    aliases=("interview_id", "interviewId"),
                ),
            ),
        ),
    )

    interview_schedules: Entity[InterviewSchedule, InterviewSchedule] = Entity(
        "Scheduled interviews of applications, with their events.",
        Operation(
            "list",
            "interviewSchedule.list",
            INTERVIEWS_READ,
            "List interview schedules; filter by application/stage.",
            (
                CREATED_AFTER,
                filter_param("applicationId", "application"),
                filter_param("interviewStageId", "interview stage"),
            ),
            paginated=True,
            sync=True,
        ),
        Operation(
            "create",
            "interviewSchedule.create",
            INTERVIEWS_WRITE,
            "Schedule interviews for an application at its current stage; interviewers are users, by email.",
            (
                ref_param("applicationId", "applications", "application"),
                Param(
                    "interviewEvents",
                    ParamType.OBJECT_LIST,
                    f"The interviews to hold: [{_EVENT_SHAPE}].",
                    required=True,
                ),
            ),
            access="write",
        ),
        Operation(
            "update",
            "interviewSchedule.update",
            INTERVIEWS_WRITE,
            "Add or change events of a schedule this API key created, or cancel some of its events.",
            (
                Param("interviewScheduleId", ParamType.UUID, "Id of the interview schedule.", required=True),
                Param(
                    "interviewEvent",
                    ParamType.OBJECT_LIST,
                    f"Events to add, or to change when they carry an interviewEventId: [{_EVENT_SHAPE}].",
                ),
                Param(
                    "interviewEventIdToCancel",
                    ParamType.STRING_LIST,
                    "Ids of the schedule's events to cancel.",
                ),
                Param(
                    "allowFeedbackDeletion",
                    ParamType.BOOLEAN,
                    "Allow cancelling events with submitted feedback, which deletes it (default false).",
                ),
            ),
            one_of=("interviewEvent", "interviewEventIdToCancel"),
            access="write",
            destructive_with=("interviewEventIdToCancel",),
        ),
        Operation(
            "cancel",
            "interviewSchedule.cancel",
            INTERVIEWS_WRITE,
            "Cancel an interview schedule.",
            (
                Param(
                    "id",
                    ParamType.UUID,
                    "Id of the interview schedule.",
                    required=True,
                    aliases=("interview_schedule_id", "interviewScheduleId"),
                ),
                Param(
                    "allowReschedule",
                    ParamType.BOOLEAN,
                    "Keep the schedule open to new events after cancelling (default false).",
                ),
            ),
            access="write",
            destructive=True,
            idempotent=True,
        ),
    )

    interview_events: Entity[InterviewEvent, InterviewEvent] = Entity(
        "Individual interviews (events) of an interview schedule.",
        Operation(
            "list",
            "interviewEvent.list",
            INTERVIEWS_READ,
            "Events of one interview schedule.",
            (id_param("interviewScheduleId", "interview schedule"), CREATED_AFTER, expand_param("interview")),
            paginated=True,
            sync=True,
        ),
    )
