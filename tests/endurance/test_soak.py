"""Soak: a medium sandbox replicated into a real SQLite file through ~10% injected 429s, 5xx and dropped
connections, by a syncing process killed with SIGKILL twice (mid-candidates, then mid the per-plan stage
lists) while the sandbox's data changes; a last run finishes. Afterwards the store equals the sandbox
exactly: every entity's ids and ``updatedAt`` (nothing lost, duplicated or stale).

The syncing process retries every 10 ms instead of its default backoff (its policy is configurable; what
is under test is that faults and kills lose nothing, not how long the backoff waits)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from ashby_agent.sandbox import run_sandbox
from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import records
from tests.endurance.served import served
from tests.service.replication.conftest import wait_for
from tests.service.tenants import make_db, new_tenant
from tests.store import kills
from tests.store.parity import MORE_TABLES, TABLES, assert_equal, stored

pytestmark = pytest.mark.endurance

CONNECTOR = "soak"
#: ~10% of Ashby requests fail: 3% rate limited, 4% internal errors, 3% dropped mid-answer.
FAULTS = {"rate_429": 0.03, "rate_500": 0.04, "rate_drop": 0.03, "retry_after": 0}
#: The other server errors, queued at the start of every run.
QUEUED = ["502", "503", "504"]
RETRY = {"RETRY_ATTEMPTS": "10", "RETRY_DELAY": "0.01"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=7, scale="medium") as handle:
        yield handle


def _run(
    store: ContextStore, url: str, sandbox: Any, holds: dict[str, int], seed: int
) -> list[dict[str, Any]]:
    """One syncing process under faults, killed at ``holds``; the requests it sent."""
    faults = {**FAULTS, "seed": seed}
    return kills.kill_when_held(
        store, url, sandbox, holds, {}, connector_id=CONNECTOR, faults=faults, queued=QUEUED, **RETRY
    )


def _change(sandbox: Any, table: str, field: str, count: int) -> None:
    """Change ``field`` of the first ``count`` records and add a copy of the first: the next runs must
    bring both (a resumed pass, then the delta of the pass the killed process started)."""
    sandbox.control.advance_clock(60)
    every = sandbox.control.records(table)
    for record in every[:count]:
        sandbox.control.update(table, record["id"], **{field: f"changed {record['id'][:8]}"})
    copy = {k: v for k, v in every[0].items() if k not in ("id", "createdAt", "updatedAt")}
    sandbox.control.create(table, {**copy, field: "added during the soak"})


def _faults_seen(requests: list[dict[str, Any]]) -> Counter[int]:
    return Counter(entry["status"] for entry in requests if entry["status"] != 200)


def test_a_faulty_twice_killed_sync_ends_equal_to_the_sandbox(sandbox: Any, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'soak.db'}"
    store = ContextStore.open(url)
    try:
        # The stage lists wait for the second run (a per-parent list starts once its parent's ends).
        holds = {"candidate.list": 40, "application.list": 20, "interviewStage.list": 0}
        first = _run(store, url, sandbox, holds, seed=1)
        stored_candidates = kills.stored_count(store, CONNECTOR, "candidates")
        assert 0 < stored_candidates < len(sandbox.control.records("candidate"))
        _change(sandbox, "candidate", "name", 25)  # some of them stored already, one new

        second = _run(store, url, sandbox, {"interviewStage.list": 150}, seed=2)
        assert "cursor" in next(e["body"] for e in second if e["path"] == "/candidate.list")  # resumed
        _change(sandbox, "job", "title", 10)

        sandbox.control.clear_faults()
        sandbox.control.clear_requests()
        sandbox.control.set_faults(**FAULTS, seed=3)
        sandbox.control.queue_faults(QUEUED)
        final = kills.start_sync(url, sandbox, CONNECTOR, **RETRY)
        assert final.wait(timeout=300) == 0  # a guard against a hung child, not a timing assertion
        last = list(sandbox.control.requests())
        sandbox.control.clear_faults()

        assert_equal(store, CONNECTOR, sandbox, {**TABLES, **MORE_TABLES})
        # Every entity replicated is compared, but the two whose lists hide records (see MORE_TABLES).
        entities = store.transaction(
            lambda c: set(c.execute(sa.select(records.c.entity).distinct()).scalars())
        )
        assert entities - set(TABLES) - set(MORE_TABLES) == {"locations", "job_postings"}
        changed = {r["id"] for r in sandbox.control.records("candidate") if r["name"].startswith("changed")}
        assert len(changed) == 25 and changed <= set(stored(store, CONNECTOR, "candidates"))
        # Every kind of fault happened, in about the proportion asked for (dropped answers log status 0).
        for run in (first, second, last):
            kinds = _faults_seen(run)
            assert {502, 503, 504} <= set(kinds) and kinds[0] + kinds[429] + kinds[500] > 0, kinds
        seen = _faults_seen(first) + _faults_seen(second) + _faults_seen(last)
        assert {0, 429, 500} <= set(seen), seen
        total = len(first) + len(second) + len(last)
        assert 0.05 * total < sum(seen.values()) < 0.2 * total, (seen, total)
    finally:
        store.close()


# The hosted variant: the service on PostgreSQL, as its own process, executing over the same faults;
# SIGKILLed once with executions in flight and started again on the same database.

#: The executions of the load, in turn: reads of several shapes (pages of records, reference lists).
CALLS = (
    {"entity": "candidates", "action": "list", "params": {"limit": 2}},
    {"entity": "jobs", "action": "list", "params": {"limit": 5}},
    {"entity": "departments", "action": "list"},
    {"entity": "users", "action": "list", "params": {"limit": 3}},
)


@dataclass(frozen=True)
class Answered:
    intent: str
    status: int


def _execute(base_url: str, token: str, connector_id: str, numbers: range) -> list[Answered]:
    """Executions ``numbers`` in turn (each with the intent ``soak-<n>``); those that got an answer."""
    answered: list[Answered] = []
    path = f"/integrations/connectors/{connector_id}/execute"
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        for n in numbers:
            intent = f"soak-{n}"
            try:
                answer = http.post(path, json={**CALLS[n % len(CALLS)], "intent": intent})
            except httpx.TransportError:  # the service was killed under this call: it never returned
                continue
            answered.append(Answered(intent, answer.status_code))
    return answered


def _load(base_url: str, token: str, connector_id: str, first: int, count: int, callers: int = 6) -> Any:
    """``count`` executions over ``callers`` concurrent clients, numbered from ``first`` (a future of
    the answered ones)."""
    pool = ThreadPoolExecutor(callers)
    per = count // callers
    futures = [
        pool.submit(_execute, base_url, token, connector_id, range(first + i * per, first + (i + 1) * per))
        for i in range(callers)
    ]
    pool.shutdown(wait=False)
    return futures


def _answered(futures: list[Any]) -> list[Answered]:
    return [item for future in futures for item in future.result(timeout=300)]


@pytest.fixture(scope="module")
def small_sandbox() -> Iterator[Any]:
    with run_sandbox(seed=23, scale="small") as handle:
        yield handle


def test_every_hosted_execute_that_returned_is_audited_through_faults_and_a_kill(
    small_sandbox: Any, tmp_path: Path
) -> None:
    url, drop = make_db("postgresql", tmp_path)
    settings = ServiceSettings(
        db_url=url, secret_key=generate_key(), ashby_base_url=small_sandbox.url, rate_limit_requests=0
    )
    try:
        with (
            served(settings, tmp_path / "serve.log") as (process, handle),
            httpx.Client(base_url=handle.api_url, timeout=30) as http,
        ):
            tenant = new_tenant(handle, http)
            connector = tenant.create_connector("soak", small_sandbox.api_key)["id"]
            small_sandbox.control.clear_requests()
            small_sandbox.control.set_faults(**FAULTS, seed=5)
            small_sandbox.control.queue_faults(QUEUED)
            answered = _answered(_load(handle.api_url, tenant.token(), connector, 0, 120))
            # Killed with executions in flight: candidate pages are held, the other reads keep going.
            small_sandbox.control.hold("candidate.list", 0)
            running = _load(handle.api_url, tenant.token(), connector, 1000, 120)
            wait_for(
                "held executions",
                lambda: small_sandbox.control.faults()["holds"]["candidate.list"]["waiting"] >= 3,
            )
            process.kill()
            small_sandbox.control.clear_faults()
            answered += _answered(running)
            small_sandbox.control.set_faults(**FAULTS, seed=6)
            again = process.start()
            answered += _answered(_load(again.api_url, tenant.token(), connector, 2000, 120))
            log = list(small_sandbox.control.requests())
        small_sandbox.control.clear_faults()
        audited: dict[str | None, list[tuple[str, int]]] = {}
        for record in operator.list_audit(
            organization=tenant.organization_name, limit=10_000, settings=settings
        ):
            audited.setdefault(record.intent, []).append((record.connector_id, record.http_status))
    finally:
        small_sandbox.control.clear_faults()
        drop()
    statuses = Counter(item.status for item in answered)
    assert statuses[200] > 200 and set(statuses) <= {200, 429, 502, 503, 504}, statuses
    # One audit row per execution that returned, whatever it answered, with its status; none twice.
    missing = [item for item in answered if audited.get(item.intent) != [(connector, item.status)]]
    assert not missing, (len(missing), missing[:5])
    assert len(answered) < 360  # the kill did cut executions short, and those returned nothing
    assert _faults_seen(log)[500] > 0 and _faults_seen(log)[0] > 0
    assert "Traceback" not in (tmp_path / "serve.log").read_text()
