"""The write endpoints' webhook events, delivered to a real receiver: a new application is submitted,
a stage change is an update and a stage change, a hire adds the hire, other changes are updates, and
candidate writes send nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api, SandboxFactory
from tests.sandbox.webhooks.conftest import FAST, subscribe
from tests.sandbox.webhooks.receiver import Receiver
from tests.sandbox.write_dataset import IDS, write_dataset

EVENTS = ("applicationSubmit", "applicationUpdate", "candidateStageChange", "candidateHire")


@pytest.fixture
def sb(fresh: SandboxFactory, receiver: Receiver) -> Iterator[SandboxHandle]:
    with fresh(dataset=write_dataset(), webhook_retry_scale=FAST) as sandbox:
        for event in EVENTS:
            subscribe(sandbox, receiver, event, f"/{event}")
        yield sandbox


@pytest.fixture
def api(sb: SandboxHandle, client_for: Any) -> Api:
    client: Api = client_for(sb)
    return client


def _ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["success"] is True, payload
    result: dict[str, Any] = payload["results"]
    return result


def _actions(receiver: Receiver, count: int) -> list[tuple[str, str]]:
    """(action, application id) of the first ``count`` deliveries, in the order the writes made them."""
    received = receiver.wait_for(count)
    assert len(receiver.received()) == count  # nothing beyond what the test expects
    return sorted(
        ((r.action, r.json["data"]["application"]["id"]) for r in received),
        key=lambda pair: EVENTS.index(pair[0]),
    )


def test_create_then_hire_sends_the_submit_then_the_hire_cascade(
    api: Api, sb: SandboxHandle, receiver: Receiver
) -> None:
    created = _ok(api("application.create", candidateId=IDS["lonely"], jobId=IDS["open_job"]))
    (submit,) = receiver.wait_for(1, "/applicationSubmit")
    assert submit.json["data"]["application"] == sb.control.get("application", created["id"])
    hired = _ok(
        api("application.changeStage", applicationId=created["id"], interviewStageId=IDS["stage_Hired"])
    )
    (hire,) = receiver.wait_for(1, "/candidateHire")
    assert hire.json["data"]["application"]["status"] == "Hired"
    assert hire.json["data"]["offer"] is None
    assert hire.json["data"]["application"] == hired
    application_id = created["id"]
    assert _actions(receiver, 4) == [
        ("applicationSubmit", application_id),
        ("applicationUpdate", application_id),
        ("candidateStageChange", application_id),
        ("candidateHire", application_id),
    ]


def test_archiving_is_an_update_and_a_stage_change(api: Api, receiver: Receiver) -> None:
    _ok(api("application.changeStage", applicationId=IDS["active_app"],
            interviewStageId=IDS["stage_Archived"], archiveReasonId=IDS["reason"]))  # fmt: skip
    (change,) = receiver.wait_for(1, "/candidateStageChange")
    assert change.json["data"]["application"]["archiveReason"]["id"] == IDS["reason"]
    assert _actions(receiver, 2) == [
        ("applicationUpdate", IDS["active_app"]),
        ("candidateStageChange", IDS["active_app"]),
    ]


def test_other_application_writes_are_updates(api: Api, receiver: Receiver) -> None:
    application_id = IDS["active_app"]
    _ok(api("application.changeSource", applicationId=application_id, sourceId=IDS["source2"]))
    _ok(api("application.update", applicationId=application_id, creditedToUserId=IDS["user1"]))
    _ok(api("application.addHiringTeamMember", applicationId=application_id, teamMemberId=IDS["admin"],
            roleId=IDS["manager_role"]))  # fmt: skip
    bodies = [r.json["data"]["application"] for r in receiver.wait_for(3, "/applicationUpdate")]
    assert all(b["source"]["id"] == IDS["source2"] for b in bodies)  # each carries the record as it was
    assert any(m["userId"] == IDS["admin"] for b in bodies for m in b["hiringTeam"])
    assert _actions(receiver, 3) == [("applicationUpdate", application_id)] * 3


def test_candidate_writes_and_refused_writes_send_nothing(
    api: Api, sb: SandboxHandle, receiver: Receiver
) -> None:
    candidate_id = IDS["lead_app_candidate"]
    _ok(api("candidate.update", candidateId=candidate_id, name="Quiet Rename"))
    _ok(api("candidate.addTag", candidateId=candidate_id, tagId=IDS["tag"]))
    _ok(api("candidate.createNote", candidateId=candidate_id, note="quiet"))
    assert (
        api("application.changeStage", applicationId=IDS["lead_app"], interviewStageId=IDS["stage_Archived"])[
            "success"
        ]
        is False
    )  # no archive reason: refused
    _ok(api("application.changeSource", applicationId=IDS["lead_app"], sourceId=IDS["source"]))  # the marker
    (update,) = receiver.wait_for(1, "/applicationUpdate")
    assert update.json["data"]["application"]["candidate"]["name"] == "Quiet Rename"
    assert [r.action for r in receiver.received()] == ["applicationUpdate"]
