"""Fixtures for the write endpoints: a private sandbox over ``write_dataset()`` per test, with a
full key, a read-only and a write-only candidates key; and the checks every write test makes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api, SandboxFactory
from tests.sandbox.write_dataset import write_dataset

KEYS = ["full-key", "read-key:candidates:read", "write-key:candidates:write"]


@pytest.fixture
def wsb(fresh: SandboxFactory) -> Iterator[SandboxHandle]:
    with fresh(api_keys=KEYS, dataset=write_dataset()) as sb:
        yield sb


@pytest.fixture
def wapi(wsb: SandboxHandle, client_for: Callable[..., Api]) -> Api:
    client: Api = client_for(wsb)
    return client


def error(payload: dict[str, Any], code: str, parameter: str | None = None) -> str:
    """Assert an Ashby error envelope with ``code`` (and ``meta.parameter``); its message."""
    assert payload["success"] is False, payload
    assert payload["errors"] == [code], payload
    assert payload["errorInfo"]["code"] == code, payload
    if parameter is not None:
        assert payload["errorInfo"]["meta"] == {"parameter": parameter}, payload
    return str(payload["errorInfo"]["message"])


def results(payload: dict[str, Any]) -> Any:
    assert payload["success"] is True, payload
    assert set(payload) == {"success", "results"}, payload
    return payload["results"]


class Delta:
    """A completed full walk of a sync list; ``ids()`` are the records changed since, in order."""

    def __init__(self, api: Api, endpoint: str) -> None:
        self.api, self.endpoint = api, endpoint
        _records, token = api.walk(endpoint)
        assert token
        self.token = token

    def records(self) -> list[dict[str, Any]]:
        records, _token = self.api.walk(self.endpoint, syncToken=self.token)
        return records

    def ids(self) -> list[str]:
        return [r["id"] for r in self.records()]


__all__ = ["KEYS", "Delta", "error", "results"]
