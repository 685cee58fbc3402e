"""Webhook events applied to a store filled from the sandbox: deletions, merges, retried deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from ashby_agent.errors import InvalidRequestError
from ashby_agent.sandbox import run_sandbox
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import aliases
from ashby_agent.store.webhooks import apply_event
from ashby_agent.transports.ashby import AshbyTransport
from tests.store.parity import stored

CONNECTOR = "hooks"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=3, scale="small") as handle:
        yield handle


@pytest.fixture
async def filled(store: ContextStore, sandbox: Any) -> ContextStore:
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url) as transport:
        assert (await store.replicate(transport, CONNECTOR, entities=["candidates", "offers"])).ok
    return store


def event(action: str, action_id: str, **data: Any) -> dict[str, Any]:
    return {"webhookActionId": action_id, "action": action, "data": data}


async def test_candidate_delete_removes_once(filled: ContextStore) -> None:
    victim = next(iter(stored(filled, CONNECTOR, "candidates")))
    body = event("candidateDelete", "a1", candidate={"id": victim})
    first = filled.transaction(lambda c: apply_event(c, CONNECTOR, body))
    assert first.applied and first.removed == [victim]
    assert victim not in stored(filled, CONNECTOR, "candidates")
    again = filled.transaction(lambda c: apply_event(c, CONNECTOR, body))
    assert not again.applied  # a retried delivery changes nothing


def entity_count(store: ContextStore, entity: str) -> int:
    (state,) = store.readiness(CONNECTOR, [entity])
    return int(state["entity_count"])


async def test_a_deletion_lowers_the_entity_count_and_a_sync_that_changes_nothing_keeps_it(
    filled: ContextStore, sandbox: Any
) -> None:
    """A pass that changed no record keeps the count it finds (it does not count again), so a webhook's
    deletion lowers the count itself, once per delivery."""
    before = entity_count(filled, "candidates")
    assert before == len(stored(filled, CONNECTOR, "candidates"))
    victim = next(iter(stored(filled, CONNECTOR, "candidates")))
    body = event("candidateDelete", "d1", candidate={"id": victim})
    filled.transaction(lambda c: apply_event(c, CONNECTOR, body))
    filled.transaction(lambda c: apply_event(c, CONNECTOR, body))  # retried: not applied again
    assert entity_count(filled, "candidates") == before - 1 == len(stored(filled, CONNECTOR, "candidates"))
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url) as transport:
        report = await filled.replicate(transport, CONNECTOR, entities=["candidates"])
    (stream,) = report.streams
    assert (stream.mode, stream.records) == ("incremental", 0)
    assert entity_count(filled, "candidates") == before - 1


async def test_candidate_merge_keeps_an_alias_and_asks_for_a_refresh(filled: ContextStore) -> None:
    old, new = list(stored(filled, CONNECTOR, "candidates"))[:2]
    body = event("candidateMerge", "m1", deletedCandidate={"id": old}, mergedCandidate={"id": new})
    outcome = filled.transaction(lambda c: apply_event(c, CONNECTOR, body))
    assert outcome.refresh == ("candidates", "applications")
    assert old not in stored(filled, CONNECTOR, "candidates")
    alias = filled.transaction(
        lambda c: c.execute(sa.select(aliases.c.new_id).where(aliases.c.old_id == old)).scalar_one()
    )
    assert alias == new
    assert entity_count(filled, "candidates") == len(stored(filled, CONNECTOR, "candidates"))


async def test_offer_delete_and_other_events(filled: ContextStore) -> None:
    offer = next(iter(stored(filled, CONNECTOR, "offers")))
    outcome = filled.transaction(
        lambda c: apply_event(c, CONNECTOR, event("offerDelete", "o1", offer={"id": offer}))
    )
    assert outcome.removed == [offer]
    update = filled.transaction(
        lambda c: apply_event(c, CONNECTOR, event("applicationUpdate", "u1", application={}))
    )
    assert update.applied and update.refresh == ("applications",) and update.removed == []
    ping = filled.transaction(lambda c: apply_event(c, CONNECTOR, {"action": "ping", "data": {}}))
    assert ping.action == "ping"


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"action": "candidateDelete", "data": {}},
        event("candidateDelete", "x", candidate={}),
        {"data": {}},
    ],
)
async def test_malformed_events_are_refused(filled: ContextStore, body: Any) -> None:
    with pytest.raises(InvalidRequestError):
        filled.transaction(lambda c: apply_event(c, CONNECTOR, body))
