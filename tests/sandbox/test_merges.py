"""Candidate merges through the control surface: everything moves to the surviving candidate, the
old one is gone from lists, info and deltas, and one ``candidateMerge`` event says so."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ashby_agent.sandbox.errors import InvalidValue
from ashby_agent.sandbox.generate import TABLES
from ashby_agent.sandbox.merges import merge_candidates
from ashby_agent.sandbox.store import Clock, Store
from tests.sandbox.conftest import NOW_MS, tiny_dataset
from tests.sandbox.webhooks.conftest import FAST, subscribe
from tests.sandbox.webhooks.receiver import run_receiver


def _pair(sb: Any) -> tuple[str, str, str]:
    """(deleted, merged, the deleted one's application): candidate 0 has every note and one application."""
    deleted, merged = (r["id"] for r in sb.control.records("candidate")[:2])
    application = next(a for a in sb.control.records("application") if a["candidate"]["id"] == deleted)
    return deleted, merged, application["id"]


def test_a_merge_moves_applications_and_notes_and_deletes_the_old_candidate(
    fresh: Any, client_for: Any
) -> None:
    with fresh() as sb:
        client = client_for(sb)
        deleted, merged, application = _pair(sb)
        _c, candidates_token = client.walk("candidate.list")
        _a, applications_token = client.walk("application.list")
        notes = client.walk("candidate.listNotes", candidateId=deleted)[0]
        assert len(notes) == 130

        survivor = sb.control.merge_candidates(deleted, merged)
        assert survivor["id"] == merged and application in survivor["applicationIds"]
        assert client("candidate.info", id=deleted)["errorInfo"]["code"] == "candidate_not_found"
        assert deleted not in {r["id"] for r in client.walk("candidate.list")[0]}
        moved = client("application.info", applicationId=application)["results"]["candidate"]
        assert moved == {
            "id": merged,
            "name": survivor["name"],
            "primaryEmailAddress": survivor["primaryEmailAddress"],
        }
        assert len(client.walk("candidate.listNotes", candidateId=merged)[0]) == 130
        assert (
            client("candidate.listNotes", candidateId=deleted)["errorInfo"]["code"] == "candidate_not_found"
        )
        assert [r["id"] for r in client.walk("candidate.list", syncToken=candidates_token)[0]] == [merged]
        assert [r["id"] for r in client.walk("application.list", syncToken=applications_token)[0]] == [
            application
        ]


def test_the_moves_of_a_merge_are_not_announced_one_by_one() -> None:
    store = Store(tiny_dataset(), Clock(NOW_MS), tables=TABLES)
    heard: list[str] = []
    store.on_change = lambda table, _before, _after: heard.append(table)
    deleted, merged = store.table("candidate").keys[0][2], store.table("candidate").keys[1][2]
    merge_candidates(store, deleted, merged)
    assert heard == []  # the moves are not announced one by one: the caller sends candidateMerge


def test_candidate_merge_reaches_its_webhooks(fresh: Any) -> None:
    with run_receiver() as receiver, fresh(webhook_retry_scale=FAST) as sb:
        subscribe(sb, receiver, "candidateMerge", "/merge")
        subscribe(sb, receiver, "candidateDelete", "/delete")
        deleted, merged, _application = _pair(sb)
        sb.control.merge_candidates(deleted, merged)
        (event,) = receiver.wait_for(1, "/merge")
        assert event.json["data"] == {"deletedCandidate": {"id": deleted}, "mergedCandidate": {"id": merged}}
        sb.control.delete("candidate", merged)
        (gone,) = receiver.wait_for(1, "/delete")
        assert gone.json["data"] == {"candidate": {"id": merged}}  # the merge itself sent no candidateDelete


def test_offer_delete_reaches_its_webhooks(fresh: Any) -> None:
    with run_receiver() as receiver, fresh(webhook_retry_scale=FAST) as sb:
        subscribe(sb, receiver, "offerDelete", "/offer")
        offer = sb.control.create("offer", {"applicationId": sb.control.records("application")[0]["id"]})
        sb.control.delete("offer", offer["id"])
        (event,) = receiver.wait_for(1, "/offer")
        assert event.json["action"] == "offerDelete"
        assert event.json["data"] == {"offer": {"id": offer["id"], "applicationId": offer["applicationId"]}}


def test_refused_merges_change_nothing(fresh: Any) -> None:
    with fresh() as sb:
        deleted, merged, _application = _pair(sb)
        before = sb.control.records("candidate"), sb.control.records("application")
        with pytest.raises(InvalidValue, match="into itself"):
            sb.control.merge_candidates(merged, merged)
        with pytest.raises(KeyError):
            sb.control.merge_candidates(deleted, "00000000-0000-4000-8000-000000000000")
        with httpx.Client(base_url=sb.url) as http:
            for body in (
                {"deletedCandidateId": deleted},
                {"deletedCandidateId": deleted, "mergedCandidateId": 5, "x": 1},
                {"deletedCandidateId": {"id": deleted}, "mergedCandidateId": merged},  # not a string
                {"deletedCandidateId": deleted, "mergedCandidateId": [merged]},
            ):
                assert http.post("/_sandbox/candidates/merge", json=body).status_code == 400
            assert (
                http.post(
                    "/_sandbox/candidates/merge",
                    json={"deletedCandidateId": "nope", "mergedCandidateId": merged},
                ).status_code
                == 404
            )
        assert (sb.control.records("candidate"), sb.control.records("application")) == before


def test_merge_over_http(fresh: Any) -> None:
    with fresh() as sb, httpx.Client(base_url=sb.url) as http:
        deleted, merged, application = _pair(sb)
        answer = http.post(
            "/_sandbox/candidates/merge", json={"deletedCandidateId": deleted, "mergedCandidateId": merged}
        )
        assert answer.status_code == 200 and answer.json()["id"] == merged
        assert sb.control.get("application", application)["candidate"]["id"] == merged
