"""The ``/_sandbox`` HTTP control routes and the in-process ``SandboxControl``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.fixture
def controlled(fresh: Any, client_for: Any) -> Any:
    with fresh() as sb, httpx.Client(base_url=sb.url) as http:
        yield sb, client_for(sb), http


def test_clock(controlled: Any) -> None:
    sb, _client, http = controlled
    before = http.get("/_sandbox/clock").json()
    assert before["now"].endswith("Z")
    after = http.post("/_sandbox/clock/advance", json={"seconds": 3600}).json()
    assert after["nowMs"] - before["nowMs"] >= 3_600_000
    assert abs(sb.control.now().timestamp() * 1000 - after["nowMs"]) < 5_000


def test_records_create_get_update_archive(controlled: Any) -> None:
    sb, client, http = controlled
    created = http.post("/_sandbox/records/candidate", json={"name": "Via HTTP", "emailAddresses": []})
    assert created.status_code == 201
    record = created.json()
    assert {"id", "createdAt", "updatedAt"} <= set(record)
    assert http.get(f"/_sandbox/records/candidate/{record['id']}").json()["name"] == "Via HTTP"
    patched = http.patch(f"/_sandbox/records/candidate/{record['id']}", json={"name": "Patched"}).json()
    assert patched["name"] == "Patched"
    assert client("candidate.info", id=record["id"])["results"]["name"] == "Patched"
    department = sb.control.records("department")[0]["id"]
    archived = http.post(f"/_sandbox/records/department/{department}/archive").json()
    assert archived["isArchived"] is True
    assert http.get("/_sandbox/records/candidate/00000000-0000-4000-8000-000000000000").status_code == 404
    assert http.patch("/_sandbox/records/candidate/nope", json={}).status_code == 404
    assert http.post("/_sandbox/records/candidate", content=b"{oops").status_code == 400


def test_records_are_deep_copies_with_internal_keys(controlled: Any) -> None:
    sb, _client, _http = controlled
    note = sb.control.records("note")[0]
    assert "_candidateId" in note
    note["content"] = "mutated outside"
    assert sb.control.get("note", note["id"])["content"] != "mutated outside"
    with pytest.raises(KeyError):
        sb.control.get("note", "missing")


def test_expire_routes(controlled: Any) -> None:
    _sb, client, http = controlled
    cursor = client("candidate.list", limit=5)["nextCursor"]
    _records, token = client.walk("candidate.list")
    assert http.post("/_sandbox/cursors/expire").status_code == 200
    assert http.post("/_sandbox/sync-tokens/expire").status_code == 200
    assert client("candidate.list", cursor=cursor)["errorInfo"]["code"] == "next_cursor_expired"
    assert client("candidate.list", syncToken=token)["errorInfo"]["code"] == "sync_token_expired"


def test_request_log_records_calls_but_never_the_key(controlled: Any) -> None:
    sb, client, http = controlled
    http.delete("/_sandbox/requests")
    client("candidate.list", limit=2)
    client.raw("job.info", {"id": "bad"})
    log = http.get("/_sandbox/requests").json()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("POST", "/candidate.list", 200),
        ("POST", "/job.info", 200),
    ]
    assert log[0]["body"] == {"limit": 2}
    assert log[0]["key_title"] == "Sandbox key 1"
    assert sb.api_key not in repr(log)
    assert sb.api_key not in repr(sb.control.requests())
    assert set(log[0]) >= {"time", "method", "path", "body", "status", "key_title"}
    sb.control.clear_requests()
    assert sb.control.requests() == []


def test_fault_and_rate_limit_routes(controlled: Any) -> None:
    _sb, client, http = controlled
    assert http.put("/_sandbox/faults", json={"rate_500": 1.0}).json()["rate_500"] == 1.0
    assert client.raw("candidate.list").status_code == 500
    assert http.delete("/_sandbox/faults").json()["rate_500"] == 0.0
    assert http.post("/_sandbox/faults/queue", json={"faults": ["503"]}).json()["queue"] == ["503"]
    assert client.raw("candidate.list").status_code == 503
    assert http.put("/_sandbox/faults", json={"rate_429": 5}).status_code == 400
    limit = http.put("/_sandbox/rate-limit", json={"requests_per_second": 0.001, "burst": 1}).json()
    assert limit == {"requests_per_second": 0.001, "burst": 1}
    assert client.raw("candidate.list", {"limit": 1}).status_code == 200
    assert client.raw("candidate.list", {"limit": 1}).status_code == 429
    http.put("/_sandbox/rate-limit", json={"requests_per_second": None})
    assert client.raw("candidate.list", {"limit": 1}).status_code == 200


def test_control_routes_need_no_auth_and_are_not_ashby_paths(controlled: Any) -> None:
    _sb, client, http = controlled
    assert http.get("/_sandbox/clock").status_code == 200
    http.delete("/_sandbox/requests")
    http.get("/_sandbox/clock")
    assert http.get("/_sandbox/requests").json() == []  # control calls are not logged
    assert client.raw("_sandbox.clock").status_code == 404
