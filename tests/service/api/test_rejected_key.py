"""When Ashby rejects a connector's stored key, the hosted caller is told to replace that key through the
service (``ashby-agent connectors rotate-key <id>`` or PUT), not to check local mode's ``ASHBY_API_KEY``;
the hosted client raises it as local mode's ``AuthenticationError``."""

from __future__ import annotations

import pytest

from ashby_agent import AirbyteAuthConfig
from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.errors import AuthenticationError
from tests.service.tenants import Tenant, assert_error

WRONG_KEY = "a-key-ashby-never-issued"


def _says_how_to_replace_it(message: str, connector_id: str) -> None:
    assert "ASHBY_API_KEY" not in message
    assert f"ashby-agent connectors rotate-key {connector_id}" in message
    assert f"PUT /api/v1/integrations/connectors/{connector_id}" in message
    assert "stored" in message
    assert WRONG_KEY not in message


def test_the_service_names_the_connector_and_the_fix(tenant: Tenant) -> None:
    connector = tenant.create_connector("wrong-key", WRONG_KEY)
    answer = tenant.post(
        f"/integrations/connectors/{connector['id']}/execute", json={"entity": "jobs", "action": "list"}
    )
    body = assert_error(answer, 502, "invalid_api_key")
    _says_how_to_replace_it(body["message"], connector["id"])
    assert body["ashby"]["kind"] == "authentication"


async def test_the_hosted_client_raises_authentication_error(tenant: Tenant) -> None:
    connector = tenant.create_connector("wrong-key-hosted", WRONG_KEY)
    auth = AirbyteAuthConfig(
        workspace_name="wrong-key-hosted",
        airbyte_client_id=tenant.client_id,
        airbyte_client_secret=tenant.client_secret.get_secret_value(),
        api_url=tenant.service.url,
    )
    async with AshbyConnector(auth_config=auth) as hosted:
        with pytest.raises(AuthenticationError) as rejected:
            await hosted.candidates.list(limit=1)
    assert rejected.value.code == "invalid_api_key"
    _says_how_to_replace_it(str(rejected.value), connector["id"])
