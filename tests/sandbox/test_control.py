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


def test_the_digest_changes_with_one_field_of_one_record_and_only_its_table(controlled: Any) -> None:
    sb, client, _http = controlled
    before = sb.control.digest()
    assert set(before) == set(sb.control.tables())
    assert sb.control.digest() == before  # reading changes nothing
    client("candidate.list", limit=5)
    assert sb.control.digest() == before
    candidate = sb.control.records("candidate")[0]
    sb.control.update("candidate", candidate["id"], name=candidate["name"] + "!")
    after = sb.control.digest()
    assert [t for t in before if before[t] != after[t]] == ["candidate"]


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
    held = http.post("/_sandbox/faults/hold", json={"endpoint": "job.list", "after": 2}).json()["holds"]
    assert held == {"job.list": {"after": 2, "waiting": 0}}
    assert http.delete("/_sandbox/faults").json()["holds"] == {}
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


# -- deletions --------------------------------------------------------------------------------------
def test_a_deleted_record_is_gone_from_lists_info_and_sync_deltas(controlled: Any) -> None:
    sb, client, _http = controlled
    _records, token = client.walk("candidate.list")
    gone, kept = (r["id"] for r in sb.control.records("candidate")[5:7])
    sb.control.update("candidate", gone, name="Changed, then deleted")
    removed = sb.control.delete("candidate", gone)
    assert removed["id"] == gone and removed["name"] == "Changed, then deleted"
    sb.control.update("candidate", kept, name="Changed")
    listed, _token = client.walk("candidate.list")
    assert gone not in {r["id"] for r in listed} and len(listed) == 249
    assert client("candidate.info", id=gone)["errorInfo"]["code"] == "candidate_not_found"
    delta, next_token = client.walk("candidate.list", syncToken=token)
    assert [r["id"] for r in delta] == [kept]  # lists never report a deletion
    assert client("candidate.list", syncToken=next_token)["results"] == []
    with pytest.raises(KeyError):
        sb.control.get("candidate", gone)


def test_a_deletion_mid_walk_skips_the_record_and_repeats_nothing(controlled: Any) -> None:
    sb, client, _http = controlled
    first = client("candidate.list", limit=10)
    ahead = sb.control.records("candidate")[15]["id"]
    behind = first["results"][3]["id"]
    sb.control.delete("candidate", ahead)
    sb.control.delete("candidate", behind)
    rest, _token = client.walk("candidate.list", cursor=first["nextCursor"], limit=10)
    seen = [r["id"] for r in first["results"] + rest]
    assert len(seen) == len(set(seen)) == 249 and ahead not in seen


def test_a_deleted_id_can_be_used_again(controlled: Any) -> None:
    sb, client, _http = controlled
    record = sb.control.records("department")[0]
    sb.control.delete("department", record["id"])
    sb.control.create("department", record)
    assert client("department.info", departmentId=record["id"])["results"]["name"] == record["name"]


def test_delete_over_http(controlled: Any) -> None:
    sb, client, http = controlled
    candidate = sb.control.records("candidate")[0]["id"]
    deleted = http.delete(f"/_sandbox/records/candidate/{candidate}")
    assert deleted.status_code == 200 and deleted.json()["id"] == candidate
    assert http.delete(f"/_sandbox/records/candidate/{candidate}").status_code == 404
    assert http.delete("/_sandbox/records/nope/x").status_code == 404
    assert (
        http.request(
            "DELETE", f"/_sandbox/records/note/{sb.control.records('note')[0]['id']}", json={"a": 1}
        ).status_code
        == 400
    )
    assert client("candidate.info", id=candidate)["errorInfo"]["code"] == "candidate_not_found"


def test_settings_over_http(controlled: Any) -> None:
    sb, _client, http = controlled
    settings = http.get("/_sandbox/settings").json()
    assert settings == sb.control.settings()
    assert settings["webhook_retry_scale"] == 1.0 and settings["sync_page_budget"] == 100
    changed = http.put("/_sandbox/settings", json={"webhook_retry_scale": 0.01, "sync_page_budget": 5}).json()
    assert changed == {**settings, "webhook_retry_scale": 0.01, "sync_page_budget": 5}
    refused = http.put("/_sandbox/settings", json={"sync_page_budget": 7, "webhook_timeout_seconds": 0})
    assert refused.status_code == 400 and '"webhook_timeout_seconds"' in refused.json()["error"]
    assert sb.control.settings() == changed  # nothing changed, not even the valid value
