"""Fault injection and the per-key rate limit (docs/architecture.md control surface)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.fixture
def faulty(fresh: Any, client_for: Any) -> Any:
    with fresh() as sb:
        yield sb, client_for(sb)


def test_queued_429_carries_retry_after_and_the_envelope(faulty: Any) -> None:
    sb, client = faulty
    sb.control.set_faults(retry_after=7)
    sb.control.queue_faults(["429"])
    response = client.raw("candidate.list", {"limit": 1})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    payload = response.json()
    assert payload["errorInfo"]["code"] == "rate_limit_exceeded"
    assert payload["errorInfo"]["requestId"] == response.headers["x-ashby-request-id"]
    assert client.raw("candidate.list", {"limit": 1}).status_code == 200  # the queue is consumed


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("500", "internal_server_error"),
        ("502", "bad_gateway"),
        ("503", "service_unavailable"),
        ("504", "gateway_timeout"),
    ],
)
def test_queued_server_errors(faulty: Any, kind: str, code: str) -> None:
    sb, client = faulty
    sb.control.queue_faults([kind])
    response = client.raw("candidate.list")
    assert response.status_code == int(kind)
    assert response.json()["errorInfo"]["code"] == code


def test_slow_fault_holds_the_answer_back(faulty: Any) -> None:
    """No stopwatch: held back for ten minutes, the answer cannot beat a one-second read timeout."""
    sb, client = faulty
    sb.control.set_faults(slow_seconds=600)
    sb.control.queue_faults(["slow"])
    with pytest.raises(httpx.ReadTimeout):
        client.raw("candidate.list", {"limit": 1}, timeout=httpx.Timeout(30, read=1))
    assert client.raw("candidate.list", {"limit": 1}).status_code == 200  # only the queued one is slow


def test_slow_fault_then_gives_the_normal_answer(faulty: Any) -> None:
    sb, client = faulty
    sb.control.set_faults(slow_seconds=0)
    sb.control.queue_faults(["slow"])
    slowed = client.raw("candidate.list", {"limit": 2})
    plain = client.raw("candidate.list", {"limit": 2})
    assert slowed.status_code == plain.status_code == 200
    assert slowed.json()["results"] == plain.json()["results"]
    assert [entry["status"] for entry in sb.control.requests()] == [200, 200]


def test_drop_closes_the_connection_mid_response(faulty: Any) -> None:
    sb, client = faulty
    sb.control.queue_faults(["drop"])
    with pytest.raises(httpx.RemoteProtocolError):
        client.raw("candidate.list")
    assert client.raw("candidate.list", {"limit": 1}).status_code == 200
    assert sb.control.requests()[-2]["status"] == 0  # logged as dropped


def test_queue_is_applied_in_order_before_random_faults(faulty: Any) -> None:
    sb, client = faulty
    sb.control.queue_faults(["503", "429"])
    statuses = [client.raw("candidate.list", {"limit": 1}).status_code for _ in range(3)]
    assert statuses == [503, 429, 200]


def test_random_fractions_are_seeded(faulty: Any) -> None:
    sb, client = faulty
    sb.control.set_faults(rate_429=0.5, seed=3)
    first = [client.raw("candidate.list", {"limit": 1}).status_code for _ in range(20)]
    sb.control.set_faults(rate_429=0.5, seed=3)
    second = [client.raw("candidate.list", {"limit": 1}).status_code for _ in range(20)]
    assert first == second
    assert set(first) == {200, 429}
    sb.control.set_faults(rate_500=1.0)
    assert client.raw("candidate.list").status_code == 500
    sb.control.clear_faults()
    assert client.raw("candidate.list", {"limit": 1}).status_code == 200


def test_bad_fault_settings_are_refused(faulty: Any) -> None:
    sb, _client = faulty
    with pytest.raises(ValueError, match="rates"):
        sb.control.set_faults(rate_429=0.8, rate_500=0.8)
    with pytest.raises(ValueError, match="Unknown fault"):
        sb.control.queue_faults(["418"])


def test_per_key_rate_limit(fresh: Any, client_for: Any) -> None:
    with fresh(api_keys=["a", "b"]) as sb:
        a, b = client_for(sb, key="a"), client_for(sb, key="b")
        sb.control.set_rate_limit(1, burst=2)
        assert [a.raw("candidate.list", {"limit": 1}).status_code for _ in range(2)] == [200, 200]
        limited = a.raw("candidate.list", {"limit": 1})
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["errorInfo"]["code"] == "rate_limit_exceeded"
        assert b.raw("candidate.list", {"limit": 1}).status_code == 200  # buckets are per key
        sb.control.set_rate_limit(None)
        assert a.raw("candidate.list", {"limit": 1}).status_code == 200


def test_hold_lets_the_first_requests_through_then_holds_until_cleared(faulty: Any) -> None:
    """A test stops a client at a page boundary it picks, without racing it."""
    import threading

    sb, client = faulty
    sb.control.hold("candidate.list", after=1)
    assert client.raw("candidate.list", {"limit": 1}).status_code == 200
    assert client.raw("user.list", {"limit": 1}).status_code == 200  # other endpoints are not held
    answers: list[int] = []
    waiter = threading.Thread(
        target=lambda: answers.append(client.raw("candidate.list", {"limit": 1}).status_code)
    )
    waiter.start()
    waiter.join(timeout=0.5)
    assert answers == []  # held: no answer however long it waits
    seen = sb.control.faults()["holds"]
    assert seen == {"candidate.list": {"after": 0, "waiting": 1}}
    sb.control.clear_faults()
    waiter.join(timeout=30)
    assert answers == [200]
    assert sb.control.faults()["holds"] == {}


def test_hold_refuses_an_unknown_endpoint(faulty: Any) -> None:
    sb, _client = faulty
    with pytest.raises(ValueError, match='"endpoint" must be an Ashby endpoint name'):
        sb.control.hold("candidate.lst")
    assert sb.control.faults()["holds"] == {}
