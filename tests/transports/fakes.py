"""Test doubles for retry timing and byte-level HTTP answers (what a real server cannot be made to do)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


class ZeroRandom(random.Random):
    """No jitter: backoff delays are exactly initial_delay * 2**n."""

    def random(self) -> float:
        return 0.0


class FakeTime:
    """A clock that only moves when the transport sleeps (or a handler says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def wall(self) -> datetime:
        """The same clock as a date (whole seconds from a fixed day), for ``Retry-After`` dates."""
        return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=self.now)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Server:
    """Plays a script of answers (a response, an exception, or a callable) and records the requests."""

    def __init__(self, *script: httpx.Response | Exception | Handler) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)
