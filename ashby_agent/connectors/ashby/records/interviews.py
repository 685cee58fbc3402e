"""Interview objects: plans, stages, stage groups, interviews, schedules and events."""

from typing import Any

from pydantic import Field

from .base import AshbyRecord, Timestamp
from .metadata import InterviewerPool
from .organization import User

__all__ = [
    "Interview",
    "InterviewEvent",
    "InterviewEventInterviewer",
    "InterviewPlan",
    "InterviewSchedule",
    "InterviewStage",
    "InterviewStageGroup",
]

_STAGE_TYPES = "known values: Lead, PreInterviewScreen, Active, Offer, Hired, Archived"


class InterviewPlan(AshbyRecord):
    """A published interview plan (``interviewPlan.list``)."""

    id: str = Field(description="Interview plan id (UUID).")
    title: str | None = Field(None, description="Plan title.")
    is_archived: bool | None = Field(None, description="Whether the plan is archived.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    updated_at: Timestamp | None = Field(None, description="Last update time.")


class InterviewStage(AshbyRecord):
    """A stage of an interview plan (``interviewStage.list``/``info``; applications' current stage)."""

    id: str = Field(description="Stage id (UUID).")
    title: str | None = Field(None, description="Stage title, e.g. 'Phone Screen'.")
    type: str | None = Field(None, description=f"Stage type; {_STAGE_TYPES}.")
    order_in_interview_plan: int | None = Field(None, description="Position in the plan, from 0.")
    interview_stage_group_id: str | None = Field(None, description="Stage group id (UUID), or null.")
    interview_plan_id: str | None = Field(None, description="Interview plan id (UUID).")


class InterviewStageGroup(AshbyRecord):
    """A group of interview stages shown together (``interviewStageGroup.list``)."""

    id: str = Field(description="Stage group id (UUID).")
    title: str | None = Field(None, description="Group title.")
    order: int | None = Field(None, description="Position among groups.")
    stage_type: str | None = Field(None, description=f"Stage type of the group; {_STAGE_TYPES}.")


class Interview(AshbyRecord):
    """An interview type that can be scheduled (``interview.list``, ``interview.info``)."""

    id: str = Field(description="Interview id (UUID).")
    title: str | None = Field(None, description="Internal title.")
    external_title: str | None = Field(None, description="Title shown to candidates.")
    is_archived: bool | None = Field(None, description="Whether the interview is archived.")
    is_debrief: bool | None = Field(None, description="Whether this is a debrief.")
    is_feedback_required: bool | None = Field(None, description="Whether interviewers must submit feedback.")
    is_feedback_requested: bool | None = Field(None, description="Whether feedback is requested.")
    instructions_html: str | None = Field(None, description="Instructions for interviewers as HTML.")
    instructions_plain: str | None = Field(None, description="Instructions for interviewers as plain text.")
    job_id: str | None = Field(
        None, description="Job id (UUID) of a job-specific interview; omitted if shared."
    )
    feedback_form_definition_id: str | None = Field(None, description="Scorecard form id (UUID).")


class InterviewEventInterviewer(User):
    """An interviewer on an interview event: a User plus their role in the event."""

    training_role: str | None = Field(None, description="Known values: Shadow, Reverse-Shadow; null if none.")
    interviewer_pool: InterviewerPool | None = Field(None, description="Pool the interviewer was drawn from.")
    is_feedback_required: bool | None = Field(
        None, description="Whether this interviewer must submit feedback."
    )


class InterviewEvent(AshbyRecord):
    """One scheduled interview slot (``interviewEvent.list``; schedules' ``interviewEvents[]``)."""

    id: str = Field(description="Interview event id (UUID).")
    interview_id: str | None = Field(None, description="Interview id (UUID).")
    interview_schedule_id: str | None = Field(None, description="Interview schedule id (UUID).")
    interviewer_user_ids: list[str] = Field(
        default_factory=list, description="Deprecated; interviewer user ids (use interviewers)."
    )
    interviewers: list[InterviewEventInterviewer] = Field(default_factory=list, description="Interviewers.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    updated_at: Timestamp | None = Field(None, description="Last update time.")
    start_time: Timestamp | None = Field(None, description="Start of the interview.")
    end_time: Timestamp | None = Field(None, description="End of the interview.")
    feedback_link: str | None = Field(None, description="URL to submit feedback.")
    location: str | None = Field(None, description="Physical location, if any.")
    meeting_link: str | None = Field(None, description="Video meeting URL, if any.")
    interviewer_calendar_event_id: str | None = Field(None, description="Id of the calendar event.")
    has_submitted_feedback: bool | None = Field(None, description="Whether feedback has been submitted.")
    notetaker_transcript_id: str | None = Field(None, description="Notetaker transcript id (UUID), or null.")
    extra_data: dict[str, Any] | None = Field(None, description="Free-form metadata set by the scheduler.")
    interview: Interview | None = Field(None, description="The interview (only with expand: interview).")


class InterviewSchedule(AshbyRecord):
    """A set of interview events for one application stage (``interviewSchedule.list``, writes)."""

    id: str = Field(description="Interview schedule id (UUID).")
    status: str = Field(
        description="Known values: NeedsScheduling, WaitingOnCandidateBooking, "
        "WaitingOnCandidateAvailability, CandidateAvailabilitySubmitted, Scheduled, WaitingOnFeedback, "
        "Complete, Cancelled, OnHold, Unknown."
    )
    application_id: str = Field(description="Application id (UUID).")
    interview_stage_id: str = Field(description="Interview stage id (UUID).")
    scheduled_by: User | None = Field(None, description="User who scheduled it, or null.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    updated_at: Timestamp | None = Field(None, description="Last update time.")
    interview_events: list[InterviewEvent] = Field(default_factory=list, description="The scheduled events.")
