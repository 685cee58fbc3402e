"""The control surface: what tests, demos and benchmarks do to the sandbox besides calling Ashby.

One ``SandboxControl`` object serves both the in-process API and the ``/_sandbox/*`` HTTP routes
(``control_routes``), so the two can never disagree. Every method checks its arguments before it
changes anything and refuses with ``errors.InvalidValue`` / ``errors.NotFound``. The request log
records which key *title* called, never the key; the delivery log never holds a webhook's secret.
Writes here announce their webhook events like Ashby's own writes would (``webhooks.events``).
"""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

from .errors import integer, number
from .faults import FaultInjector, FaultSettings, RateLimiter
from .log import BoundedLog
from .merges import merge_candidates
from .store import Record, Store
from .webhooks import Dispatcher

#: The longest cursor or sync-token lifetime ``configure`` accepts (a century, in seconds).
MAX_TTL_SECONDS = 100 * 365 * 86400.0


class SandboxControl:
    """Thread-safe handle on the running sandbox's clock, records, faults, webhooks and logs."""

    def __init__(
        self,
        store: Store,
        faults: FaultInjector,
        limiter: RateLimiter,
        log: BoundedLog,
        webhooks: Dispatcher,
        deliveries: BoundedLog,
    ) -> None:
        self._store = store
        self._faults = faults
        self._limiter = limiter
        self._log = log
        self._webhooks = webhooks
        self._deliveries = deliveries

    # clock
    def now(self) -> datetime:
        """The sandbox clock (what ``updatedAt`` of a write and the cursor lifetimes read)."""
        return datetime.fromtimestamp(self._store.now_ms() / 1000, UTC)

    def advance_clock(self, seconds: float) -> datetime:
        """Move the clock by ``seconds``; refused (clock unchanged) if it would leave 1970..9900."""
        with self._store.lock:
            self._store.clock.advance(seconds)
        return self.now()

    # records
    def tables(self) -> list[str]:
        """The tables the control surface can address (the generator's and the dataset's)."""
        return sorted(self._store.table_names)

    def records(self, table: str) -> list[Record]:
        """Deep copies in walk order, wire form including internal ``_`` keys."""
        with self._store.lock:
            t = self._store.known_table(table)
            return [copy.deepcopy(t.rows[key[2]]) for key in t.keys]

    def digest(self) -> dict[str, str]:
        """Per table, a SHA-256 of every record in walk order (internal keys included): equal digests
        mean equal contents. Tests that prove a refused call changed nothing compare two of these,
        which costs a fraction of copying every record with :meth:`records`."""
        with self._store.lock:
            return {
                name: hashlib.sha256(
                    orjson.dumps([t.rows[key[2]] for key in t.keys], option=orjson.OPT_SORT_KEYS)
                ).hexdigest()
                for name in sorted(self._store.table_names)
                for t in [self._store.known_table(name)]
            }

    def get(self, table: str, record_id: str) -> Record:
        with self._store.lock:
            return copy.deepcopy(self._store.require(table, record_id))

    def create(self, table: str, record: Record) -> Record:
        return self._store.create(table, record)

    def update(self, table: str, record_id: str, /, **fields: Any) -> Record:
        return self._store.update(table, record_id, fields)

    def archive(self, table: str, record_id: str, archive_reason_id: str | None = None) -> Record:
        return self._store.archive(table, record_id, archive_reason_id)

    def delete(self, table: str, record_id: str) -> Record:
        """Remove a record (gone from lists, info and sync deltas); a candidate announces
        ``candidateDelete``, an offer ``offerDelete``. Related records stay. Returns the removed one."""
        return self._store.delete(table, record_id)

    def merge_candidates(self, deleted_id: str, merged_id: str) -> Record:
        """Merge ``deleted_id`` into ``merged_id`` (applications, notes, projects, client info and fraud
        checks move; the old candidate is deleted) and announce ``candidateMerge``. Returns the survivor."""
        with self._store.lock:
            survivor = merge_candidates(self._store, deleted_id, merged_id)
            self._webhooks.emit(
                "candidateMerge",
                {"deletedCandidate": {"id": deleted_id}, "mergedCandidate": {"id": merged_id}},
            )
        return survivor

    def expire_sync_tokens(self) -> None:
        self._store.expire_sync_tokens()

    def expire_cursors(self) -> None:
        self._store.expire_cursors()

    def configure(
        self,
        *,
        cursor_ttl_seconds: float | None = None,
        sync_token_ttl_seconds: float | None = None,
        sync_page_budget: int | None = None,
        webhook_retry_scale: float | None = None,
        webhook_timeout_seconds: float | None = None,
    ) -> None:
        """Change the limits of the running sandbox (None keeps the current value); nothing changes
        unless every value is accepted."""
        for name, ttl in (
            ("cursor_ttl_seconds", cursor_ttl_seconds),
            ("sync_token_ttl_seconds", sync_token_ttl_seconds),
        ):
            if ttl is not None:
                number(name, ttl, 0.0, MAX_TTL_SECONDS)
        if sync_page_budget is not None:
            integer("sync_page_budget", sync_page_budget, 1, 10**9)
        self._webhooks.check(retry_scale=webhook_retry_scale, timeout_seconds=webhook_timeout_seconds)
        with self._store.lock:
            if cursor_ttl_seconds is not None:
                self._store.cursor_ttl_ms = int(cursor_ttl_seconds * 1000)
            if sync_token_ttl_seconds is not None:
                self._store.sync_token_ttl_ms = int(sync_token_ttl_seconds * 1000)
            if sync_page_budget is not None:
                self._store.sync_page_budget = sync_page_budget
            self._webhooks.configure(retry_scale=webhook_retry_scale, timeout_seconds=webhook_timeout_seconds)

    def settings(self) -> dict[str, Any]:
        """The values ``configure`` changes."""
        with self._store.lock:
            return {
                "cursor_ttl_seconds": self._store.cursor_ttl_ms / 1000,
                "sync_token_ttl_seconds": self._store.sync_token_ttl_ms / 1000,
                "sync_page_budget": self._store.sync_page_budget,
                "webhook_retry_scale": self._webhooks.retry_scale,
                "webhook_timeout_seconds": self._webhooks.timeout_seconds,
            }

    # webhooks
    def deliveries(self) -> list[dict[str, Any]]:
        """Every delivery attempt, oldest first: ``{time, webhookId, url, action, webhookActionId,
        attempt, status, error, retryInSeconds}`` (``status`` None when no answer came)."""
        return self._deliveries.entries()

    def clear_deliveries(self) -> None:
        self._deliveries.clear()

    def ping_webhook(self, webhook_id: str) -> str:
        """Send ``ping`` to one webhook (as Ashby does to check a URL); returns its ``webhookActionId``."""
        return self._webhooks.ping(webhook_id)

    # request log
    def requests(self) -> list[dict[str, Any]]:
        return self._log.entries()

    def clear_requests(self) -> None:
        self._log.clear()

    # faults
    def set_faults(
        self,
        rate_429: float = 0.0,
        rate_500: float = 0.0,
        rate_slow: float = 0.0,
        rate_drop: float = 0.0,
        slow_seconds: float = 2.0,
        retry_after: int = 1,
        seed: int = 0,
    ) -> None:
        self._faults.configure(
            FaultSettings(rate_429, rate_500, rate_slow, rate_drop, slow_seconds, retry_after, seed)
        )

    def queue_faults(self, faults: list[str]) -> None:
        """Faults for the next Ashby requests, in order: "429", "500", "502", "503", "504", "slow", "drop"."""
        self._faults.enqueue(faults)

    def hold(self, endpoint: str, after: int = 0) -> None:
        """Answer ``after`` more ``endpoint`` requests, then hold later ones until ``clear_faults``."""
        self._faults.hold(endpoint, after)

    def clear_faults(self) -> None:
        self._faults.clear()

    def faults(self) -> dict[str, Any]:
        return self._faults.describe()

    def set_rate_limit(self, requests_per_second: float | None, burst: int | None = None) -> None:
        self._limiter.configure(requests_per_second, burst)

    def rate_limit(self) -> dict[str, Any]:
        return self._limiter.describe()


__all__ = ["SandboxControl"]
