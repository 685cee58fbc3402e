"""The retry policy as small pure functions, so every decision is table-testable without a network.

The transport asks one question after a retryable failure -- "how long do I wait, or do I give up?" --
and :func:`retry_delay` answers it from the policy, the attempt number, the time already spent and the
server's ``Retry-After``. Nothing here sleeps, logs or reads a clock (``parse_retry_after`` takes
``now``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["RetryPolicy", "backoff_delay", "parse_retry_after", "retry_delay"]

#: 2**64 * any sane initial delay already dwarfs max_delay; clamping avoids float overflow.
_MAX_EXPONENT = 64


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard the transport tries before giving up.

    Retries cover answers that may succeed later (429, 5xx, dropped connections, timeouts); never 4xx or
    ``success: false``, which would fail the same way again.
    """

    max_attempts: int = 4
    """Total tries including the first; ``1`` disables retries."""
    initial_delay: float = 0.5
    """Wait before the second try, in seconds; doubles on every further try."""
    max_delay: float = 8.0
    """Cap on the computed backoff (a server's ``Retry-After`` is not capped, see ``max_total_time``)."""
    max_total_time: float = 30.0
    """Give up when the time spent so far plus the next wait would exceed this many seconds."""
    jitter: float = 0.25
    """Fraction of the backoff removed at random, so clients throttled together do not retry together."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1")
        if min(self.initial_delay, self.max_delay, self.max_total_time) < 0:
            raise ValueError("RetryPolicy delays and max_total_time must not be negative")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("RetryPolicy.jitter must be between 0 and 1")

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or HTTP-date, RFC 9110 §10.2.3).

    ``None``, empty, non-finite or unparseable values give ``None`` (the caller falls back to its own
    backoff); values in the past or negative give ``0.0``.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with unknown origin (RFC 5322)
        when = when.replace(tzinfo=UTC)
    reference = now if now is not None else datetime.now(UTC)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=UTC)
    return max(0.0, (when - reference).total_seconds())


def backoff_delay(policy: RetryPolicy, attempt: int, retry_after: float | None, rng: random.Random) -> float:
    """The wait after failed try number ``attempt`` (1-based).

    A server's ``Retry-After`` wins and is honoured exactly (the server knows when it will accept us; the
    budget check in :func:`retry_delay` decides whether we are willing to wait that long). Otherwise
    ``initial_delay * 2**(attempt-1)`` capped at ``max_delay``, minus up to ``jitter`` of itself, so the
    result stays within ``[(1 - jitter) * backoff, backoff]`` and never exceeds ``max_delay``.
    """
    if retry_after is not None:
        return max(0.0, retry_after)
    exponent = min(max(attempt, 1) - 1, _MAX_EXPONENT)
    base = min(policy.max_delay, policy.initial_delay * 2.0**exponent)
    return base * (1.0 - policy.jitter * rng.random())


def retry_delay(
    policy: RetryPolicy,
    attempt: int,
    elapsed: float,
    retry_after: float | None,
    rng: random.Random,
) -> float | None:
    """The wait before the next try, or ``None`` to give up.

    Gives up when ``attempt`` tries have been made already, or when waiting would push the total time
    (``elapsed`` since the first try started, plus the wait) past ``max_total_time``.
    """
    if attempt >= policy.max_attempts:
        return None
    delay = backoff_delay(policy, attempt, retry_after, rng)
    if elapsed + delay > policy.max_total_time:
        return None
    return delay
