"""An entity's first pass leaves the word index and the facets to one bulk build at its end: on SQLite in
the transaction of its last page and token, on PostgreSQL in parts that run at once in transactions of
their own, the vocabulary and the token then committed together. A process killed before or during that
build resumes from the last pages and ends with the same words and facets (and search answers) as an
uninterrupted sync. The walk fetches pages ahead of what it stores, and only stored pages are
checkpointed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.plan import STREAMS
from ashby_agent.store.query.indexes import FACETED, WORD_INDEXED
from ashby_agent.store.schema import facets, records, streams, vocabulary, words
from ashby_agent.transports.ashby import AshbyTransport
from tests.store import kills
from tests.store.parity import assert_equal
from tests.store.test_crash_resume import (
    CONNECTOR,
    checkpoint,
    first_body,
    kill_when_held,
    stored_count,
)

pytestmark = pytest.mark.slow

REFERENCE = "first-pass-reference"


def word_rows(store: ContextStore, connector_id: str) -> set[tuple[str, str, str, str]]:
    query = sa.select(words.c.entity, words.c.field, words.c.word, words.c.record_id).where(
        words.c.connector_id == connector_id
    )
    return {tuple(row) for row in store.transaction(lambda c: c.execute(query).all())}  # type: ignore[misc]


def vocabulary_rows(store: ContextStore, connector_id: str) -> set[tuple[str, str, str]]:
    query = sa.select(vocabulary.c.entity, vocabulary.c.field, vocabulary.c.word).where(
        vocabulary.c.connector_id == connector_id
    )
    return {tuple(row) for row in store.transaction(lambda c: c.execute(query).all())}  # type: ignore[misc]


def facet_rows(store: ContextStore, connector_id: str) -> set[tuple[Any, ...]]:
    query = sa.select(
        facets.c.entity, facets.c.record_id, facets.c.path, facets.c.value, facets.c.overflow
    ).where(facets.c.connector_id == connector_id)
    return {tuple(row) for row in store.transaction(lambda c: c.execute(query).all())}


async def sync(store: ContextStore, sandbox: Any, connector_id: str, *, full: bool = False) -> None:
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url) as transport:
        report = await store.replicate(transport, connector_id, full=full)
    assert report.ok, report


async def reference_words(store: ContextStore, sandbox: Any) -> set[tuple[str, str, str, str]]:
    """The words of an uninterrupted sync (built in bulk), checked against a re-read that indexes
    them page by page."""
    await sync(store, sandbox, REFERENCE)
    bulk = word_rows(store, REFERENCE)
    await sync(store, sandbox, REFERENCE, full=True)  # not a first pass: words kept per page
    assert word_rows(store, REFERENCE) == bulk
    assert {row[0] for row in bulk} == set(WORD_INDEXED)
    return bulk


def reference_facets(store: ContextStore) -> set[tuple[Any, ...]]:
    """The facets of the reference connector's syncs (reference_words ran them): its last, a full
    re-read, kept them page by page, so bulk and per-page writing agree when these equal the bulk-built
    facets of the connector under test."""
    rows = facet_rows(store, REFERENCE)
    assert {row[0] for row in rows} == {e for e in FACETED if kills.stored_count(store, REFERENCE, e)}
    return rows


async def fuzzy_ids(store: ContextStore, connector_id: str, name: str) -> list[str]:
    answer = await store.search(
        connector_id, "candidates", {"query": {"filter": {"fuzzy": {"name": name}}}, "limit": 100}
    )
    return [record["id"] for record in answer["data"]]


async def test_first_pass_indexes_words_at_its_end(store: ContextStore, store_url: str, sandbox: Any) -> None:
    kill_when_held(store, store_url, sandbox, {"candidate.list": 2}, {"candidates": 200})
    assert stored_count(store, "candidates") == 200
    # Mid-pass: the pages are stored, their words are not (nothing can search the entity yet).
    assert not {row for row in word_rows(store, CONNECTOR) if row[0] == "candidates"}
    assert not {row for row in facet_rows(store, CONNECTOR) if row[0] == "candidates"}
    sandbox.control.clear_faults()
    await sync(store, sandbox, CONNECTOR)
    assert_equal(store, CONNECTOR, sandbox)
    expected = await reference_words(store, sandbox)
    assert {(e, f, w, r) for e, f, w, r in word_rows(store, CONNECTOR)} == expected
    assert facet_rows(store, CONNECTOR) == reference_facets(store)
    name = str(sandbox.control.records("candidate")[0]["name"])
    found = await fuzzy_ids(store, CONNECTOR, name)
    assert found and found == await fuzzy_ids(store, REFERENCE, name)


def kill_while_building(store: ContextStore, store_url: str, sandbox: Any) -> None:
    """Run a syncing process with a SHARE lock held on the vocabulary; kill -9 it once one of its
    transactions waits for that lock (a pass's end, or on SQLite's path its build)."""
    with store.engine.connect() as locker:
        locker.exec_driver_sql("LOCK TABLE store_vocabulary IN SHARE MODE")
        pid = locker.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        process = kills.start_sync(store_url, sandbox, CONNECTOR)
        waiting = sa.text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
        kills.kill_when(
            process,
            lambda: bool(store.transaction(lambda c: c.execute(waiting, {"pid": pid}).scalar_one())),
            "a word build waiting on the vocabulary",
        )
        locker.rollback()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)  # SQLite's build is one transaction
async def test_kill_during_the_bulk_build_resumes_from_the_last_page(
    store: ContextStore, store_url: str, sandbox: Any
) -> None:
    """A SHARE lock on the vocabulary holds every first pass's end in its transaction (the last pages,
    words and facets committed by then, the vocabulary insert waiting); the process is killed there.
    PostgreSQL only: SQLite has no table lock, and its build commits or not as one transaction."""
    kill_while_building(store, store_url, sandbox)
    states = store.transaction(
        lambda c: {
            row.entity: row
            for row in c.execute(sa.select(streams).where(streams.c.connector_id == CONNECTOR)).all()
        }
    )
    interrupted = [
        entity for entity in WORD_INDEXED if entity in states and states[entity].last_synced_at is None
    ]
    assert interrupted  # at least one pass was killed at its end: still open, its vocabulary absent
    for entity in interrupted:
        assert states[entity].pass_mode == "full"
        assert not {row for row in vocabulary_rows(store, CONNECTOR) if row[0] == entity}
    sandbox.control.clear_requests()
    await sync(store, sandbox, CONNECTOR)
    assert_equal(store, CONNECTOR, sandbox)
    # Resumed from the last page's cursor, not from the first page.
    log = sandbox.control.requests()
    for entity, path in (("candidates", "/candidate.list"), ("applications", "/application.list")):
        if entity in interrupted and states[entity].pass_cursor:
            assert first_body(log, path).get("cursor") == states[entity].pass_cursor
    assert word_rows(store, CONNECTOR) == await reference_words(store, sandbox)
    assert facet_rows(store, CONNECTOR) == reference_facets(store)
    assert vocabulary_rows(store, CONNECTOR) == vocabulary_rows(store, REFERENCE)


def listed(sandbox: Any, pages: int) -> list[list[str]]:
    """The ids of the first ``pages`` pages of candidates, as the sync's body lists them."""
    found: list[list[str]] = []
    body: dict[str, Any] = {**STREAMS["candidates"].fixed, "limit": 100}
    with httpx.Client(base_url=sandbox.url, auth=(sandbox.api_key, ""), timeout=30) as client:
        for _ in range(pages):
            page = client.post("/candidate.list", json=body).json()
            found.append([record["id"] for record in page["results"]])
            body = {**body, "cursor": page["nextCursor"]}
    return found


