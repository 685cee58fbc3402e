"""The Ashby read-endpoint contract, transcribed from Ashby's API reference only.

The small shapes the reference leaves to Ashby's OpenAPI document come from the "Record shapes Ashby's
API reference does not spell out" table of ``docs/architecture.md``. Nothing here was read
from the sandbox's code: the table and the simulator are two independent readings of one document.

Type language for record specs (``conform`` checks a JSON value against one):

- ``str``: ``|``-separated base types: ``str uuid ts date int num bool obj arr null any``
  (``uuid`` = lowercase UUID, ``ts`` = ``YYYY-MM-DDTHH:MM:SS.mmmZ``, ``date`` = ``YYYY-MM-DD``);
- ``frozenset``: one of these literal values;
- ``list`` of one spec: an array whose items all match it;
- ``tuple`` of specs: any one of them (``NULL | X`` spelled ``(NULL, X)``);
- ``dict``: an object. Plain keys are required (present; ``null`` only if the spec allows it),
  ``?key`` may be omitted (but, when present, must match: omitted-not-null fields use this),
  ``-key`` must be absent. Extra keys are tolerated (Ashby adds fields over time).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\d$")

Spec = Any


def one_of(*values: str) -> frozenset[str]:
    return frozenset(values)


def nullable(spec: Spec) -> tuple[Spec, ...]:
    return ("null", spec)


# fmt: off
# ---- shared pieces -------------------------------------------------------------
CONTACT = {"value": "str", "type": one_of("Personal", "Work", "Other"), "isPrimary": "bool"}
SOCIAL_LINK = {
    "type": one_of("LinkedIn", "GitHub", "Twitter", "Medium", "StackOverflow", "YouTube", "CodePen",
        "Website"),
    "url": "str",
}
FILE_HANDLE = {"id": "uuid", "name": "str", "handle": "str"}
CUSTOM_FIELD_VALUE = {"id": "uuid", "title": "str", "value": "bool|num|str|arr|obj", "?isPrivate": "bool"}
USER = {
    "id": "uuid",
    "firstName": "str",
    "lastName": "str",
    "email": "str",
    "globalRole": one_of("Organization Admin", "Elevated Access", "Limited Access", "External Recruiter"),
    "isEnabled": "bool",
    "updatedAt": "ts",
    "?managerId": "uuid|null",
    "?customFields": [CUSTOM_FIELD_VALUE],
}
TAG = {"id": "uuid", "title": "str", "isArchived": "bool"}
SOURCE = {"id": "uuid", "title": "str", "isArchived": "bool", "sourceType": {"id": "uuid", "title": "str",
                                                                           "isArchived": "bool"}}
ARCHIVE_REASON = {
    "id": "uuid",
    "text": "str",
    "reasonType": one_of("RejectedByCandidate", "RejectedByOrg", "Other"),
    "isArchived": "bool",
}
STAGE_TYPE = one_of("Lead", "PreInterviewScreen", "Active", "Offer", "Hired", "Archived")
INTERVIEW_STAGE = {
    "id": "uuid",
    "title": "str",
    "type": STAGE_TYPE,
    "orderInInterviewPlan": "int",
    "interviewStageGroupId": "uuid|null",
    "interviewPlanId": "uuid",
}
HIRING_TEAM_MEMBER = {"userId": "uuid", "firstName": "str", "lastName": "str", "email": "str", "role": "str"}
EMPLOYMENT_TYPE = one_of("FullTime", "PartTime", "Intern", "Contract", "Temporary")
WORKPLACE_TYPE = one_of("OnSite", "Hybrid", "Remote")
FORM_DEFINITION = {
    "sections": [{
        "?title": "str|null",
        "?descriptionHtml": "str|null",
        "?descriptionPlain": "str|null",
        "fields": [{
            "isRequired": "bool",
            "?descriptionHtml": "str|null",
            "?descriptionPlain": "str|null",
            "field": {"id": "str", "type": "str", "path": "str", "humanReadablePath": "str", "title": "str",
                      "isNullable": "bool", "?selectableValues": [{"label": "str", "value": "str"}]},
        }],
    }]
}

# ---- records --------------------------------------------------------------------------------------
CANDIDATE = {  # Candidate
    "id": "uuid", "createdAt": "ts", "updatedAt": "ts", "name": "str",
    "?primaryEmailAddress": CONTACT, "emailAddresses": [CONTACT],
    "?primaryPhoneNumber": CONTACT, "phoneNumbers": [CONTACT],
    "socialLinks": [SOCIAL_LINK], "tags": [TAG],
    "?position": "str", "?company": "str", "?school": "str",
    "applicationIds": ["uuid"], "?resumeFileHandle": FILE_HANDLE, "fileHandles": [FILE_HANDLE],
    "customFields": [CUSTOM_FIELD_VALUE], "profileUrl": "str",
    "source": nullable(SOURCE), "creditedToUser": nullable(USER), "timezone": "str|null",
    "?location": {"id": "uuid", "locationSummary": "str",
                  "locationComponents": [{"type": one_of("Country", "Region", "City"), "name": "str"}]},
    "fraudStatus": nullable(one_of("Fraudulent", "NotFraudulent", "Unsure", "Unreviewed",
        "PassedFraudCheck")),
}
HISTORY = {  # ApplicationHistory entry
    "id": "uuid", "stageId": "uuid", "title": "str", "stageNumber": "int", "enteredStageAt": "ts",
    "?leftStageAt": "ts", "allowedActions": [one_of("none", "delete", "set_entered_at")],
    "?actorId": "uuid|null",
}
APPLICATION = {  # Application, list form: no expand, no history
    "id": "uuid", "createdAt": "ts", "updatedAt": "ts",
    "status": one_of("Active", "Archived", "Hired", "Lead"),
    "candidate": {"id": "uuid", "name": "str", "?primaryEmailAddress": CONTACT,
        "?primaryPhoneNumber": CONTACT},
    "currentInterviewStage": INTERVIEW_STAGE,
    "job": {"id": "uuid", "title": "str", "locationId": "uuid", "departmentId": "uuid", "?brandId": "uuid"},
    "hiringTeam": [HIRING_TEAM_MEMBER], "customFields": [CUSTOM_FIELD_VALUE],
    "source": nullable(SOURCE),
    "archiveReason": nullable({**ARCHIVE_REASON, "customFields": [CUSTOM_FIELD_VALUE]}),
    "?archivedAt": "ts", "creditedToUser": nullable(USER), "?appliedViaJobPostingId": "uuid",
    "submitterClientIp": "str|null", "submitterUserAgent": "str|null",
    "-openings": "any", "-applicationHistory": "any",
}
APPLICATION_INFO = {**APPLICATION, "applicationHistory": [HISTORY]}
del APPLICATION_INFO["-applicationHistory"]
JOB = {  # Job, no expand
    "id": "uuid", "title": "str", "confidential": "bool",
    "status": one_of("Draft", "Open", "Closed", "Archived"), "employmentType": EMPLOYMENT_TYPE,
    "locationId": "uuid", "departmentId": "uuid", "defaultInterviewPlanId": "uuid",
    "interviewPlanIds": ["uuid"], "jobPostingIds": ["uuid"], "customFields": [CUSTOM_FIELD_VALUE],
    "hiringTeam": [HIRING_TEAM_MEMBER], "customRequisitionId": "str|null", "?brandId": "uuid|null",
    "author": USER, "createdAt": "ts", "updatedAt": "ts", "openedAt": "ts|null", "closedAt": "ts|null",
    "-location": "any", "-openings": "any",
}
JOB_POSTING_SUMMARY = {  # JobPostingSummary
    "id": "uuid", "title": "str", "jobId": "uuid", "departmentName": "str", "teamName": "str",
    "locationName": "str", "locationExternalName": "str|null",
    "locationIds": {"primaryLocationId": "uuid", "secondaryLocationIds": ["uuid"]},
    "workplaceType": nullable(WORKPLACE_TYPE), "employmentType": EMPLOYMENT_TYPE, "isListed": "bool",
    "publishedDate": "date", "applicationDeadline": "ts|null", "externalLink": "str|null", "applyLink": "str",
    "compensationTierSummary": "str|null", "shouldDisplayCompensationOnJobBoard": "bool", "updatedAt": "ts",
}
JOB_POSTING = {  # JobPosting: jobPosting.info = summary + these
    **JOB_POSTING_SUMMARY,
    "descriptionPlain": "str", "descriptionHtml": "str", "descriptionSocial": "str",
    "descriptionParts": {"descriptionOpening": "obj|null", "descriptionBody": {"html": "str", "plain": "str"},
                         "descriptionClosing": "obj|null"},
    "teamNameHierarchy": ["str"],
    "linkedData": {"?employmentType": one_of("FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN")},
    "address": {"postalAddress": "obj"}, "isRemote": "bool",
    "applicationFormDefinition": FORM_DEFINITION, "surveyFormDefinitions": ["obj"],
    "suppressDescriptionOpening": "bool", "suppressDescriptionClosing": "bool",
    "compensation": {"compensationTierSummary": "str|null", "summaryComponents": "arr",
                     "compensationTiers": "arr", "shouldDisplayCompensationOnJobBoard": "bool"},
    "applicationLimitCalloutHtml": "str|null",
    "-job": "any",
}
OPENING = {  # Opening: required id, isArchived, openingState; the rest typed when present
    "id": "uuid", "isArchived": "bool", "openingState": one_of("Approved", "Closed", "Draft", "Filled",
        "Open"),
    "?openedAt": "ts|null", "?closedAt": "ts|null", "?archivedAt": "ts|null", "?closeReasonId": "uuid|null",
    "?latestVersion": {
        "id": "uuid", "identifier": "str", "?description": "str|null", "?authorId": "uuid|null",
        "?createdAt": "ts", "?teamId": "uuid|null", "jobIds": ["uuid"], "?targetHireDate": "date|null",
        "?targetStartDate": "date|null", "?isBackfill": "bool", "?employmentType": nullable(EMPLOYMENT_TYPE),
        "locationIds": ["uuid"], "hiringTeam": [HIRING_TEAM_MEMBER], "customFields": [CUSTOM_FIELD_VALUE],
    },
}
PLAN_INTERVIEW = {"id": "uuid", "title": "str", "interviewId": "uuid", "interviewDurationMinutes": "int",
                  "isSchedulable": "bool"}
JOB_INTERVIEW_PLAN = {"jobId": "uuid", "interviewPlanId": "uuid", "stages": [
    {**INTERVIEW_STAGE, "activities": [{"id": "uuid", "title": "str", "interviews": [PLAN_INTERVIEW]}]},
]}
DEPARTMENT = {"id": "uuid", "name": "str", "externalName": "str|null", "isArchived": "bool",
              "parentId": "uuid|null", "createdAt": "ts", "updatedAt": "ts", "extraData": "obj|null"}
LOCATION = {
    "id": "uuid", "name": "str", "isArchived": "bool", "?externalName": "str|null",
    "?address": nullable({"postalAddress": "obj"}), "?isRemote": "bool",
    "?workplaceType": nullable(WORKPLACE_TYPE), "?parentLocationId": "uuid|null",
    "?type": one_of("Location", "LocationHierarchy"), "?extraData": "obj|null",
}
CUSTOM_FIELD_DEFINITION = {
    "id": "uuid", "title": "str",
    "objectType": one_of("Application", "Candidate", "Employee", "Job", "Offer", "Opening", "Talent_Project"),
    "fieldType": one_of("Boolean", "CompensationRange", "Currency", "Date", "LongText", "MultiValueSelect",
                        "Number", "NumberRange", "String", "ValueSelect", "Url", "UUID", "Email", "Phone",
                        "Score", "SocialLink", "Location", "DateRange"),
    "isArchived": "bool", "isRequired": "bool", "?isPrivate": "bool",
    "?selectableValues": [{"label": "str", "value": "str", "isArchived": "bool"}],
}
FEEDBACK_FORM_DEFINITION = {"id": "uuid", "organizationId": "uuid", "title": "str", "isArchived": "bool",
                            "isDefaultForm": "bool", "formDefinition": FORM_DEFINITION,
                                "?interviewId": "uuid"}
INTERVIEWER_POOL = {"id": "uuid", "title": "str", "isArchived": "bool", "qualifiedMembers": [USER],
                    "trainees": [USER], "createdAt": "ts", "updatedAt": "ts"}
INTERVIEW = {"id": "uuid", "title": "str", "externalTitle": "str|null", "isArchived": "bool",
    "isDebrief": "bool",
             "isFeedbackRequired": "bool", "isFeedbackRequested": "bool", "instructionsHtml": "str|null",
             "instructionsPlain": "str|null", "?jobId": "uuid", "feedbackFormDefinitionId": "uuid|null"}
INTERVIEW_EVENT = {
    "id": "uuid", "interviewId": "uuid", "interviewScheduleId": "uuid", "interviewerUserIds": ["uuid"],
    "interviewers": [{**USER, "trainingRole": nullable(one_of("Shadow", "Reverse-Shadow")),
                      "interviewerPool": "obj|null", "isFeedbackRequired": "bool"}],
    "createdAt": "ts", "updatedAt": "ts", "startTime": "ts", "endTime": "ts", "feedbackLink": "str",
    "location": "str|null", "meetingLink": "str|null", "interviewerCalendarEventId": "str|null",
    "hasSubmittedFeedback": "bool", "notetakerTranscriptId": "uuid|null", "?extraData": "obj|null",
    "-interview": "any",
}
INTERVIEW_SCHEDULE = {
    "id": "uuid", "applicationId": "uuid", "interviewStageId": "uuid",
    "status": one_of("NeedsScheduling", "WaitingOnCandidateBooking", "WaitingOnCandidateAvailability",
                     "CandidateAvailabilitySubmitted", "Scheduled", "WaitingOnFeedback", "Complete",
                         "Cancelled",
                     "OnHold", "Unknown"),
    "?scheduledBy": nullable(USER), "?createdAt": "ts", "?updatedAt": "ts",
        "interviewEvents": [INTERVIEW_EVENT],
}
OFFER_VERSION = {"id": "uuid", "startDate": "str|null", "salary": "obj|null", "createdAt": "ts",
                 "openingId": "uuid|null", "customFields": [CUSTOM_FIELD_VALUE], "fileHandles": [FILE_HANDLE],
                 "author": USER, "approvalStatus": nullable(one_of("Approved", "WaitingOnApprovals",
                     "Declined"))}
OFFER_SUMMARY = {
    "id": "uuid", "applicationId": "uuid",
    "acceptanceStatus": one_of("Accepted", "Declined", "Pending", "Created", "Cancelled",
        "WaitingOnResponse"),
    "offerStatus": one_of("WaitingOnApprovalStart", "WaitingOnOfferApproval", "WaitingOnApprovalDefinition",
                          "WaitingOnCandidateResponse", "CandidateRejected", "CandidateAccepted",
                              "OfferCancelled"),
    "decidedAt": "ts|null", "latestVersion": OFFER_VERSION,
}
OFFER = {**OFFER_SUMMARY, "?versions": [OFFER_VERSION], "formDefinition": "obj"}
PROJECT = {"id": "uuid", "title": "str", "?description": "str|null", "?isArchived": "bool",
           "?confidential": "bool", "?authorId": "uuid|null", "?createdAt": "ts",
               "?customFieldEntries": "arr"}
NOTE_KEYS = frozenset({"id", "createdAt", "isPrivate", "content", "author"})
NOTE = {"id": "uuid", "createdAt": "ts", "isPrivate": "bool", "content": "str",
        "author": {"id": "uuid", "firstName": "str", "lastName": "str", "email": "str"}}
FEEDBACK = {"id": "uuid", "applicationId": "uuid", "formDefinition": FORM_DEFINITION,
    "submittedValues": "obj",
            "submittedByUser": USER, "?submittedAt": "ts", "?feedbackFormDefinitionId": "uuid",
            "?interviewId": "uuid", "?interviewEventId": "uuid", "?applicationHistoryId": "uuid"}
ID_TITLE = {"id": "uuid", "title": "str"}
ID_TITLE_ARCHIVED = {"id": "uuid", "title": "str", "isArchived": "bool"}


# ---- the table ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoint:
    """One read endpoint. ``body`` values written ``"@key"`` are filled from the ``ids`` fixture."""

    name: str
    family: str  # info | paged (moreDataAvailable + cursor) | plain (success+results) | flag | bare
    module: str  # permission module: the scope prefix (`candidates` -> `candidates:read`)
    record: Spec
    body: dict[str, Any] = field(default_factory=dict)
    sync: bool | None = False  # syncToken on last page (True), never (False), not pinned (None)
    not_found: str | frozenset[str] | None = None  # code for a well-formed unknown id (*.info)
    uuid_param: bool = True  # the "@" parameter is a UUID (not for file.info and searches)
    required: bool = True  # the "@" parameter is required: `{}` is invalid_input

    @property
    def id_param(self) -> str | None:
        return next((k for k, v in self.body.items() if isinstance(v, str) and v.startswith("@")), None)


E = Endpoint
C, J, V, M, G, F, K = (
    "candidates", "jobs", "interviews", "hiringProcessMetadata", "organization", "offers", "apiKeys"
)

ENDPOINTS: list[Endpoint] = [
    # API key
    E("apiKey.info", "info", K, {"title": "str", "createdAt": "ts", "scopes": ["str"]}),
    # Candidates
    E("candidate.list", "paged", C, CANDIDATE, sync=True),
    E("candidate.info", "info", C, CANDIDATE, {"id": "@candidate"}, not_found="candidate_not_found"),
    E("candidate.search", "plain", C, CANDIDATE, {"email": "@candidateEmail"}, uuid_param=False,
      required=False),
    E("candidate.listNotes", "paged", C, NOTE, {"candidateId": "@noteCandidate"}, sync=None),
    E("candidate.listProjects", "paged", C, PROJECT, {"candidateId": "@projectCandidate"}),
    E("candidate.listClientInfo", "paged", C,
      {"id": "uuid", "ipAddress": "str|null", "userAgent": "str|null", "relatedEntityType": "str|null",
       "relatedEntityId": "uuid|null", "candidateId": "uuid", "createdAt": "ts"},
      {"candidateId": "@clientInfoCandidate"}, sync=True),
    E("candidate.listFraudChecks", "paged", C,
      {"id": "uuid", "candidateId": "uuid", "status": one_of("Pending", "Passed", "Flagged"),
          "checkType": "str",
       "createdAt": "ts"}, {"candidateId": "@fraudCandidate"}),
    # Applications
    E("application.list", "paged", C, APPLICATION, sync=True),
    E("application.info", "info", C, APPLICATION_INFO, {"applicationId": "@application"},
      not_found="application_not_found"),
    E("application.listHistory", "paged", C, HISTORY, {"applicationId": "@application"}),
    E("application.listCriteriaEvaluations", "paged", C,
      {"id": "uuid", "applicationId": "uuid", "criterion": "str",
       "outcome": one_of("Meets", "DoesNotMeet", "Unsure"), "reasoning": "str|null", "createdAt": "ts"},
      {"applicationId": "@criteriaApplication"}),
    E("applicationHiringTeamRole.list", "plain", C, ID_TITLE),
    # Application feedback (scorecards)
    E("applicationFeedback.list", "paged", C, FEEDBACK, sync=True),
    # Jobs, job postings, openings, boards
    E("job.list", "paged", J, JOB, sync=True),
    E("job.info", "info", J, JOB, {"id": "@job"}, not_found="job_not_found"),
    E("job.search", "plain", J, JOB, {"title": "@jobTitle"}, uuid_param=False),
    E("jobPosting.list", "plain", J, JOB_POSTING_SUMMARY),
    E("jobPosting.info", "info", J, JOB_POSTING, {"jobPostingId": "@jobPosting"},
      not_found="job_posting_not_found"),
    E("jobBoard.list", "bare", J, {"id": "uuid", "title": "str", "isInternal": "bool"}),
    E("jobTemplate.list", "paged", J,
      {"id": "uuid", "title": "str", "isArchived": "bool", "departmentId": "uuid|null",
          "locationId": "uuid|null",
       "employmentType": nullable(EMPLOYMENT_TYPE), "createdAt": "ts", "updatedAt": "ts", "-location": "any"},
      sync=True),
    E("jobInterviewPlan.info", "info", J, JOB_INTERVIEW_PLAN, {"jobId": "@job"},
      not_found=frozenset({"job_not_found", "job_interview_plan_not_found"})),
    E("opening.list", "paged", J, OPENING, sync=True),
    E("opening.info", "info", J, OPENING, {"openingId": "@opening"}, not_found="opening_not_found"),
    E("opening.search", "plain", J, OPENING, {"identifier": "@openingIdentifier"}, uuid_param=False),
    # Organization
    E("department.list", "paged", G, DEPARTMENT, sync=True),
    E("department.info", "info", G, DEPARTMENT, {"departmentId": "@department"},
        not_found="department_not_found"),
    E("location.list", "paged", G, LOCATION, sync=True),
    E("location.info", "info", G, LOCATION, {"locationId": "@location"}, not_found="location_not_found"),
    E("user.list", "paged", G, USER, sync=True),
    E("user.info", "info", G, USER, {"userId": "@user"}, not_found="user_not_found"),
    E("user.search", "plain", G, USER, {"email": "@userEmail"}, uuid_param=False),
    E("user.interviewerSettings", "info", G,
      {"userId": "uuid", "isInterviewer": "bool", "maxInterviewsPerDay": "int|null",
       "maxInterviewsPerWeek": "int|null"}, {"userId": "@user"}),
    E("user.listInterviewerPauses", "bare", G,
      {"id": "uuid", "userId": "uuid", "startDate": "date", "endDate": "date|null", "reason": "str|null"},
      {"userId": "@pauseUser"}),
    E("hiringTeamRole.list", "plain", G, "str"),
    E("brand.list", "paged", G, {"id": "uuid", "name": "str", "hostedJobsPageSlug": "str|null"}),
    # Hiring-process metadata
    E("source.list", "flag", M, SOURCE),
    E("archiveReason.list", "bare", M, ARCHIVE_REASON),
    E("closeReason.list", "bare", M, {"id": "uuid", "reasonText": "str", "isArchived": "bool"}),
    E("candidateTag.list", "paged", M, TAG, sync=True),
    E("customField.list", "paged", M, CUSTOM_FIELD_DEFINITION, sync=True),
    E("customField.info", "info", M, CUSTOM_FIELD_DEFINITION, {"customFieldId": "@customField"},
      not_found="custom_field_not_found"),
    E("feedbackFormDefinition.list", "paged", M, FEEDBACK_FORM_DEFINITION, sync=True),
    E("feedbackFormDefinition.info", "info", M, FEEDBACK_FORM_DEFINITION,
      {"feedbackFormDefinitionId": "@feedbackFormDefinition"},
          not_found="feedback_form_definition_not_found"),
    E("interviewerPool.list", "paged", M, INTERVIEWER_POOL, sync=True),
    E("interviewerPool.info", "info", M, INTERVIEWER_POOL, {"interviewerPoolId": "@interviewerPool"},
      not_found="interviewer_pool_not_found"),
    E("communicationTemplate.list", "paged", M, ID_TITLE_ARCHIVED),
    E("sourceTrackingLink.list", "bare", M,
      {"id": "uuid", "sourceId": "uuid", "code": "str", "link": "str", "isArchived": "bool"}),
    E("referralForm.info", "info", M, {"id": "uuid", "title": "str", "isArchived": "bool",
        "formDefinition": "obj"}),
    # Interviews and scheduling
    E("interviewPlan.list", "paged", V, {"id": "uuid", "title": "str", "isArchived": "bool",
        "createdAt": "ts",
                                         "updatedAt": "ts"}, sync=True),
    E("interviewStage.list", "flag", V, INTERVIEW_STAGE, {"interviewPlanId": "@interviewPlan"}),
    E("interviewStage.info", "info", V, INTERVIEW_STAGE, {"interviewStageId": "@interviewStage"},
      not_found="interview_stage_not_found"),
    E("interviewStageGroup.list", "plain", V, {"id": "uuid", "title": "str", "order": "int",
        "stageType": STAGE_TYPE}),
    E("interview.list", "paged", V, {**INTERVIEW, "-jobId": "any"}, sync=True),
    E("interview.info", "info", V, INTERVIEW, {"id": "@interview"}, not_found="interview_not_found"),
    E("interviewSchedule.list", "paged", V, INTERVIEW_SCHEDULE, sync=True),
    E("interviewEvent.list", "paged", V, INTERVIEW_EVENT, {"interviewScheduleId": "@interviewSchedule"},
        sync=True),
    # Offers
    E("offer.list", "paged", F, OFFER_SUMMARY, sync=True),
    E("offer.info", "info", F, OFFER, {"offerId": "@offer"}, not_found="offer_not_found"),
    # Projects, files, webhooks
    E("project.list", "paged", C, PROJECT, sync=True),
    E("project.info", "info", J, PROJECT, {"projectId": "@project"}, not_found="project_not_found"),
    E("project.search", "plain", C, PROJECT, {"title": "@projectTitle"}, uuid_param=False,
      required=False),
    E("file.info", "info", C, {"url": "str"}, {"fileHandle": "@fileHandle"}, uuid_param=False),
    E("webhook.info", "info", K,
      {"id": "uuid", "enabled": "bool", "requestUrl": "str", "-secretToken": "any",
       "webhookType": one_of("applicationSubmit", "applicationUpdate", "candidateHire",
           "candidateStageChange",
                             "candidateDelete", "candidateMerge", "interviewPlanTransition",
                             "interviewScheduleCreate", "interviewScheduleUpdate", "jobPostingUpdate",
                             "jobPostingPublish", "jobPostingUnpublish", "offerCreate", "offerUpdate",
                             "offerDelete", "pushToHRIS", "surveySubmit")},
      {"webhookId": "@webhook"}, not_found="webhook_not_found"),
]
BY_NAME = {e.name: e for e in ENDPOINTS}
MODULES = (C, J, V, M, G, F, K)
ALL_SCOPES = [f"{m}:{rw}" for m in (*MODULES, "approvals") for rw in ("read", "write")] + ["reports:read"]

# fmt: on


# ---- the checker ----------------------------------------------------------------------------------
_BASE: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "uuid": lambda v: isinstance(v, str) and bool(UUID_RE.match(v)),
    "ts": lambda v: isinstance(v, str) and bool(TS_RE.match(v)),
    "date": lambda v: isinstance(v, str) and bool(DATE_RE.match(v)),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "num": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "obj": lambda v: isinstance(v, dict),
    "arr": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
    "any": lambda v: True,
}


def conform(value: Any, spec: Spec, path: str = "$") -> list[str]:
    """Every way ``value`` breaks ``spec``, as readable strings (empty list = conforms)."""
    if isinstance(spec, str):
        if any(_BASE[t](value) for t in spec.split("|")):
            return []
        return [f"{path}: expected {spec}, got {value!r:.80}"]
    if isinstance(spec, frozenset):
        return [] if value in spec else [f"{path}: {value!r:.60} not one of {sorted(spec)}"]
    if isinstance(spec, tuple):
        attempts = [conform(value, s, path) for s in spec]
        return [] if any(not a for a in attempts) else attempts[-1]  # (null, X): report X's errors
    if isinstance(spec, list):
        if not isinstance(value, list):
            return [f"{path}: expected array, got {value!r:.80}"]
        return [err for i, item in enumerate(value) for err in conform(item, spec[0], f"{path}[{i}]")]
    if not isinstance(value, dict):
        return [f"{path}: expected object, got {value!r:.80}"]
    errors: list[str] = []
    for key, sub in spec.items():
        name = key.lstrip("?-")
        if key.startswith("-"):
            if name in value:
                errors.append(f"{path}.{name}: must be absent")
        elif name not in value:
            if not key.startswith("?"):
                errors.append(f"{path}.{name}: missing")
        else:
            errors += conform(value[name], sub, f"{path}.{name}")
    return errors


DATA_MAPS = frozenset({"submittedValues", "extraData"})  # keys are data (`_systemfield_…` paths)


def generic_violations(value: Any, path: str = "$") -> list[str]:
    """Rules for every payload: no internal ``_`` keys (architecture.md); ``…At`` strings are timestamps."""
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in generic_violations(v, f"{path}[{i}]")]
    if not isinstance(value, dict):
        return []
    errors: list[str] = []
    for key, sub in value.items():
        if key.startswith("_"):
            errors.append(f"{path}.{key}: internal key leaked")
        if key.endswith("At") and isinstance(sub, str) and not TS_RE.match(sub):
            errors.append(f"{path}.{key}: {sub!r} is not an ISO timestamp with milliseconds and Z")
        if key not in DATA_MAPS:
            errors += generic_violations(sub, f"{path}.{key}")
    return errors
