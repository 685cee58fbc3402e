"""Jobs module reads: ``job.list`` default hiding, ``job.search`` and ``job.info``."""

from __future__ import annotations

from typing import Any


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
