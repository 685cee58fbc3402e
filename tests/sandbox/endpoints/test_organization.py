"""Organization module reads: users (deactivated, search, interviewer settings), hiring team roles."""

from __future__ import annotations

from typing import Any


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
