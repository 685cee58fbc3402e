"""Webhook delivery over real HTTP: the body, the signature, the retry schedule, fan-out to several
webhooks, and that a slow receiver never holds anything up but its own delivery."""

from __future__ import annotations

import hashlib
import hmac
import socket
from typing import Any

import httpx
import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api, SandboxFactory, tiny_dataset
from tests.sandbox.webhooks.conftest import FAST, subscribe
from tests.sandbox.webhooks.receiver import Receiver, wait_until

SECRET = "whsec-test-0123456789"


def _touch_application(sb: SandboxHandle, index: int = 0) -> str:
    """An update that announces ``applicationUpdate`` (and nothing else): the stage stays put."""
    application = sb.control.records("application")[index]
    sb.control.update("application", application["id"], submitterUserAgent=f"agent {index}")
    return str(application["id"])


def _attempts(
    sb: SandboxHandle, webhook_id: str, final: bool = True, at_least: int = 1
) -> list[dict[str, Any]]:
    """The delivery log of one webhook once it has ``at_least`` entries, the last one final."""

    def done() -> list[dict[str, Any]] | None:
        entries = [e for e in sb.control.deliveries() if e["webhookId"] == webhook_id]
        over = not final or (entries and entries[-1]["retryInSeconds"] is None)
        return entries if len(entries) >= at_least and over else None

    return wait_until(done, f"the deliveries of webhook {webhook_id}")


def test_the_body_is_the_event_and_the_signature_covers_the_raw_body(
    hooked: SandboxHandle, receiver: Receiver
) -> None:
    subscribe(hooked, receiver, "applicationUpdate", "/signed", secretToken=SECRET)
    subscribe(hooked, receiver, "applicationUpdate", "/unsigned")
    application_id = _touch_application(hooked)
    (signed,) = receiver.wait_for(1, "/signed")
    (unsigned,) = receiver.wait_for(1, "/unsigned")

    expected = "sha256=" + hmac.new(SECRET.encode(), signed.body, hashlib.sha256).hexdigest()
    assert signed.headers["ashby-signature"] == expected
    assert "ashby-signature" not in unsigned.headers
    assert signed.headers["content-type"] == "application/json"
    event = signed.json
    assert set(event) == {"webhookActionId", "action", "data"}
    assert event["action"] == "applicationUpdate"
    assert event["data"]["application"]["id"] == application_id
    assert event["data"]["application"] == hooked.control.get("application", application_id)
    assert signed.body == unsigned.body  # one event, one body, whichever webhook gets it


def test_a_wrong_secret_does_not_verify(hooked: SandboxHandle, receiver: Receiver) -> None:
    subscribe(hooked, receiver, "applicationUpdate", "/hook", secretToken=SECRET)
    _touch_application(hooked)
    (got,) = receiver.wait_for(1, "/hook")
    forged = "sha256=" + hmac.new(b"other-secret", got.body, hashlib.sha256).hexdigest()
    assert not hmac.compare_digest(forged, got.headers["ashby-signature"])


def test_failures_are_retried_on_the_schedule_until_one_succeeds(
    hooked: SandboxHandle, receiver: Receiver
) -> None:
    webhook_id = subscribe(hooked, receiver, "applicationUpdate", "/flaky", secretToken=SECRET)
    receiver.answer("/flaky", 500, 503, 429)
    _touch_application(hooked)
    log = _attempts(hooked, webhook_id)
    assert [(e["attempt"], e["status"]) for e in log] == [(1, 500), (2, 503), (3, 429), (4, 200)]
    assert [e["retryInSeconds"] for e in log] == pytest.approx([10 * FAST, 30 * FAST, 70 * FAST, None])
    bodies = receiver.wait_for(4, "/flaky")
    assert len({r.body for r in bodies}) == 1  # every retry sends the same bytes
    assert len({r.headers["ashby-signature"] for r in bodies}) == 1
    assert {e["webhookActionId"] for e in log} == {bodies[0].json["webhookActionId"]}
    assert all(e["url"] == receiver.url("/flaky") and e["error"] is None for e in log)


