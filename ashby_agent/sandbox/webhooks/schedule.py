"""Ashby's webhook retry schedule as pure functions.

A delivery answered with anything but 2xx (or not answered) is retried with exponential backoff, at
most ``MAX_ATTEMPTS`` attempts in all: after the n-th failed attempt the wait is (2^n − 1) × 10 s
(10 s, 30 s, 70 s, 150 s, …). 401, 403, 404, 405 and 410 mean "stop": they are never retried.
``scale`` compresses the schedule for tests (0.001 turns 10 s into 10 ms).
"""

from __future__ import annotations

MAX_ATTEMPTS = 10
BASE_DELAY_SECONDS = 10.0
FINAL_STATUSES = frozenset({401, 403, 404, 405, 410})


def retry_delay(attempt: int) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based), before the scale."""
    return float(2**attempt - 1) * BASE_DELAY_SECONDS


def next_attempt_in(attempt: int, status: int | None, scale: float = 1.0) -> float | None:
    """Seconds until the next attempt after ``attempt`` got ``status`` (None: no answer), or None when
    the delivery is over: delivered (2xx), refused for good, or out of attempts."""
    if status is not None and (200 <= status < 300 or status in FINAL_STATUSES):
        return None
    if attempt >= MAX_ATTEMPTS:
        return None
    return retry_delay(attempt) * scale


__all__ = ["BASE_DELAY_SECONDS", "FINAL_STATUSES", "MAX_ATTEMPTS", "next_attempt_in", "retry_delay"]
