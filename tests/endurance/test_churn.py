"""Concurrent execute load from two tenants on a real ``ashby-agent serve`` process (SQLite and
PostgreSQL) while each tenant's connectors are created, have their Ashby key rotated and are deleted.

What must hold: no 5xx ever; no cross-tenant answer; every execute answered 200 has its audit row.

The two tenants' Ashby data is told apart by the key: each tenant owns three keys of the sandbox, and
every execute reads ``apiKey.info``, whose answer names the key the service called Ashby with (``Sandbox
key N``), so an answer made with another tenant's credentials (or another connector's) shows. Callers
also aim at the other tenant's connectors now and then: those must be 404, like a deleted connector.
Expected refusals are counted by kind and must be only those (404 ``connector_not_found``).
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import pytest

from ashby_agent.sandbox import run_sandbox
from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import ServiceHandle
from tests.endurance.served import served
from tests.service.tenants import Tenant

pytestmark = pytest.mark.endurance

#: Each tenant's keys (three each; the sandbox titles them "Sandbox key 1".."Sandbox key 6" in order).
KEYS = {tenant: [f"{tenant}-key-{n}-{uuid.uuid4().hex}" for n in range(3)] for tenant in ("a", "b")}
TITLES = {
    tenant: {f"Sandbox key {i}" for i, key in enumerate(KEYS["a"] + KEYS["b"], 1) if key in keys}
    for tenant, keys in KEYS.items()
}
CALLERS_PER_TENANT = 3
CALLS_PER_CALLER = 60
CHURN_ROUNDS = 12


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=31, scale="small", api_keys=KEYS["a"] + KEYS["b"]) as handle:
        yield handle


@pytest.fixture(scope="module")
def settings(db_url: str, sandbox: Any) -> ServiceSettings:
    """Overrides the service fixtures' settings: this module's sandbox, no rate limit."""
    return ServiceSettings(
        db_url=db_url, secret_key=generate_key(), ashby_base_url=sandbox.url, rate_limit_requests=0
    )


@pytest.fixture(scope="module")
def service(settings: ServiceSettings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceHandle]:
    """Overrides the service fixture: ``ashby-agent serve`` as its own process (whose log must end
    without a traceback)."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with served(settings, log) as (_, handle):
        yield handle
    assert "Traceback" not in log.read_text()


@dataclass
class Side:
    """One tenant under load: its live connectors, and what its callers saw."""

    name: str
    tenant: Tenant
    live: list[str] = field(default_factory=list)
    ever: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: intent -> connector id, of every execute answered 200.
    succeeded: dict[str, str] = field(default_factory=dict)
    refusals: Counter[tuple[str, int, str]] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)

    def add(self, connector_id: str) -> None:
        with self.lock:
            self.live.append(connector_id)
            self.ever.append(connector_id)

    def pick(self, n: int) -> str | None:
        with self.lock:
            return self.live[n % len(self.live)] if self.live else None


def _code(answer: httpx.Response) -> str:
    try:
        return str(answer.json()["errors"][0]["error_code"])
    except (ValueError, KeyError, IndexError, TypeError):
        return "?"


def _caller(side: Side, other: Side, number: int, base_url: str, token: str, intents: Iterator[int]) -> None:
    """Executes ``apiKey.info`` on its tenant's live connectors; every seventh call on the other's."""
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        for n in range(CALLS_PER_CALLER):
            foreign = n % 7 == 3
            connector_id = (other if foreign else side).pick(n + number)
            if connector_id is None:
                continue
            intent = f"{side.name}-{next(intents)}"
            answer = http.post(
                f"/integrations/connectors/{connector_id}/execute",
                json={"entity": "api_key", "action": "get", "intent": intent},
            )
            kind = "foreign" if foreign else "own"
            if answer.status_code == 200:
                title = answer.json()["result"]["title"]
                if foreign or title not in TITLES[side.name]:
                    side.wrong.append(f"{kind} connector {connector_id} answered with {title}")
                with side.lock:
                    side.succeeded[intent] = connector_id
            else:
                side.refusals[(kind, answer.status_code, _code(answer))] += 1


def _churn(side: Side) -> None:
    """Create a connector, rotate the key of another, delete a third; round after round."""
    keys = itertools.cycle(KEYS[side.name])
    tenant = side.tenant
    for round_ in range(CHURN_ROUNDS):
        side.add(tenant.create_connector(f"churn-{round_}", next(keys))["id"])
        target = side.pick(round_)
        assert target is not None
        key = next(keys)
        rotated = tenant.put(f"/integrations/connectors/{target}", json={"credentials": {"api_key": key}})
        if rotated.status_code == 200:
            # Read your rotation: the next execute on it uses the new key.
            seen = tenant.post(
                f"/integrations/connectors/{target}/execute", json={"entity": "api_key", "action": "get"}
            )
            assert seen.status_code == 200, seen.text
            title = f"Sandbox key {(KEYS['a'] + KEYS['b']).index(key) + 1}"
            assert seen.json()["result"]["title"] == title
        else:
            side.refusals[("rotate", rotated.status_code, _code(rotated))] += 1
        if round_ % 2 == 1:
            with side.lock:
                victim = side.live.pop(0)
            deleted = tenant.delete(f"/integrations/connectors/{victim}")
            assert deleted.status_code == 204, deleted.text


def test_two_tenants_under_load_and_connector_churn(
    tenant: Tenant, other_tenant: Tenant, service: ServiceHandle
) -> None:
    clients = [httpx.Client(base_url=service.api_url, timeout=60) for _ in range(2)]
    # Each tenant's churn on a client of its own (the fixtures' tenants share one).
    sides = {
        name: Side(name, replace(t, http=c))
        for name, t, c in zip("ab", (tenant, other_tenant), clients, strict=True)
    }
    for side in sides.values():
        side.add(side.tenant.create_connector("first", KEYS[side.name][0])["id"])
    intents = itertools.count()  # next() on a count is atomic under the GIL
    with ThreadPoolExecutor(2 * CALLERS_PER_TENANT + 2) as pool:
        futures = [pool.submit(_churn, side) for side in sides.values()]
        for (name, side), number in itertools.product(sides.items(), range(CALLERS_PER_TENANT)):
            other = sides["b" if name == "a" else "a"]
            futures.append(
                pool.submit(_caller, side, other, number, service.api_url, side.tenant.token(), intents)
            )
        try:
            for future in futures:
                future.result(timeout=300)
        finally:
            for client in clients:
                client.close()

    for side in sides.values():
        assert not side.wrong, side.wrong[:5]
        # Refusals by kind: only a missing connector (deleted, or the other tenant's); never a 5xx.
        assert {(status, code) for _, status, code in side.refusals} <= {(404, "connector_not_found")}, (
            side.refusals
        )
        assert len(side.succeeded) > CALLERS_PER_TENANT * CALLS_PER_CALLER // 2, side.refusals
        assert side.refusals[("foreign", 404, "connector_not_found")] > 0
        audit = operator.list_audit(
            organization=side.tenant.organization_name, limit=100_000, settings=service.settings
        )
        audited = {record.intent: (record.connector_id, record.http_status) for record in audit}
        missing = {i: c for i, c in side.succeeded.items() if audited.get(i) != (c, 200)}
        assert not missing, (len(missing), list(missing.items())[:5])
