"""Fixtures: a webhook receiver, and a private sandbox whose retry schedule is compressed 10,000×."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import SandboxFactory
from tests.sandbox.webhooks.receiver import Receiver

#: Ashby's 10 s, 30 s, 70 s ... become 1 ms, 3 ms, 7 ms ...
FAST = 0.0001


@pytest.fixture
def hooked(fresh: SandboxFactory) -> Iterator[SandboxHandle]:
    """A private sandbox over the tiny dataset with the compressed schedule."""
    with fresh(webhook_retry_scale=FAST) as sb:
        yield sb


def subscribe(sb: SandboxHandle, receiver: Receiver, webhook_type: str, path: str, **extra: Any) -> str:
    """Register a webhook through the control surface (the endpoint has its own tests); its id."""
    record = {"enabled": True, "requestUrl": receiver.url(path), "webhookType": webhook_type, **extra}
    return str(sb.control.create("webhook", record)["id"])
