"""``webhook.create/update/delete/info`` over real HTTP: validation, permissions, one webhook per type
and URL, and a secret the writes return but ``webhook.info`` never does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from ashby_agent.sandbox.endpoints.webhooks import WEBHOOK_TYPES
from tests.sandbox.conftest import Api, SandboxFactory

URL = "https://receiver.test/ashby"
KEYS = ["full", "read-only:apiKeys:read", "write-only:apiKeys:write", "candidates:candidates:read"]
UNKNOWN = "0b5e2f4c-9d1a-4c3b-8e7f-6a5d4c3b2a19"


@pytest.fixture
def sb(fresh: SandboxFactory) -> Iterator[SandboxHandle]:
    with fresh(api_keys=KEYS) as sandbox:
        yield sandbox


@pytest.fixture
def api(sb: SandboxHandle, client_for: Any) -> Api:
    client: Api = client_for(sb)
    return client


def _error(payload: dict[str, Any], code: str, parameter: str | None = None) -> str:
    assert payload["success"] is False, payload
    assert payload["errorInfo"]["code"] == code, payload
    if parameter is not None:
        assert payload["errorInfo"]["meta"] == {"parameter": parameter}
    return str(payload["errorInfo"]["message"])


def test_create_returns_the_webhook_with_its_secret_and_info_never_shows_it(api: Api) -> None:
    created = api("webhook.create", webhookType="candidateHire", requestUrl=URL, secretToken="s3cret")
    assert set(created) == {"success", "results"}
    webhook = created["results"]
    assert webhook == {
        "id": webhook["id"],
        "enabled": True,
        "requestUrl": URL,
        "secretToken": "s3cret",
        "webhookType": "candidateHire",
    }
    info = api("webhook.info", webhookId=webhook["id"])["results"]
    assert info == {"id": webhook["id"], "enabled": True, "requestUrl": URL, "webhookType": "candidateHire"}


def test_the_secret_is_optional(api: Api) -> None:
    webhook = api("webhook.create", webhookType="offerCreate", requestUrl=URL)["results"]
    assert "secretToken" not in webhook


def test_every_event_type_can_be_subscribed_to(api: Api, sb: SandboxHandle) -> None:
    for webhook_type in WEBHOOK_TYPES:
        assert api("webhook.create", webhookType=webhook_type, requestUrl=URL)["success"] is True
    assert sorted(w["webhookType"] for w in sb.control.records("webhook")) == sorted(WEBHOOK_TYPES)
    assert {"candidateDelete", "candidateMerge", "jobCreate", "openingCreate"} <= set(WEBHOOK_TYPES)


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"webhookType": "candidateCreate", "requestUrl": URL}, "webhookType"),  # no such event
        ({"webhookType": "ping", "requestUrl": URL}, "webhookType"),  # sent to every webhook, not a type
        ({"requestUrl": URL}, "webhookType"),
        ({"webhookType": "jobCreate"}, "requestUrl"),
        ({"webhookType": "jobCreate", "requestUrl": "ftp://receiver.test/x"}, "requestUrl"),
        ({"webhookType": "jobCreate", "requestUrl": "receiver.test/x"}, "requestUrl"),
        ({"webhookType": "jobCreate", "requestUrl": "https://"}, "requestUrl"),
        ({"webhookType": "jobCreate", "requestUrl": "https://receiver.test:99999/x"}, "requestUrl"),
        ({"webhookType": "jobCreate", "requestUrl": "https://receiver .test/x"}, "requestUrl"),
        ({"webhookType": "jobCreate", "requestUrl": "https://x.test/" + "a" * 2100}, "requestUrl"),
        ({"webhookType": "jobCreate", "requestUrl": 42}, "requestUrl"),
        ({"webhookType": "jobCreate", "requestUrl": URL, "secretToken": ""}, "secretToken"),
        ({"webhookType": "jobCreate", "requestUrl": URL, "secretToken": 7}, "secretToken"),
    ],
)
def test_create_validation_names_the_parameter(
    api: Api, sb: SandboxHandle, body: dict[str, Any], parameter: str
) -> None:
    _error(api.raw("webhook.create", body).json(), "invalid_input", parameter)
    assert sb.control.records("webhook") == []


def test_one_webhook_per_event_type_and_url(api: Api) -> None:
    first = api("webhook.create", webhookType="applicationUpdate", requestUrl=URL)["results"]
    again = api.raw("webhook.create", {"webhookType": "applicationUpdate", "requestUrl": URL}).json()
    assert "webhook.update" in _error(again, "webhook_already_exists")
    assert again["errorInfo"]["meta"] == {"webhookId": first["id"]}
    assert api("webhook.create", webhookType="applicationSubmit", requestUrl=URL)["success"]  # other type
    other = api("webhook.create", webhookType="applicationUpdate", requestUrl=URL + "/2")[
        "results"
    ]  # fan out
    moved = api.raw("webhook.update", {"webhookId": other["id"], "requestUrl": URL}).json()
    _error(moved, "webhook_already_exists")


@pytest.mark.parametrize(
    ("key", "endpoint", "missing"),
    [
        ("read-only", "webhook.create", "apiKeysWrite"),
        ("read-only", "webhook.update", "apiKeysWrite"),
        ("read-only", "webhook.delete", "apiKeysWrite"),
        ("write-only", "webhook.info", "apiKeysRead"),
        ("candidates", "webhook.create", "apiKeysWrite"),
    ],
)
def test_the_api_keys_module_permissions(
    sb: SandboxHandle, client_for: Any, key: str, endpoint: str, missing: str
) -> None:
    body = {"webhookType": "jobCreate", "requestUrl": URL, "webhookId": UNKNOWN, "enabled": False}
    response = client_for(sb, key).raw(endpoint, body)
    assert response.status_code == 403
    assert response.json()["errorInfo"]["meta"] == {"missingPermission": missing}
    assert sb.control.records("webhook") == []


def test_a_write_only_key_can_manage_webhooks(sb: SandboxHandle, client_for: Any) -> None:
    writer: Api = client_for(sb, "write-only")
    created = writer("webhook.create", webhookType="jobCreate", requestUrl=URL)["results"]
    assert writer("webhook.update", webhookId=created["id"], enabled=False)["results"]["enabled"] is False
    assert writer("webhook.delete", webhookId=created["id"])["results"] == {"webhookId": created["id"]}


def test_update_changes_what_it_is_given(api: Api) -> None:
    webhook = api("webhook.create", webhookType="jobCreate", requestUrl=URL, secretToken="one")["results"]
    updated = api("webhook.update", webhookId=webhook["id"], enabled="false", requestUrl=URL + "/v2")[
        "results"
    ]
    assert updated == {**webhook, "enabled": False, "requestUrl": URL + "/v2"}
    rotated = api("webhook.update", webhookId=webhook["id"], secretToken="two")["results"]
    assert rotated["secretToken"] == "two" and rotated["enabled"] is False
    assert "secretToken" not in api("webhook.info", webhookId=webhook["id"])["results"]


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({}, "invalid_input", "webhookId"),
        ({"webhookId": "not-a-uuid", "enabled": True}, "invalid_input", "webhookId"),
        ({"webhookId": "@id"}, "invalid_input", "webhookId"),  # nothing to change
        ({"webhookId": "@id", "enabled": "maybe"}, "invalid_input", "enabled"),
        ({"webhookId": "@id", "requestUrl": "mailto:x@y.test"}, "invalid_input", "requestUrl"),
        ({"webhookId": "@id", "secretToken": ""}, "invalid_input", "secretToken"),
        ({"webhookId": UNKNOWN, "enabled": True}, "webhook_not_found", None),
    ],
)
def test_update_refusals(
    api: Api, sb: SandboxHandle, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    webhook = api("webhook.create", webhookType="jobCreate", requestUrl=URL)["results"]
    before = sb.control.records("webhook")
    sent = {k: webhook["id"] if v == "@id" else v for k, v in body.items()}
    _error(api.raw("webhook.update", sent).json(), code, parameter)
    assert sb.control.records("webhook") == before


def test_delete_answers_the_id_and_the_webhook_is_gone(api: Api, sb: SandboxHandle) -> None:
    webhook = api("webhook.create", webhookType="jobCreate", requestUrl=URL)["results"]
    assert api("webhook.delete", webhookId=webhook["id"]) == {
        "success": True,
        "results": {"webhookId": webhook["id"]},
    }
    _error(api.raw("webhook.info", {"webhookId": webhook["id"]}).json(), "webhook_not_found")
    _error(api.raw("webhook.delete", {"webhookId": webhook["id"]}).json(), "webhook_not_found")
    _error(api.raw("webhook.delete", {}).json(), "invalid_input", "webhookId")
    assert sb.control.records("webhook") == []
