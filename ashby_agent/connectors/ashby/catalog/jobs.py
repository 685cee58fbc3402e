"""Jobs, job postings, job boards, job templates, job interview plans and openings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import (
    CREATED_AFTER,
    Entity,
    EntityGroup,
    Operation,
    expand_param,
    id_param,
    ref_param,
)
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.jobs import (
        Job,
        JobBoard,
        JobInterviewPlan,
        JobPosting,
        JobPostingSummary,
        JobTemplate,
        Opening,
    )

__all__ = ["JOBS_READ", "JOBS_WRITE", "JobEntities"]

#: The permissions Ashby requires to read and to change its jobs module.
JOBS_READ = "jobsRead"
JOBS_WRITE = "jobsWrite"
JOB_STATUSES = ("Draft", "Open", "Closed", "Archived")
OPENING_STATES = ("Draft", "Approved", "Open", "Closed")
EMPLOYMENT_TYPES = ("FullTime", "PartTime", "Intern", "Contract", "Temporary")

_JOB = ref_param("jobId", "jobs", "job")
_OPENING = ref_param("openingId", "openings", "opening")
_LOCATION = ref_param("locationId", "locations", "location")
_PLAN = Param("defaultInterviewPlanId", ParamType.UUID, "Id of the interview plan (interview_plans) to use.")
_DAY = "(YYYY-MM-DD)."
_OPENING_FIELDS = (
    Param("identifier", ParamType.STRING, "Your reference for the opening, e.g. a requisition number."),
    Param("description", ParamType.STRING, "What the headcount is for."),
    ref_param("teamId", "departments", "department", required=False),
    Param("targetHireDate", ParamType.STRING, f"When you mean to have hired {_DAY}"),
    Param("targetStartDate", ParamType.STRING, f"When the hire should start {_DAY}"),
    Param("isBackfill", ParamType.BOOLEAN, "Whether it replaces someone who left (default false)."),
    Param(
        "employmentType", ParamType.ENUM, "Kind of employment (default FullTime).", choices=EMPLOYMENT_TYPES
    ),
)


class JobEntities(EntityGroup):
    """The entities of Ashby's jobs module."""

    jobs: Entity[Job, Job] = Entity(
        "Jobs (requisitions): status, department, location, interview plans, hiring team.",
        Operation(
            "list",
            "job.list",
            JOBS_READ,
            "List jobs; Draft jobs only when status includes Draft.",
            (
                CREATED_AFTER,
                Param("status", ParamType.ENUM_LIST, "Only these statuses.", choices=JOB_STATUSES),
                Param("openedAfter", ParamType.TIMESTAMP_MS, "Opened after (ms epoch or ISO date)."),
                Param("openedBefore", ParamType.TIMESTAMP_MS, "Opened before (ms epoch or ISO date)."),
                Param("closedAfter", ParamType.TIMESTAMP_MS, "Closed after (ms epoch or ISO date)."),
                Param("closedBefore", ParamType.TIMESTAMP_MS, "Closed before (ms epoch or ISO date)."),
                Param(
                    "includeUnpublishedJobPostingsIds",
                    ParamType.BOOLEAN,
                    "Also list unpublished posting ids.",
                ),
                expand_param("location", "openings"),
            ),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "job.info",
            JOBS_READ,
            "One job by id.",
            (
                Param("id", ParamType.UUID, "Job id.", required=True, aliases=("job_id", "jobId")),
                Param(
                    "includeUnpublishedJobPostingsIds",
                    ParamType.BOOLEAN,
                    "Also list unpublished posting ids.",
                ),
                expand_param("location", "openings", "compensation"),
            ),
        ),
        Operation(
            "api_search",
            "job.search",
            JOBS_READ,
            "Find jobs by title or requisition id.",
            (
                Param("title", ParamType.STRING, "Job title to match."),
                Param("requisitionId", ParamType.STRING, "Requisition id to match."),
            ),
            one_of=("title", "requisitionId"),
        ),
        Operation(
            "create",
            "job.create",
            JOBS_WRITE,
            "Create a job; it starts as a Draft (open it with set_status).",
            (
                Param("title", ParamType.STRING, "Job title.", required=True),
                ref_param("teamId", "departments", "department"),
                ref_param("locationId", "locations", "location"),
                _PLAN,
                Param("jobTemplateId", ParamType.UUID, "Id of an active job template (job_templates)."),
                Param("brandId", ParamType.UUID, "Id of the brand (brands) the job is shown under."),
            ),
            access="write",
        ),
        Operation(
            "update",
            "job.update",
            JOBS_WRITE,
            "Change a job's title, department, location, default interview plan or requisition id.",
            (
                _JOB,
                Param("title", ParamType.STRING, "New job title."),
                ref_param("teamId", "departments", "department", required=False),
                ref_param("locationId", "locations", "location", required=False),
                _PLAN,
                Param("customRequisitionId", ParamType.STRING, "Your requisition id for the job."),
            ),
            access="write",
            idempotent=True,
        ),
        Operation(
            "set_status",
            "job.setStatus",
            JOBS_WRITE,
            "Open, close, archive or re-draft a job (Draft to Open or Archived, Open to Closed, Closed to "
            "Draft or Archived, Archived to Draft); closing stops applications and unpublishes postings.",
            (_JOB, Param("status", ParamType.ENUM, "The new status.", required=True, choices=JOB_STATUSES)),
            access="write",
            destructive=True,
            idempotent=True,
        ),
        Operation(
            "update_compensation",
            "job.updateCompensation",
            JOBS_WRITE,
            "Replace a job's compensation tiers (shown on its postings).",
            (
                _JOB,
                Param(
                    "compensationTiers",
                    ParamType.OBJECT_LIST,
                    'Every tier: [{"title" (needed with several tiers), "additionalInformation"?, '
                    '"components": [{"compensationType", "interval", "currencyCode"?, "minValue", '
                    '"maxValue", "label"?}]}].',
                    required=True,
                ),
            ),
            access="write",
            idempotent=True,
            returns="jobs:JobWithCompensationTiers",
        ),
    )

    job_postings: Entity[JobPostingSummary, JobPosting] = Entity(
        "Published job postings (the public ads for jobs).",
        Operation(
            "list",
            "jobPosting.list",
            JOBS_READ,
            "Published postings (listed and unlisted); not paginated.",
            (
                Param("location", ParamType.STRING, "Location name (case-sensitive)."),
                Param("department", ParamType.STRING, "Department name."),
                Param("listedOnly", ParamType.BOOLEAN, "Only postings listed on the job board."),
                Param("jobBoardId", ParamType.UUID, "Job board (default: the primary external board)."),
            ),
        ),
        Operation(
            "get",
            "jobPosting.info",
            JOBS_READ,
            "One posting with its full description.",
            (
                id_param("jobPostingId", "job posting", aliases=("id",)),
                Param("jobBoardId", ParamType.UUID, "Job board the posting is on."),
                expand_param("job"),
            ),
        ),
        Operation(
            "update",
            "jobPosting.update",
            JOBS_WRITE,
            "Change a posting's title, workplace type or description, or hide the organization-wide "
            "opening and closing text.",
            (
                ref_param("jobPostingId", "job_postings", "job posting"),
                Param("title", ParamType.STRING, "New posting title."),
                Param(
                    "workplaceType",
                    ParamType.ENUM,
                    "Where the work happens.",
                    choices=("OnSite", "Hybrid", "Remote"),
                ),
                Param(
                    "suppressDescriptionOpening", ParamType.BOOLEAN, "Hide the organization's opening text."
                ),
                Param(
                    "suppressDescriptionClosing", ParamType.BOOLEAN, "Hide the organization's closing text."
                ),
                Param(
                    "description",
                    ParamType.OBJECT,
                    'The posting\'s own description: {"type": "text/html", "content": ...} (headings, b, i, '
                    "u, a, lists, code kept).",
                ),
            ),
            access="write",
            idempotent=True,
        ),
    )

    job_boards: Entity[JobBoard, JobBoard] = Entity(
        "Job boards (external and internal).",
        Operation("list", "jobBoard.list", JOBS_READ, "All job boards."),
    )

    job_templates: Entity[JobTemplate, JobTemplate] = Entity(
        "Templates new jobs are created from.",
        Operation(
            "list",
            "jobTemplate.list",
            JOBS_READ,
            "List job templates.",
            (expand_param("location"),),
            paginated=True,
            sync=True,
        ),
    )

    job_interview_plans: Entity[JobInterviewPlan, JobInterviewPlan] = Entity(
        "A job's interview plan: stages and their activities.",
        Operation(
            "get",
            "jobInterviewPlan.info",
            JOBS_READ,
            "The interview plan of one job.",
            (id_param("jobId", "job", aliases=("id",)),),
        ),
    )

    openings: Entity[Opening, Opening] = Entity(
        "Openings (headcount) attached to jobs.",
        Operation(
            "list", "opening.list", JOBS_READ, "List openings.", (CREATED_AFTER,), paginated=True, sync=True
        ),
        Operation(
            "get",
            "opening.info",
            JOBS_READ,
            "One opening by id.",
            (id_param("openingId", "opening", aliases=("id",)),),
        ),
        Operation(
            "api_search",
            "opening.search",
            JOBS_READ,
            "Find openings by identifier.",
            (Param("identifier", ParamType.STRING, "The opening's identifier.", required=True),),
        ),
        Operation(
            "create",
            "opening.create",
            JOBS_WRITE,
            "Create an opening (a Draft unless a state is given; other states need a department, a job "
            "and a location).",
            (
                *_OPENING_FIELDS,
                Param("locationIds", ParamType.STRING_LIST, "Ids of its locations (locations)."),
                Param("jobIds", ParamType.STRING_LIST, "Ids of the jobs it is for (jobs)."),
                Param(
                    "openingState",
                    ParamType.ENUM,
                    "State to create it in (default Draft).",
                    choices=OPENING_STATES,
                ),
            ),
            access="write",
        ),
        Operation(
            "update",
            "opening.update",
            JOBS_WRITE,
            "Change an opening's identifier, description, department, target dates, backfill flag or kind.",
            (_OPENING, *_OPENING_FIELDS),
            access="write",
            idempotent=True,
        ),
        Operation(
            "add_job",
            "opening.addJob",
            JOBS_WRITE,
            "Attach a job to an opening.",
            (_OPENING, _JOB),
            access="write",
            idempotent=True,
        ),
        Operation(
            "remove_job",
            "opening.removeJob",
            JOBS_WRITE,
            "Detach a job from an opening.",
            (_OPENING, _JOB),
            access="write",
            idempotent=True,
        ),
        Operation(
            "add_location",
            "opening.addLocation",
            JOBS_WRITE,
            "Add a location to an opening.",
            (_OPENING, _LOCATION),
            access="write",
            idempotent=True,
        ),
        Operation(
            "remove_location",
            "opening.removeLocation",
            JOBS_WRITE,
            "Remove a location from an opening.",
            (_OPENING, _LOCATION),
            access="write",
            idempotent=True,
        ),
        Operation(
            "set_state",
            "opening.setOpeningState",
            JOBS_WRITE,
            "Move an opening to Draft, Approved, Open or Closed (closing needs a close reason).",
            (
                _OPENING,
                Param(
                    "openingState", ParamType.ENUM, "The new state.", required=True, choices=OPENING_STATES
                ),
                Param("closeReasonId", ParamType.UUID, "Why it closed (close_reasons); only with Closed."),
            ),
            access="write",
            idempotent=True,
        ),
        Operation(
            "set_archived",
            "opening.setArchived",
            JOBS_WRITE,
            "Archive an opening (archive true) or bring it back (false).",
            (
                _OPENING,
                Param("archive", ParamType.BOOLEAN, "True to archive, false to unarchive.", required=True),
            ),
            access="write",
            destructive=True,
            idempotent=True,
        ),
    )
