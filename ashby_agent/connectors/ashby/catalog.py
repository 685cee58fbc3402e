"""The operation catalog: every Ashby read endpoint the connector exposes, declared once.

Each :class:`Entity` groups the Ashby endpoints about one kind of record under the actions ``list``,
``get`` and ``api_search``. ``execute``, the typed helpers, param validation, agent tool descriptions,
the hosted service's validation and ``docs/REFERENCE.md`` are all derived from these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ashby_agent.connectors.ashby.operation import (
    ACTIONS,
    CREATED_AFTER,
    INCLUDE_ARCHIVED,
    Entity,
    Operation,
    expand_param,
    filter_param,
    id_param,
)
from ashby_agent.connectors.ashby.params import Param, ParamType
from ashby_agent.errors import UnknownEntityError

if TYPE_CHECKING:
    # The record models named in the entity declarations below; at run time they are resolved from
    # those annotations on first use (see ``Entity``), so importing the catalog builds no model.

    from ashby_agent.connectors.ashby.models import (
        ApiKey,
        Application,
        ApplicationFeedback,
        ApplicationHistory,
        ArchiveReason,
        Brand,
        Candidate,
        CandidateTag,
        ClientInfo,
        CloseReason,
        CommunicationTemplate,
        CriteriaEvaluation,
        CustomField,
        Department,
        FeedbackFormDefinition,
        FileInfo,
        FraudCheck,
        HiringTeamRole,
        Interview,
        InterviewerPause,
        InterviewerPool,
        InterviewerSettings,
        InterviewEvent,
        InterviewPlan,
        InterviewSchedule,
        InterviewStage,
        InterviewStageGroup,
        Job,
        JobBoard,
        JobInterviewPlan,
        JobPosting,
        JobPostingSummary,
        JobTemplate,
        Location,
        Note,
        Offer,
        OfferSummary,
        Opening,
        Project,
        ReferralForm,
        Source,
        SourceTrackingLink,
        User,
        Webhook,
    )

__all__ = ["ACTIONS", "CATALOG", "Entity", "Operation", "Param", "ParamType", "find_operation"]

# Permission ids as Ashby's OpenAPI names them (§1.4 of the reference).
CANDIDATES_READ = "candidatesRead"
JOBS_READ = "jobsRead"
INTERVIEWS_READ = "interviewsRead"
METADATA_READ = "hiringProcessMetadataRead"
ORGANIZATION_READ = "organizationRead"
OFFERS_READ = "offersRead"
API_KEYS_READ = "apiKeysRead"


# ----------------------------------------------------------------------------- entities

CANDIDATES: Entity[Candidate, Candidate] = Entity(
    "candidates",
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

CANDIDATE_NOTES: Entity[Note, Note] = Entity(
    "candidate_notes",
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

CANDIDATE_PROJECTS: Entity[Project, Project] = Entity(
    "candidate_projects",
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

CANDIDATE_CLIENT_INFO: Entity[ClientInfo, ClientInfo] = Entity(
    "candidate_client_info",
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

CANDIDATE_FRAUD_CHECKS: Entity[FraudCheck, FraudCheck] = Entity(
    "candidate_fraud_checks",
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

APPLICATIONS: Entity[Application, Application] = Entity(
    "applications",
    "A candidate's application to a job: status, current stage, source, hiring team.",
    Operation(
        "list",
        "application.list",
        CANDIDATES_READ,
        "List applications, oldest first; filter by job/status.",
        (
            CREATED_AFTER,
            Param(
                "status", ParamType.ENUM, "Only this status.", choices=("Active", "Archived", "Hired", "Lead")
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

APPLICATION_HISTORY: Entity[ApplicationHistory, ApplicationHistory] = Entity(
    "application_history",
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

APPLICATION_CRITERIA_EVALUATIONS: Entity[CriteriaEvaluation, CriteriaEvaluation] = Entity(
    "application_criteria_evaluations",
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

APPLICATION_FEEDBACK: Entity[ApplicationFeedback, ApplicationFeedback] = Entity(
    "application_feedback",
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

APPLICATION_HIRING_TEAM_ROLES: Entity[HiringTeamRole, HiringTeamRole] = Entity(
    "application_hiring_team_roles",
    "Roles a user can hold on an application's hiring team.",
    Operation(
        "list", "applicationHiringTeamRole.list", CANDIDATES_READ, "All application hiring team roles."
    ),
)

JOB_STATUSES = ("Draft", "Open", "Closed", "Archived")

JOBS: Entity[Job, Job] = Entity(
    "jobs",
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
                "includeUnpublishedJobPostingsIds", ParamType.BOOLEAN, "Also list unpublished posting ids."
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
                "includeUnpublishedJobPostingsIds", ParamType.BOOLEAN, "Also list unpublished posting ids."
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

JOB_POSTINGS: Entity[JobPostingSummary, JobPosting] = Entity(
    "job_postings",
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

JOB_BOARDS: Entity[JobBoard, JobBoard] = Entity(
    "job_boards",
    "Job boards (external and internal).",
    Operation("list", "jobBoard.list", JOBS_READ, "All job boards."),
)

JOB_TEMPLATES: Entity[JobTemplate, JobTemplate] = Entity(
    "job_templates",
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

JOB_INTERVIEW_PLANS: Entity[JobInterviewPlan, JobInterviewPlan] = Entity(
    "job_interview_plans",
    "A job's interview plan: stages and their activities.",
    Operation(
        "get",
        "jobInterviewPlan.info",
        JOBS_READ,
        "The interview plan of one job.",
        (id_param("jobId", "job", aliases=("id",)),),
    ),
)

OPENINGS: Entity[Opening, Opening] = Entity(
    "openings",
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

DEPARTMENTS: Entity[Department, Department] = Entity(
    "departments",
    "Departments (teams), possibly nested via parentId.",
    Operation(
        "list",
        "department.list",
        ORGANIZATION_READ,
        "List departments.",
        (INCLUDE_ARCHIVED,),
        paginated=True,
        sync=True,
    ),
    Operation(
        "get",
        "department.info",
        ORGANIZATION_READ,
        "One department by id.",
        (id_param("departmentId", "department", aliases=("id",)),),
    ),
)

LOCATIONS: Entity[Location, Location] = Entity(
    "locations",
    "Office and remote locations.",
    Operation(
        "list",
        "location.list",
        ORGANIZATION_READ,
        "List locations.",
        (INCLUDE_ARCHIVED, Param("includeLocationHierarchy", ParamType.BOOLEAN, "Include region nodes.")),
        paginated=True,
        sync=True,
    ),
    Operation(
        "get",
        "location.info",
        ORGANIZATION_READ,
        "One location by id.",
        (id_param("locationId", "location", aliases=("id",)),),
    ),
)

USERS: Entity[User, User] = Entity(
    "users",
    "Ashby users (recruiters, interviewers, hiring managers).",
    Operation(
        "list",
        "user.list",
        ORGANIZATION_READ,
        "List users (enabled only unless includeDeactivated).",
        (Param("includeDeactivated", ParamType.BOOLEAN, "Include deactivated users."),),
        paginated=True,
        sync=True,
    ),
    Operation(
        "get",
        "user.info",
        ORGANIZATION_READ,
        "One user by id.",
        (id_param("userId", "user", aliases=("id",)),),
    ),
    Operation(
        "api_search",
        "user.search",
        ORGANIZATION_READ,
        "Find a user by email.",
        (Param("email", ParamType.STRING, "Email address.", required=True),),
    ),
)

USER_INTERVIEWER_SETTINGS: Entity[InterviewerSettings, InterviewerSettings] = Entity(
    "user_interviewer_settings",
    "A user's interviewing limits.",
    Operation(
        "get",
        "user.interviewerSettings",
        ORGANIZATION_READ,
        "Interviewer settings of one user.",
        (id_param("userId", "user", aliases=("id",)),),
    ),
)

USER_INTERVIEWER_PAUSES: Entity[InterviewerPause, InterviewerPause] = Entity(
    "user_interviewer_pauses",
    "Periods a user is paused from interviewing.",
    Operation(
        "list",
        "user.listInterviewerPauses",
        ORGANIZATION_READ,
        "Interviewer pauses of one user.",
        (id_param("userId", "user"),),
    ),
)

HIRING_TEAM_ROLES: Entity[HiringTeamRole, HiringTeamRole] = Entity(
    "hiring_team_roles",
    "Roles on a job's hiring team (Recruiter, Hiring Manager, ...).",
    Operation(
        "list",
        "hiringTeamRole.list",
        ORGANIZATION_READ,
        "All hiring team roles.",
        fixed_body={"namesOnly": False},
    ),
)

BRANDS: Entity[Brand, Brand] = Entity(
    "brands",
    "Employer brands used on job boards.",
    Operation("list", "brand.list", ORGANIZATION_READ, "List brands.", paginated=True),
)

SOURCES: Entity[Source, Source] = Entity(
    "sources",
    "Where candidates come from (job board, referral, sourcing...).",
    Operation("list", "source.list", METADATA_READ, "All sources.", (INCLUDE_ARCHIVED,)),
)

ARCHIVE_REASONS: Entity[ArchiveReason, ArchiveReason] = Entity(
    "archive_reasons",
    "Reasons applications are archived (rejections).",
    Operation("list", "archiveReason.list", METADATA_READ, "All archive reasons.", (INCLUDE_ARCHIVED,)),
)

CLOSE_REASONS: Entity[CloseReason, CloseReason] = Entity(
    "close_reasons",
    "Reasons jobs and openings are closed.",
    Operation("list", "closeReason.list", METADATA_READ, "All close reasons.", (INCLUDE_ARCHIVED,)),
)

CANDIDATE_TAGS: Entity[CandidateTag, CandidateTag] = Entity(
    "candidate_tags",
    "Tags that can be put on candidates.",
    Operation(
        "list",
        "candidateTag.list",
        METADATA_READ,
        "List candidate tags.",
        (INCLUDE_ARCHIVED,),
        paginated=True,
        sync=True,
    ),
)

CUSTOM_FIELDS: Entity[CustomField, CustomField] = Entity(
    "custom_fields",
    "Custom field definitions (for candidates, applications, jobs, offers...).",
    Operation(
        "list",
        "customField.list",
        METADATA_READ,
        "List custom field definitions.",
        (INCLUDE_ARCHIVED,),
        paginated=True,
        sync=True,
    ),
    Operation(
        "get",
        "customField.info",
        METADATA_READ,
        "One custom field definition.",
        (id_param("customFieldId", "custom field", aliases=("id",)),),
    ),
)

FEEDBACK_FORM_DEFINITIONS: Entity[FeedbackFormDefinition, FeedbackFormDefinition] = Entity(
    "feedback_form_definitions",
    "Scorecard forms interviewers fill in.",
    Operation(
        "list",
        "feedbackFormDefinition.list",
        METADATA_READ,
        "List feedback forms.",
        (INCLUDE_ARCHIVED,),
        paginated=True,
        sync=True,
    ),
    Operation(
        "get",
        "feedbackFormDefinition.info",
        METADATA_READ,
        "One feedback form.",
        (id_param("feedbackFormDefinitionId", "feedback form definition", aliases=("id",)),),
    ),
)

INTERVIEWER_POOLS: Entity[InterviewerPool, InterviewerPool] = Entity(
    "interviewer_pools",
    "Pools of qualified interviewers and trainees.",
    Operation(
        "list",
        "interviewerPool.list",
        METADATA_READ,
        "List interviewer pools.",
        (
            Param("includeArchivedPools", ParamType.BOOLEAN, "Include archived pools."),
            Param("includeArchivedTrainingStages", ParamType.BOOLEAN, "Include archived training stages."),
        ),
        paginated=True,
        sync=True,
    ),
    Operation(
        "get",
        "interviewerPool.info",
        METADATA_READ,
        "One interviewer pool.",
        (id_param("interviewerPoolId", "interviewer pool", aliases=("id",)),),
    ),
)

COMMUNICATION_TEMPLATES: Entity[CommunicationTemplate, CommunicationTemplate] = Entity(
    "communication_templates",
    "Email templates for candidate communication.",
    Operation(
        "list", "communicationTemplate.list", METADATA_READ, "List communication templates.", paginated=True
    ),
)

SOURCE_TRACKING_LINKS: Entity[SourceTrackingLink, SourceTrackingLink] = Entity(
    "source_tracking_links",
    "Tracking links that attribute applications to sources.",
    Operation(
        "list",
        "sourceTrackingLink.list",
        METADATA_READ,
        "List source tracking links.",
        (Param("includeDisabled", ParamType.BOOLEAN, "Include disabled links."),),
    ),
)

REFERRAL_FORMS: Entity[ReferralForm, ReferralForm] = Entity(
    "referral_forms",
    "The organization's referral form.",
    Operation("get", "referralForm.info", METADATA_READ, "The default referral form."),
)

INTERVIEW_PLANS: Entity[InterviewPlan, InterviewPlan] = Entity(
    "interview_plans",
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

INTERVIEW_STAGES: Entity[InterviewStage, InterviewStage] = Entity(
    "interview_stages",
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

INTERVIEW_STAGE_GROUPS: Entity[InterviewStageGroup, InterviewStageGroup] = Entity(
    "interview_stage_groups",
    "Groups of interview stages.",
    Operation("list", "interviewStageGroup.list", INTERVIEWS_READ, "All interview stage groups."),
)

INTERVIEWS: Entity[Interview, Interview] = Entity(
    "interviews",
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
                "id", ParamType.UUID, "Interview id.", required=True, aliases=("interview_id", "interviewId")
            ),
        ),
    ),
)

INTERVIEW_SCHEDULES: Entity[InterviewSchedule, InterviewSchedule] = Entity(
    "interview_schedules",
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
)

INTERVIEW_EVENTS: Entity[InterviewEvent, InterviewEvent] = Entity(
    "interview_events",
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

OFFERS: Entity[OfferSummary, Offer] = Entity(
    "offers",
    "Offers made to candidates, with versions (salary, start date) and approval state.",
    Operation(
        "list",
        "offer.list",
        OFFERS_READ,
        "List offers (latest version each).",
        (
            CREATED_AFTER,
            filter_param("applicationId", "application"),
            Param("offerStatus", ParamType.STRING_LIST, "Only these offer statuses."),
            Param("acceptanceStatus", ParamType.STRING_LIST, "Only these acceptance statuses."),
            Param("approvalStatus", ParamType.STRING_LIST, "Only these approval statuses."),
        ),
        paginated=True,
        sync=True,
    ),
    Operation(
        "get",
        "offer.info",
        OFFERS_READ,
        "One offer with all versions.",
        (
            id_param("offerId", "offer", aliases=("id",)),
            Param("excludeFormDefinition", ParamType.BOOLEAN, "Leave out the offer form definition."),
        ),
    ),
)

PROJECTS: Entity[Project, Project] = Entity(
    "projects",
    "Sourcing projects (talent pools).",
    Operation(
        "list", "project.list", CANDIDATES_READ, "List projects.", (CREATED_AFTER,), paginated=True, sync=True
    ),
    Operation(
        "get", "project.info", JOBS_READ, "One project.", (id_param("projectId", "project", aliases=("id",)),)
    ),
    Operation(
        "api_search",
        "project.search",
        CANDIDATES_READ,
        "Find projects by title (at most 100).",
        (Param("title", ParamType.STRING, "Title to match."),),
    ),
)

FILES: Entity[FileInfo, FileInfo] = Entity(
    "files",
    "Signed, short-lived download URLs for resumes and candidate files.",
    Operation(
        "get",
        "file.info",
        CANDIDATES_READ,
        "A download URL for a file handle.",
        (
            Param(
                "fileHandle",
                ParamType.STRING,
                "The `handle` of a candidate's resumeFileHandle or fileHandles.",
                required=True,
            ),
        ),
    ),
)

WEBHOOKS: Entity[Webhook, Webhook] = Entity(
    "webhooks",
    "Webhook subscriptions (never includes the secret).",
    Operation(
        "get",
        "webhook.info",
        API_KEYS_READ,
        "One webhook.",
        (id_param("webhookId", "webhook", aliases=("id",)),),
    ),
)

API_KEY: Entity[ApiKey, ApiKey] = Entity(
    "api_key",
    "The API key in use: title, creation time and permission scopes.",
    Operation(
        "get", "apiKey.info", API_KEYS_READ, "Info about the API key in use (a cheap credential check)."
    ),
)

ENTITIES: tuple[Entity[Any, Any], ...] = (
    CANDIDATES,
    CANDIDATE_NOTES,
    CANDIDATE_PROJECTS,
    CANDIDATE_CLIENT_INFO,
    CANDIDATE_FRAUD_CHECKS,
    APPLICATIONS,
    APPLICATION_HISTORY,
    APPLICATION_CRITERIA_EVALUATIONS,
    APPLICATION_FEEDBACK,
    APPLICATION_HIRING_TEAM_ROLES,
    JOBS,
    JOB_POSTINGS,
    JOB_BOARDS,
    JOB_TEMPLATES,
    JOB_INTERVIEW_PLANS,
    OPENINGS,
    DEPARTMENTS,
    LOCATIONS,
    USERS,
    USER_INTERVIEWER_SETTINGS,
    USER_INTERVIEWER_PAUSES,
    HIRING_TEAM_ROLES,
    BRANDS,
    SOURCES,
    ARCHIVE_REASONS,
    CLOSE_REASONS,
    CANDIDATE_TAGS,
    CUSTOM_FIELDS,
    FEEDBACK_FORM_DEFINITIONS,
    INTERVIEWER_POOLS,
    COMMUNICATION_TEMPLATES,
    SOURCE_TRACKING_LINKS,
    REFERRAL_FORMS,
    INTERVIEW_PLANS,
    INTERVIEW_STAGES,
    INTERVIEW_STAGE_GROUPS,
    INTERVIEWS,
    INTERVIEW_SCHEDULES,
    INTERVIEW_EVENTS,
    OFFERS,
    PROJECTS,
    FILES,
    WEBHOOKS,
    API_KEY,
)

#: entity name -> Entity
CATALOG: Mapping[str, Entity[Any, Any]] = {entity.name: entity for entity in ENTITIES}

# Bind every entity to the annotation it is declared with here (e.g. "Entity[Candidate, Candidate]":
# annotations are postponed, so a string); its record models are resolved from it on first use.
for _variable, _value in list(globals().items()):
    if isinstance(_value, Entity):
        _value.bind_declaration(__annotations__[_variable], globals())


def find_entity(name: str) -> Entity[Any, Any]:
    """The entity called ``name`` or an :class:`UnknownEntityError` naming the valid ones."""
    if not isinstance(name, str):
        raise UnknownEntityError(repr(name), list(CATALOG))
    entity = CATALOG.get(name)
    if entity is None:
        normalised = name.strip().lower().replace("-", "_").replace(" ", "_")
        entity = CATALOG.get(normalised) or CATALOG.get(normalised + "s")
    if entity is None:
        import difflib  # only on the error path: keeps import time low

        close = difflib.get_close_matches(name, list(CATALOG), n=1)
        raise UnknownEntityError(name, list(CATALOG), suggestion=close[0] if close else None)
    return entity


def find_operation(entity: str, action: str) -> Operation:
    """The operation for ``(entity, action)`` or a typed error listing the valid choices."""
    found = find_entity(entity)
    return found.operation(action if isinstance(action, str) else repr(action))


def operations() -> Sequence[Operation]:
    """Every operation in catalog order."""
    return [op for entity in ENTITIES for op in entity.operations.values()]