@pytest.mark.parametrize("status", [401, 403, 404, 405, 410])
def test_these_answers_stop_the_retries(hooked: SandboxHandle, receiver: Receiver, status: int) -> None:
    webhook_id = subscribe(hooked, receiver, "applicationUpdate", "/gone")
    receiver.answer("/gone", status)
    _touch_application(hooked)
    log = _attempts(hooked, webhook_id)
    assert [(e["attempt"], e["status"], e["retryInSeconds"]) for e in log] == [(1, status, None)]
    _touch_application(hooked, 1)  # the webhook still gets later events
    assert len(receiver.wait_for(2, "/gone")) == 2
    assert [e["status"] for e in _attempts(hooked, webhook_id, at_least=2)] == [status, 200]


def test_a_receiver_that_always_fails_gets_ten_attempts(fresh: SandboxFactory, receiver: Receiver) -> None:
    with fresh(webhook_retry_scale=FAST / 10) as sb:
        webhook_id = subscribe(sb, receiver, "applicationUpdate", "/down")
        receiver.answer("/down", *[500] * 12)
        _touch_application(sb)
        log = _attempts(sb, webhook_id)
    assert [e["attempt"] for e in log] == list(range(1, 11))
    assert log[-1]["status"] == 500 and log[-1]["retryInSeconds"] is None
    assert len(receiver.received("/down")) == 10


def test_no_answer_is_a_failure_that_is_retried(hooked: SandboxHandle) -> None:
    sock = socket.socket()  # a port nothing listens on: bind one, then close it
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    record = {"enabled": True, "requestUrl": f"http://127.0.0.1:{port}/x", "webhookType": "applicationUpdate"}
    webhook_id = hooked.control.create("webhook", record)["id"]
    _touch_application(hooked)
    log = _attempts(hooked, webhook_id, final=False)
    assert log[0]["status"] is None
    assert log[0]["error"].startswith("ConnectError")
    assert log[0]["retryInSeconds"] == pytest.approx(10 * FAST)


def test_one_event_has_one_webhook_action_id_across_webhooks(
    hooked: SandboxHandle, receiver: Receiver
) -> None:
    subscribe(hooked, receiver, "applicationUpdate", "/one")
    subscribe(hooked, receiver, "applicationUpdate", "/two")
    receiver.answer("/two", 500)  # a retry to one webhook keeps the id too
    _touch_application(hooked, 0)
    first = {r.json["webhookActionId"] for r in receiver.wait_for(1, "/one")}
    second = {r.json["webhookActionId"] for r in receiver.wait_for(2, "/two")}
    assert first == second and len(first) == 1
    _touch_application(hooked, 1)
    later = {r.json["webhookActionId"] for r in receiver.wait_for(2, "/one")}
    assert len(later) == 2  # another event, another id


def test_only_enabled_webhooks_of_the_type_receive(hooked: SandboxHandle, receiver: Receiver) -> None:
    subscribe(hooked, receiver, "applicationUpdate", "/on")
    subscribe(hooked, receiver, "applicationUpdate", "/off", enabled=False)
    subscribe(hooked, receiver, "candidateHire", "/other-type")
    _touch_application(hooked)
    receiver.wait_for(1, "/on")
    hooked.control.create("offer", {"applicationId": hooked.control.records("application")[0]["id"]})
    subscribe(hooked, receiver, "offerUpdate", "/sentinel")
    offer = hooked.control.records("offer")[0]
    hooked.control.update("offer", offer["id"], offerStatus="OfferCancelled")
    receiver.wait_for(1, "/sentinel")
    assert receiver.received("/off") == [] and receiver.received("/other-type") == []


