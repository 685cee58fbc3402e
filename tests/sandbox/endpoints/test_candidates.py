"""``candidate.search``: exact e-mail, name substring, capped at 100."""

from __future__ import annotations

from typing import Any


def test_candidate_search(api: Any) -> None:
    by_email = api("candidate.search", email="Cand7@example.com")["results"]
    assert [c["name"] for c in by_email] == ["Candidate 007"]
    assert api("candidate.search", email="cand7@example.com", name="nobody")["results"] == []
    assert len(api("candidate.search", name="candidate")["results"]) == 100  # capped
