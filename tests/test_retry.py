"""Table-driven tests of the pure retry policy (no clock, no network)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from ashby_agent.retry import RetryPolicy, backoff_delay, parse_retry_after, retry_delay

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


class FixedRandom(random.Random):
    """``random()`` always returns the same value, so jitter is exact."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("0", 0.0),
        ("7", 7.0),
        (" 12 ", 12.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("-0.5", 0.0),
        ("nan", None),
        ("inf", None),
        ("1e400", None),
        ("soon", None),
        ("12 seconds", None),
        ("0x10", None),
        # HTTP-date (IMF-fixdate), relative to NOW
        ("Sun, 01 Mar 2026 12:00:30 GMT", 30.0),
        ("Sun, 01 Mar 2026 12:02:00 GMT", 120.0),
        ("Sun, 01 Mar 2026 11:59:00 GMT", 0.0),  # in the past
        ("Sun, 01 Mar 2026 13:00:05 +0100", 5.0),  # other zone
        ("Sun, 01 Mar 2026 12:00:10 -0000", 10.0),  # naive: treated as UTC
        ("Sunday, 01-Mar-26 12:00:20 GMT", 20.0),  # obsolete RFC 850 form
        ("Sun, 32 Mar 2026 12:00:00 GMT", None),  # invalid date
        ("Sun, 01 Foo 2026 12:00:00 GMT", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_parse_retry_after_defaults_now_to_current_time() -> None:
    far_future = "Fri, 01 Jan 2100 00:00:00 GMT"
    seconds = parse_retry_after(far_future)
    assert seconds is not None
    assert seconds > 365 * 24 * 3600


def test_parse_retry_after_accepts_naive_now() -> None:
    assert parse_retry_after("Sun, 01 Mar 2026 12:00:30 GMT", now=NOW.replace(tzinfo=None)) == 30.0


POLICY = RetryPolicy(max_attempts=10, initial_delay=0.5, max_delay=8.0, max_total_time=100.0, jitter=0.25)
NO_JITTER = RetryPolicy(max_attempts=10, initial_delay=0.5, max_delay=8.0, max_total_time=100.0, jitter=0.0)


@pytest.mark.parametrize(
    ("policy", "attempt", "retry_after", "rand", "expected"),
    [
        # exponential growth without jitter
        (NO_JITTER, 1, None, 0.9, 0.5),
        (NO_JITTER, 2, None, 0.9, 1.0),
        (NO_JITTER, 3, None, 0.9, 2.0),
        (NO_JITTER, 4, None, 0.9, 4.0),
        (NO_JITTER, 5, None, 0.9, 8.0),
        # capped at max_delay
        (NO_JITTER, 6, None, 0.9, 8.0),
        (NO_JITTER, 10_000, None, 0.9, 8.0),
        # attempt < 1 treated as the first
        (NO_JITTER, 0, None, 0.9, 0.5),
        (NO_JITTER, -5, None, 0.9, 0.5),
        # jitter removes up to 25 %: random()=0 keeps the full delay, 0.5 removes 12.5 %
        (POLICY, 1, None, 0.0, 0.5),
        (POLICY, 1, None, 0.5, 0.4375),
        (POLICY, 4, None, 0.5, 3.5),
        (POLICY, 9, None, 0.5, 7.0),
        # Retry-After wins, exactly, without jitter and without the max_delay cap
        (POLICY, 1, 3.0, 0.5, 3.0),
        (POLICY, 5, 0.0, 0.5, 0.0),
        (POLICY, 1, 60.0, 0.5, 60.0),
        (POLICY, 1, -1.0, 0.5, 0.0),
    ],
)
def test_backoff_delay(
    policy: RetryPolicy, attempt: int, retry_after: float | None, rand: float, expected: float
) -> None:
    assert backoff_delay(policy, attempt, retry_after, FixedRandom(rand)) == pytest.approx(expected)


@pytest.mark.parametrize("attempt", [1, 2, 3, 4, 5, 6, 20, 200])
def test_backoff_delay_bounds_with_real_randomness(attempt: int) -> None:
    rng = random.Random(attempt)
    base = min(POLICY.max_delay, POLICY.initial_delay * 2 ** (attempt - 1))
    for _ in range(200):
        delay = backoff_delay(POLICY, attempt, None, rng)
        assert base * (1 - POLICY.jitter) <= delay <= base <= POLICY.max_delay


def test_jitter_spreads_delays() -> None:
    rng = random.Random(1)
    delays = {backoff_delay(POLICY, 3, None, rng) for _ in range(50)}
    assert len(delays) > 40


BUDGET = RetryPolicy(max_attempts=4, initial_delay=1.0, max_delay=8.0, max_total_time=10.0, jitter=0.0)


@pytest.mark.parametrize(
    ("attempt", "elapsed", "retry_after", "expected"),
    [
        (1, 0.0, None, 1.0),
        (2, 1.0, None, 2.0),
        (3, 3.0, None, 4.0),
        (4, 7.0, None, None),  # max_attempts reached
        (9, 0.0, None, None),
        (3, 6.5, None, None),  # 6.5 + 4 > 10: over budget
        (3, 6.0, None, 4.0),  # exactly on budget is allowed
        (1, 0.0, 10.0, 10.0),  # Retry-After within the budget is honoured even above max_delay
        (1, 0.0, 10.5, None),  # ... and beyond the remaining budget we give up
        (2, 5.0, 6.0, None),
        (2, 5.0, 0.0, 0.0),
    ],
)
def test_retry_delay(attempt: int, elapsed: float, retry_after: float | None, expected: float | None) -> None:
    assert retry_delay(BUDGET, attempt, elapsed, retry_after, FixedRandom(0.3)) == expected


def test_single_attempt_policy_never_retries() -> None:
    assert retry_delay(RetryPolicy.none(), 1, 0.0, 0.0, FixedRandom(0.0)) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"initial_delay": -1.0},
        {"max_delay": -1.0},
        {"max_total_time": -0.1},
        {"jitter": -0.1},
        {"jitter": 1.5},
    ],
)
def test_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="RetryPolicy"):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_policy_is_frozen_with_documented_defaults() -> None:
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.initial_delay, policy.max_delay) == (4, 0.5, 8.0)
    assert (policy.max_total_time, policy.jitter) == (30.0, 0.25)
    with pytest.raises(AttributeError):
        policy.max_attempts = 9  # type: ignore[misc]
