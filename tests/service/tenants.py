"""Helpers of the service tests: databases, tenants (an organization and its API client), error checks."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
from pydantic import SecretStr

from ashby_agent.service import operator
from ashby_agent.service.security.standing import STALENESS_SECONDS
from ashby_agent.service.server import ServiceHandle

T = TypeVar("T")
PG_CONNINFO = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START_DATE = "2024-01-01T00:00:00Z"
#: How long a change made outside a service process may take to reach it, with a generous margin for a
#: loaded machine (the bound itself is STALENESS_SECONDS; tests never assert how fast it was).
SEEN_WITHIN = STALENESS_SECONDS + 10


def past_the_bound() -> None:
    """Wait out the staleness bound, so a request starting now obeys a change committed before this
    call outside the service process (as ``ashby-agent admin``'s changes are): the service reads a
    client's standing and a connector's row again once they are older than the bound."""
    time.sleep(STALENESS_SECONDS + 0.05)


def until(attempt: Callable[[], T], done: Callable[[T], bool]) -> T:
    """``attempt()``'s result once ``done`` holds for it (polled for at most :data:`SEEN_WITHIN` s, then
    the last result): what a service process sees of a change another process made."""
    deadline = time.monotonic() + SEEN_WITHIN
    while True:
        result = attempt()
        if done(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def eventually(attempt: Callable[[], httpx.Response], status: int) -> httpx.Response:
    """``attempt()``'s answer once it has ``status`` (see :func:`until`)."""
    return until(attempt, lambda answer: answer.status_code == status)


def pg_schema_url(schema: str) -> str:
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def make_db(kind: str, directory: Path) -> tuple[str, Callable[[], None]]:
    """A fresh database URL (SQLite file or PostgreSQL schema) and its cleanup."""
    if kind == "sqlite":
        return f"sqlite:///{directory / 'service.db'}", lambda: None
    schema = f"svc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')

    return pg_schema_url(schema), drop


@dataclass
class Tenant:
    """One organization with one API client, and a way to call the service as it."""

    service: ServiceHandle
    organization_id: str
    organization_name: str
    client_id: str
    client_secret: SecretStr = field(repr=False)
    http: httpx.Client = field(repr=False)
    _token: str | None = None

    def token(self) -> str:
        if self._token is None:
            answer = self.http.post(
                "/account/applications/token",
                json={"client_id": self.client_id, "client_secret": self.client_secret.get_secret_value()},
            )
            assert answer.status_code == 200, answer.text
            self._token = answer.json()["access_token"]
        return self._token

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token()}"}

    def request(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers(token), **kwargs.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def create_connector(self, workspace: str, api_key: str, **extra: Any) -> dict[str, Any]:
        body = {
            "workspace_name": workspace,
            "connector_type": "Ashby",
            "credentials": {"api_key": api_key},
            # No replication_config unless asked: with one the service starts syncing at once.
            **extra,
        }
        answer = self.post("/integrations/connectors", json=body)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())


def new_tenant(service: ServiceHandle, http: httpx.Client) -> Tenant:
    name = f"org-{uuid.uuid4().hex[:8]}"
    org = operator.create_org(name, settings=service.settings)
    client = operator.create_client([name], settings=service.settings)
    return Tenant(service, org.id, name, client.client_id, client.client_secret, http)


def assert_error(answer: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The answer is the error envelope with ``status`` (and ``code`` in some item)."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    # ``ashby`` rides along on failures of Ashby itself, so hosted clients raise local mode's exception.
    assert set(body) - {"ashby"} == {"message", "errors"}, body
    if "ashby" in body:
        assert {"kind", "status", "code", "request_id", "endpoint"} <= set(body["ashby"]), body
    assert isinstance(body["message"], str) and body["message"]
    assert body["errors"], body
    for item in body["errors"]:
        assert set(item) == {"field", "message", "error_code"}, item
    if code is not None:
        assert code in [item["error_code"] for item in body["errors"]], body
    return dict(body)
