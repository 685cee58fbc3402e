"""Jobs, job postings, boards, templates, openings and job interview plans."""

from datetime import date
from typing import Any

from pydantic import Field

from .base import AshbyRecord, Timestamp
from .common import Address, CustomFieldValue, FormDefinition, HiringTeamMember
from .interviews import InterviewStage
from .metadata import SurveyFormDefinition
from .organization import Location, User

__all__ = [
    "CompensationComponent",
    "CompensationTier",
    "DescriptionPart",
    "Job",
    "JobBoard",
    "JobCompensation",
    "JobInterviewPlan",
    "JobInterviewPlanActivity",
    "JobInterviewPlanInterview",
    "JobInterviewPlanStage",
    "JobPosting",
    "JobPostingCompensation",
    "JobPostingDescriptionParts",
    "JobPostingLocationIds",
    "JobPostingSummary",
    "JobTemplate",
    "JobWithCompensationTiers",
    "Opening",
    "OpeningVersion",
]

_EMPLOYMENT_TYPES = "known values: FullTime, PartTime, Intern, Contract, Temporary"
_WORKPLACE_TYPES = "known values: OnSite, Hybrid, Remote"


class OpeningVersion(AshbyRecord):
    """The current details of an opening (``Opening.latest_version``)."""

    id: str = Field(description="Opening version id (UUID).")
    identifier: str | None = Field(
        None, description="Human identifier of the opening, e.g. a requisition number."
    )
    description: str | None = Field(None, description="Description of the opening.")
    author_id: str | None = Field(None, description="User id of the author (UUID).")
    created_at: Timestamp | None = Field(None, description="Creation time of this version.")
    team_id: str | None = Field(None, description="Department id (UUID).")
    job_ids: list[str] = Field(
        default_factory=list, description="Ids of the jobs the opening is attached to."
    )
    target_hire_date: date | None = Field(None, description="Target hire date (YYYY-MM-DD).")
    target_start_date: date | None = Field(None, description="Target start date (YYYY-MM-DD).")
    is_backfill: bool | None = Field(None, description="Whether the opening replaces a departing employee.")
    employment_type: str | None = Field(None, description=f"Employment type; {_EMPLOYMENT_TYPES}.")
    location_ids: list[str] = Field(default_factory=list, description="Location ids (UUIDs).")
    hiring_team: list[HiringTeamMember] = Field(
        default_factory=list, description="Hiring team of the opening."
    )
    custom_fields: list[CustomFieldValue] = Field(default_factory=list, description="Custom field values.")


class Opening(AshbyRecord):
    """A headcount slot to fill (``opening.list``, ``opening.info``, ``opening.search``)."""

    id: str = Field(description="Opening id (UUID).")
    opened_at: Timestamp | None = Field(None, description="When the opening was opened.")
    closed_at: Timestamp | None = Field(None, description="When the opening was closed, or null.")
    is_archived: bool = Field(description="Whether the opening is archived.")
    archived_at: Timestamp | None = Field(None, description="When the opening was archived, or null.")
    close_reason_id: str | None = Field(None, description="Close reason id (UUID), or null.")
    opening_state: str = Field(description="Known values: Approved, Closed, Draft, Filled, Open.")
    latest_version: OpeningVersion | None = Field(None, description="Current details of the opening.")


class CompensationComponent(AshbyRecord):
    """One part of a compensation tier (salary, equity, bonus...)."""

    id: str | None = Field(None, description="Component id (UUID).")
    summary: str | None = Field(None, description="Readable summary, e.g. '$75K – $100K'.")
    compensation_type: str | None = Field(
        None, description="Kind of pay, e.g. Salary, EquityPercentage, Bonus."
    )
    interval: str | None = Field(None, description="Pay interval, e.g. '1 YEAR'.")
    currency_code: str | None = Field(None, description="ISO 4217 currency code, or null.")
    min_value: int | float | None = Field(None, description="Lower bound, or null.")
    max_value: int | float | None = Field(None, description="Upper bound, or null.")


class CompensationTier(AshbyRecord):
    """A compensation tier of a job (e.g. per location)."""

    id: str | None = Field(None, description="Tier id (UUID).")
    title: str | None = Field(None, description="Tier title.")
    additional_information: str | None = Field(None, description="Free-text notes.")
    components: list[CompensationComponent] = Field(default_factory=list, description="Parts of the tier.")
    tier_summary: str | None = Field(None, description="Readable summary of the tier.")


