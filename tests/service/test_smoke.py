"""Tokens, a connector and one execution, end to end: the path every hosted-mode client takes."""

from __future__ import annotations

from typing import Any

from tests.service.tenants import Tenant


def test_token_connector_execute(tenant: Tenant, shared_sandbox: Any) -> None:
    token = tenant.http.post(
        "/account/applications/token",
        json={"client_id": tenant.client_id, "client_secret": tenant.client_secret.get_secret_value()},
    )
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    assert body["organization_id"] == tenant.organization_id
    connector = tenant.create_connector("acme", shared_sandbox.api_key)
    answer = tenant.post(
        f"/integrations/connectors/{connector['id']}/execute",
        json={"entity": "candidates", "action": "list", "params": {"limit": 3}},
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["status"] == "success"
    assert len(result["result"]) == 3
    assert result["connector_metadata"]["has_more"] is True
    assert result["execution_metadata"]["connector_instance_id"] == connector["id"]
