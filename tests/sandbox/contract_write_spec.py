"""The Ashby write-endpoint contract, transcribed from Ashby's API reference only.

Every "W" row (a write endpoint) of the reference's endpoint tables (both spellings of the two
application writes Ashby serves under two names), with what the reference states about it:

- ``module``: the permission module: a key needs ``<module>:write``
  (``candidatesWrite`` -> scope ``candidates:write``);
- ``required``: the parameters marked ``*`` in the Body column; ``"a|b"`` means "one of a or b is
  required" (the Body column's "one of …" and "… **or** …" forms), so the param is missing when all
  alternatives are;
- ``uuid_params``: the id parameters of the example body ("All ids are UUID strings");
  file handles are opaque tokens, not ids, and are not listed;
- ``result``: ``"obj"`` for "X", ``"list"`` for "[X]", ``None`` where the Result column is "—";
- ``not_found``: ``(param, code)`` for an unknown well-formed UUID: ``application_not_found`` is
  documented; the other ``<entity>_not_found`` codes rest on the error section's pattern and its **Sim**
  line ("use ``<entity>_not_found`` … for a well-formed UUID that does not exist"). Only the main id of
  an endpoint (plus the ids the error section lists codes for) is pinned; creates have none;
- ``params_stated``: False where the reference says "see OpenAPI" or leaves the params unconfirmed: then
  only the permission is pinned (no required params, no id checks), and ``body`` is a plausible call.

``body`` is an otherwise-valid request: values written ``"@key"`` are filled from the test module's
``ids`` fixture (recursively, so nested values may be references too). The reference never says that an
``invalid_input`` error names the offending parameter (the error envelope keeps ``errors`` as ``[code]``; the
``{message, parameter}`` form is *unconfirmed*), so no test pins the naming.

Nothing here was read from the sandbox's code: the table and the simulator are two independent readings
of one document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.sandbox.contract_spec import (
    APPLICATION,
    CANDIDATE,
    DEPARTMENT,
    JOB,
    NOTE,
    TAG,
    Spec,
    one_of,
)

C, J, V, M, G, F, K = (
    "candidates", "jobs", "interviews", "hiringProcessMetadata", "organization", "offers", "apiKeys"
)  # fmt: skip
WRITE_MODULES = (C, J, V, M, G, F, K)

WEBHOOK_TYPES = one_of(
    "applicationSubmit", "applicationUpdate", "candidateHire", "candidateStageChange", "candidateDelete",
    "candidateMerge", "interviewPlanTransition", "interviewScheduleCreate", "interviewScheduleUpdate",
    "jobPostingUpdate", "jobPostingPublish", "jobPostingUnpublish", "offerCreate", "offerUpdate",
    "offerDelete", "pushToHRIS", "surveySubmit",
)  # fmt: skip
WEBHOOK = {"id": "uuid", "enabled": "bool", "requestUrl": "str", "secretToken": "str",
           "webhookType": WEBHOOK_TYPES}  # fmt: skip  # webhook.create result
UPLOAD_HANDLE = {"handle": "str", "url": "str", "fields": "any"}  # file.createFileUploadHandle
CUSTOM_FIELD_VALUE = {"id": "uuid", "title": "str", "value": "any"}  # CustomFieldValue
OFFER_PROCESS = {"id": "uuid", "applicationId": "uuid", "status": "str"}


@dataclass(frozen=True)
class WriteEndpoint:
    """One write endpoint, as the reference states it."""

    name: str
    module: str  # the scope prefix: a key needs `<module>:write`
    required: tuple[str, ...] = ()
    uuid_params: tuple[str, ...] = ()
    result: str | None = "obj"  # "obj" (X) | "list" ([X]) | None (Result "—")
    body: dict[str, Any] = field(default_factory=dict)
    not_found: tuple[tuple[str, str | frozenset[str]], ...] = ()
    params_stated: bool = True
    record: Spec = None  # the result's record shape, for the success checks (None: not checked)

    @property
    def permission(self) -> str:
        """The OpenAPI permission id, e.g. ``candidatesWrite``."""
        return f"{self.module}Write"

    @property
    def scope(self) -> str:
        return f"{self.module}:write"


W = WriteEndpoint
CAND = ("candidateId", "candidate_not_found")
APP = ("applicationId", "application_not_found")
JOB_NF = ("jobId", "job_not_found")
DEPT = ("departmentId", "department_not_found")
SCHED_NF = "interview_schedule_not_found"
VERSION = ("offerVersionId", "offer_version_not_found")
HOOK = ("webhookId", "webhook_not_found")
TEAM_MEMBER = {"applicationId": "@application", "teamMemberId": "@user", "roleId": "@role"}
# The Body column of the opening and location families says "see OpenAPI": permission only.
OPENING_BODY = {"openingId": "@opening"}
LOCATION_BODY = {"locationId": "@location"}

# fmt: off
WRITE_ENDPOINTS: list[WriteEndpoint] = [
    # ---- 4.2 Candidates (candidatesWrite) ----------------------------------------------------------
    W("candidate.create", C, ("name",), (), body={"name": "Contract Write Person",
      "email": "contract.write@example.com"}, record=CANDIDATE),
    W("candidate.update", C, ("candidateId",), ("candidateId",),
      body={"candidateId": "@candidate", "name": "Contract Renamed Person"}, not_found=(CAND,),
      record=CANDIDATE),
    W("candidate.addTag", C, ("candidateId", "tagId"), ("candidateId", "tagId"),
      body={"candidateId": "@candidate", "tagId": "@tag"}, not_found=(CAND,), record=CANDIDATE),
    W("candidate.removeTag", C, ("candidateId", "tagId"), ("candidateId", "tagId"),
      body={"candidateId": "@candidate", "tagId": "@tag"}, not_found=(CAND,), record=CANDIDATE),
    W("candidate.createNote", C, ("candidateId", "note"), ("candidateId",),
      body={"candidateId": "@candidate", "note": "Contract note"}, not_found=(CAND,), record=NOTE),
    W("candidate.addProject", C, ("candidateId", "projectId"), ("candidateId", "projectId"),
      body={"candidateId": "@candidate", "projectId": "@project"}, not_found=(CAND,), record=CANDIDATE),
    W("candidate.removeProject", C, ("candidateId", "projectId"), ("candidateId", "projectId"),
      body={"candidateId": "@candidate", "projectId": "@project"}, not_found=(CAND,), record=CANDIDATE),
    W("candidate.uploadResume", C, ("candidateId", "resumeHandle"), ("candidateId",),
      body={"candidateId": "@candidate", "resumeHandle": "@resumeHandle"}, not_found=(CAND,),
      record=CANDIDATE),
    W("candidate.uploadFile", C, ("candidateId", "fileHandle"), ("candidateId",),
      body={"candidateId": "@candidate", "fileHandle": "@filesHandle"}, not_found=(CAND,),
      record=CANDIDATE),
    W("candidate.anonymize", C, ("candidateId",), ("candidateId",), body={"candidateId": "@anonCandidate"},
      not_found=(CAND,), record=CANDIDATE),
    # "see OpenAPI", Result "—": permission only.
    W("candidate.addEmailMessage", C, result=None, body={"candidateId": "@candidate"},
      params_stated=False),
    W("candidate.setFraudStatus", C, result=None, body={"candidateId": "@candidate"},
      params_stated=False),
    # ---- 4.3 Applications (candidatesWrite) --------------------------------------------------------
    W("application.create", C, ("candidateId", "jobId"), ("candidateId", "jobId"),
      body={"candidateId": "@candidate", "jobId": "@openJob"}, not_found=(CAND,), record=APPLICATION),
    *(W(name, C, ("applicationId", "interviewStageId"), ("applicationId", "interviewStageId"),
        body={"applicationId": "@application", "interviewStageId": "@nextStage"},
        not_found=(APP, ("interviewStageId", "interview_stage_not_found")), record=APPLICATION)
      for name in ("application.changeStage", "application.change_stage")),
    *(W(name, C, ("applicationId", "sourceId"), ("applicationId", "sourceId"),
        body={"applicationId": "@application", "sourceId": "@source"}, not_found=(APP,),
        record=APPLICATION)
      for name in ("application.changeSource", "application.change_source")),
    W("application.update", C, ("applicationId",), ("applicationId", "creditedToUserId"),
      body={"applicationId": "@application", "creditedToUserId": "@user", "sendNotifications": False},
      not_found=(APP,), record=APPLICATION),
    W("application.transfer", C, ("applicationId", "jobId", "interviewPlanId", "interviewStageId"),
      ("applicationId", "jobId", "interviewPlanId", "interviewStageId"),
      body={"applicationId": "@application", "jobId": "@transferJob", "interviewPlanId": "@transferPlan",
            "interviewStageId": "@transferStage"}, not_found=(APP,), record=APPLICATION),
    W("application.updateHistory", C, ("applicationId", "applicationHistory"), ("applicationId",),
      body={"applicationId": "@application", "applicationHistory": "@history"}, not_found=(APP,)),
    # The OpenAPI says `candidateWrite` (sic) for addHiringTeamMember: the candidates module.
    W("application.addHiringTeamMember", C, ("applicationId", "teamMemberId", "roleId"),
      ("applicationId", "teamMemberId", "roleId"), body=TEAM_MEMBER, not_found=(APP,)),
    W("application.removeHiringTeamMember", C, ("applicationId", "teamMemberId", "roleId"),
      ("applicationId", "teamMemberId", "roleId"), body=TEAM_MEMBER, not_found=(APP,)),
    # "exists per changelog … (params unconfirmed)": permission only.
    W("application.delete", C, body={"applicationId": "@application"}, params_stated=False),
    # ---- 4.4 Application feedback (candidatesWrite) ------------------------------------------------
    # `applicationId`* or the variant `userId`* + `interviewEventId`*: the body has neither variant's
    # interviewEventId, so dropping applicationId leaves no variant satisfied.
    W("applicationFeedback.submit", C, ("feedbackForm", "formDefinitionId", "applicationId"),
      ("formDefinitionId", "applicationId", "userId"),
      body={"applicationId": "@application", "formDefinitionId": "@feedbackForm", "userId": "@user",
            "feedbackForm": "@feedbackSubmission"}, not_found=(APP,)),
    # ---- 4.5 Jobs, postings, openings (jobsWrite) --------------------------------------------------
    W("job.create", J, ("title", "teamId", "locationId"), ("teamId", "locationId", "defaultInterviewPlanId"),
      body={"title": "Contract Write Job", "teamId": "@department", "locationId": "@location",
            "defaultInterviewPlanId": "@transferPlan"}, record=JOB),
    W("job.update", J, ("jobId",), ("jobId",), body={"jobId": "@job", "title": "Contract Renamed Job"},
      not_found=(JOB_NF,), record=JOB),
    W("job.setStatus", J, ("jobId", "status"), ("jobId",), body={"jobId": "@statusJob",
      "status": "@statusTarget"}, not_found=(JOB_NF,), record=JOB),
    # The tiers' shape is left to the OpenAPI: the body sends back tiers the sandbox already shows.
    W("job.updateCompensation", J, ("jobId", "compensationTiers"), ("jobId",),
      body={"jobId": "@compJob", "compensationTiers": "@compTiers"}, not_found=(JOB_NF,)),
    W("jobPosting.update", J, ("jobPostingId",), ("jobPostingId",),
      body={"jobPostingId": "@jobPosting", "title": "Contract Posting"},
      not_found=(("jobPostingId", "job_posting_not_found"),)),
    W("opening.create", J, body={"identifier": "CONTRACT-1"}, params_stated=False),
    *(W(f"opening.{verb}", J, body=OPENING_BODY, params_stated=False)
      for verb in ("update", "addJob", "removeJob", "addLocation", "removeLocation", "setOpeningState",
                   "setArchived")),
    # ---- 4.6 Organization (organizationWrite) ------------------------------------------------------
    # "`name`*, `externalName`, `parentId`, `extraData` / `departmentId`* …": create needs name, the
    # others departmentId (the "…" states nothing more).
    W("department.create", G, ("name",), (), body={"name": "Contract Department"}, record=DEPARTMENT),
    W("department.update", G, ("departmentId",), ("departmentId",),
      body={"departmentId": "@department", "name": "Contract Renamed Department"}, not_found=(DEPT,),
      record=DEPARTMENT),
    W("department.archive", G, ("departmentId",), ("departmentId",), body={"departmentId": "@department"},
      not_found=(DEPT,), record=DEPARTMENT),
    W("department.restore", G, ("departmentId",), ("departmentId",), body={"departmentId": "@department"},
      not_found=(DEPT,), record=DEPARTMENT),
    W("department.move", G, ("departmentId",), ("departmentId", "parentId"),
      body={"departmentId": "@department", "parentId": "@parentDepartment"}, not_found=(DEPT,),
      record=DEPARTMENT),
    W("location.create", G, body={"name": "Contract Location"}, params_stated=False),
    *(W(f"location.{verb}", G, body=LOCATION_BODY, params_stated=False)
      for verb in ("archive", "restore", "move", "updateAddress", "updateName", "updateExternalName",
                   "updateWorkplaceType")),
    *(W(f"hiringTeam.{verb}", G, ("applicationId|jobId|openingId", "teamMemberId", "roleId"),
        ("applicationId", "teamMemberId", "roleId"), body=TEAM_MEMBER, not_found=(APP,))
      for verb in ("addMember", "removeMember")),
    # ---- 4.7 Hiring-process metadata ---------------------------------------------------------------
    W("candidateTag.create", M, ("title",), (), body={"title": "Contract Tag"}, record=TAG),
    # CandidateTag + the tagId param: either reading of `<entity>_not_found`.
    W("candidateTag.archive", M, ("tagId",), ("tagId",), body={"tagId": "@tag"},
      not_found=(("tagId", frozenset({"tag_not_found", "candidate_tag_not_found"})),), record=TAG),
    W("customField.create", M, ("fieldType", "objectType", "title"), (),
      body={"fieldType": "String", "objectType": "Candidate", "title": "Contract Field"}),
    # setValue / setValues need candidatesWrite (the Perm column), not the metadata module.
    W("customField.setValue", C, ("objectId", "objectType", "fieldId", "fieldValue"), ("objectId", "fieldId"),
      body={"objectId": "@candidate", "objectType": "Candidate", "fieldId": "@candidateField",
            "fieldValue": "@candidateFieldValue"}, not_found=(("objectId", "candidate_not_found"),),
      record=CUSTOM_FIELD_VALUE),
    W("customField.setValues", C, ("objectId", "objectType", "values"), ("objectId",), result="list",
      body={"objectId": "@candidate", "objectType": "Candidate",
            "values": [{"fieldId": "@candidateField", "fieldValue": "@candidateFieldValue"}]},
      not_found=(("objectId", "candidate_not_found"),), record=CUSTOM_FIELD_VALUE),
    W("customField.updateSelectableValues", M, ("customFieldId", "selectableValues"), ("customFieldId",),
      body={"customFieldId": "@selectField", "selectableValues": "@selectValues"},
      not_found=(("customFieldId", "custom_field_not_found"),)),
    # ---- 4.8 Interviews and scheduling (interviewsWrite) -------------------------------------------
    # update: "Only schedules created by the same key", so its body names a schedule the key created.
    W("interviewSchedule.create", V, ("applicationId", "interviewEvents"), ("applicationId",),
      body={"applicationId": "@application", "interviewEvents": "@interviewEvents"}, not_found=(APP,)),
    W("interviewSchedule.update", V, ("interviewScheduleId", "interviewEvent|interviewEventIdToCancel"),
      ("interviewScheduleId", "interviewEventIdToCancel"),
      body={"interviewScheduleId": "@ownSchedule", "interviewEventIdToCancel": "@ownScheduleEvent"},
      not_found=(("interviewScheduleId", SCHED_NF),)),
    W("interviewSchedule.cancel", V, ("id",), ("id",), body={"id": "@schedule"},
      not_found=(("id", SCHED_NF),)),
    # ---- 4.9 Offers (offersWrite) ------------------------------------------------------------------
    W("offerProcess.start", F, ("applicationId",), ("applicationId",),
      body={"applicationId": "@offerApplication"}, not_found=(APP,), record=OFFER_PROCESS),
    W("offer.start", F, ("offerProcessId",), ("offerProcessId",), body={"offerProcessId": "@offerProcess"},
      not_found=(("offerProcessId", "offer_process_not_found"),),
      record={"id": "uuid", "formDefinition": "obj"}),
    W("offer.create", F, ("offerProcessId", "offerFormId", "offerForm"), ("offerProcessId", "offerFormId"),
      body={"offerProcessId": "@offerProcess", "offerFormId": "@offerForm",
            "offerForm": "@offerCreateForm"},
      not_found=(("offerProcessId", "offer_process_not_found"),)),
    W("offer.update", F, ("offerId", "offerForm"), ("offerId",),
      body={"offerId": "@offer", "offerForm": "@offerUpdateForm"},
      not_found=(("offerId", "offer_not_found"),)),
    W("offer.approve", F, ("offerVersionId",), ("offerVersionId",),
      body={"offerVersionId": "@approveVersion"}, not_found=(VERSION,)),
    W("offer.startApprovalProcess", F, ("offerVersionId",), ("offerVersionId",),
      body={"offerVersionId": "@approvalStartVersion"}, not_found=(VERSION,)),
    # ---- 4.10 Files, webhooks ----------------------------------------------------------------------
    W("file.createFileUploadHandle", C, ("fileUploadContext", "filename", "contentType", "contentLength"),
      (), body={"fileUploadContext": "CandidateFiles", "filename": "contract.pdf",
                "contentType": "application/pdf", "contentLength": 2048}, record=UPLOAD_HANDLE),
    W("webhook.create", K, ("webhookType", "requestUrl", "secretToken"), (),
      body={"webhookType": "applicationSubmit", "requestUrl": "https://example.com/contract-write",
            "secretToken": "contract-s3cret"}, record=WEBHOOK),
    W("webhook.update", K, ("webhookId", "enabled|requestUrl|secretToken"), ("webhookId",),
      body={"webhookId": "@webhook", "enabled": False}, not_found=(HOOK,),
      record={k: v for k, v in WEBHOOK.items() if k != "secretToken"}),
    W("webhook.delete", K, ("webhookId",), ("webhookId",), body={"webhookId": "@webhook"},
      not_found=(HOOK,), record={"webhookId": "uuid"}),
]
# fmt: on

BY_NAME = {e.name: e for e in WRITE_ENDPOINTS}
assert len(BY_NAME) == len(WRITE_ENDPOINTS), "duplicate endpoint rows"

# Named in the reference's "out of the simulator's scope (names only)" list, not W rows: not in the table.
OUT_OF_SCOPE = (
    "applicationForm.submit", "approvalDefinition.update", "assessment.addCompletedToCandidate",
    "assessment.update", "interviewerPool.create", "interviewerPool.update", "interviewerPool.archive",
    "interviewerPool.restore", "interviewerPool.addUser", "interviewerPool.removeUser", "referral.create",
    "surveyRequest.create", "surveySubmission.create", "user.updateInterviewerSettings",
    "user.createInterviewerPause", "user.deleteInterviewerPause",
)  # fmt: skip
