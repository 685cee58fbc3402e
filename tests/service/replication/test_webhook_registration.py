"""With ``ASHBY_AGENT_PUBLIC_URL`` set, a connector registers its webhooks with Ashby (the sandbox) on
its first sync, and the sandbox's signed deliveries reach the store without any sync: a candidate
deleted in Ashby leaves the store within a bounded wait. Deleting the connector or its workspace
deletes its webhooks in Ashby, and rotating its secret gives them the new one (``webhook.update``), even
while the registration is still running; a key that may not create webhooks still syncs, and
``inspect`` says how to set them up by hand."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from ashby_agent.sandbox import run_sandbox
from ashby_agent.sandbox.auth import ALL_SCOPES
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.jobs.webhook_registration import EVENT_TYPES
from ashby_agent.service.security.crypto import Keyring, generate_key
from ashby_agent.service.server import ServiceHandle, run_service
from ashby_agent.service.store import connectors
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import aliases
from tests.service.replication.conftest import wait_for
from tests.service.replication.test_hosted_sync import connector_of, deliver, inspect, secret_of, synced
from tests.service.tenants import Tenant
from tests.store.parity import TABLES, in_sandbox, stored

pytestmark = pytest.mark.slow

#: A key with every scope but ``apiKeys:write``: it reads all of Ashby but may not create webhooks.
NO_WEBHOOKS_KEY = "sbx-key-without-webhook-permission"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    """The replication conftest's sandbox, plus the key that may not write webhooks."""
    scopes = ",".join(scope for scope in ALL_SCOPES if scope != "apiKeys:write")
    with run_sandbox(
        seed=11, scale="small", api_keys=["sbx-full-key", f"{NO_WEBHOOKS_KEY}:{scopes}"]
    ) as handle:
        yield handle


@pytest.fixture(scope="module")
def port() -> int:
    return _free_port()


@pytest.fixture(scope="module")
def settings(db_url: str, sandbox: Any, port: int) -> ServiceSettings:
    return ServiceSettings(
        db_url=db_url,
        secret_key=generate_key(),
        ashby_base_url=sandbox.url,
        rate_limit_requests=0,
        sync_poll_seconds=0.2,
        public_url=f"http://127.0.0.1:{port}",
    )


@pytest.fixture(scope="module")
def service(settings: ServiceSettings, port: int) -> Iterator[ServiceHandle]:
    with run_service(settings=settings, port=port) as handle:
        yield handle


def webhooks_of(sandbox: Any, connector_id: str) -> list[dict[str, Any]]:
    """The webhooks Ashby (the sandbox) holds that deliver to this connector."""
    return [w for w in sandbox.control.records("webhook") if connector_id in w["requestUrl"]]


def registered(tenant: Tenant, store: ContextStore, sandbox: Any, **options: Any) -> str:
    """A new connector, once its first sync has run and its webhooks are registered: its id."""
    connector_id = str(connector_of(tenant, sandbox, **options)["id"])
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    webhooks = inspect(tenant, connector_id)["webhooks"]
    assert webhooks["status"] == "registered", webhooks
    assert sorted(w["webhookType"] for w in webhooks_of(sandbox, connector_id)) == sorted(EVENT_TYPES)
    return connector_id


def test_webhooks_are_registered_and_deliveries_reach_the_store(
    tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    connector_id = registered(tenant, store, sandbox)

    victim = next(iter(stored(store, connector_id, "candidates")))
    sandbox.control.delete("candidate", victim)
    wait_for(
        "the deletion to arrive by webhook", lambda: victim not in stored(store, connector_id, "candidates")
    )

    # A merge in Ashby: the old id leaves the store with an alias to the survivor, and the refresh the
    # event asks for brings the moved applications, so candidates and applications equal Ashby again.
    old, survivor = list(stored(store, connector_id, "candidates"))[:2]
    sandbox.control.merge_candidates(old, survivor)

    def merged() -> bool:
        alias = store.transaction(
            lambda c: c.execute(
                sa.select(aliases.c.new_id).where(
                    aliases.c.connector_id == connector_id, aliases.c.old_id == old
                )
            ).scalar_one_or_none()
        )
        return alias == survivor and all(
            stored(store, connector_id, entity) == in_sandbox(sandbox, entity)
            for entity in ("candidates", "applications")
        )

    wait_for("the merge to arrive by webhook", merged)

    assert tenant.delete(f"/integrations/connectors/{connector_id}").status_code == 204
    assert webhooks_of(sandbox, connector_id) == []


def test_deleting_a_workspace_deletes_the_webhooks_of_each_of_its_connectors(
    tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    workspace = f"ws-{uuid.uuid4().hex[:8]}"
    doomed = [registered(tenant, store, sandbox, workspace=workspace) for _ in range(2)]
    survivor = registered(tenant, store, sandbox)  # in a workspace of its own
    workspace_id = inspect(tenant, doomed[0])["workspace_id"]

    assert tenant.delete(f"/workspaces/{workspace_id}").status_code == 204

    for connector_id in doomed:
        assert webhooks_of(sandbox, connector_id) == []
        assert all(stored(store, connector_id, name) == {} for name in TABLES)
    assert len(webhooks_of(sandbox, survivor)) == len(EVENT_TYPES)
    assert stored(store, survivor, "candidates") == in_sandbox(sandbox, "candidates")


def test_a_key_that_may_not_create_webhooks_still_syncs_and_inspect_says_how_to_add_them(
    tenant: Tenant, sandbox: Any, store: ContextStore, settings: ServiceSettings
) -> None:
    sandbox.control.clear_requests()
    connector_id = connector_of(tenant, sandbox, api_key=NO_WEBHOOKS_KEY)["id"]
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))

    answer = tenant.get(f"/integrations/connectors/{connector_id}/inspect")
    assert answer.status_code == 200, answer.text
    webhooks = answer.json()["webhooks"]
    assert webhooks["status"] == "failed", webhooks
    instructions = webhooks["instructions"]
    assert "permission" in instructions and "by hand" in instructions
    assert webhooks["url_path"] in instructions and f"{connector_id}/webhook-secret" in instructions
    # Ashby was asked and refused; nothing was created.
    creates = [
        e
        for e in sandbox.control.requests()
        if e["path"] == "/webhook.create" and connector_id in e["body"]["requestUrl"]
    ]
    assert creates and {e["status"] for e in creates} == {403}, creates
    assert webhooks_of(sandbox, connector_id) == []
    # Neither the API key nor the connector's webhook secret is in the answer.
    assert settings.secret_key is not None
    sealed = store.transaction(lambda c: connectors.webhook_secret(c, connector_id))
    assert sealed is not None
    secret = Keyring(settings.secret_key).decrypt_text(sealed)
    assert secret not in answer.text and NO_WEBHOOKS_KEY not in answer.text


