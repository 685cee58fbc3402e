"""Envelopes, error codes and headers."""

from __future__ import annotations

import re
from typing import Any

import pytest

ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
MISSING = "00000000-0000-4000-8000-000000000000"


def _code(payload: dict[str, Any]) -> str:
    assert payload["success"] is False
    assert set(payload) == {"success", "errors", "errorInfo"}
    assert payload["errors"] == [payload["errorInfo"]["code"]]
    return str(payload["errorInfo"]["code"])


def test_every_response_carries_request_id_and_version_headers(api: Any) -> None:
    ok = api.raw("candidate.list", {"limit": 1})
    bad = api.raw("candidate.info", {"id": "nope"})
    for response in (ok, bad):
        assert ULID.match(response.headers["x-ashby-request-id"])
        assert response.headers["ashby-version"] == "2026-01-01"
        assert response.headers["ashby-version-status"] == "active"
        assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert bad.json()["errorInfo"]["requestId"] == bad.headers["x-ashby-request-id"]
    assert ok.headers["x-ashby-request-id"] != bad.headers["x-ashby-request-id"]


@pytest.mark.parametrize("body", [b"{bad", b'{"limit": 5,', b"[1"])
def test_malformed_json_is_invalid_input(api: Any, body: bytes) -> None:
    response = api.raw("candidate.list", body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert _code(response.json()) == "invalid_input"
    assert response.json()["errorInfo"]["message"] == "Request payload is malformed"


def test_missing_body_is_an_empty_object(api: Any) -> None:
    response = api.client.post("/candidate.list", headers=_auth(api))
    assert response.json()["success"] is True
    assert len(response.json()["results"]) == 100


def _auth(api: Any) -> dict[str, str]:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"{api.key}:".encode()).decode()}


def test_non_object_body_is_invalid_input(api: Any) -> None:
    assert _code(api.raw("candidate.list", b"[]").json()) == "invalid_input"


def test_unknown_keys_are_ignored(api: Any) -> None:
    assert api("candidate.list", per_page=50, limit=2)["success"] is True
    assert api("location.list", whatever=True)["success"] is True


def test_strict_mode_rejects_unknown_keys_where_the_schema_forbids_them(fresh: Any, client_for: Any) -> None:
    with fresh(strict_schemas=True) as sb:
        client = client_for(sb)
        payload = client("location.list", whatever=True)
        assert _code(payload) == "invalid_input"
        assert payload["errorInfo"]["meta"] == {"parameter": "whatever"}
        assert client("candidate.list", whatever=True, limit=1)["success"] is True


@pytest.mark.parametrize(
    ("endpoint", "body", "parameter"),
    [
        ("candidate.list", {"createdAfter": "yesterday"}, "createdAfter"),
        ("department.list", {"includeArchived": "maybe"}, "includeArchived"),
        ("application.list", {"status": "Sleeping"}, "status"),
        ("application.list", {"jobId": 42}, "jobId"),
        ("job.list", {"status": ["Open", "Paused"]}, "status"),
        ("offer.list", {"offerStatus": []}, "offerStatus"),
        ("candidate.search", {"email": 5}, "email"),
    ],
)
def test_wrong_param_types_name_the_parameter(
    api: Any, endpoint: str, body: dict[str, Any], parameter: str
) -> None:
    payload = api(endpoint, **body)
    assert _code(payload) == "invalid_input"
    assert parameter in payload["errorInfo"]["message"]
    assert payload["errorInfo"]["meta"] == {"parameter": parameter}


def test_string_coercion(api: Any) -> None:
    assert len(api("department.list", includeArchived="true")["results"]) == 2
    assert len(api("department.list", includeArchived="false")["results"]) == 1
    names = api("candidate.search", name="123")  # numeric-looking strings stay strings
    assert names["success"] is True


def test_info_param_names_and_ids(api: Any) -> None:
    candidate_id = api("candidate.list", limit=1)["results"][0]["id"]
    assert api("candidate.info", id=candidate_id)["results"]["id"] == candidate_id
    assert api("candidate.info", id=candidate_id.upper())["results"]["id"] == candidate_id
    assert _code(api("candidate.info", candidateId=candidate_id)) == "invalid_input"  # only `id`
    assert _code(api("candidate.info", id="12345")) == "invalid_input"
    assert _code(api("candidate.info", id=MISSING)) == "candidate_not_found"
    assert _code(api("application.info", id=MISSING)) == "invalid_input"
    assert _code(api("application.info", applicationId=MISSING)) == "application_not_found"
    assert _code(api("department.info", departmentId=MISSING)) == "department_not_found"
    assert _code(api("job.info", id=MISSING)) == "job_not_found"
    assert _code(api("candidate.listNotes", candidateId=MISSING)) == "candidate_not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/candidate.frobnicate"),
        ("GET", "/candidate.list"),
        ("POST", "/"),
        ("PUT", "/candidate.list"),
    ],
)
def test_unknown_paths_and_methods_are_404_not_found(api: Any, method: str, path: str) -> None:
    response = api.client.request(method, path, headers=_auth(api))
    assert response.status_code == 404
    assert _code(response.json()) == "not_found"
    assert response.json()["errorInfo"]["requestId"] == response.headers["x-ashby-request-id"]


def test_deferred_families_are_404(api: Any) -> None:
    for endpoint in ("report.synchronous", "approval.list", "surveyRequest.list", "notetakerTranscript.info"):
        assert api.raw(endpoint).status_code == 404
