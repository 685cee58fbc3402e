"""Authentication and module permissions."""

from __future__ import annotations

import base64
from typing import Any

import httpx


def _error(response: httpx.Response) -> dict[str, Any]:
    payload = response.json()
    assert payload["success"] is False
    assert payload["errors"] == [payload["errorInfo"]["code"]]
    assert payload["errorInfo"]["requestId"] == response.headers["x-ashby-request-id"]
    return dict(payload["errorInfo"])


def test_good_key_is_accepted(api: Any) -> None:
    assert api("candidate.list", limit=1)["success"] is True


def test_missing_key_is_401(sandbox: Any, client_for: Any) -> None:
    response = client_for(sandbox, key="").raw("candidate.list")
    assert response.status_code == 401
    assert _error(response)["code"] == "missing_api_key"


def test_blank_key_and_other_schemes_are_401(api: Any) -> None:
    blank = {"Authorization": "Basic " + base64.b64encode(b" :").decode()}
    bearer = {"Authorization": "Bearer full-key"}
    garbage = {"Authorization": "Basic !!!"}
    for headers in (blank, bearer, garbage):
        response = api.client.post("/candidate.list", json={}, headers=headers)
        assert response.status_code == 401, headers
        assert _error(response)["code"] == "missing_api_key"


def test_unknown_key_is_403_and_not_a_permission_error(sandbox: Any, client_for: Any) -> None:
    response = client_for(sandbox, key="not-a-key").raw("candidate.list")
    assert response.status_code == 403
    assert _error(response)["code"] == "invalid_api_key"


def test_key_outside_its_scopes_gets_missing_endpoint_permission(sandbox: Any, client_for: Any) -> None:
    limited = client_for(sandbox, key="cand-key")
    assert limited("candidate.list", limit=1)["success"] is True
    response = limited.raw("job.list")
    assert response.status_code == 403
    info = _error(response)
    assert info["code"] == "missing_endpoint_permission"
    assert "jobsRead" in info["message"]
    assert info["meta"] == {"missingPermission": "jobsRead"}
    # project.info needs jobsRead although project.list needs candidatesRead (an oddity of the OpenAPI)
    assert limited.raw("project.list").status_code == 200
    assert limited.raw("project.info", {"projectId": "x"}).status_code == 403
    assert _error(limited.raw("apiKey.info"))["meta"] == {"missingPermission": "apiKeysRead"}


def test_api_key_info_reports_title_created_at_and_scopes(api: Any, sandbox: Any, client_for: Any) -> None:
    result = api("apiKey.info")["results"]
    assert set(result) == {"title", "createdAt", "scopes"}
    assert result["title"] == "Sandbox key 1"
    assert "candidates:read" in result["scopes"]
    assert "reports:read" in result["scopes"]
    assert result["createdAt"].endswith("Z")


def test_generated_key_has_every_scope(fresh: Any, client_for: Any) -> None:
    with fresh() as sb:
        assert sb.api_key.startswith("sbx_")
        assert len(client_for(sb)("apiKey.info")["results"]["scopes"]) == 17
        assert sb.api_key not in repr(sb)
