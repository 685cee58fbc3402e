"""The control surface: what tests, demos and benchmarks do to the sandbox besides calling Ashby.

One ``SandboxControl`` object serves both the in-process API and the ``/_sandbox/*`` HTTP routes, so
the two can never disagree. The request log records which key *title* called, never the key.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .faults import FaultInjector, FaultSettings, RateLimiter
from .store import Record, Store, iso_ms

REQUEST_LOG_SIZE = 10_000


class RequestLog:
    """The last ``REQUEST_LOG_SIZE`` Ashby requests (oldest dropped first)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self._entries))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class SandboxControl:
    """Thread-safe handle on the running sandbox's clock, records, faults and request log."""

    def __init__(self, store: Store, faults: FaultInjector, limiter: RateLimiter, log: RequestLog) -> None:
        self._store = store
        self._faults = faults
        self._limiter = limiter
        self._log = log

    # clock
    def now(self) -> datetime:
        return datetime.fromtimestamp(self._store.now_ms() / 1000, UTC)

    def advance_clock(self, seconds: float) -> datetime:
        with self._store.lock:
            self._store.clock.advance(seconds)
        return self.now()

    # records
    def tables(self) -> list[str]:
        with self._store.lock:
            return sorted(self._store.tables)

    def records(self, table: str) -> list[Record]:
        """Deep copies in walk order, wire form including internal ``_`` keys."""
        with self._store.lock:
            t = self._store.table(table)
            return [copy.deepcopy(t.rows[key[2]]) for key in t.keys]

    def get(self, table: str, record_id: str) -> Record:
        with self._store.lock:
            return copy.deepcopy(self._store.require(table, record_id))

    def create(self, table: str, record: Record) -> Record:
        return self._store.create(table, record)

    def update(self, table: str, record_id: str, **fields: Any) -> Record:
        return self._store.update(table, record_id, fields)

    def archive(self, table: str, record_id: str, archive_reason_id: str | None = None) -> Record:
        return self._store.archive(table, record_id, archive_reason_id)

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
    ) -> None:
        """Change the pagination limits of the running sandbox (None keeps the current value)."""
        with self._store.lock:
            if cursor_ttl_seconds is not None:
                self._store.cursor_ttl_ms = int(cursor_ttl_seconds * 1000)
            if sync_token_ttl_seconds is not None:
                self._store.sync_token_ttl_ms = int(sync_token_ttl_seconds * 1000)
            if sync_page_budget is not None:
                self._store.sync_page_budget = sync_page_budget

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
        self._faults.enqueue(list(faults))

    def clear_faults(self) -> None:
        self._faults.clear()

    def faults(self) -> dict[str, Any]:
        return self._faults.describe()

    def set_rate_limit(self, requests_per_second: float | None, burst: int | None = None) -> None:
        self._limiter.configure(requests_per_second, burst)

    def rate_limit(self) -> dict[str, Any]:
        return self._limiter.describe()


# -- HTTP mirror ------------------------------------------------------------------------------------
def _json(value: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status, media_type="application/json")


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    value = orjson.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("the body must be a JSON object")
    return value


def _clock(control: SandboxControl) -> Response:
    now = control.now()
    ms = int(now.timestamp() * 1000)
    return _json({"now": iso_ms(ms), "nowMs": ms})


def control_routes(control: SandboxControl) -> list[Route]:
    """The ``/_sandbox/*`` routes (no auth, outside Ashby's paths)."""

    async def dispatch(request: Request) -> Response:
        try:
            return await _dispatch(control, request)
        except KeyError as exc:
            return _json({"error": str(exc.args[0] if exc.args else exc)}, 404)
        except (ValueError, TypeError, orjson.JSONDecodeError) as exc:
            return _json({"error": str(exc)}, 400)

    return [
        Route("/_sandbox/clock", dispatch, methods=["GET"]),
        Route("/_sandbox/clock/advance", dispatch, methods=["POST"]),
        Route("/_sandbox/records/{table}", dispatch, methods=["POST"]),
        Route("/_sandbox/records/{table}/{record_id}", dispatch, methods=["GET", "PATCH"]),
        Route("/_sandbox/records/{table}/{record_id}/archive", dispatch, methods=["POST"]),
        Route("/_sandbox/sync-tokens/expire", dispatch, methods=["POST"]),
        Route("/_sandbox/cursors/expire", dispatch, methods=["POST"]),
        Route("/_sandbox/requests", dispatch, methods=["GET", "DELETE"]),
        Route("/_sandbox/faults", dispatch, methods=["GET", "PUT", "DELETE"]),
        Route("/_sandbox/faults/queue", dispatch, methods=["POST"]),
        Route("/_sandbox/rate-limit", dispatch, methods=["GET", "PUT"]),
    ]


async def _dispatch(control: SandboxControl, request: Request) -> Response:
    path, method = request.url.path, request.method
    params = request.path_params
    if path == "/_sandbox/clock":
        return _clock(control)
    if path == "/_sandbox/clock/advance":
        control.advance_clock(float((await _body(request)).get("seconds", 0)))
        return _clock(control)
    if path.startswith("/_sandbox/records/"):
        table = params["table"]
        if "record_id" not in params:
            return _json(control.create(table, await _body(request)), 201)
        if path.endswith("/archive"):
            reason = (await _body(request)).get("archiveReasonId")
            return _json(control.archive(table, params["record_id"], reason))
        if method == "PATCH":
            return _json(control.update(table, params["record_id"], **(await _body(request))))
        return _json(control.get(table, params["record_id"]))
    if path == "/_sandbox/sync-tokens/expire":
        control.expire_sync_tokens()
        return _json({"expired": "syncTokens"})
    if path == "/_sandbox/cursors/expire":
        control.expire_cursors()
        return _json({"expired": "cursors"})
    if path == "/_sandbox/requests":
        if method == "DELETE":
            control.clear_requests()
        return _json(control.requests())
    if path == "/_sandbox/faults":
        if method == "PUT":
            control.set_faults(**(await _body(request)))
        elif method == "DELETE":
            control.clear_faults()
        return _json(control.faults())
    if path == "/_sandbox/faults/queue":
        control.queue_faults(list((await _body(request)).get("faults", [])))
        return _json(control.faults())
    if method == "PUT":
        body = await _body(request)
        control.set_rate_limit(body.get("requests_per_second"), body.get("burst"))
    return _json(control.rate_limit())


__all__ = ["RequestLog", "SandboxControl", "control_routes"]
