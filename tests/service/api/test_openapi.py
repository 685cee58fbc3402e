"""``/openapi.json`` is rendered from the same declarations the app routes with."""

from __future__ import annotations

import httpx

from ashby_agent.service.api.app import ENDPOINTS
from ashby_agent.service.api.routing import API_PREFIX
from tests.service.tenants import Tenant


def test_openapi_matches_the_routes(tenant: Tenant) -> None:
    document = httpx.get(tenant.service.url + "/openapi.json").json()
    assert document["openapi"].startswith("3.")
    declared = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert declared == {(e.method, API_PREFIX + e.path) for e in ENDPOINTS}
    execute = document["paths"][API_PREFIX + "/integrations/connectors/{connector_id}/execute"]["post"]
    assert set(execute["responses"]) >= {"200", "401", "404", "413", "422", "429", "502"}
    schema_name = execute["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(document["components"]["schemas"][schema_name]["properties"]) == {
        "entity",
        "action",
        "params",
        "select_fields",
        "exclude_fields",
        "skip_truncation",
        "intent",
    }
    token = document["paths"][API_PREFIX + "/account/applications/token"]["post"]
    assert token["security"] == []