async def test_a_prefetched_page_is_never_committed_ahead_of_its_checkpoint(
    store: ContextStore, store_url: str, sandbox: Any
) -> None:
    # Page 4 is fetched (held by the sandbox) while page 3 is stored; the kill lands there.
    kill_when_held(store, store_url, sandbox, {"candidate.list": 3}, {"candidates": 300})
    sandbox.control.clear_faults()
    pages = listed(sandbox, 4)
    query = sa.select(records.c.record_id).where(
        records.c.connector_id == CONNECTOR, records.c.entity == "candidates"
    )
    stored = set(store.transaction(lambda c: c.execute(query).scalars().all()))
    assert stored == {ident for page in pages[:3] for ident in page}  # pages 1-3 exactly, not page 4
    cursor = checkpoint(store, "candidates").pass_cursor
    assert cursor
    sandbox.control.clear_requests()
    await sync(store, sandbox, CONNECTOR)
    log = [entry for entry in sandbox.control.requests() if entry["path"] == "/candidate.list"]
    assert log[0]["body"]["cursor"] == cursor  # the rerun fetches page 4 again, from the checkpoint
    assert_equal(store, CONNECTOR, sandbox)


async def test_later_passes_keep_words_level_record_by_record(store: ContextStore, sandbox: Any) -> None:
    await sync(store, sandbox, CONNECTOR)
    renamed, untouched = (record["id"] for record in sandbox.control.records("candidate")[:2])
    before = word_rows(store, CONNECTOR)
    sandbox.control.update("candidate", renamed, name="Quillon Zephyrine")
    await sync(store, sandbox, CONNECTOR)  # incremental: words kept page by page
    after = word_rows(store, CONNECTOR)
    assert {w for e, f, w, r in after if (e, f, r) == ("candidates", "name", renamed)} == {
        "quillon",
        "zephyrine",
    }
    assert {row for row in after if row[3] == untouched} == {row for row in before if row[3] == untouched}
    assert await fuzzy_ids(store, CONNECTOR, "zephyrine") == [renamed]
    # A full re-read of unchanged records leaves the index as it was.
    await sync(store, sandbox, CONNECTOR, full=True)
    assert word_rows(store, CONNECTOR) == after
