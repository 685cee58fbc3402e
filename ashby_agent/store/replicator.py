"""The sync engine: replicate each stream from Ashby into the store, page by page, resumably.

For each stream a run continues the pass a previous run left unfinished, or starts one: incremental
from the committed ``syncToken`` when the list takes one, full otherwise (``createdAfter`` the
replication start where Ashby takes it). Every page is upserted by id and checkpointed in the
transaction that stores it (with the pages fetched while the store was busy); the pass's token is
committed with its last page, and a full pass then removes what it did not see. A run reads every
stream's state in one query, and a pass it begins is written with its first stored page: a stream with
nothing new costs one transaction (its record count is not read again). Recovery, per stream:

* ``sync_token_expired`` / ``sync_token_invalid`` / ``incremental_sync_too_large`` -> drop the token,
  full re-read of that entity;
* ``next_cursor_expired`` / ``invalid_next_cursor`` -> restart the pass (same mode and token);
* any other failure -> the stream's status says why, its checkpoint stays, the next run resumes it.

Memory stays flat: a walk holds at most a few pages (``_AHEAD``) beyond the ones being stored.
Requests go through the connector's transport, so Ashby's rate limit and ``Retry-After`` are honoured
by the one retrying send loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ashby_agent.envelope import listed_records
from ashby_agent.errors import AshbyAgentError, CursorError, SyncTokenError
from ashby_agent.pagination import page_meta
from ashby_agent.store import checkpoints, rows, words
from ashby_agent.store.page import WirePage
from ashby_agent.store.plan import Stream, select_streams
from ashby_agent.store.schema import records

if TYPE_CHECKING:
    from ashby_agent.store.context_store import ContextStore
    from ashby_agent.transports.base import Transport

__all__ = ["Progress", "Replicator", "StreamReport", "SyncReport"]

#: Called after every stored transaction of pages: (entity, records stored so far in this run, stream
#: finished).
Progress = Callable[[str, int, bool], None]
_PAGE_SIZE = 100
#: Pages a walk fetches ahead of the store at most (stored together once the store is free). The store
#: is the slower side of a first pass, so this is also how many pages a transaction holds, and each
#: commit writes the random index pages it dirtied once, however many pages it holds. At the `large`
#: scale on SQLite, 12 gave 88–116 s (mean 98) against 95–121 s (mean 111) for 3, in alternated runs
#: on a noisy machine, for ~20 MiB more of queued pages.
_AHEAD = 12


@dataclass(slots=True)
class StreamReport:
    """What one run did to one entity."""

    entity: str
    mode: str = ""
    status: str = "ready"
    pages: int = 0
    records: int = 0
    removed: int = 0
    error: str | None = None
    duration_ms: int = 0


@dataclass(slots=True)
class SyncReport:
    streams: list[StreamReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(stream.status == "ready" for stream in self.streams)

    @property
    def records(self) -> int:
        return sum(stream.records for stream in self.streams)


def _now() -> datetime:
    return datetime.now(UTC)


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


async def _fetched_so_far(
    fetched: asyncio.Queue[dict[str, Any] | BaseException],
) -> tuple[list[dict[str, Any]], BaseException | None]:
    """The pages queued (waiting for one if none is), up to the walk's failure if it failed."""
    pages: list[dict[str, Any]] = []
    item = await fetched.get()
    while not isinstance(item, BaseException):
        pages.append(item)
        if fetched.empty():
            return pages, None
        item = fetched.get_nowait()
    return pages, item


class _RestartPass(Exception):
    """The pass's cursor is no longer valid: walk again from the first page."""


@dataclass(frozen=True, slots=True)
class _States:
    """Every stream's state, read once at the start of a run, and how many passes of each had ended in
    this process by then: a stream whose pass ended since (or still runs) has its state read again."""

    checkpoints: Mapping[str, checkpoints.Checkpoint]
    ended: Mapping[tuple[str, str], int]

    def current(self, ended: Mapping[tuple[str, str], int], key: tuple[str, str]) -> bool:
        return ended.get(key, 0) == self.ended.get(key, 0)


@dataclass(slots=True)
class _Pass:
    """The pass a stream walks. One this run begins is written with its first stored transaction (or
    its failure), not before: a stream with nothing new then costs one transaction, and a process
    killed before that leaves the previous state, from which the next run begins the same pass."""

    state: checkpoints.Checkpoint
    #: The mode to begin the pass with when it is first written (None: it is in the store already).
    pending: checkpoints.Mode | None
    #: This stream's run continued a pass an earlier run left: what that run stored is not known here.
    resumed: bool


