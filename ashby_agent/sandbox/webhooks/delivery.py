"""Webhook delivery: every event POSTed to each enabled webhook of its type, signed, retried, logged.

A write calls ``Dispatcher.changed`` (the store's change listener) under the store lock; that only
builds the body and queues it. Deliveries run as asyncio tasks on an event loop of their own, in a
daemon thread started on first use, with one ``httpx.AsyncClient``: a slow or dead receiver delays
nothing but its own delivery, never an Ashby request, a control call or another webhook.

One event has one ``webhookActionId`` and one body, the same for every webhook of its type and every
retry. The webhook is read again before each attempt: a deleted or disabled webhook gets no more
attempts, and a new URL or secret applies from the next one. Every attempt is logged (never the
secret): ``{time, webhookId, url, action, webhookActionId, attempt, status, error, retryInSeconds}``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from ..errors import number
from ..log import BoundedLog
from ..store import Record, Store, iso_ms
from .events import announcements
from .schedule import next_attempt_in

#: Ashby's delivery User-Agent is unpublished; one simulator sends this.
USER_AGENT = "Ashby-Webhook"
#: Domains reserved for examples (RFC 2606, RFC 6761): never resolved, never sent to. The generated
#: dataset's webhook points at one, so a sandbox never reaches out to the internet on its own.
RESERVED_DOMAINS = ("example.com", "example.net", "example.org", "example", "invalid")
SHUTDOWN_TIMEOUT_SECONDS = 10.0

_logger = logging.getLogger(__name__)


def sign(secret: str, body: bytes) -> str:
    """The ``Ashby-Signature`` header value: ``sha256=`` + hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def reserved_host(url: str) -> str | None:
    """The URL's host when it is in a reserved example domain, else None."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if any(host == domain or host.endswith("." + domain) for domain in RESERVED_DOMAINS):
        return host
    return None


@dataclass(frozen=True)
class Delivery:
    """One event for one webhook: what every attempt sends."""

    webhook_id: str
    action: str
    action_id: str
    body: bytes

    def __repr__(self) -> str:
        return f"Delivery({self.action} {self.action_id} -> webhook {self.webhook_id})"


class Dispatcher:
    """Turns changes into deliveries and runs them in the background; thread-safe."""

    def __init__(
        self, store: Store, log: BoundedLog, *, retry_scale: float = 1.0, timeout_seconds: float = 30.0
    ) -> None:
        self._store = store
        self._log = log
        self.retry_scale = 1.0
        self.timeout_seconds = 30.0
        self.configure(retry_scale=retry_scale, timeout_seconds=timeout_seconds)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @staticmethod
    def check(*, retry_scale: float | None = None, timeout_seconds: float | None = None) -> None:
        """Refuse (``InvalidValue``) a value ``configure`` would not take."""
        if retry_scale is not None:
            number("webhook_retry_scale", retry_scale, 0.0, 1000.0)
        if timeout_seconds is not None:
            number("webhook_timeout_seconds", timeout_seconds, 0.001, 3600.0)

    def configure(self, *, retry_scale: float | None = None, timeout_seconds: float | None = None) -> None:
        """Compress (or stretch) the retry schedule; set the per-attempt timeout. None keeps a value."""
        self.check(retry_scale=retry_scale, timeout_seconds=timeout_seconds)
        if retry_scale is not None:
            self.retry_scale = float(retry_scale)
        if timeout_seconds is not None:
            self.timeout_seconds = float(timeout_seconds)

    # -- what to send ---------------------------------------------------------------------------
    def changed(self, table: str, before: Record | None, after: Record | None) -> None:
        """The store's change listener: queue the events this write announces (under the store lock)."""
        announced = announcements(self._store, table, before, after)
        if not announced:
            return
        subscribers = self._subscribers()
        for action, payload in announced:
            webhook_ids = subscribers.get(action)
            if webhook_ids:
                self._send(action, payload(), webhook_ids)

    def emit(self, action: str, data: Record) -> str | None:
        """Send an event a write does not announce by itself (a merge); its id, or None if nobody listens."""
        with self._store.lock:
            webhook_ids = self._subscribers().get(action)
            return self._send(action, data, webhook_ids) if webhook_ids else None

    def ping(self, webhook_id: str) -> str:
        """Send Ashby's ``ping`` (sent to check a URL) to one webhook; its ``webhookActionId``."""
        with self._store.lock:
            self._store.require("webhook", webhook_id)
            return self._send("ping", {"webhookActionType": "ping"}, [webhook_id])

    def _subscribers(self) -> dict[str, list[str]]:
        """Event type -> ids of the enabled webhooks registered for it, in table order."""
        found: dict[str, list[str]] = {}
        for row_id, row in self._store.table("webhook").rows.items():
            if row.get("enabled") and isinstance(row.get("webhookType"), str):
                found.setdefault(row["webhookType"], []).append(row_id)
        return found

    def _send(self, action: str, data: Record, webhook_ids: list[str]) -> str:
        """Queue one event for ``webhook_ids`` (caller holds the store lock); its ``webhookActionId``."""
        action_id = str(uuid.uuid4())
        body = orjson.dumps({"webhookActionId": action_id, "action": action, "data": data})
        queued: list[Delivery] = []
        for webhook_id in webhook_ids:
            delivery = Delivery(webhook_id, action, action_id, body)
            url, _secret, refusal = self._target(webhook_id)
            if refusal is None:
                queued.append(delivery)
            else:  # known already (an example domain): logged without waking the delivery thread
                self._record(delivery, 1, url, None, refusal, None)
        if queued:
            with self._lock:
                if self._closed:
                    return action_id
                loop = self._running_loop()
                for delivery in queued:
                    loop.call_soon_threadsafe(self._spawn, delivery)
        return action_id

    # -- the delivery loop ----------------------------------------------------------------------
    def _running_loop(self) -> asyncio.AbstractEventLoop:
        """The delivery thread's loop, started on first use (caller holds ``_lock``)."""
        if self._loop is None:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="ashby-sandbox-webhooks", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
        return self._loop

    def _spawn(self, delivery: Delivery) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _target(self, webhook_id: str) -> tuple[str | None, str | None, str | None]:
        """(url, secret, None) to send to now, or (url if known, None, why nothing is sent).

        Read again before every attempt: a webhook deleted, disabled or moved since takes effect."""
        with self._store.lock:
            webhook = self._store.get("webhook", webhook_id)
            if webhook is None:
                return None, None, "not sent: the webhook was deleted"
            url, secret = webhook.get("requestUrl"), webhook.get("secretToken")
            enabled = bool(webhook.get("enabled"))
        if not isinstance(url, str):
            return None, None, "not sent: the webhook has no requestUrl"
        if not enabled:
            return url, None, "not sent: the webhook is disabled"
        host = reserved_host(url)
        if host is not None:
            return url, None, f"not sent: {host} is a reserved example domain"
        return url, secret if isinstance(secret, str) and secret else None, None

    async def _deliver(self, delivery: Delivery) -> None:
        attempt = 0
        while True:
            attempt += 1
            url, secret, refusal = self._target(delivery.webhook_id)
            if refusal is not None or url is None:
                self._record(delivery, attempt, url, None, refusal, None)
                return
            status, error = await self._post(url, secret, delivery.body)
            wait = next_attempt_in(attempt, status, self.retry_scale)
            self._record(delivery, attempt, url, status, error, wait)
            if wait is None:
                return
            await asyncio.sleep(wait)

    async def _post(self, url: str, secret: str | None, body: bytes) -> tuple[int | None, str | None]:
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        if secret is not None:
            headers["Ashby-Signature"] = sign(secret, body)
        if self._client is None:  # only this loop's thread gets here
            self._client = httpx.AsyncClient(trust_env=False, follow_redirects=False)
        try:
            response = await self._client.post(
                url, content=body, headers=headers, timeout=self.timeout_seconds
            )
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        except Exception:  # the last resort: logged, and the delivery is retried like a failure
            _logger.exception("sandbox webhook delivery to %s failed unexpectedly", url)
            return None, "the sandbox failed to send; the server log has the details"
        await response.aclose()
        return response.status_code, None

    def _record(
        self,
        delivery: Delivery,
        attempt: int,
        url: str | None,
        status: int | None,
        error: str | None,
        wait: float | None,
    ) -> None:
        entry: dict[str, Any] = {
            "time": iso_ms(self._store.now_ms()),
            "webhookId": delivery.webhook_id,
            "url": url,
            "action": delivery.action,
            "webhookActionId": delivery.action_id,
            "attempt": attempt,
            "status": status,
            "error": error,
            "retryInSeconds": wait,
        }
        self._log.add(entry)

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        """Cancel pending deliveries and stop the loop; later events are dropped."""
        with self._lock:
            self._closed = True
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return

        async def stop() -> None:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self._client is not None:
                await self._client.aclose()
            running = asyncio.get_running_loop()
            await running.shutdown_asyncgens()
            await running.shutdown_default_executor()  # the threads that resolved host names

        try:
            asyncio.run_coroutine_threadsafe(stop(), loop).result(SHUTDOWN_TIMEOUT_SECONDS)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(SHUTDOWN_TIMEOUT_SECONDS)
            if not thread.is_alive():
                loop.close()


__all__ = ["RESERVED_DOMAINS", "USER_AGENT", "Delivery", "Dispatcher", "reserved_host", "sign"]
