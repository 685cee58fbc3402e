"""The one retrying send loop, table-driven: which outcomes are retried, how long it waits, when it stops."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ashby_agent.errors import AshbyAgentError, AuthenticationError, ServerError
from ashby_agent.retry import RetryPolicy
from ashby_agent.transports.retrying import Retrier, Retryable
from tests.transports.fakes import FakeTime, ZeroRandom

POLICY = RetryPolicy(max_attempts=4, initial_delay=0.5, max_delay=8.0, max_total_time=30.0)


def server_error() -> ServerError:
    return ServerError("Ashby failed (HTTP 500).", status=500)


def rejected_key() -> AuthenticationError:
    return AuthenticationError("Ashby rejected the key.", status=401)


# outcome per attempt: "ok", "retry" (a transient failure), "retry-after:<s>", or "final"
CASES = [
    (["ok"], "ok", []),
    (["retry", "ok"], "ok", [0.5]),
    (["retry", "retry", "retry", "ok"], "ok", [0.5, 1.0, 2.0]),
    (["retry"] * 4, ServerError, [0.5, 1.0, 2.0]),
    (["retry"] * 9, ServerError, [0.5, 1.0, 2.0]),  # never more than max_attempts
    (["final"], AuthenticationError, []),  # permanent: not retried at all
    (["retry", "final"], AuthenticationError, [0.5]),
    (["retry-after:3", "ok"], "ok", [3.0]),  # the server's wait wins over backoff
    (["retry-after:29", "retry-after:2"], ServerError, [29.0]),  # 29 + 2 > 30 s budget: give up
    (["retry-after:31"], ServerError, []),  # a wait beyond the budget is not taken
]


@pytest.mark.parametrize(("outcomes", "expected", "sleeps"), CASES)
async def test_retrier_decisions(outcomes: Sequence[str], expected: object, sleeps: list[float]) -> None:
    fake = FakeTime()
    retrier = Retrier(POLICY, sleep=fake.sleep, clock=fake.clock, rng=ZeroRandom())
    attempts: list[int] = []

    async def attempt(number: int) -> str:
        attempts.append(number)
        outcome = outcomes[min(number, len(outcomes)) - 1]
        if outcome == "ok":
            return "ok"
        if outcome == "final":
            raise rejected_key()
        retry_after = float(outcome.split(":")[1]) if outcome.startswith("retry-after:") else None
        raise Retryable(server_error(), retry_after)

    if expected == "ok":
        assert await retrier.run(attempt, "POST x.list") == "ok"
    else:
        assert isinstance(expected, type)
        with pytest.raises(expected) as caught:
            await retrier.run(attempt, "POST x.list")
        assert caught.value.__context__ is None  # nothing of the attempts is chained
    assert fake.sleeps == sleeps
    assert attempts == list(range(1, len(sleeps) + 2))


async def test_policy_none_tries_once() -> None:
    fake = FakeTime()
    retrier = Retrier(RetryPolicy.none(), sleep=fake.sleep, clock=fake.clock)
    calls = 0

    async def attempt(_number: int) -> str:
        nonlocal calls
        calls += 1
        raise Retryable(server_error())

    with pytest.raises(AshbyAgentError):
        await retrier.run(attempt, "POST x.list")
    assert calls == 1 and fake.sleeps == []
