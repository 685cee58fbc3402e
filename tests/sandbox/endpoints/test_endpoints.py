"""Every endpoint answers, the table holds the reads and the writes served so far, and each family has
its envelope."""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.sandbox.endpoints import ENDPOINTS

DEFERRED_PREFIXES = (
    "report.",
    "notetakerTranscript.",
    "surveyFormDefinition.",
    "surveyRequest.",
    "surveySubmission.",
    "approval.",
)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_endpoint_answers_an_empty_body_without_crashing(api: Any, endpoint: str) -> None:
    response = api.raw(endpoint)
    assert response.status_code == 200, response.text
    payload = response.json()
    if not payload["success"]:
        code = payload["errorInfo"]["code"]
        assert code == "invalid_input" or code.endswith("_not_found"), payload


WEBHOOK_WRITES = {"webhook.create", "webhook.update", "webhook.delete"}
CANDIDATE_WRITES = {
    *(
        f"candidate.{verb}"
        for verb in (
            "create", "update", "addTag", "removeTag", "createNote", "addProject", "removeProject",
            "uploadResume", "uploadFile", "anonymize", "setFraudStatus", "addEmailMessage",
        )
    ),
    *(
        f"application.{verb}"
        for verb in (
            "create", "changeStage", "change_stage", "changeSource", "change_source", "update", "transfer",
            "updateHistory", "addHiringTeamMember", "removeHiringTeamMember", "delete",
        )
    ),
    "applicationFeedback.submit",
    "file.createFileUploadHandle",
    "customField.setValue",
    "customField.setValues",
}  # fmt: skip
#: permission -> the writes of the other modules.
MODULE_WRITES = {
    "jobsWrite": {
        "job.create", "job.update", "job.setStatus", "job.updateCompensation", "jobPosting.update",
        *(f"opening.{verb}" for verb in (
            "create", "update", "addJob", "removeJob", "addLocation", "removeLocation", "setOpeningState",
            "setArchived",
        )),
    },
    "organizationWrite": {
        *(f"department.{verb}" for verb in ("create", "update", "archive", "restore", "move")),
        *(f"location.{verb}" for verb in (
            "create", "archive", "restore", "move", "updateAddress", "updateName", "updateExternalName",
            "updateWorkplaceType",
        )),
        "hiringTeam.addMember", "hiringTeam.removeMember",
    },
    "hiringProcessMetadataWrite": {
        "candidateTag.create", "candidateTag.archive", "customField.create",
        "customField.updateSelectableValues",
    },
    "interviewsWrite": {"interviewSchedule.create", "interviewSchedule.update", "interviewSchedule.cancel"},
    "offersWrite": {
        "offerProcess.start", "offer.start", "offer.create", "offer.update", "offer.approve",
        "offer.startApprovalProcess",
    },
}  # fmt: skip


def test_the_catalogue_is_reads_and_the_served_writes_and_excludes_deferred_families() -> None:
    assert len(ENDPOINTS) >= 60
    assert not [name for name in ENDPOINTS if name.startswith(DEFERRED_PREFIXES)]
    writes = WEBHOOK_WRITES | CANDIDATE_WRITES | set().union(*MODULE_WRITES.values())
    assert writes <= set(ENDPOINTS)
    for permission, names in MODULE_WRITES.items():
        assert {ENDPOINTS[name].permission for name in names} == {permission}
    assert {e.permission for name, e in ENDPOINTS.items() if name in WEBHOOK_WRITES} == {"apiKeysWrite"}
    assert {e.permission for name, e in ENDPOINTS.items() if name in CANDIDATE_WRITES} == {"candidatesWrite"}
    assert {name for name, e in ENDPOINTS.items() if e.permission.endswith("Write")} == writes
    verbs = {name.split(".")[1] for name in ENDPOINTS if name not in writes}
    assert verbs <= {
        "list",
        "info",
        "search",
        "listNotes",
        "listProjects",
        "listClientInfo",
        "listFraudChecks",
        "listHistory",
        "listCriteriaEvaluations",
        "interviewerSettings",
        "listInterviewerPauses",
    }


def test_envelope_keys_per_family(api: Any) -> None:
    assert set(api("jobPosting.list")) == {"success", "results"}
    assert set(api("candidate.search", name="Candidate 00")) == {"success", "results"}
    assert set(api("hiringTeamRole.list")) == {"success", "results"}
    assert set(api("source.list")) == {"success", "results", "moreDataAvailable"}
    assert set(api("brand.list")) == {"success", "results", "moreDataAvailable"}
    assert set(api("department.list")) == {"success", "results", "moreDataAvailable", "syncToken"}
    assert set(api("candidate.info", id=api("candidate.list", limit=1)["results"][0]["id"])) == {
        "success",
        "results",
    }
