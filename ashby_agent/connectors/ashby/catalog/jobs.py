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

__all__ = ["JOBS_READ", "JobEntities"]

#: The permission Ashby requires to read its jobs module.
JOBS_READ = "jobsRead"
JOB_STATUSES = ("Draft", "Open", "Closed", "Archived")


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
    )
