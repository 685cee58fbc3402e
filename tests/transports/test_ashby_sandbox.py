"""AshbyTransport over real HTTP against the sandbox: faults, Retry-After spacing and error mapping as
the simulator produces them (byte-level oddities live in test_transport.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from ashby_agent.errors import (
    AuthenticationError,
    ConnectionFailedError,
    CursorError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
)
from ashby_agent.retry import RetryPolicy
from ashby_agent.transports.ashby import AshbyTransport

try:
    from ashby_agent.sandbox import run_sandbox
except ImportError:  # pragma: no cover - the sandbox is built in parallel
    pytest.skip("ashby_agent.sandbox.run_sandbox is not available yet", allow_module_level=True)

RESTRICTED_KEY = "k-jobs-only"
FAST = RetryPolicy(max_attempts=4, initial_delay=0.05, max_delay=0.2, max_total_time=10.0)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=7, scale="small", api_keys=["full-key", f"{RESTRICTED_KEY}:jobs:read"]) as sb:
        yield sb


@pytest.fixture(autouse=True)
def _clean(sandbox: Any) -> None:
    sandbox.control.clear_faults()
    sandbox.control.clear_requests()


class Sleeps:
    """Real asyncio sleeps, recorded."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(seconds)


def seconds(value: object) -> float:
    """A request log ``time`` as epoch seconds, whatever form the control surface uses."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, int | float):
        return value / 1000 if value > 1e11 else float(value)
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    raise AssertionError(f"unexpected time value {value!r}")


async def test_faults_are_retried_and_retry_after_spacing_honoured(sandbox: Any) -> None:
    sandbox.control.queue_faults(["429", "500", "drop"])
    sleeps = Sleeps()
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url, retry=FAST, sleep=sleeps) as transport:
        envelope = await transport.post("candidate.list", {"limit": 1})
    assert envelope["success"] is True
    assert len(envelope["results"]) == 1

    calls = [r for r in sandbox.control.requests() if r["path"] == "/candidate.list"]
    assert len(calls) == 4
    assert calls[0]["status"] == 429
    assert calls[1]["status"] == 500
    assert calls[-1]["status"] == 200
    assert sleeps.delays[0] == 1.0  # the sandbox's Retry-After
    gap = seconds(calls[1]["time"]) - seconds(calls[0]["time"])
    assert gap >= 0.99  # the server saw the second try at least Retry-After later
    assert sandbox.api_key not in repr(sandbox.control.requests())


async def test_persistent_5xx_gives_up_after_max_attempts(sandbox: Any) -> None:
    sandbox.control.queue_faults(["503", "503", "503", "503"])
    policy = RetryPolicy(max_attempts=3, initial_delay=0.01, max_delay=0.05)
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url, retry=policy) as transport:
        with pytest.raises(ServerError) as caught:
            await transport.post("candidate.list", {"limit": 1})
    assert caught.value.status == 503
    assert len([r for r in sandbox.control.requests() if r["path"] == "/candidate.list"]) == 3


async def test_dropped_connections_map_to_connection_failed(sandbox: Any) -> None:
    sandbox.control.queue_faults(["drop", "drop"])
    policy = RetryPolicy(max_attempts=2, initial_delay=0.01)
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url, retry=policy) as transport:
        with pytest.raises(ConnectionFailedError) as caught:
            await transport.post("candidate.list", {"limit": 1})
    assert sandbox.api_key not in str(caught.value)


@pytest.mark.parametrize(("key", "status"), [("", 401), ("not-a-real-key", 403)])
async def test_bad_keys_are_authentication_errors(sandbox: Any, key: str, status: int) -> None:
    async with AshbyTransport(key, base_url=sandbox.url, retry=FAST) as transport:
        with pytest.raises(AuthenticationError) as caught:
            await transport.post("candidate.list", {})
    assert type(caught.value) is AuthenticationError
    assert caught.value.status == status
    assert "ASHBY_API_KEY" in str(caught.value)


async def test_missing_scope_is_permission_denied(sandbox: Any) -> None:
    async with AshbyTransport(RESTRICTED_KEY, base_url=sandbox.url, retry=FAST) as transport:
        with pytest.raises(PermissionDeniedError) as caught:
            await transport.post("candidate.list", {})
        assert (await transport.post("job.list", {}))["success"] is True
    assert caught.value.status == 403
    assert caught.value.missing_permission in (None, "candidatesRead", "candidates:read")


async def test_business_errors_are_not_retried(sandbox: Any) -> None:
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url, retry=FAST) as transport:
        with pytest.raises(NotFoundError) as not_found:
            await transport.post("candidate.info", {"id": str(uuid.uuid4())})
        with pytest.raises(CursorError):
            await transport.post("candidate.list", {"cursor": "definitely-not-a-cursor"})
    assert not_found.value.code == "candidate_not_found"
    assert not_found.value.request_id
    assert len(sandbox.control.requests()) == 2
