"""Interviews module reads: ``interviewStage.list`` in plan order, unknown plan."""

from __future__ import annotations

from typing import Any


def test_interview_stage_list_is_in_plan_order(api: Any, sandbox: Any) -> None:
    plan_id = sandbox.control.records("interviewPlan")[0]["id"]
    stages = api("interviewStage.list", interviewPlanId=plan_id)
    assert [s["orderInInterviewPlan"] for s in stages["results"]] == list(range(6))
    assert stages["moreDataAvailable"] is False
    missing = "00000000-0000-4000-8000-000000000000"
    assert (
        api("interviewStage.list", interviewPlanId=missing)["errorInfo"]["code"] == "interview_plan_not_found"
    )