class JobCompensation(AshbyRecord):
    """A job's compensation (``job.info`` with expand: compensation)."""

    compensation_tiers: list[CompensationTier] = Field(
        default_factory=list, description="Compensation tiers."
    )


class Job(AshbyRecord):
    """A job (``job.list``, ``job.info``, ``job.search``)."""

    id: str = Field(description="Job id (UUID).")
    title: str = Field(description="Job title.")
    confidential: bool = Field(description="Whether the job is confidential.")
    status: str = Field(description="Known values: Draft, Open, Closed, Archived.")
    employment_type: str = Field(description=f"Employment type; {_EMPLOYMENT_TYPES}.")
    location_id: str | None = Field(None, description="Primary location id (UUID).")
    department_id: str | None = Field(None, description="Department id (UUID).")
    default_interview_plan_id: str | None = Field(None, description="Default interview plan id (UUID).")
    interview_plan_ids: list[str] = Field(default_factory=list, description="Interview plan ids (UUIDs).")
    job_posting_ids: list[str] = Field(default_factory=list, description="Job posting ids (UUIDs).")
    custom_fields: list[CustomFieldValue] = Field(default_factory=list, description="Custom field values.")
    hiring_team: list[HiringTeamMember] = Field(default_factory=list, description="Hiring team of the job.")
    custom_requisition_id: str | None = Field(
        None, description="Requisition id set by the customer, or null."
    )
    brand_id: str | None = Field(None, description="Brand id (UUID).")
    author: User | None = Field(None, description="User who created the job.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    updated_at: Timestamp = Field(description="Last update time.")
    opened_at: Timestamp | None = Field(None, description="When the job was opened, or null.")
    closed_at: Timestamp | None = Field(None, description="When the job was closed, or null.")
    location: Location | None = Field(None, description="The primary location (only with expand: location).")
    openings: list[Opening] = Field(
        default_factory=list, description="Openings (only with expand: openings)."
    )
    compensation: JobCompensation | None = Field(
        None, description="Compensation (only with expand: compensation)."
    )


class JobWithCompensationTiers(Job):
    """A job as ``job.updateCompensation`` answers it: the job and the tiers just set."""

    compensation_tiers: list[CompensationTier] = Field(
        default_factory=list, description="The job's compensation tiers, as set."
    )


class JobPostingLocationIds(AshbyRecord):
    """The locations of a job posting."""

    primary_location_id: str | None = Field(None, description="Primary location id (UUID).")
    secondary_location_ids: list[str] = Field(default_factory=list, description="Other location ids (UUIDs).")


class JobPostingSummary(AshbyRecord):
    """A published job posting as listed (``jobPosting.list``)."""

    id: str = Field(description="Job posting id (UUID).")
    title: str | None = Field(None, description="Posting title.")
    job_id: str | None = Field(None, description="Job id (UUID).")
    department_name: str | None = Field(None, description="Department name.")
    team_name: str | None = Field(None, description="Team name.")
    location_name: str | None = Field(None, description="Primary location name.")
    location_external_name: str | None = Field(None, description="Primary location name shown publicly.")
    location_ids: JobPostingLocationIds | None = Field(
        None, description="Primary and secondary location ids."
    )
    workplace_type: str | None = Field(None, description=f"Workplace type; {_WORKPLACE_TYPES}.")
    employment_type: str | None = Field(None, description=f"Employment type; {_EMPLOYMENT_TYPES}.")
    is_listed: bool | None = Field(
        None, description="Whether the posting is listed publicly (else unlisted)."
    )
    published_date: date | None = Field(None, description="Publication date (YYYY-MM-DD).")
    application_deadline: Timestamp | None = Field(None, description="Application deadline, or null.")
    external_link: str | None = Field(None, description="Public URL of the posting; null on internal boards.")
    apply_link: str | None = Field(None, description="URL of the application form.")
    compensation_tier_summary: str | None = Field(None, description="Readable compensation summary, or null.")
    should_display_compensation_on_job_board: bool | None = Field(
        None, description="Whether compensation is shown on the job board."
    )
    updated_at: Timestamp | None = Field(None, description="Last update time.")


class DescriptionPart(AshbyRecord):
    """A part of a job posting description in HTML and plain text."""

    html: str | None = Field(None, description="The part as HTML.")
    plain: str | None = Field(None, description="The part as plain text.")


class JobPostingDescriptionParts(AshbyRecord):
    """A job posting description split into opening, body and closing."""

    description_opening: DescriptionPart | None = Field(
        None, description="Organization-wide opening, or null."
    )
    description_body: DescriptionPart | None = Field(None, description="The posting's own description.")
    description_closing: DescriptionPart | None = Field(
        None, description="Organization-wide closing, or null."
    )


class JobPostingCompensation(AshbyRecord):
    """Compensation shown on a job posting."""

    compensation_tier_summary: str | None = Field(None, description="Readable summary of all tiers.")
    summary_components: list[CompensationComponent] = Field(
        default_factory=list, description="Components of the summary."
    )
    compensation_tiers: list[CompensationTier] = Field(
        default_factory=list, description="Compensation tiers."
    )
    should_display_compensation_on_job_board: bool | None = Field(
        None, description="Whether compensation is shown on the job board."
    )


class JobPosting(JobPostingSummary):
    """A job posting with its full description and forms (``jobPosting.info``, ``jobPosting.update``)."""

    description_plain: str | None = Field(None, description="Full description as plain text.")
    description_html: str | None = Field(None, description="Full description as HTML.")
    description_social: str | None = Field(None, description="Short description for social media.")
    description_parts: JobPostingDescriptionParts | None = Field(
        None, description="Description split into opening, body and closing."
    )
    team_name_hierarchy: list[str] = Field(
        default_factory=list, description="Department names from the top level down."
    )
    linked_data: dict[str, Any] | None = Field(
        None,
        description="schema.org JobPosting object (employmentType: FULL_TIME, PART_TIME, CONTRACTOR, "
        "TEMPORARY, INTERN).",
    )
    address: Address | None = Field(None, description="Postal address of the primary location.")
    is_remote: bool | None = Field(None, description="Whether the job is remote.")
    application_form_definition: FormDefinition | None = Field(None, description="The application form.")
    survey_form_definitions: list[SurveyFormDefinition] = Field(
        default_factory=list, description="Surveys offered to applicants."
    )
    suppress_description_opening: bool | None = Field(
        None, description="Whether the organization-wide opening is hidden."
    )
    suppress_description_closing: bool | None = Field(
        None, description="Whether the organization-wide closing is hidden."
    )
    compensation: JobPostingCompensation | None = Field(
        None, description="Compensation shown on the posting."
    )
    application_limit_callout_html: str | None = Field(
        None, description="HTML notice about application limits, if any."
    )
    job: Job | None = Field(None, description="The job (only with expand: job).")


class JobBoard(AshbyRecord):
    """A job board postings are published to (``jobBoard.list``)."""

    id: str = Field(description="Job board id (UUID).")
    title: str | None = Field(None, description="Board title.")
    is_internal: bool | None = Field(None, description="Whether the board is internal (employees only).")


class JobTemplate(AshbyRecord):
    """A template for new jobs (``jobTemplate.list``)."""

    id: str = Field(description="Job template id (UUID).")
    title: str | None = Field(None, description="Template title.")
    is_archived: bool | None = Field(None, description="Whether the template is archived.")
    department_id: str | None = Field(None, description="Department id (UUID).")
    location_id: str | None = Field(None, description="Location id (UUID).")
    employment_type: str | None = Field(None, description=f"Employment type; {_EMPLOYMENT_TYPES}.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    updated_at: Timestamp | None = Field(None, description="Last update time.")
    location: Location | None = Field(None, description="The location (only with expand: location).")


class JobInterviewPlanInterview(AshbyRecord):
    """An interview within an activity of a job's interview plan."""

    id: str = Field(description="Id of the interview in the plan (UUID).")
    title: str | None = Field(None, description="Interview title.")
    interview_id: str | None = Field(None, description="Interview id (UUID).")
    interview_duration_minutes: int | None = Field(None, description="Duration in minutes.")
    is_schedulable: bool | None = Field(None, description="Whether the interview can be scheduled.")


class JobInterviewPlanActivity(AshbyRecord):
    """An activity (group of interviews) within a stage of a job's interview plan."""

    id: str = Field(description="Activity id (UUID).")
    title: str | None = Field(None, description="Activity title.")
    interviews: list[JobInterviewPlanInterview] = Field(default_factory=list, description="Interviews.")


class JobInterviewPlanStage(InterviewStage):
    """An interview stage of a job's plan, with its activities."""

    activities: list[JobInterviewPlanActivity] = Field(default_factory=list, description="Activities.")


class JobInterviewPlan(AshbyRecord):
    """The interview plan of a job with stages and interviews (``jobInterviewPlan.info``)."""

    job_id: str = Field(description="Job id (UUID).")
    interview_plan_id: str | None = Field(None, description="Interview plan id (UUID).")
    stages: list[JobInterviewPlanStage] = Field(default_factory=list, description="Stages in plan order.")
