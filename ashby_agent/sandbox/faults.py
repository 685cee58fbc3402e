"""Fault injection and the per-key rate limit.

Clients must survive what real networks and Ashby do to them: 429 with ``Retry-After``, 5xx, slow
answers and connections dropped mid-response. Faults come from an explicit queue first (deterministic
tests), then from seeded random fractions (soak tests).
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import deque
from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any

from .errors import InvalidValue, describe, integer, number

FAULT_KINDS = ("429", "500", "502", "503", "504", "slow", "drop")
MAX_SLOW_SECONDS = 3600.0
MAX_RETRY_AFTER = 86_400
#: Slower than one request in 11 days, ``Retry-After`` stops being a useful number.
MIN_RATE = 1e-6
MAX_RATE = 1e9
_RATE = "null (no limit) or a number of requests per second"
MAX_BURST = 1_000_000_000


@dataclass(frozen=True)
class FaultSettings:
    """Fractions of requests that fail each way (0 = never), and how."""

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_slow: float = 0.0
    rate_drop: float = 0.0
    slow_seconds: float = 2.0
    retry_after: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        rates = [
            number(name, getattr(self, name), 0.0, 1.0)
            for name in ("rate_429", "rate_500", "rate_slow", "rate_drop")
        ]
        if sum(rates) > 1.0:
            raise InvalidValue("The fault rates must sum to at most 1.")
        number("slow_seconds", self.slow_seconds, 0.0, MAX_SLOW_SECONDS)
        integer("retry_after", self.retry_after, 0, MAX_RETRY_AFTER)
        integer("seed", self.seed, -(2**63), 2**63 - 1)


class FaultInjector:
    """Decides, per Ashby request, which fault (if any) to inject."""

    def __init__(self, endpoints: Collection[str] = ()) -> None:
        self._lock = threading.Lock()
        self._endpoints = frozenset(endpoints)
        self.settings = FaultSettings()
        self._rng = random.Random(0)
        self._queue: deque[str] = deque()
        self._holds: dict[str, int] = {}  # endpoint -> requests still let through
        self._waiting: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}

    def configure(self, settings: FaultSettings) -> None:
        with self._lock:
            self.settings = settings
            self._rng = random.Random(settings.seed)

    def enqueue(self, kinds: list[str]) -> None:
        if not isinstance(kinds, list | tuple):
            raise InvalidValue(f'"faults" must be a list of fault names; got {describe(kinds)}.')
        unknown = [kind for kind in kinds if not isinstance(kind, str) or kind not in FAULT_KINDS]
        if unknown:
            raise InvalidValue(f"Unknown fault {describe(unknown[0])}; valid: {', '.join(FAULT_KINDS)}.")
        with self._lock:
            self._queue.extend(kinds)

    def clear(self) -> None:
        """Back to no faults; held requests are let go."""
        with self._lock:
            self.settings = FaultSettings()
            self._queue.clear()
            self._holds.clear()
            waiting = [waiter for waiters in self._waiting.values() for waiter in waiters]
            self._waiting.clear()
        for loop, event in waiting:  # clear() runs on the caller's thread, the requests on the server's
            loop.call_soon_threadsafe(event.set)

    def hold(self, endpoint: str, after: int) -> None:
        """Let ``after`` more requests to ``endpoint`` (``candidate.list``) through, then hold every
        later one unanswered until ``clear``: a test stops a client at the page boundary it chose."""
        if not isinstance(endpoint, str) or endpoint not in self._endpoints:
            example = 'an Ashby endpoint name such as "candidate.list"'
            raise InvalidValue(f'"endpoint" must be {example}; got {describe(endpoint)}.')
        integer("after", after, 0, 2**31)
        with self._lock:
            self._holds[endpoint] = after

    async def wait_if_held(self, endpoint: str) -> None:
        with self._lock:
            if endpoint not in self._holds:
                return
            if self._holds[endpoint] > 0:
                self._holds[endpoint] -= 1
                return
            released = asyncio.Event()
            waiter = (asyncio.get_running_loop(), released)
            self._waiting.setdefault(endpoint, []).append(waiter)
        try:
            await released.wait()
        finally:
            with self._lock:
                if waiter in self._waiting.get(endpoint, ()):
                    self._waiting[endpoint].remove(waiter)

    def draw(self) -> str | None:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            s = self.settings
            if not (s.rate_429 or s.rate_500 or s.rate_slow or s.rate_drop):
                return None
            roll = self._rng.random()
            for kind, rate in (
                ("429", s.rate_429),
                ("500", s.rate_500),
                ("slow", s.rate_slow),
                ("drop", s.rate_drop),
            ):
                if roll < rate:
                    return kind
                roll -= rate
            return None

    def describe(self) -> dict[str, Any]:
        with self._lock:
            held = {
                name: {"after": left, "waiting": len(self._waiting.get(name, ()))}
                for name, left in self._holds.items()
            }
            return {**asdict(self.settings), "queue": list(self._queue), "holds": held}


class RateLimiter:
    """A token bucket per API key: ``requests_per_second`` refill, ``burst`` capacity."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rate: float | None = None
        self.burst = 1
        self._buckets: dict[str, tuple[float, float]] = {}

    def configure(self, requests_per_second: float | None, burst: int | None = None) -> None:
        if requests_per_second is not None:
            number("requests_per_second", requests_per_second, MIN_RATE, MAX_RATE, _RATE)
        if burst is not None:
            integer("burst", burst, 0, MAX_BURST)
        with self._lock:
            self.rate = requests_per_second
            self.burst = max(1, burst if burst is not None else int(requests_per_second or 1))
            self._buckets.clear()

    def acquire(self, key_id: str) -> float | None:
        """None when the request may proceed; else the seconds until a token is available."""
        with self._lock:
            if self.rate is None:
                return None
            now = time.monotonic()
            tokens, last = self._buckets.get(key_id, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return None
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {"requests_per_second": self.rate, "burst": self.burst if self.rate else None}


__all__ = ["FAULT_KINDS", "FaultInjector", "FaultSettings", "RateLimiter"]
