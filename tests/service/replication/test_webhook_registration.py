"""With ``ASHBY_AGENT_PUBLIC_URL`` set, a connector registers its webhooks with Ashby (the sandbox) on
its first sync, and the sandbox's signed deliveries reach the store without any sync: a candidate
deleted in Ashby leaves the store within a bounded wait."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.jobs.webhook_registration import EVENT_TYPES
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import ServiceHandle, run_service
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import aliases
from tests.service.replication.conftest import wait_for
from tests.service.replication.test_hosted_sync import inspect, synced
from tests.service.tenants import Tenant
from tests.store.parity import in_sandbox, stored


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


def test_webhooks_are_registered_and_deliveries_reach_the_store(
    tenant: Tenant, sandbox: Any, store: ContextStore
) -> None:
    body = {"start_date": "2020-01-01T00:00:00Z", "refresh_minutes": 1440}
    connector_id = tenant.create_connector(
        f"ws-{uuid.uuid4().hex[:8]}", sandbox.api_key, replication_config=body
    )["id"]
    wait_for("the first sync", lambda: synced(tenant, store, connector_id, sandbox))
    webhooks = inspect(tenant, connector_id)["webhooks"]
    assert webhooks["status"] == "registered", webhooks
    registered = [w for w in sandbox.control.records("webhook") if connector_id in w["requestUrl"]]
    assert sorted(w["webhookType"] for w in registered) == sorted(EVENT_TYPES)

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
    assert [w for w in sandbox.control.records("webhook") if connector_id in w["requestUrl"]] == []
