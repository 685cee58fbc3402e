"""The one retrying send loop, shared by every way of reaching Ashby (directly or through the service).

An attempt either returns, raises an :class:`~ashby_agent.errors.AshbyAgentError` (final: nobody retries
it), or raises :class:`Retryable` wrapping the error it would otherwise raise (the failure may pass: a
429, a 5xx, a dropped connection). The loop asks :func:`~ashby_agent.retry.retry_delay` how long to wait
or whether to give up, sleeps, and tries again; the last error is raised without the attempt's context.
Clock, sleep and random source are injectable so tests drive retries without waiting.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from ashby_agent.errors import AshbyAgentError
from ashby_agent.retry import RetryPolicy, retry_delay

__all__ = ["Retrier", "Retryable"]

T = TypeVar("T")
_LOG = logging.getLogger("ashby_agent.transports")


class Retryable(Exception):
    """Raised by an attempt whose failure may pass if tried again; carries the error to raise if not."""

    def __init__(self, error: AshbyAgentError, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        #: The server's ``Retry-After`` in seconds, when it sent one.
        self.retry_after = retry_after


class Retrier:
    """Runs an attempt until it succeeds, fails for good, or the :class:`RetryPolicy` gives up."""

    __slots__ = ("_clock", "_rng", "_sleep", "policy")

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy if policy is not None else RetryPolicy()
        #: None means ``asyncio.sleep``, looked up at the first retry: importing a transport loads no asyncio.
        self._sleep = sleep
        self._clock = clock
        self._rng = rng if rng is not None else random.Random()

    async def run(self, attempt: Callable[[int], Awaitable[T]], label: str) -> T:
        """``attempt(n)`` (``n`` counts from 1) with retries.

        ``label`` names the call in debug logs (never a body or a key). The error given up on is raised
        outside the ``except`` block, so no earlier exception is chained to it.
        """
        started = self._clock()
        tries = 0
        while True:
            tries += 1
            try:
                return await attempt(tries)
            except Retryable as failure:
                error, retry_after = failure.error, failure.retry_after
            delay = retry_delay(self.policy, tries, self._clock() - started, retry_after, self._rng)
            if delay is None:
                _LOG.debug("%s: giving up after %d attempt(s)", label, tries)
                raise error
            _LOG.debug(
                "%s: retrying in %.3f s (attempt %d/%d)", label, delay, tries + 1, self.policy.max_attempts
            )
            if self._sleep is None:
                import asyncio  # already loaded by whoever runs this coroutine

                await asyncio.sleep(delay)
            else:
                await self._sleep(delay)
