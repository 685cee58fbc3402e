"""The operation catalog: every Ashby read endpoint the connector exposes, declared once.

Each :class:`Entity` groups the Ashby endpoints about one kind of record under the actions ``list``,
``get`` and ``api_search``. ``execute``, the typed helpers, param validation, agent tool descriptions,
the hosted service's validation and ``docs/REFERENCE.md`` are all derived from these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, get_args

from ashby_agent.connectors.ashby.params import Param, ParamType, index_spellings
from ashby_agent.errors import UnknownActionError, UnknownEntityError

if TYPE_CHECKING:
    # The record models named in the entity declarations below; at run time they are resolved from
    # those annotations on first use (see ``Entity``), so importing the catalog builds no model.
    from pydantic import BaseModel

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

ListT = TypeVar("ListT", bound="BaseModel")
GetT = TypeVar("GetT", bound="BaseModel")

Action = Literal["list", "get", "api_search"]
ACTIONS: tuple[Action, ...] = ("list", "get", "api_search")

# Permission ids as Ashby's OpenAPI names them (§1.4 of the reference).
CANDIDATES_READ = "candidatesRead"
JOBS_READ = "jobsRead"
INTERVIEWS_READ = "interviewsRead"
METADATA_READ = "hiringProcessMetadataRead"
ORGANIZATION_READ = "organizationRead"
OFFERS_READ = "offersRead"
API_KEYS_READ = "apiKeysRead"


@dataclass(frozen=True, slots=True)
class Operation:
    """One Ashby endpoint as an (entity, action) pair."""

    action: Action
    endpoint: str
    permission: str
    description: str
    params: tuple[Param, ...] = ()
    #: Takes ``cursor``/``limit`` and answers ``moreDataAvailable``/``nextCursor``.
    paginated: bool = False
    #: Takes ``syncToken`` and returns one on the last page (incremental sync).
    sync: bool = False
    #: At least one of these params is required (e.g. ``id`` or ``externalMappingId``).
    one_of: tuple[str, ...] = ()
    #: Body keys always sent (e.g. ``namesOnly: false`` so roles come back as objects).
    fixed_body: Mapping[str, Any] = field(default_factory=dict)
    read_only: bool = True
    entity: str = ""  # set by Entity

    @property
    def all_params(self) -> tuple[Param, ...]:
        """Declared params plus the pagination and sync params the endpoint takes."""
        extra: tuple[Param, ...] = ()
        if self.paginated:
            extra += (LIMIT, CURSOR)
        if self.sync:
            extra += (SYNC_TOKEN,)
        return self.params + extra

    @property
    def spellings(self) -> Mapping[str, Param]:
        return _spellings(self)

    @property
    def returns_list(self) -> bool:
        return self.action != "get"

    @property
    def result(self) -> type[BaseModel]:
        """The record model of this operation's answer: its entity's ``get_model`` or ``list_model``."""
        entity = CATALOG[self.entity]
        return entity.get_model if self.action == "get" else entity.list_model


_SPELLINGS: dict[tuple[str, str], Mapping[str, Param]] = {}


def _spellings(op: Operation) -> Mapping[str, Param]:
    key = (op.entity, op.action)
    found = _SPELLINGS.get(key)
    if found is None:
        found = _SPELLINGS[key] = index_spellings(op.all_params)
    return found


class Entity(Generic[ListT, GetT]):
    """A kind of Ashby record and the operations that read it.

    Declared in this module as ``NAME: Entity[ListModel, GetModel] = Entity(name, description, *ops)``:
    the annotation names the record model of ``list``/``api_search`` and the one of ``get``, once. Type
    checkers read it as written; at run time ``list_model``/``get_model`` (and ``Operation.result``)
    resolve that same annotation on first use, importing only the records modules it names.
    """

    def __init__(self, name: str, description: str, *operations: Operation) -> None:
        self.name = name
        self.description = description
        self._models: tuple[type[ListT], type[GetT]] | None = None
        ops: dict[str, Operation] = {}
        for op in operations:
            object.__setattr__(op, "entity", name)
            ops[op.action] = op
        self.operations: Mapping[str, Operation] = ops

    @property
    def list_model(self) -> type[ListT]:
        """The record model of ``list`` and ``api_search``."""
        return self._declared_models()[0]

    @property
    def get_model(self) -> type[GetT]:
        """The record model of ``get``."""
        return self._declared_models()[1]

    def _declared_models(self) -> tuple[type[ListT], type[GetT]]:
        models = self._models
        if models is None:
            models = self._models = _resolve_models(self.name)
        return models

    @property
    def actions(self) -> list[str]:
        return list(self.operations)

    def operation(self, action: str) -> Operation:
        try:
            return self.operations[action]
        except KeyError:
            raise UnknownActionError(self.name, action, self.actions) from None

    def __repr__(self) -> str:
        return f"Entity({self.name!r}, actions={self.actions})"


# ----------------------------------------------------------------------------- shared params

LIMIT = Param("limit", ParamType.INTEGER, "Page size, 1..100 (Ashby caps larger values at 100; default 100).")
CURSOR = Param("cursor", ParamType.STRING, "Opaque cursor from the previous page's meta.cursor.")
SYNC_TOKEN = Param(
    "syncToken",
    ParamType.STRING,
    "Token from the last page of a previous full walk (meta.sync_token): returns only records created or "
    "changed since.",
)
CREATED_AFTER = Param(
    "createdAfter",
    ParamType.TIMESTAMP_MS,
    "Only records created after this moment (ms since epoch, or an ISO date/datetime).",
)
INCLUDE_ARCHIVED = Param("includeArchived", ParamType.BOOLEAN, "Include archived records (default false).")


def _id(name: str, what: str, *, aliases: tuple[str, ...] = ()) -> Param:
    return Param(name, ParamType.UUID, f"Id of the {what}.", required=True, aliases=aliases)


def _filter_id(name: str, what: str) -> Param:
    return Param(name, ParamType.UUID, f"Only records of this {what}.")


def _expand(*choices: str) -> Param:
    return Param("expand", ParamType.ENUM_LIST, "Embed related objects.", choices=choices)


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
        (_id("candidateId", "candidate"),),
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
        (_id("candidateId", "candidate"),),
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
        (_id("candidateId", "candidate"),),
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
        (_id("candidateId", "candidate"),),
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
            _filter_id("jobId", "job"),
            _expand("openings"),
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
            _expand("openings", "applicationFormSubmissions", "referrals"),
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
        (_id("applicationId", "application"),),
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
        (_id("applicationId", "application"),),
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
        (CREATED_AFTER, _filter_id("applicationId", "application")),
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
            _expand("location", "openings"),
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
            _expand("location", "openings", "compensation"),
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
            _id("jobPostingId", "job posting", aliases=("id",)),
            Param("jobBoardId", ParamType.UUID, "Job board the posting is on."),
            _expand("job"),
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
        (_expand("location"),),
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
        (_id("jobId", "job", aliases=("id",)),),
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
        (_id("openingId", "opening", aliases=("id",)),),
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
        (_id("departmentId", "department", aliases=("id",)),),
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
        (_id("locationId", "location", aliases=("id",)),),
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
        "get", "user.info", ORGANIZATION_READ, "One user by id.", (_id("userId", "user", aliases=("id",)),)
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
        (_id("userId", "user", aliases=("id",)),),
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
        (_id("userId", "user"),),
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
        (_id("customFieldId", "custom field", aliases=("id",)),),
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
        (_id("feedbackFormDefinitionId", "feedback form definition", aliases=("id",)),),
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
        (_id("interviewerPoolId", "interviewer pool", aliases=("id",)),),
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
        (_id("interviewPlanId", "interview plan"),),
    ),
    Operation(
        "get",
        "interviewStage.info",
        INTERVIEWS_READ,
        "One interview stage.",
        (_id("interviewStageId", "interview stage", aliases=("id",)),),
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
            _filter_id("applicationId", "application"),
            _filter_id("interviewStageId", "interview stage"),
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
        (_id("interviewScheduleId", "interview schedule"), CREATED_AFTER, _expand("interview")),
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
            _filter_id("applicationId", "application"),
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
            _id("offerId", "offer", aliases=("id",)),
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
        "get", "project.info", JOBS_READ, "One project.", (_id("projectId", "project", aliases=("id",)),)
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
        "get", "webhook.info", API_KEYS_READ, "One webhook.", (_id("webhookId", "webhook", aliases=("id",)),)
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

#: entity name -> the annotation it is declared with, e.g. ``"Entity[Candidate, Candidate]"`` (a string:
#: annotations are postponed here). Every entity must be declared with one (a KeyError at import if not).
_DECLARATIONS: dict[str, str] = {
    value.name: __annotations__[variable]
    for variable, value in globals().items()
    if isinstance(value, Entity)
}


class _RecordNamespace(dict[str, Any]):
    """Resolves the names of a declaration to the record classes of ``models``, on lookup."""

    def __missing__(self, name: str) -> Any:
        from ashby_agent.connectors.ashby import models  # cheap: its records load per name

        try:
            return getattr(models, name)
        except AttributeError:
            raise KeyError(name) from None


def _resolve_models(entity: str) -> tuple[Any, Any]:
    """The ``(list model, get model)`` classes named by ``entity``'s declaration in this module.

    Evaluates the annotation as ``typing.get_type_hints`` would (module globals, then record names),
    for this one entity: only the records modules it names are imported.
    """
    declared = eval(_DECLARATIONS[entity], globals(), _RecordNamespace())
    list_model, get_model = get_args(declared)
    return list_model, get_model


def find_entity(name: str) -> Entity[Any, Any]:
    """The entity called ``name`` or an :class:`UnknownEntityError` naming the valid ones."""
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
    return find_entity(entity).operation(action)


def operations() -> Sequence[Operation]:
    """Every operation in catalog order."""
    return [op for entity in ENTITIES for op in entity.operations.values()]