def test_a_slow_receiver_never_blocks_a_request_or_another_webhook(
    hooked: SandboxHandle, receiver: Receiver, client_for: Any
) -> None:
    api: Api = client_for(hooked)
    release = receiver.hold("/slow")
    slow = subscribe(hooked, receiver, "applicationUpdate", "/slow")
    subscribe(hooked, receiver, "applicationUpdate", "/fast")
    with httpx.Client(base_url=hooked.url, timeout=30) as http:
        _touch_application(hooked, 0)
        receiver.wait_for(1, "/slow")  # the slow receiver now holds its request open
        assert api("candidate.list", limit=1)["success"] is True  # Ashby answers meanwhile
        application = hooked.control.records("application")[1]["id"]
        patched = http.patch(
            f"/_sandbox/records/application/{application}", json={"submitterClientIp": "::1"}
        )
        assert patched.status_code == 200  # a write that announces an event answers too
        assert len(receiver.wait_for(2, "/fast")) == 2  # and other webhooks get both events
        assert [e for e in hooked.control.deliveries() if e["webhookId"] == slow] == []
    release.set()
    assert [e["status"] for e in _attempts(hooked, slow)][:1] == [200]


def test_a_webhook_disabled_or_deleted_between_attempts_gets_no_more(
    hooked: SandboxHandle, receiver: Receiver
) -> None:
    disabled = subscribe(hooked, receiver, "applicationUpdate", "/disabled")
    deleted = subscribe(hooked, receiver, "applicationUpdate", "/deleted")
    holds = receiver.hold("/disabled"), receiver.hold("/deleted")
    receiver.answer("/disabled", 500)
    receiver.answer("/deleted", 500)
    _touch_application(hooked)
    receiver.wait_for(1, "/disabled")
    receiver.wait_for(1, "/deleted")
    hooked.control.update("webhook", disabled, enabled=False)
    hooked.control.delete("webhook", deleted)
    for hold in holds:
        hold.set()
    assert [(e["status"], e["error"]) for e in _attempts(hooked, disabled)] == [
        (500, None),
        (None, "not sent: the webhook is disabled"),
    ]
    assert [(e["status"], e["error"]) for e in _attempts(hooked, deleted)] == [
        (500, None),
        (None, "not sent: the webhook was deleted"),
    ]


def test_ping_checks_a_url(hooked: SandboxHandle, receiver: Receiver) -> None:
    webhook_id = subscribe(hooked, receiver, "candidateDelete", "/ping", secretToken=SECRET)
    action_id = hooked.control.ping_webhook(webhook_id)
    (ping,) = receiver.wait_for(1, "/ping")
    assert ping.json == {
        "webhookActionId": action_id,
        "action": "ping",
        "data": {"webhookActionType": "ping"},
    }
    assert ping.headers["ashby-signature"].startswith("sha256=")


def test_reserved_example_domains_are_never_sent_to(fresh: SandboxFactory) -> None:
    dataset = tiny_dataset()
    dataset["webhook"] = [
        {
            "id": "7d1f1d3e-2f0a-4a57-9a43-2b0f4c3e9d11",
            "enabled": True,
            "requestUrl": "https://hooks.example.com/ashby",
            "secretToken": SECRET,
            "webhookType": "applicationUpdate",
        }
    ]
    with fresh(dataset=dataset, webhook_retry_scale=FAST) as sb:
        _touch_application(sb)
        (entry,) = _attempts(sb, "7d1f1d3e-2f0a-4a57-9a43-2b0f4c3e9d11")
    assert entry["status"] is None
    assert entry["error"] == "not sent: hooks.example.com is a reserved example domain"


def test_the_logs_never_hold_a_secret(hooked: SandboxHandle, receiver: Receiver, client_for: Any) -> None:
    api: Api = client_for(hooked)
    created = api(
        "webhook.create", webhookType="applicationUpdate", requestUrl=receiver.url("/s"), secretToken=SECRET
    )
    assert created["results"]["secretToken"] == SECRET
    api("webhook.update", webhookId=created["results"]["id"], secretToken=SECRET + "-2")
    _touch_application(hooked)
    _attempts(hooked, created["results"]["id"])
    assert SECRET not in repr(hooked.control.requests())
    assert SECRET not in repr(hooked.control.deliveries())
    assert {e["body"].get("secretToken") for e in hooked.control.requests()} == {"[redacted]"}