def test_rotating_the_secret_gives_every_registered_webhook_the_new_one(
    tenant: Tenant, sandbox: Any, store: ContextStore, http: httpx.Client
) -> None:
    connector_id = registered(tenant, store, sandbox)
    webhook_ids = sorted(w["id"] for w in webhooks_of(sandbox, connector_id))
    old = secret_of(tenant, connector_id)
    sandbox.control.clear_requests()

    new = secret_of(tenant, connector_id)

    updates = [e["body"] for e in sandbox.control.requests() if e["path"] == "/webhook.update"]
    assert sorted(body["webhookId"] for body in updates) == webhook_ids
    assert all(w["secretToken"] == new for w in webhooks_of(sandbox, connector_id))  # no secret in output
    # Ashby's next delivery is signed with the new secret, and the service accepts it.
    victim, other = list(stored(store, connector_id, "candidates"))[:2]
    sandbox.control.clear_deliveries()
    sandbox.control.delete("candidate", victim)
    wait_for(
        "the deletion to arrive by webhook", lambda: victim not in stored(store, connector_id, "candidates")
    )
    # The sandbox logs a delivery once it has the service's answer, which can come after the store
    # already shows the change.
    sent = wait_for(
        "the delivery to be logged",
        lambda: [d for d in sandbox.control.deliveries() if connector_id in (d["url"] or "")],
    )
    assert [(d["action"], d["status"]) for d in sent] == [("candidateDelete", 200)], sent
    # The old secret no longer verifies.
    event = {
        "webhookActionId": str(uuid.uuid4()),
        "action": "candidateDelete",
        "data": {"candidate": {"id": other}},
    }
    assert deliver(http, connector_id, event, old).status_code == 401
    assert other in stored(store, connector_id, "candidates")


def stalled_registration(tenant: Tenant, sandbox: Any) -> str:
    """A new connector whose first ``webhook.create`` Ashby answers slowly: what the caller does next
    happens while the service is registering its webhooks (before it has recorded any id)."""
    sandbox.control.set_faults(slow_seconds=2.0)
    sandbox.control.queue_faults(["slow"])
    connector_id = str(connector_of(tenant, sandbox)["id"])
    wait_for("the first webhook.create to reach Ashby", lambda: not sandbox.control.faults()["queue"])
    return connector_id


def test_a_connector_deleted_while_registering_leaves_no_webhook_in_ashby(
    tenant: Tenant, sandbox: Any
) -> None:
    sandbox.control.clear_requests()
    connector_id = stalled_registration(tenant, sandbox)
    assert tenant.delete(f"/integrations/connectors/{connector_id}").status_code == 204

    def creates() -> list[dict[str, Any]]:
        return [
            e
            for e in sandbox.control.requests()
            if e["path"] == "/webhook.create" and connector_id in e["body"]["requestUrl"]
        ]

    wait_for("the registration to finish", lambda: len(creates()) == len(EVENT_TYPES))
    wait_for("its webhooks to be deleted", lambda: webhooks_of(sandbox, connector_id) == [], timeout=20)
    sandbox.control.clear_faults()


def test_a_secret_rotated_while_registering_reaches_the_new_webhooks(
    tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    sandbox.control.clear_requests()
    connector_id = stalled_registration(tenant, sandbox)
    new = secret_of(tenant, connector_id)
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    assert inspect(tenant, connector_id)["webhooks"]["status"] == "registered"

    webhooks = webhooks_of(sandbox, connector_id)
    assert len(webhooks) == len(EVENT_TYPES)
    assert all(w["secretToken"] == new for w in webhooks)
    # They were created with the secret read before the rotation, then updated once it was recorded.
    updates = [e["body"] for e in sandbox.control.requests() if e["path"] == "/webhook.update"]
    assert sorted(body["webhookId"] for body in updates) == sorted(w["id"] for w in webhooks)
    sandbox.control.clear_faults()
