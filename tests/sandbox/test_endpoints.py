"""Endpoint behaviour per family: filters, default hiding, shapes (reference §4, §7 notes 5-7)."""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.sandbox.app import ENDPOINTS

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


def test_the_catalogue_is_reads_only_and_excludes_deferred_families() -> None:
    assert len(ENDPOINTS) >= 60
    assert not [name for name in ENDPOINTS if name.startswith(DEFERRED_PREFIXES)]
    verbs = {name.split(".")[1] for name in ENDPOINTS}
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


def test_job_list_hides_drafts_unless_asked(api: Any) -> None:
    assert {j["status"] for j in api("job.list")["results"]} == {"Open", "Closed"}
    assert [j["status"] for j in api("job.list", status=["Draft"])["results"]] == ["Draft"]
    assert len(api("job.list", status="Draft")["results"]) == 1  # a single string is accepted


def test_job_search_and_info(api: Any) -> None:
    assert [j["title"] for j in api("job.search", title="engin")["results"]] == ["Engineer"]
    assert [j["title"] for j in api("job.search", requisitionId="REQ-1")["results"]] == ["Designer"]
    assert api("job.search")["errorInfo"]["code"] == "invalid_input"
    job_id = api("job.list")["results"][0]["id"]
    job = api("job.info", id=job_id, expand=["location", "openings"])["results"]
    assert job["openings"] == []
    assert "location" in job


def test_user_list_hides_deactivated_and_search_by_email(api: Any) -> None:
    assert len(api("user.list")["results"]) == 2
    assert len(api("user.list", includeDeactivated=True)["results"]) == 3
    assert [u["email"] for u in api("user.search", email="USER1@example.com")["results"]] == [
        "user1@example.com"
    ]
    user_id = api("user.list")["results"][0]["id"]
    settings = api("user.interviewerSettings", userId=user_id)["results"]
    assert settings == {
        "userId": user_id,
        "isInterviewer": False,
        "maxInterviewsPerDay": None,
        "maxInterviewsPerWeek": None,
    }
    assert api("user.listInterviewerPauses", userId=user_id)["results"] == []


def test_hiring_team_roles(api: Any) -> None:
    assert api("hiringTeamRole.list")["results"] == ["Recruiter", "Hiring Manager"]
    objects = api("hiringTeamRole.list", namesOnly=False)["results"]
    assert [r["title"] for r in objects] == ["Recruiter", "Hiring Manager"]
    assert api("applicationHiringTeamRole.list")["results"] == objects


def test_metadata_lists_hide_archived(api: Any) -> None:
    assert [s["title"] for s in api("source.list")["results"]] == ["LinkedIn"]
    assert len(api("source.list", includeArchived=True)["results"]) == 2
    assert len(api("department.list")["results"]) == 1


def test_candidate_search(api: Any) -> None:
    by_email = api("candidate.search", email="Cand7@example.com")["results"]
    assert [c["name"] for c in by_email] == ["Candidate 007"]
    assert api("candidate.search", email="cand7@example.com", name="nobody")["results"] == []
    assert len(api("candidate.search", name="candidate")["results"]) == 100  # capped


def test_application_filters_and_info(api: Any) -> None:
    applications, _ = api.walk("application.list")
    for status in ("Lead", "Active", "Hired", "Archived"):
        rows = api("application.list", status=status)["results"]
        assert rows
        assert {a["status"] for a in rows} == {status}
    job_id = applications[0]["job"]["id"]
    assert {a["job"]["id"] for a in api("application.list", jobId=job_id)["results"]} == {job_id}
    archived = [a for a in applications if a["status"] == "Archived"]
    assert all("archivedAt" in a for a in archived)
    assert all("archivedAt" not in a for a in applications if a["status"] != "Archived")
    info = api("application.info", applicationId=applications[0]["id"], expand=["openings"])["results"]
    assert info["applicationHistory"] == []
    assert info["openings"] == []
    assert api("application.listHistory", applicationId=applications[0]["id"])["results"] == []


def test_interview_stage_list_is_in_plan_order(api: Any, sandbox: Any) -> None:
    plan_id = sandbox.control.records("interviewPlan")[0]["id"]
    stages = api("interviewStage.list", interviewPlanId=plan_id)
    assert [s["orderInInterviewPlan"] for s in stages["results"]] == list(range(6))
    assert stages["moreDataAvailable"] is False
    missing = "00000000-0000-4000-8000-000000000000"
    assert (
        api("interviewStage.list", interviewPlanId=missing)["errorInfo"]["code"] == "interview_plan_not_found"
    )
