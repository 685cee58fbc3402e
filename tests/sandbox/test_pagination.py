"""Cursor pagination (docs/architecture.md, "Store semantics")."""

from __future__ import annotations

from typing import Any

import pytest

N_CANDIDATES = 250  # tiny_dataset() in conftest.py


def _ids(records: list[dict[str, object]]) -> list[object]:
    return [r["id"] for r in records]


@pytest.mark.parametrize("limit", [1, 37, 100])
def test_walk_returns_every_record_exactly_once_in_created_order(api: Any, limit: int) -> None:
    records, token = api.walk("candidate.list", limit=limit)
    assert len(records) == N_CANDIDATES == len(set(_ids(records)))
    keys = [(r["createdAt"], r["id"]) for r in records]
    assert keys == sorted(keys)
    assert token


def test_page_shapes(api: Any) -> None:
    first = api("candidate.list", limit=100)
    assert set(first) == {"success", "results", "moreDataAvailable", "nextCursor"}
    assert first["moreDataAvailable"] is True
    last = api(
        "candidate.list",
        limit=100,
        cursor=api("candidate.list", limit=100, cursor=first["nextCursor"])["nextCursor"],
    )
    assert set(last) == {"success", "results", "moreDataAvailable", "syncToken"}
    assert last["moreDataAvailable"] is False
    assert len(last["results"]) == N_CANDIDATES - 200


def test_paginated_lists_without_sync_never_return_a_token(api: Any) -> None:
    candidate_id = api("candidate.list", limit=1)["results"][0]["id"]
    notes, token = api.walk("candidate.listNotes", candidateId=candidate_id, limit=50)
    assert len(notes) == 130
    assert token is None
    last = api("candidate.listNotes", candidateId=candidate_id, limit=100, cursor=None)
    assert last["moreDataAvailable"] is True
    assert "syncToken" not in last


def test_limit_default_cap_and_coercion(api: Any) -> None:
    assert len(api("candidate.list")["results"]) == 100
    assert len(api("candidate.list", limit=500)["results"]) == 100
    assert len(api("candidate.list", limit="25")["results"]) == 25
    assert _ids(api("candidate.list", limit=3, cursor=None, syncToken=None)["results"]) == _ids(
        api("candidate.list", limit=3)["results"]
    )


@pytest.mark.parametrize("limit", [0, -1, "abc", 2.5, True, [1]])
def test_bad_limit_is_invalid_input_naming_the_parameter(api: Any, limit: object) -> None:
    payload = api("candidate.list", limit=limit)
    assert payload["success"] is False
    assert payload["errorInfo"]["code"] == "invalid_input"
    assert "limit" in payload["errorInfo"]["message"]


@pytest.mark.parametrize("cursor", ["garbage", "bB", "", "eyJ4IjoxfQ"])
def test_undecodable_cursor_is_invalid_next_cursor(api: Any, cursor: str) -> None:
    payload = api("candidate.list", cursor=cursor)
    assert payload["errorInfo"]["code"] == "invalid_next_cursor"


def test_cursor_of_another_walk_is_invalid(api: Any) -> None:
    cursor = api("candidate.list", limit=5)["nextCursor"]
    assert api("project.list", cursor=cursor)["errorInfo"]["code"] == "invalid_next_cursor"
    other_filters = api("candidate.list", cursor=cursor, createdAfter=0)
    assert other_filters["errorInfo"]["code"] == "invalid_next_cursor"
    assert api("candidate.list", cursor=cursor, limit=7)["success"] is True  # limit may change


def test_expired_cursor(fresh: Any, client_for: Any) -> None:
    with fresh() as sb:
        client = client_for(sb)
        cursor = client("candidate.list", limit=5)["nextCursor"]
        sb.control.expire_cursors()
        assert client("candidate.list", cursor=cursor)["errorInfo"]["code"] == "next_cursor_expired"
        cursor = client("candidate.list", limit=5)["nextCursor"]
        sb.control.advance_clock(3601)
        assert client("candidate.list", cursor=cursor)["errorInfo"]["code"] == "next_cursor_expired"


def test_created_after_filters_strictly_after(api: Any) -> None:
    records, _ = api.walk("candidate.list")
    pivot = records[99]["createdAt"]
    from datetime import datetime

    ms = int(datetime.fromisoformat(pivot.replace("Z", "+00:00")).timestamp() * 1000)
    after, _ = api.walk("candidate.list", createdAfter=str(ms), limit=30)
    assert _ids(after) == _ids(records[100:])


def test_records_created_during_a_walk_are_seen(fresh: Any, client_for: Any) -> None:
    with fresh() as sb:
        client = client_for(sb)
        first = client("candidate.list", limit=100)
        new = sb.control.create("candidate", {"name": "Late Arrival", "emailAddresses": []})
        rest, _ = client.walk("candidate.list", cursor=first["nextCursor"])
        assert rest[-1]["id"] == new["id"]
        assert len(first["results"]) + len(rest) == N_CANDIDATES + 1
