"""Replication into the context store against the real sandbox, on SQLite and PostgreSQL.

A full sync makes the store equal to the sandbox; after changes, an incremental sync makes it equal
again while fetching only the changes (the sandbox's request log shows it); an expired token falls back
to a full re-read; a failing Ashby leaves a reason in the stream's status and the next run finishes.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.plan import DEFAULT_STREAMS
from ashby_agent.transports.ashby import AshbyTransport
from tests.store.parity import TABLES, assert_equal, in_sandbox, row_count, stored, stored_column

CONNECTOR = "connector-a"


def list_calls(sandbox: Any) -> list[dict[str, Any]]:
    return [entry for entry in sandbox.control.requests() if entry["path"].endswith(".list")]


async def test_a_full_sync_equals_the_sandbox(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    report = await store.replicate(transport, CONNECTOR)
    assert report.ok, [s for s in report.streams if s.status != "ready"]
    assert [s.entity for s in report.streams] == list(DEFAULT_STREAMS)
    assert_equal(store, CONNECTOR, sandbox)
    readiness = {item["entity"]: item for item in store.readiness(CONNECTOR)}
    assert readiness["candidates"]["status"] == "ready"
    assert readiness["candidates"]["entity_count"] == len(in_sandbox(sandbox, "candidates"))
    assert readiness["candidates"]["ready_for_search"] is True


async def test_an_incremental_sync_fetches_only_the_changes(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    await store.replicate(transport, CONNECTOR)
    control = sandbox.control
    candidates = control.records("candidate")
    applications = control.records("application")
    changed = candidates[:: len(candidates) // 5][:5]  # ~1%
    for record in changed:
        control.update("candidate", record["id"], name=record["name"] + " Jr.")
    archived = next(a for a in applications if a.get("status") != "Archived")
    control.archive("application", archived["id"])
    control.clear_requests()

    report = await store.replicate(transport, CONNECTOR)

    assert report.ok
    assert_equal(store, CONNECTOR, sandbox)
    by_entity = {s.entity: s for s in report.streams}
    assert by_entity["candidates"].mode == "incremental"
    assert by_entity["candidates"].records == len(changed)
    assert by_entity["applications"].records == 1
    assert by_entity["jobs"].records == 0
    candidate_calls = [c for c in list_calls(sandbox) if c["path"] == "/candidate.list"]
    assert len(candidate_calls) == 1 and "syncToken" in candidate_calls[0]["body"]
    # archived records are kept, and marked
    assert stored_column(store, CONNECTOR, "applications", "archived")[archived["id"]] is True


async def test_the_entity_counts_stay_exact_through_incremental_syncs(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    """A pass that stored records counts the entity again; one that changed nothing keeps its count
    (one transaction per unchanged stream, no count of its records)."""

    def assert_counts_exact() -> None:
        for state in store.readiness(CONNECTOR):
            assert state["entity_count"] == len(stored(store, CONNECTOR, state["entity"])), state["entity"]

    await store.replicate(transport, CONNECTOR)
    sandbox.control.create("candidate", {"name": "Late Arrival", "emailAddresses": []})
    added = {s.entity: s for s in (await store.replicate(transport, CONNECTOR)).streams}
    assert (added["candidates"].mode, added["candidates"].records) == ("incremental", 1)
    assert_counts_exact()
    (state,) = store.readiness(CONNECTOR, ["candidates"])
    assert state["entity_count"] == len(in_sandbox(sandbox, "candidates"))
    unchanged = {s.entity: s for s in (await store.replicate(transport, CONNECTOR)).streams}
    assert unchanged["candidates"].records == 0
    assert_counts_exact()


async def test_a_run_beside_another_pass_of_a_stream_reads_that_streams_state_again(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    """Two runs at once (a ``fresh`` query beside a scheduled run): each reads every stream's state when
    it starts, and the one whose pass of a stream waits for the other's reads that stream's state again,
    so it goes on from the token the other committed instead of fetching the same changes once more."""
    await store.replicate(transport, CONNECTOR, entities=["candidates"])
    for record in sandbox.control.records("candidate")[:5]:
        sandbox.control.update("candidate", record["id"], name=record["name"] + " Jr.")
    reports = await asyncio.gather(
        *(store.replicate(transport, CONNECTOR, entities=["candidates"]) for _ in range(2))
    )
    assert sorted(report.records for report in reports) == [0, 5]
    assert_equal(store, CONNECTOR, sandbox, {"candidates": TABLES["candidates"]})


async def test_an_expired_sync_token_falls_back_to_a_full_re_read(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    await store.replicate(transport, CONNECTOR)
    sandbox.control.update("candidate", sandbox.control.records("candidate")[0]["id"], name="Renamed Person")
    sandbox.control.expire_sync_tokens()
    before = row_count(store)

    report = await store.replicate(transport, CONNECTOR, entities=["candidates"])

    assert report.ok
    (stream,) = report.streams
    assert stream.mode == "full"  # the pass after the refused token
    assert stream.records == len(in_sandbox(sandbox, "candidates"))
    assert row_count(store) == before  # upserts by id: nothing duplicated
    assert_equal(store, CONNECTOR, sandbox)


async def test_a_failing_ashby_says_why_and_the_next_run_finishes(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    sandbox.control.set_faults(rate_500=1.0)
    try:
        report = await store.replicate(transport, CONNECTOR, entities=["jobs"])
    finally:
        sandbox.control.clear_faults()
    assert not report.ok
    (status,) = store.readiness(CONNECTOR, ["jobs"])
    assert status["status"] == "failed" and "HTTP 500" in (status["error"] or "")
    assert (await store.replicate(transport, CONNECTOR, entities=["jobs"])).ok
    assert stored(store, CONNECTOR, "jobs") == in_sandbox(sandbox, "jobs")


async def test_the_start_date_bounds_what_is_kept(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    candidates = sandbox.control.records("candidate")
    middle = candidates[len(candidates) // 2]["createdAt"]
    start = datetime.fromisoformat(middle.replace("Z", "+00:00")).astimezone(UTC)
    await store.replicate(transport, CONNECTOR, entities=["candidates"], start_date=start)
    expected = {c["id"] for c in candidates if c["createdAt"] > middle}  # createdAfter is exclusive
    assert set(stored(store, CONNECTOR, "candidates")) == expected


async def test_two_connectors_never_see_each_others_rows(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    await store.replicate(transport, "tenant-1", entities=["jobs"])
    await store.replicate(transport, "tenant-2", entities=["departments"])
    assert stored(store, "tenant-1", "departments") == {}
    assert stored(store, "tenant-2", "jobs") == {}
    store.drop_connector("tenant-1")
    assert stored(store, "tenant-1", "jobs") == {}
    assert stored(store, "tenant-2", "departments") == in_sandbox(sandbox, "departments")


async def test_pages_fetched_while_the_store_is_busy_are_stored_together(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    """The walk keeps fetching (a few pages ahead) while the store is busy, and stores what it fetched
    in one transaction with the checkpoint after the last page: the progress callback, called after
    every stored transaction, then counts more than one page at once. The store ends equal."""

    def candidate_lists() -> int:
        return len([entry for entry in sandbox.control.requests() if entry["path"] == "/candidate.list"])

    async def until(condition: Any) -> None:
        for _ in range(600):
            if condition():
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the sync did not get there")

    progress: list[int] = []
    sandbox.control.hold("candidate.list", 0)  # the pass begins, its first page waits
    sync = asyncio.ensure_future(
        store.replicate(
            transport, CONNECTOR, entities=["candidates"], progress=lambda _e, n, _d: progress.append(n)
        )
    )
    await until(lambda: sandbox.control.faults()["holds"]["candidate.list"]["waiting"] > 0)
    with store.engine.connect() as locker:
        # The store's writes wait: SQLite's write lock (every transaction begins IMMEDIATE) or a lock
        # that PostgreSQL's inserts into the records wait for.
        locker.begin()
        if store.engine.dialect.name == "postgresql":
            locker.exec_driver_sql("LOCK TABLE store_records IN SHARE MODE")
        sandbox.control.clear_faults()
        await until(lambda: candidate_lists() >= 4)  # pages 2-4 fetched while page 1 waits
        locker.rollback()
    report = await sync
    assert report.ok
    steps = [after - before for before, after in zip([0, *progress], progress, strict=False)]
    assert max(steps) > 100, progress  # one transaction stored several pages of 100
    assert_equal(store, CONNECTOR, sandbox, {"candidates": TABLES["candidates"]})


async def test_a_per_parent_list_starts_once_its_parent_ends_not_after_every_stream(
    store: ContextStore, transport: AshbyTransport, sandbox: Any
) -> None:
    """The interview plans' stages are synced while the applications' second page is still held."""
    entities = ["applications", "interview_plans", "interview_stages"]
    sandbox.control.hold("application.list", 1)
    run = asyncio.ensure_future(store.replicate(transport, CONNECTOR, entities=entities))
    try:
        status: dict[str, str] = {}
        for _ in range(400):
            status = {item["entity"]: item["status"] for item in store.readiness(CONNECTOR)}
            if status.get("interview_stages") == "ready" or run.done():
                break
            await asyncio.sleep(0.05)
        assert status.get("interview_stages") == "ready"
        assert status["applications"] != "ready" and not run.done()
    finally:
        sandbox.control.clear_faults()
    report = await run
    assert report.ok, report
    assert_equal(
        store, CONNECTOR, sandbox, {entity: TABLES[entity] for entity in entities if entity in TABLES}
    )
