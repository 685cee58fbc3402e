"""kill -9 of a syncing process, at several points, then a rerun: the store ends equal to the sandbox,
with nothing duplicated, and each rerun resumes from the last checkpoint instead of starting over."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import streams
from ashby_agent.transports.ashby import AshbyTransport
from tests.store import kills
from tests.store.parity import assert_equal

pytestmark = pytest.mark.slow

CONNECTOR = "crash-test"


def kill_when_held(
    store: ContextStore, store_url: str, sandbox: Any, holds: dict[str, int], stored: dict[str, int]
) -> list[dict[str, Any]]:
    return kills.kill_when_held(store, store_url, sandbox, holds, stored, connector_id=CONNECTOR)


def stored_count(store: ContextStore, entity: str) -> int:
    return kills.stored_count(store, CONNECTOR, entity)


def first_body(requests: list[dict[str, Any]], path: str) -> dict[str, Any]:
    return next(dict(entry["body"] or {}) for entry in requests if entry["path"] == path)


def checkpoint(store: ContextStore, entity: str) -> Any:
    return store.transaction(
        lambda c: c.execute(
            sa.select(streams.c.pass_mode, streams.c.pass_cursor, streams.c.pass_parent).where(
                streams.c.connector_id == CONNECTOR, streams.c.entity == entity
            )
        ).one()
    )


async def test_killed_syncs_resume_and_end_equal(store: ContextStore, store_url: str, sandbox: Any) -> None:
    # 1: killed after two candidate pages, with applications held at their first page (and the
    # interview plans' stages at theirs: a per-parent list starts as soon as its parent list ends).
    first_holds = {"candidate.list": 2, "application.list": 0, "interviewStage.list": 0}
    runs = [kill_when_held(store, store_url, sandbox, first_holds, {"candidates": 200})]
    assert stored_count(store, "candidates") == 200
    assert checkpoint(store, "candidates").pass_mode == "full"
    assert checkpoint(store, "candidates").pass_cursor  # killed mid-pass: the checkpoint says where
    # 2: killed after three application pages (candidates finish), before any per-parent list's page.
    second_holds = {"application.list": 3, "interviewStage.list": 0}
    runs.append(kill_when_held(store, store_url, sandbox, second_holds, {"applications": 300}))
    assert stored_count(store, "applications") == 300
    assert checkpoint(store, "applications").pass_cursor
    # 3: killed after five interview plans' stages, once candidates and applications have ended (the
    # stage lists may start before they do).
    sandbox.control.clear_faults()
    sandbox.control.clear_requests()
    sandbox.control.hold("interviewStage.list", 5)
    process = kills.start_sync(store_url, sandbox, CONNECTOR)

    def reached() -> bool:
        status = {item["entity"]: item["status"] for item in store.readiness(CONNECTOR)}
        held = sandbox.control.faults()["holds"]["interviewStage.list"]["waiting"] > 0
        return held and status["candidates"] == status["applications"] == "ready"

    kills.kill_when(process, reached, "the sixth plan's stages, candidates and applications ended")
    runs.append(list(sandbox.control.requests()))
    assert checkpoint(store, "interview_stages").pass_mode == "full"
    assert checkpoint(store, "interview_stages").pass_parent
    sandbox.control.clear_faults()
    sandbox.control.clear_requests()
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url) as transport:
        report = await store.replicate(transport, CONNECTOR)
    assert report.ok
    assert_equal(store, CONNECTOR, sandbox)
    # Each rerun resumed the pass the killed process left, from its checkpoint's cursor.
    assert "cursor" in first_body(runs[1], "/candidate.list")
    assert "cursor" in first_body(runs[2], "/application.list")
    # The last run found candidates and applications complete: only an incremental pass each.
    final = sandbox.control.requests()
    assert [e["body"].get("syncToken") is not None for e in final if e["path"] == "/candidate.list"] == [True]
    assert [e["body"].get("syncToken") is not None for e in final if e["path"] == "/application.list"] == [
        True
    ]
