"""Mutable tables, the change sequence, cursors and sync tokens.

Every read endpoint is a walk over one table in a stable order. Each table keeps its sort keys sorted
(so a cursor resumes with one bisect), an append-only change log (so a sync delta starts with one
bisect) and each record's JSON bytes (so a page is a join of cached bytes). A page therefore costs
O(page) whatever the table size. Every write gives the record the next value of one global change
sequence, drops its cached bytes and moves it in the table's indexes, then tells ``on_change`` (the
webhook dispatcher) what changed.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import math
import threading
import time
import uuid
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from .errors import InvalidValue, NotFound, describe, integer, number

Record = dict[str, Any]
Dataset = dict[str, list[Record]]
#: (createdAt or "", insertion ordinal or "", primary key): ISO timestamps sort as strings.
SortKey = tuple[str, str, str]
Projection = Callable[[Record], Record]
#: ``(table, before, after)`` after a write, under the store lock: ``before`` None = created, ``after``
#: None = deleted. It must not block: the webhook dispatcher only queues deliveries.
ChangeListener = Callable[[str, Record | None, Record | None], None]

#: Tables whose records are addressed by something other than ``id``.
PRIMARY_KEYS = {"fileHandle": "handle", "fileUpload": "handle", "interviewerSettings": "userId"}
#: How far a page looks past its last row to answer ``moreDataAvailable`` exactly; beyond it, "true".
PEEK_ROWS = 2000
#: The instants the ISO form can carry and that sort as strings: the Unix epoch to the end of 9999.
MIN_MS = 0
MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
#: The latest the sandbox clock may be moved to (9900-01-01): it keeps ticking, and must stay in range.
CLOCK_MAX_MS = 250_246_627_200_000


def iso_ms(ms: int) -> str:
    """Ashby's timestamp form: ISO-8601 UTC with milliseconds and ``Z`` (``MIN_MS <= ms <= MAX_MS``)."""
    return datetime.fromtimestamp(ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def public(record: Record) -> Record:
    """The wire form: internal ``_`` keys are never serialised. A copy: callers may add to it."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _serialisable(record: Record) -> Record:
    """Like :func:`public` but without copying a record that has no internal keys (most): only for
    serialising, never to be modified."""
    for key in record:
        if key.startswith("_"):
            return public(record)
    return record


class Clock:
    """The sandbox clock: wall time from a start instant, plus whatever tests advanced it by."""

    def __init__(self, start_ms: int | None = None) -> None:
        if start_ms is not None:
            integer("now_ms", start_ms, MIN_MS, CLOCK_MAX_MS)
        self._base_ms = start_ms if start_ms is not None else int(time.time() * 1000)
        self._mono0 = time.monotonic()
        self._offset_ms = 0
        self.start_ms = self._base_ms

    def now_ms(self) -> int:
        return self._base_ms + int((time.monotonic() - self._mono0) * 1000) + self._offset_ms

    def advance(self, seconds: float) -> int:
        """Move the clock; a move that would leave ``MIN_MS..CLOCK_MAX_MS`` is refused, changing nothing."""
        now = self.now_ms()
        low, high = math.ceil((MIN_MS - now) / 1000), math.floor((CLOCK_MAX_MS - now) / 1000)
        number("seconds", seconds, low, high, "a number of seconds that keeps the clock in 1970..9900:")
        self._offset_ms += int(seconds * 1000)
        return self.now_ms()


class StoreError(Exception):
    """A walk state or record problem; ``code`` is the Ashby error code to answer with."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Table:
    """One collection of records, ordered by ``(createdAt, id)`` (insertion order without createdAt)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.pk = PRIMARY_KEYS.get(name, "id")
        self.rows: dict[str, Record] = {}
        self.keys: list[SortKey] = []
        self.key_of: dict[str, SortKey] = {}
        self.seq_of: dict[str, int] = {}
        self.log: list[tuple[int, str]] = []
        self.ordinal_rows = 0
        self.synthetic_ids = 0  # link rows without a primary key get "_row<n>"
        self._ordinal: dict[str, str] = {}
        self._bytes: dict[tuple[str, str], bytes] = {}
        self._projections: set[str] = {""}
        self._indexes: dict[str, Index] = {}

    @property
    def sorted_by_created(self) -> bool:
        """True when every key starts with ``createdAt``, so ``createdAfter`` can bisect."""
        return self.ordinal_rows == 0

    @property
    def tracks_created(self) -> bool:
        """Whether records of this table carry ``createdAt`` (an empty table is assumed to)."""
        return not self.rows or self.ordinal_rows < len(self.rows)

    def _sort_key(self, row_id: str, record: Record) -> SortKey:
        created = record.get("createdAt")
        if isinstance(created, str) and created:
            return (created, "", row_id)
        ordinal = self._ordinal.get(row_id)
        if ordinal is None:
            ordinal = self._ordinal[row_id] = f"{len(self._ordinal):012d}"
        return ("", ordinal, row_id)

    def put(self, row_id: str, record: Record, seq: int) -> None:
        new_key = self._sort_key(row_id, record)
        old_key = self.key_of.get(row_id)
        old = self.rows.get(row_id)
        if old_key != new_key:
            if old_key is not None:
                del self.keys[bisect_right(self.keys, old_key) - 1]
                self.ordinal_rows -= old_key[0] == ""
            if not self.keys or new_key > self.keys[-1]:
                self.keys.append(new_key)
            else:
                self.keys.insert(bisect_right(self.keys, new_key), new_key)
            self.key_of[row_id] = new_key
            self.ordinal_rows += new_key[0] == ""
        self.rows[row_id] = record
        self.seq_of[row_id] = seq
        self.log.append((seq, row_id))
        for projection in self._projections:
            self._bytes.pop((projection, row_id), None)
        for index in self._indexes.values():
            if old is not None and old_key is not None:
                index.discard(old, old_key)
            index.add(record, new_key)

    def remove(self, row_id: str) -> None:
        """Forget a record: gone from walks and lookups; its old change-log entries no longer match."""
        key = self.key_of.pop(row_id)
        del self.keys[bisect_right(self.keys, key) - 1]
        self.ordinal_rows -= key[0] == ""
        old = self.rows.pop(row_id)
        del self.seq_of[row_id]
        for projection in self._projections:
            self._bytes.pop((projection, row_id), None)
        for index in self._indexes.values():
            index.discard(old, key)

    def bulk_load(self, rows: list[tuple[str, Record]], first_seq: int) -> int:
        """Load an empty table in one sort (start-up at scale large); returns the last sequence used."""
        for row_id, record in rows:
            key = self._sort_key(row_id, record)
            self.key_of[row_id] = key
            self.rows[row_id] = record
            self.ordinal_rows += key[0] == ""
        self.keys = sorted(self.key_of.values())
        seq = first_seq - 1
        for key in self.keys:
            seq += 1
            self.seq_of[key[2]] = seq
            self.log.append((seq, key[2]))
        return seq

    def json(self, row_id: str, projection: Projection | None = None, name: str = "") -> bytes:
        """The record's cached wire bytes (optionally of a named projection)."""
        cache_key = (name, row_id)
        cached = self._bytes.get(cache_key)
        if cached is None:
            self._projections.add(name)
            record = self.rows[row_id]
            if projection:
                cached = orjson.dumps(projection(public(record)))
            else:
                cached = orjson.dumps(_serialisable(record))
            self._bytes[cache_key] = cached
        return cached

    def index(
        self, name: str, values: Callable[[Record], Iterable[Hashable]]
    ) -> dict[Hashable, list[SortKey]]:
        """A value → sorted keys index, built on first use and kept up to date by every write after
        (``name`` stands for ``values``: one name, one way of reading a record)."""
        index = self._indexes.get(name)
        if index is None:
            index = self._indexes[name] = Index(values)
            for key in self.keys:
                index.add(self.rows[key[2]], key, last=True)
        return index.keys


class Index:
    """One index of a table: each value ``values`` reads from a record → the keys of the records
    with that value, in key order. Writes update it in place (a record's old values out, its new ones
    in), so a write costs O(its values), not a rebuild of the table's index."""

    def __init__(self, values: Callable[[Record], Iterable[Hashable]]) -> None:
        self.values = values
        self.keys: dict[Hashable, list[SortKey]] = {}

    def add(self, record: Record, key: SortKey, *, last: bool = False) -> None:
        """Index ``record`` under ``key``; ``last``: keys come in order (the initial build)."""
        for value in self.values(record):
            found = self.keys.setdefault(value, [])
            if last or not found or key > found[-1]:
                found.append(key)
            else:
                found.insert(bisect_right(found, key), key)

    def discard(self, record: Record, key: SortKey) -> None:
        """Forget ``record`` (indexed under ``key``), one entry per value it was indexed under."""
        for value in self.values(record):
            found = self.keys.get(value)
            if found:
                at = bisect_right(found, key) - 1
                if at >= 0 and found[at] == key:
                    del found[at]
                if not found:
                    del self.keys[value]


@dataclass(frozen=True)
class WalkState:
    """What a cursor carries: where the walk is and what it was walking."""

    endpoint: str
    fingerprint: str
    after_key: SortKey | None  # full walks: last key returned
    after_seq: int  # delta walks: last change sequence returned
    start_seq: int  # change sequence when the walk started (becomes the syncToken)
    since_seq: int | None  # None = full walk; else the syncToken's sequence
    issued_ms: int
    generation: int


@dataclass(frozen=True)
class Page:
    ids: list[str]
    more: bool
    next_state: WalkState | None
    sync_seq: int


def _b64(payload: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()


def _unb64(text: str) -> Any:
    return orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def _int(value: Any) -> int:
    """A decoded integer field; anything else (booleans too) makes the cursor or token invalid."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def _sort_key_of(value: Any) -> SortKey | None:
    """A decoded position: null or exactly three strings, as ``encode_cursor`` writes it."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 3 or not all(isinstance(v, str) for v in value):
        raise TypeError("not a sort key")
    return (value[0], value[1], value[2])


def _require_json(record: Record) -> None:
    """Refuse, before storing, what could not be served: the wire form is JSON."""
    try:
        orjson.dumps(record)
    except orjson.JSONEncodeError as exc:
        raise InvalidValue(
            "Records must be JSON: objects with string keys, lists, strings, 64-bit integers, "
            "finite numbers, booleans and null."
        ) from exc


def fingerprint(params: dict[str, Any]) -> str:
    """A short digest of the filters a cursor belongs to (``cursor`` and ``limit`` excluded)."""
    kept = {k: v for k, v in params.items() if k not in ("cursor", "limit")}
    return hashlib.blake2b(orjson.dumps(kept, option=orjson.OPT_SORT_KEYS), digest_size=6).hexdigest()


class Store:
    """All tables plus the change sequence; every method is safe to call from any thread."""

    def __init__(
        self,
        dataset: Dataset,
        clock: Clock,
        *,
        cursor_ttl_seconds: float = 3600.0,
        sync_token_ttl_seconds: float = 30 * 86400.0,
        sync_page_budget: int = 100,
        tables: Iterable[str] = (),
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.seq = 0
        self.cursor_ttl_ms = int(cursor_ttl_seconds * 1000)
        self.sync_token_ttl_ms = int(sync_token_ttl_seconds * 1000)
        self.sync_page_budget = sync_page_budget
        self.cursor_generation = 0
        self.token_generation = 0
        self.tables: dict[str, Table] = {}
        self.on_change: ChangeListener | None = None
        #: What the control surface may address: the given names and the dataset's tables.
        self.table_names = frozenset([*tables, *dataset])
        for name, records in dataset.items():
            table = self.table(name)
            rows = [(self._row_id(table, record), record) for record in records]
            if rows:
                self.seq = table.bulk_load(rows, self.seq + 1)

    # -- records -------------------------------------------------------------------------------
    def table(self, name: str) -> Table:
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = Table(name)
        return table

    def _row_id(self, table: Table, record: Record) -> str:
        value = record.get(table.pk)
        if isinstance(value, str) and value:
            return value
        table.synthetic_ids += 1
        record.setdefault("_rowId", f"_row{table.synthetic_ids}")
        return str(record["_rowId"])

    def known_table(self, name: str) -> Table:
        """The table a control call names, or ``NotFound`` listing the tables there are."""
        if name not in self.table_names:
            raise NotFound(
                f"Unknown table {describe(name)}; valid tables: {', '.join(sorted(self.table_names))}."
            )
        return self.table(name)

    def get(self, table: str, row_id: str) -> Record | None:
        return self.table(table).rows.get(row_id)

    def require(self, table: str, row_id: str) -> Record:
        rows = self.known_table(table).rows
        record = rows.get(row_id) if isinstance(row_id, str) else None
        if record is None:
            raise NotFound(f"No {table} record has the id {describe(row_id)}.")
        return record

    def _changed(self, table: str, before: Record | None, after: Record | None, announce: bool) -> None:
        if announce and self.on_change is not None:
            self.on_change(table, before, after)

    def create(
        self, table_name: str, record: Record, *, announce: bool = True, stamped: bool = True
    ) -> Record:
        """Add a record (``id``, ``createdAt``/``updatedAt`` filled when missing); ``announce`` False
        writes without telling ``on_change`` (a merge announces itself once, as Ashby does);
        ``stamped`` False adds no timestamps (records whose shape has none, or only ``createdAt``)."""
        with self.lock:
            table = self.known_table(table_name)
            _require_json(record)
            given = record.get(table.pk)
            if given is not None and (not isinstance(given, str) or not given):
                raise InvalidValue(f'The "{table.pk}" of a record must be a non-empty string.')
            record = copy.deepcopy(record)
            if table.pk == "id":
                record.setdefault("id", str(uuid.uuid4()))
            now = iso_ms(self.clock.now_ms())
            if stamped and table.tracks_created:
                record.setdefault("createdAt", now)
                record.setdefault("updatedAt", now)
            row_id = self._row_id(table, record)
            if row_id in table.rows:
                raise InvalidValue(f"A {table_name} record with the id {describe(row_id)} already exists.")
            self.seq += 1
            table.put(row_id, record, self.seq)
            self._changed(table_name, None, record, announce)
            return copy.deepcopy(record)

    def update(
        self,
        table_name: str,
        row_id: str,
        fields: Record,
        *,
        announce: bool = True,
        drop: Iterable[str] = (),
    ) -> Record:
        """Merge ``fields`` into a record and remove the ``drop`` keys (Ashby omits some empty fields,
        such as ``archivedAt`` or ``primaryEmailAddress``, rather than sending null)."""
        with self.lock:
            table = self.known_table(table_name)
            current = self.require(table_name, row_id)
            if table.pk in fields and fields[table.pk] != current.get(table.pk):
                raise InvalidValue(f'The "{table.pk}" of a record cannot be changed.')
            _require_json(fields)
            record = {**copy.deepcopy(current), **copy.deepcopy(fields)}
            for key in drop:
                if key != table.pk:
                    record.pop(key, None)
            if "updatedAt" in record and "updatedAt" not in fields:
                record["updatedAt"] = iso_ms(self.clock.now_ms())
            self.seq += 1
            table.put(row_id, record, self.seq)
            self._changed(table_name, current, record, announce)
            return copy.deepcopy(record)

    def delete(self, table_name: str, row_id: str, *, announce: bool = True) -> Record:
        """Remove a record: lists, lookups and sync deltas no longer see it (Ashby's lists never report
        deletions; webhooks do). Returns what was removed."""
        with self.lock:
            table = self.known_table(table_name)
            current = self.require(table_name, row_id)
            self.seq += 1
            table.remove(row_id)
            self._changed(table_name, current, None, announce)
            return copy.deepcopy(current)

    def archive(self, table_name: str, row_id: str, archive_reason_id: str | None = None) -> Record:
        """Archive the Ashby way: applications move to their plan's Archived stage."""
        if archive_reason_id is not None and not isinstance(archive_reason_id, str):
            raise InvalidValue(
                f'"archiveReasonId" must be a string or null; got {describe(archive_reason_id)}.'
            )
        with self.lock:
            record = self.require(table_name, row_id)
            now = iso_ms(self.clock.now_ms())
            if table_name == "application":
                moved = self._archived_application(record, now, archive_reason_id)
                moved["updatedAt"] = now  # one instant: archivedAt == updatedAt, as in Ashby
                return self.update(table_name, row_id, moved)
            if table_name == "job":
                return self.update(table_name, row_id, {"status": "Archived"})
            if table_name == "user":
                return self.update(table_name, row_id, {"isEnabled": False})
            fields: Record = {"isArchived": True}
            if "archivedAt" in record:
                fields["archivedAt"] = now
            if "updatedAt" in record:
                fields["updatedAt"] = now
            return self.update(table_name, row_id, fields)

    def _archived_application(self, record: Record, now: str, reason_id: str | None) -> Record:
        stage = record.get("currentInterviewStage")
        stage = stage if isinstance(stage, dict) else {}
        plan_id = stage.get("interviewPlanId")
        stages = [
            s
            for s in self.table("interviewStage").rows.values()
            if s.get("interviewPlanId") == plan_id and s.get("type") == "Archived"
        ]
        archived_stage = stages[0] if stages else {**stage, "type": "Archived", "title": "Archived"}
        reasons = self.table("archiveReason").rows
        reason = reasons.get(reason_id) if reason_id else None
        if reason is None:
            reason = next((r for r in reasons.values() if not r.get("isArchived")), None)
        return {
            "status": "Archived",
            "currentInterviewStage": public(archived_stage),
            "archiveReason": {**public(reason), "customFields": []} if reason else None,
            "archivedAt": now,
        }

    # -- walks ---------------------------------------------------------------------------------
    def now_ms(self) -> int:
        return self.clock.now_ms()

    def encode_cursor(self, state: WalkState) -> str:
        return _b64(
            [
                "c",
                state.endpoint,
                state.fingerprint,
                list(state.after_key) if state.after_key else None,
                state.after_seq,
                state.start_seq,
                state.since_seq,
                state.issued_ms,
                state.generation,
            ]
        )

    def decode_cursor(self, text: str, endpoint: str, fp: str) -> WalkState:
        try:
            fields = _unb64(text)
            if not isinstance(fields, list) or len(fields) != 9:
                raise ValueError("not a cursor")
            tag, ep, cfp, after, after_seq, start, since, issued, gen = fields
            if tag != "c" or ep != endpoint or cfp != fp:
                raise ValueError("cursor of another walk")
            state = WalkState(
                ep, cfp, _sort_key_of(after), _int(after_seq), _int(start),
                None if since is None else _int(since), _int(issued), _int(gen),
            )  # fmt: skip
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
            raise StoreError(
                "invalid_next_cursor",
                "The cursor is invalid for this request; restart pagination without cursor "
                "and with the same other parameters.",
            ) from exc
        if state.generation != self.cursor_generation or self.now_ms() - state.issued_ms > self.cursor_ttl_ms:
            raise StoreError(
                "next_cursor_expired", "The cursor has expired; restart pagination without cursor."
            )
        return state

    def encode_sync_token(self, endpoint: str, seq: int) -> str:
        return _b64(["t", endpoint, seq, self.now_ms(), self.token_generation])

    def decode_sync_token(self, text: str, endpoint: str) -> int:
        try:
            fields = _unb64(text)
            if not isinstance(fields, list) or len(fields) != 5:
                raise ValueError("not a sync token")
            tag, ep, seq, issued, gen = fields
            if tag != "t" or ep != endpoint:
                raise ValueError("token of another endpoint")
            seq, issued, gen = _int(seq), _int(issued), _int(gen)
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
            raise StoreError(
                "sync_token_invalid", "The sync token is invalid; discard it and run a full sync."
            ) from exc
        if gen != self.token_generation or self.now_ms() - issued > self.sync_token_ttl_ms:
            raise StoreError(
                "sync_token_expired", "The sync token has expired; discard it and run a full sync."
            )
        return seq

    def expire_cursors(self) -> None:
        with self.lock:
            self.cursor_generation += 1

    def expire_sync_tokens(self) -> None:
        with self.lock:
            self.token_generation += 1

    def walk(
        self,
        table: Table,
        state: WalkState,
        limit: int,
        *,
        accept: Callable[[Record], bool] | None = None,
        keys: list[SortKey] | None = None,
        lower: SortKey | None = None,
    ) -> Page:
        """One page of a full walk (key order) or of a delta walk (change order) from ``state``."""
        if state.since_seq is not None:
            return self._delta_page(table, state, limit, accept)
        keys = table.keys if keys is None else keys
        after = state.after_key
        if lower is not None and (after is None or after < lower):
            start = bisect_right(keys, lower)
        else:
            start = 0 if after is None else bisect_right(keys, after)
        ids: list[str] = []
        rows = table.rows
        position = start
        end = len(keys)
        while position < end and len(ids) < limit:
            row_id = keys[position][2]
            position += 1
            if accept is None or accept(rows[row_id]):
                ids.append(row_id)
        more = self._more(
            (keys[i][2] for i in range(position, min(end, position + PEEK_ROWS))),
            rows,
            accept,
            truncated=end - position > PEEK_ROWS,
        )
        last = keys[position - 1] if ids else after
        next_state = WalkState(
            state.endpoint,
            state.fingerprint,
            last,
            0,
            state.start_seq,
            None,
            self.now_ms(),
            self.cursor_generation,
        )
        return Page(ids, more, next_state if more else None, state.start_seq)

    def _delta_page(
        self, table: Table, state: WalkState, limit: int, accept: Callable[[Record], bool] | None
    ) -> Page:
        log, seq_of, rows = table.log, table.seq_of, table.rows
        after = max(state.after_seq, state.since_seq or 0)
        position = bisect_right(log, (after, "\uffff"))
        end = bisect_right(log, (state.start_seq, "\uffff"))
        ids: list[str] = []
        last_seq = after
        while position < end and len(ids) < limit:
            seq, row_id = log[position]
            position += 1
            if seq_of.get(row_id) == seq and (accept is None or accept(rows[row_id])):
                ids.append(row_id)
                last_seq = seq
        remaining = (
            log[i][1]
            for i in range(position, min(end, position + PEEK_ROWS))
            if seq_of.get(log[i][1]) == log[i][0]
        )
        more = self._more(remaining, rows, accept, truncated=end - position > PEEK_ROWS)
        next_state = WalkState(
            state.endpoint, state.fingerprint, None, last_seq, state.start_seq, state.since_seq,
            self.now_ms(), self.cursor_generation,
        )  # fmt: skip
        return Page(ids, more, next_state if more else None, state.start_seq)

    @staticmethod
    def _more(
        ahead: Iterator[str],
        rows: dict[str, Record],
        accept: Callable[[Record], bool] | None,
        *,
        truncated: bool,
    ) -> bool:
        for row_id in ahead:
            if accept is None or accept(rows[row_id]):
                return True
        return truncated

    def delta_size(self, table: Table, since_seq: int) -> int:
        """How many records changed after ``since_seq`` (for the incremental page budget)."""
        log, seq_of = table.log, table.seq_of
        return sum(
            1 for seq, row_id in log[bisect_right(log, (since_seq, "\uffff")) :] if seq_of.get(row_id) == seq
        )

    def start_state(self, endpoint: str, fp: str, since_seq: int | None) -> WalkState:
        return WalkState(endpoint, fp, None, 0, self.seq, since_seq, self.now_ms(), self.cursor_generation)


def created_after_key(ms: int) -> SortKey:
    """The lowest sort key strictly after ``ms`` (for bisecting ``createdAfter``)."""
    return (iso_ms(ms), "\uffff", "\uffff")


__all__ = [
    "CLOCK_MAX_MS",
    "MAX_MS",
    "MIN_MS",
    "ChangeListener",
    "Clock",
    "Dataset",
    "Page",
    "Record",
    "SortKey",
    "Store",
    "StoreError",
    "Table",
    "WalkState",
    "created_after_key",
    "fingerprint",
    "iso_ms",
    "public",
]
