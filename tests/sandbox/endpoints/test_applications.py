"""Application reads: status and job filters, ``archivedAt``, ``application.info`` expand."""

from __future__ import annotations

from typing import Any


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
