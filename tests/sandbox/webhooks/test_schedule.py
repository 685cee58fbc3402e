"""Ashby's retry schedule: (2^n − 1) × 10 s after the n-th failure, at most 10 attempts, and the
statuses that are never retried."""

from __future__ import annotations

import pytest

from ashby_agent.sandbox.webhooks.schedule import MAX_ATTEMPTS, next_attempt_in, retry_delay


@pytest.mark.parametrize(("attempt", "seconds"), [(1, 10), (2, 30), (3, 70), (4, 150), (9, 5110)])
def test_the_delay_after_the_nth_failure(attempt: int, seconds: float) -> None:
    assert retry_delay(attempt) == seconds


@pytest.mark.parametrize(
    ("attempt", "status", "scale", "expected"),
    [
        (1, 500, 1.0, 10.0),
        (2, 503, 1.0, 30.0),
        (1, None, 1.0, 10.0),  # no answer (refused, timed out) is a failure like a 5xx
        (1, 302, 1.0, 10.0),  # redirects are not followed: not 2xx
        (1, 429, 1.0, 10.0),
        (1, 400, 1.0, 10.0),
        (3, 500, 0.001, 0.07),
        (1, 500, 0.0, 0.0),
        (9, 500, 1.0, 5110.0),  # the ninth failure still has a tenth attempt after it
        (10, 500, 1.0, None),  # out of attempts
        (1, 200, 1.0, None),
        (1, 204, 1.0, None),
        (1, 299, 1.0, None),
        (1, 401, 1.0, None),
        (1, 403, 1.0, None),
        (1, 404, 1.0, None),
        (1, 405, 1.0, None),
        (1, 410, 1.0, None),
    ],
)
def test_next_attempt(attempt: int, status: int | None, scale: float, expected: float | None) -> None:
    got = next_attempt_in(attempt, status, scale)
    assert got == (None if expected is None else pytest.approx(expected))


def test_a_delivery_that_always_fails_is_tried_ten_times() -> None:
    attempts = 1
    while next_attempt_in(attempts, 500) is not None:
        attempts += 1
    assert attempts == MAX_ATTEMPTS == 10