class Replicator:
    """Replicates one connector's streams through ``transport`` into ``store``."""

    def __init__(
        self,
        store: ContextStore,
        transport: Transport,
        connector_id: str,
        *,
        start_date: datetime | None = None,
        progress: Progress | None = None,
        concurrency: int = 4,
        child_refresh: float = 3600.0,
    ) -> None:
        #: Top-level streams synced at once (they share the transport and its rate-limit handling).
        self.concurrency = max(1, concurrency)
        #: Seconds after which an unchanged per-parent list is re-read anyway.
        self.child_refresh = child_refresh
        self.store = store
        self.transport = transport
        self.connector_id = connector_id
        self.start_date = start_date
        self._progress = progress

    async def run(self, entities: Iterable[str] | None = None, *, full: bool = False) -> SyncReport:
        """Sync the streams of ``entities`` (default: the default streams), ``concurrency`` at a time; a
        per-parent list starts once its parent's stream has ended (its parents come from the store), not
        after every other stream: at the ``large`` scale the 1,500 interview plans' stages used to wait
        for the 158k applications."""
        selected = select_streams(entities)
        gate = asyncio.Semaphore(self.concurrency)
        # Every stream's state in one query (the counts of ended passes first: a pass that ends after
        # them makes its stream read its state again).
        ended = dict(self.store.passes_ended)
        states = _States(await self.store.run(lambda c: checkpoints.load_all(c, self.connector_id)), ended)
        tasks: dict[str, asyncio.Future[StreamReport]] = {}

        async def one(stream: Stream) -> StreamReport:
            if stream.parent is not None:
                parent_task = tasks.get(stream.parent.entity)
                parent = await asyncio.shield(parent_task) if parent_task is not None else None
                if not self._child_due(states.checkpoints.get(stream.entity), parent, full):
                    return StreamReport(stream.entity, mode="unchanged")
            async with gate:
                return await self.sync_stream(stream, full=full, states=states)

        for stream in selected:  # parents come before their children
            tasks[stream.entity] = asyncio.ensure_future(one(stream))
        try:
            reports = await asyncio.gather(*tasks.values())
        finally:
            for task in tasks.values():
                task.cancel()
        return SyncReport(list(reports))

    def _child_due(
        self, state: checkpoints.Checkpoint | None, parent: StreamReport | None, full: bool
    ) -> bool:
        """A per-parent list is re-read when asked to, when it never finished (or stopped midway),
        when its parents changed in this run, or when its last read is older than ``child_refresh``
        (``state``: the list's state when the run began)."""
        if full or parent is None or parent.records or parent.removed:
            return True
        if state is None or state.in_pass or state.last_synced_at is None:
            return True
        last = (
            state.last_synced_at if state.last_synced_at.tzinfo else state.last_synced_at.replace(tzinfo=UTC)
        )
        return (_now() - last).total_seconds() > self.child_refresh

    async def sync_stream(
        self,
        stream: Stream,
        *,
        full: bool = False,
        states: _States | None = None,
    ) -> StreamReport:
        """One stream's pass; ``states``: the run's read of every stream's state (else it is read here)."""
        # One pass per stream at a time in this process (a ``fresh`` query beside a scheduled run waits
        # for the stream's pass to end instead of walking the same pages beside it).
        key = (self.connector_id, stream.entity)
        async with self.store.stream_lock(*key):
            if states is not None and states.current(self.store.passes_ended, key):
                loaded = states.checkpoints.get(stream.entity)
            else:
                loaded = await self.store.run(lambda c: checkpoints.load(c, *key))
            try:
                return await self._sync_stream(stream, loaded, full=full)
            finally:
                self.store.passes_ended[key] += 1

    async def _sync_stream(
        self, stream: Stream, loaded: checkpoints.Checkpoint | None, *, full: bool
    ) -> StreamReport:
        report = StreamReport(stream.entity)
        started = time.perf_counter()
        walked = _start(stream, loaded, full)
        try:
            for _ in range(3):  # a pass whose cursor expired is walked again, a bounded number of times
                report.mode = walked.state.pass_mode or ""
                try:
                    await self._walk(stream, walked, report, started)
                    break
                except SyncTokenError:
                    walked = await self._begin(stream, walked, "full", None)
                except _RestartPass:
                    state = walked.state
                    walked = await self._begin(stream, walked, state.pass_mode or "full", state.pass_token)
            else:
                raise CursorError(
                    f"Ashby kept refusing the cursors of {stream.op.endpoint}; the next run starts it again.",
                    status=200,
                    code="invalid_next_cursor",
                )
        except AshbyAgentError as exc:
            report.status, report.error = "failed", exc.message
            reason, pending = exc.message, walked

            def failed(connection: sa.Connection) -> None:
                self._begun(connection, stream, pending)
                checkpoints.fail(connection, self.connector_id, stream.entity, reason, _now())

            await self.store.run(failed)
        report.duration_ms = round((time.perf_counter() - started) * 1000)
        if self._progress is not None:
            self._progress(stream.entity, report.records, True)
        return report

    # ------------------------------------------------------------------ passes

    async def _begin(self, stream: Stream, walked: _Pass, mode: str, token: str | None) -> _Pass:
        """A new pass after a refused token or cursor, written at once (the refused one is abandoned)."""
        kind: checkpoints.Mode = "incremental" if mode == "incremental" and token else "full"
        state = await self.store.run(
            lambda c: checkpoints.begin_pass(c, self.connector_id, stream.entity, kind, token, _now())
        )
        return _Pass(state, pending=None, resumed=walked.resumed)

    def _begun(self, connection: sa.Connection, stream: Stream, walked: _Pass) -> checkpoints.Checkpoint:
        """The pass's state, once written in the caller's transaction (its begin, if still pending)."""
        if walked.pending is None:
            return walked.state
        return checkpoints.begin_pass(
            connection, self.connector_id, stream.entity, walked.pending, walked.state.pass_token, _now()
        )

    def _body(self, stream: Stream, state: checkpoints.Checkpoint) -> dict[str, Any]:
        body: dict[str, Any] = dict(stream.fixed)
        if stream.op.paginated:
            body["limit"] = _PAGE_SIZE
        if stream.created_after and self.start_date is not None:
            body["createdAfter"] = _ms(self.start_date)
        if state.pass_mode == "incremental" and state.pass_token:
            body["syncToken"] = state.pass_token
        return body

    async def _parents(self, stream: Stream, after: str | None) -> AsyncIterator[str]:
        """The parent ids of a child stream, from the store, in id order, after ``after``."""
        assert stream.parent is not None
        parent = stream.parent.entity

        def batch(connection: sa.Connection, start: str | None) -> list[str]:
            query = sa.select(records.c.record_id).where(
                records.c.connector_id == self.connector_id, records.c.entity == parent
            )
            if start is not None:
                query = query.where(records.c.record_id > start)
            return list(connection.execute(query.order_by(records.c.record_id).limit(500)).scalars())

        while True:
            ids = await self.store.run(functools.partial(batch, start=after))
            for parent_id in ids:
                yield parent_id
            if len(ids) < 500:
                return
            after = ids[-1]

    async def _walk(self, stream: Stream, walked: _Pass, report: StreamReport, started: float) -> None:
        state = walked.state
        base = self._body(stream, state)
        finish = functools.partial(self._finish, stream=stream, walked=walked, report=report, started=started)
        if stream.parent is None:
            # The last page, the pass's token and the end of the pass commit together: a process killed
            # before that resumes from the last page, not from the first.
            await self._pages(stream, walked, base, None, None, state.pass_cursor, report, finish)
        else:
            cursor, finished = state.pass_cursor, state.pass_parent
            async for parent_id in self._parents(stream, finished):
                body = {**base, stream.parent.param: parent_id}
                await self._pages(stream, walked, body, parent_id, finished, cursor, report, None)
                cursor, finished = None, parent_id
            built = await self._build_apart(stream) if self._apart(stream, walked) else None
            await self._end_pass(stream, walked, functools.partial(finish, None), 0, built)
        report.status = "ready"

    async def _pages(
        self,
        stream: Stream,
        walked: _Pass,
        body: dict[str, Any],
        parent_id: str | None,
        finished_parent: str | None,
        cursor: str | None,
        report: StreamReport,
        finish: _Finish | None,
    ) -> None:
        """Walk one listing (one parent's, for a child stream); ``finish`` ends the pass in the last
        page's transaction, with that page's syncToken.

        ``finished_parent`` is the last parent whose listing is complete: the checkpoint after each
        stored group of pages names it, or this parent once its last page is stored."""

        async def fetch(at: str | None) -> dict[str, Any]:
            params = {**body, "cursor": at} if at else body
            try:
                # The records stay the bytes Ashby sent: the store keeps each one's text as it came.
                return await self.transport.send_listing(stream.op, stream.op.build_body(params))
            except CursorError:
                raise _RestartPass from None

        # Pages are fetched while earlier ones are stored, up to _AHEAD pages ahead (memory stays flat):
        # the walk costs about the slower of the two, not their sum. Whatever was fetched by the time
        # the store is free is stored in one transaction with the checkpoint after its last page: when
        # the store is the slower side, a random index's pages are written to the WAL once per group
        # instead of once per page. Only stored pages are checkpointed, so a page fetched but not yet
        # stored when the process dies is simply fetched again.
        fetched: asyncio.Queue[dict[str, Any] | BaseException] = asyncio.Queue(_AHEAD)

        async def walk(at: str | None) -> None:
            try:
                while True:
                    envelope = await fetch(at)
                    await fetched.put(envelope)
                    at = page_meta(envelope).cursor  # set only while another page exists
                    if at is None:
                        return
            except Exception as exc:  # handed to the storing side, after the pages fetched before it
                await fetched.put(exc)

        walker = asyncio.ensure_future(walk(cursor))
        try:
            while True:
                group, failure = await _fetched_so_far(fetched)
                listed: list[WirePage] = []
                for page in group:  # the pages before a malformed one are stored, then it fails
                    try:
                        results = listed_records(page, stream.op.endpoint)
                        listed.append(self._in_scope(WirePage.from_results(results, stream.entity)))
                    except AshbyAgentError as exc:
                        failure = exc
                        break
                if listed:
                    meta = page_meta(group[len(listed) - 1])
                    more = meta.cursor is not None
                    parent_done = parent_id if not more and parent_id is not None else finished_parent
                    last = None if more or finish is None else functools.partial(finish, meta.sync_token)
                    if last is not None and self._apart(stream, walked):
                        # The checkpoint stays put: a process that dies before the pass ends fetches
                        # these pages again and builds again.
                        stored = await self._store(
                            stream, walked, listed, parent_id, None, None, None, move=False
                        )
                        await self._end_pass(stream, walked, last, stored, await self._build_apart(stream))
                    else:
                        stored = await self._store(
                            stream, walked, listed, parent_id, meta.cursor, parent_done, last
                        )
                    report.pages += len(listed)
                    report.records += stored
                    if self._progress is not None:
                        self._progress(stream.entity, report.records, False)
                    if not more:
                        return
                if failure is not None:
                    raise failure
        finally:
            if not walker.done():
                walker.cancel()

    def _apart(self, stream: Stream, walked: _Pass) -> bool:
        """Whether a first pass's words and facets are built apart from its last transaction, in parts
        at once, each in a transaction of its own (a store with several writers: PostgreSQL). Built in
        the last transaction, they kept one server process busy for over half the pass of a large
        entity (36 s of 62 s for 158k applications at the ``large`` scale) while the other cores idled."""
        return self.store.writers > 1 and _first_pass(walked.state) and rows.derived(stream.entity)

    async def _build_apart(self, stream: Stream) -> set[words.Vocable] | None:
        """Build the entity's words and facets in parts at once; returns the words seen, for the pass's
        end to add to the vocabulary (``None`` if the entity has nothing to build). Until the
        transaction that ends the pass, the entity answers "not synced", so nothing reads a half-built
        index; a process that dies before then builds every part again."""
        entity, connector_id = stream.entity, self.connector_id
        spans_per_kind = max(1, self.store.writers // 2)
        parts = await self.store.run(lambda c: rows.build_parts(c, connector_id, entity, spans_per_kind))
        outcomes = await asyncio.gather(
            *(
                self.store.run(
                    functools.partial(rows.build_part, connector_id=connector_id, entity=entity, part=part)
                )
                for part in parts
            ),
            return_exceptions=True,  # every part has ended before the pass says why it failed
        )
        vocables: set[words.Vocable] = set()
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
            vocables |= outcome
        return vocables if parts else None

    async def _end_pass(
        self,
        stream: Stream,
        walked: _Pass,
        finish: Callable[..., None],
        stored: int,
        built: set[words.Vocable] | None,
    ) -> None:
        """End the pass in a transaction of its own (``finish``: :meth:`_finish` given its token), after
        its last pages were stored (``stored`` records in their transaction) and, unless ``built`` is
        ``None``, its words and facets built apart."""

        def end(connection: sa.Connection) -> checkpoints.Checkpoint:
            _lazy_commit(connection)
            begun = self._begun(connection, stream, walked)
            finish(connection, begun, stored, built=built)
            return begun

        walked.state, walked.pending = await self.store.run(end), None

    def _in_scope(self, page: WirePage) -> WirePage:
        """Records created before the replication start are not kept (a list may ignore createdAfter)."""
        if self.start_date is None:
            return page
        return page.created_since(self.start_date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"))

    async def _store(
        self,
        stream: Stream,
        walked: _Pass,
        pages: list[WirePage],
        parent_id: str | None,
        cursor: str | None,
        parent_done: str | None,
        finish: Callable[[sa.Connection, checkpoints.Checkpoint, int], None] | None,
        *,
        move: bool = True,
    ) -> int:
        """The pages' rows, in order, and the checkpoint after the last (or the end of the pass; or, with
        ``move`` false, the checkpoint left where it was), in one transaction (the first of a pass this
        run began also begins it)."""

        def work(connection: sa.Connection) -> tuple[int, checkpoints.Checkpoint]:
            _lazy_commit(connection)
            rows.sync_cache(connection)
            state = self._begun(connection, stream, walked)
            now = _now()
            stored = 0
            for page in pages:
                stored += rows.upsert_page(
                    connection,
                    self.connector_id,
                    stream.entity,
                    page,
                    pass_number=state.pass_number,
                    now=now,
                    parent_id=parent_id,
                    index=not _first_pass(state),
                )
            if finish is not None:
                finish(connection, state, stored)
            elif move:
                checkpoints.save_position(
                    connection, self.connector_id, stream.entity, cursor=cursor, parent=parent_done, now=now
                )
            return stored, state

        # The pass's state as written, once its transaction has committed.
        stored, walked.state = await self.store.run(work)
        walked.pending = None
        return stored

    def _finish(
        self,
        token: str | None,
        connection: sa.Connection,
        state: checkpoints.Checkpoint,
        stored: int,
        *,
        stream: Stream,
        walked: _Pass,
        report: StreamReport,
        started: float,
        built: set[words.Vocable] | None = None,
    ) -> None:
        """End the pass: drop what a full pass did not see, index the words and facets a first pass skipped
        (``built``: the words of parts built apart, whose vocabulary is all that is left), commit the token
        (in the caller's transaction, which stored ``stored`` records). The record count is read again
        only when the pass may have changed it (it stored or removed records, or continued an earlier
        run's pass)."""
        # The first pass of an entity has no older rows to remove (and skips reading them all).
        if state.pass_mode == "full" and state.pass_number > 1:
            report.removed = rows.remove_unseen(
                connection, self.connector_id, stream.entity, state.pass_number
            )
        if built is not None:
            rows.end_build(connection, built)
        build = _first_pass(state) and built is None
        # The build's cache stays large until the transaction's last statement: a page fetched past a
        # smaller cache would first write a dirty page of the build to the WAL.
        with rows.roomy_cache(connection) if build else contextlib.nullcontext():
            if build:
                rows.index_stored(connection, self.connector_id, stream.entity)
            checkpoints.finish_pass(
                connection,
                self.connector_id,
                stream.entity,
                token=token if stream.incremental else None,
                record_count=rows.count(connection, self.connector_id, stream.entity)
                if walked.resumed or stored or report.records or report.removed
                else None,
                duration_ms=round((time.perf_counter() - started) * 1000),
                now=_now(),
            )


def _lazy_commit(connection: sa.Connection) -> None:
    """A sync's transactions do not wait for PostgreSQL to flush its WAL to disk at commit (one flush
    per page otherwise). A committed page survives the syncing process's kill -9 all the same (the
    server has it); a crash of the server itself may lose the last fraction of a second of commits,
    each page with its checkpoint, so the next run fetches those pages again. SQLite's WAL with
    ``synchronous=NORMAL`` makes the same trade."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")


#: Ends a pass inside a transaction, given the last page's syncToken, the pass's written state and the
#: records that transaction stored.
_Finish = Callable[[str | None, sa.Connection, checkpoints.Checkpoint, int], None]


def _start(stream: Stream, current: checkpoints.Checkpoint | None, full: bool) -> _Pass:
    """Resume the pass a previous run left unfinished, else plan a new one (incremental from the
    committed token where the list takes one)."""
    if current is not None and current.in_pass and not full:
        return _Pass(current, pending=None, resumed=True)  # resume where a previous run stopped
    if stream.incremental and not full and current is not None and current.sync_token:
        planned = checkpoints.planned_pass(current, stream.entity, "incremental", current.sync_token)
        return _Pass(planned, pending="incremental", resumed=False)
    return _Pass(
        checkpoints.planned_pass(current, stream.entity, "full", None), pending="full", resumed=False
    )


def _first_pass(state: checkpoints.Checkpoint) -> bool:
    """No pass of the entity has completed yet: nothing can search it (it answers "not synced"), so
    its words and facets are indexed once, in bulk, when the pass ends, instead of page by page."""
    return state.last_synced_at is None
