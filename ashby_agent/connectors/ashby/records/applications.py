"""Applications and their history, AI criteria evaluations and feedback."""

from typing import Any

from pydantic import Field

from .base import AshbyRecord, Timestamp
from .common import ContactInfo, CustomFieldValue, FileHandle, FormDefinition, HiringTeamMember
from .interviews import InterviewStage
from .jobs import Opening
from .metadata import ArchiveReason, Source
from .organization import User

__all__ = [
    "Application",
    "ApplicationArchiveReason",
    "ApplicationCandidate",
    "ApplicationFeedback",
    "ApplicationHistory",
    "ApplicationJob",
    "ApplicationReferral",
    "CriteriaEvaluation",
    "DeletedApplication",
    "SubmittedFeedback",
]


class ApplicationCandidate(AshbyRecord):
    """The candidate summary embedded in an application."""

    id: str = Field(description="Candidate id (UUID).")
    name: str | None = Field(None, description="Full name.")
    primary_email_address: ContactInfo | None = Field(None, description="Primary email; omitted if none.")
    primary_phone_number: ContactInfo | None = Field(None, description="Primary phone; omitted if none.")


class ApplicationJob(AshbyRecord):
    """The job summary embedded in an application."""

    id: str = Field(description="Job id (UUID).")
    title: str | None = Field(None, description="Job title.")
    location_id: str | None = Field(None, description="Location id (UUID).")
    department_id: str | None = Field(None, description="Department id (UUID).")
    brand_id: str | None = Field(None, description="Brand id (UUID), when set.")


class ApplicationArchiveReason(ArchiveReason):
    """The archive reason of an archived application, with its custom fields."""

    custom_fields: list[CustomFieldValue] = Field(default_factory=list, description="Custom field values.")


class ApplicationReferral(AshbyRecord):
    """A referral of an application (``application.info`` with expand: referrals)."""

    user: User | None = Field(None, description="User who referred the candidate.")
    referred_at: Timestamp | None = Field(None, description="When the referral was made.")


class ApplicationHistory(AshbyRecord):
    """One stage an application went through (``application.listHistory``; ``application.info``)."""

    id: str = Field(description="History entry id (UUID).")
    stage_id: str = Field(description="Interview stage id (UUID).")
    title: str = Field(description="Stage title.")
    stage_number: int = Field(description="Position in the history, from 0.")
    entered_stage_at: Timestamp = Field(description="When the application entered the stage.")
    left_stage_at: Timestamp | None = Field(
        None, description="When it left the stage; omitted for the current one."
    )
    allowed_actions: list[str] = Field(
        description="What the API may do to the entry; known values: none, delete, set_entered_at."
    )
    actor_id: str | None = Field(None, description="User id (UUID) who moved the application, or null.")


class Application(AshbyRecord):
    """A candidate's application to a job (``application.list``, ``application.info`` and writes)."""

    id: str = Field(description="Application id (UUID).")
    created_at: Timestamp = Field(description="Creation time.")
    updated_at: Timestamp = Field(description="Last update time.")
    status: str = Field(
        description="Known values: Active, Archived, Hired, Lead; follows the current stage's type."
    )
    candidate: ApplicationCandidate = Field(description="The candidate (summary).")
    current_interview_stage: InterviewStage = Field(description="The stage the application is in.")
    job: ApplicationJob = Field(description="The job applied to (summary).")
    hiring_team: list[HiringTeamMember] = Field(description="Hiring team of the application.")
    custom_fields: list[CustomFieldValue] = Field(description="Custom field values.")
    source: Source | None = Field(None, description="Where the application came from, or null.")
    archive_reason: ApplicationArchiveReason | None = Field(None, description="Why it was archived, or null.")
    archived_at: Timestamp | None = Field(None, description="When it was archived; omitted unless archived.")
    credited_to_user: User | None = Field(None, description="User credited for the application, or null.")
    applied_via_job_posting_id: str | None = Field(None, description="Job posting id (UUID) applied through.")
    submitter_client_ip: str | None = Field(None, description="IP address of the applicant, or null.")
    submitter_user_agent: str | None = Field(None, description="User agent of the applicant, or null.")
    openings: list[Opening] = Field(
        default_factory=list, description="Openings (only with expand: openings)."
    )
    application_history: list[ApplicationHistory] = Field(
        default_factory=list, description="Stage history (application.info only)."
    )
    resume_file_handle: FileHandle | None = Field(None, description="Resume sent with the application.")
    application_form_submissions: list[dict[str, Any]] = Field(
        default_factory=list, description="Submitted application forms (expand: applicationFormSubmissions)."
    )
    referrals: list[ApplicationReferral] = Field(
        default_factory=list, description="Referrals (expand: referrals)."
    )


class CriteriaEvaluation(AshbyRecord):
    """An AI review of an application against one criterion (``application.listCriteriaEvaluations``)."""

    id: str = Field(description="Evaluation id (UUID).")
    application_id: str | None = Field(None, description="Application id (UUID).")
    criterion: str | None = Field(None, description="The criterion evaluated.")
    outcome: str | None = Field(None, description="Known values: Meets, DoesNotMeet, Unsure.")
    reasoning: str | None = Field(None, description="Explanation of the outcome.")
    created_at: Timestamp | None = Field(None, description="When the evaluation was made.")


class ApplicationFeedback(AshbyRecord):
    """A submitted scorecard or feedback form (``applicationFeedback.list``)."""

    id: str = Field(description="Feedback id (UUID).")
    application_id: str = Field(description="Application id (UUID).")
    form_definition: FormDefinition = Field(description="The form that was filled in.")
    submitted_values: dict[str, Any] = Field(description="Answers keyed by field path.")
    submitted_by_user: User = Field(description="User who submitted the feedback.")
    submitted_at: Timestamp | None = Field(None, description="Submission time.")
    feedback_form_definition_id: str | None = Field(None, description="Feedback form id (UUID).")
    interview_id: str | None = Field(None, description="Interview id (UUID), when tied to an interview.")
    interview_event_id: str | None = Field(None, description="Interview event id (UUID), when tied to one.")
    application_history_id: str | None = Field(None, description="Application history entry id (UUID).")


class DeletedApplication(AshbyRecord):
    """The acknowledgement of ``application.delete``."""

    application_id: str = Field(description="Id of the deleted application.")


class SubmittedFeedback(AshbyRecord):
    """The answer of ``applicationFeedback.submit``: the submitted form instance, as Ashby returns it."""

    submitted_form_instance: dict[str, Any] | None = Field(None, description="The submitted form.")
