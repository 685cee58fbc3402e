"""Incremental sync with ``syncToken``."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def synced(fresh: Any, client_for: Any) -> Any:
    """A private sandbox, a client, and the syncToken of a completed full walk of candidate.list."""
    with fresh() as sb:
        client = client_for(sb)
        records, token = client.walk("candidate.list")
        assert len(records) == len(sb.control.records("candidate"))
        yield sb, client, token


def test_no_changes_means_an_empty_delta_with_a_new_token(synced: Any) -> None:
    _sb, client, token = synced
    page = client("candidate.list", syncToken=token)
    assert page["results"] == []
    assert page["moreDataAvailable"] is False
    assert page["syncToken"]


def test_delta_is_exactly_the_changes_after_the_token_in_change_order(synced: Any) -> None:
    sb, client, token = synced
    ids = [r["id"] for r in sb.control.records("candidate")]
    sb.control.update("candidate", ids[7], name="Renamed Seven")
    created = sb.control.create("candidate", {"name": "New Person", "emailAddresses": []})
    sb.control.update("candidate", ids[3], name="Renamed Three")
    sb.control.update("candidate", ids[7], name="Renamed Seven Again")  # changed twice: listed once, latest
    delta, next_token = client.walk("candidate.list", syncToken=token)
    assert [r["id"] for r in delta] == [created["id"], ids[3], ids[7]]
    assert delta[2]["name"] == "Renamed Seven Again"
    assert delta[2]["updatedAt"] > delta[2]["createdAt"]
    assert client("candidate.list", syncToken=next_token)["results"] == []


def test_delta_is_paginated_with_the_same_token(synced: Any) -> None:
    sb, client, token = synced
    for record in sb.control.records("candidate")[:25]:
        sb.control.update("candidate", record["id"], timezone="Europe/Paris")
    first = client("candidate.list", syncToken=token, limit=10)
    assert first["moreDataAvailable"] is True
    assert "syncToken" not in first
    delta, _ = client.walk("candidate.list", syncToken=token, limit=10)
    assert len(delta) == 25
    assert all(r["timezone"] == "Europe/Paris" for r in delta)


def test_changes_during_a_walk_are_seen_by_the_next_sync(fresh: Any, client_for: Any) -> None:
    with fresh() as sb:
        client = client_for(sb)
        first = client("candidate.list", limit=100)
        early = sb.control.records("candidate")[0]["id"]  # already returned on page one
        sb.control.update("candidate", early, name="Changed Mid-Walk")
        _rest, token = client.walk("candidate.list", cursor=first["nextCursor"])
        delta, _ = client.walk("candidate.list", syncToken=token)
        assert [r["id"] for r in delta] == [early]


def test_archiving_an_application_is_a_change_with_ashby_semantics(fresh: Any, client_for: Any) -> None:
    with fresh() as sb:
        client = client_for(sb)
        _all, token = client.walk("application.list")
        active = next(a for a in sb.control.records("application") if a["status"] == "Active")
        sb.control.archive("application", active["id"])
        delta, _ = client.walk("application.list", syncToken=token)
        assert [a["id"] for a in delta] == [active["id"]]
        archived = delta[0]
        assert archived["status"] == "Archived"
        assert archived["currentInterviewStage"]["type"] == "Archived"
        assert archived["archiveReason"]["text"] == "Not a fit"
        assert archived["archivedAt"] == archived["updatedAt"]
        # filters apply to the delta too
        assert client.walk("application.list", syncToken=token, status="Active")[0] == []


def test_archiving_metadata_sets_is_archived_and_reaches_the_delta(fresh: Any, client_for: Any) -> None:
    with fresh() as sb:
        client = client_for(sb)
        _all, token = client.walk("department.list")
        department = sb.control.records("department")[0]
        sb.control.archive("department", department["id"])
        assert department["id"] not in [d["id"] for d in client.walk("department.list")[0]]  # hidden
        delta, _ = client.walk("department.list", syncToken=token)  # but a delta reports it
        assert [(d["id"], d["isArchived"]) for d in delta] == [(department["id"], True)]


def test_expired_and_invalid_tokens(synced: Any) -> None:
    sb, client, token = synced
    assert client("candidate.list", syncToken="nonsense")["errorInfo"]["code"] == "sync_token_invalid"
    assert client("project.list", syncToken=token)["errorInfo"]["code"] == "sync_token_invalid"
    sb.control.expire_sync_tokens()
    assert client("candidate.list", syncToken=token)["errorInfo"]["code"] == "sync_token_expired"
    _records, fresh_token = client.walk("candidate.list")
    assert client("candidate.list", syncToken=fresh_token)["success"] is True
    sb.control.advance_clock(31 * 86400)
    assert client("candidate.list", syncToken=fresh_token)["errorInfo"]["code"] == "sync_token_expired"


def test_incremental_sync_too_large(fresh: Any, client_for: Any) -> None:
    with fresh(sync_page_budget=2) as sb:
        client = client_for(sb)
        _records, token = client.walk("candidate.list")
        for record in sb.control.records("candidate")[:150]:
            sb.control.update("candidate", record["id"], timezone="UTC")
        assert client("candidate.list", syncToken=token)["success"] is True  # 2 pages of 100
        tight = client("candidate.list", syncToken=token, limit=50)  # 3 pages of 50
        assert tight["errorInfo"]["code"] == "incremental_sync_too_large"
        sb.control.configure(sync_page_budget=3)
        assert client("candidate.list", syncToken=token, limit=50)["success"] is True


def test_non_sync_endpoints_ignore_sync_token(api: Any) -> None:
    candidate_id = api("candidate.list", limit=1)["results"][0]["id"]
    page = api("candidate.listNotes", candidateId=candidate_id, syncToken="anything", limit=5)
    assert page["success"] is True
    assert len(page["results"]) == 5
