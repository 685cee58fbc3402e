"""Helpers of the service tests: databases, tenants (an organization and its API client), error checks."""

from __future__ import annotations

import functools
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
from pydantic import SecretStr
from sqlalchemy import Engine

from ashby_agent.service.security.crypto import hash_secret
from ashby_agent.service.security.standing import STALENESS_SECONDS
from ashby_agent.service.server import ServiceHandle
from ashby_agent.service.store import clients, organizations
from ashby_agent.service.store.db import create_service_engine

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


#: The engines of the last two databases tenants were made in (the operator opens and migrates the
#: database on every call), and one client secret with its scrypt hash: salted and verified like any
#: other, computed once. The operator's own checks are tested in test_operator.py.
_ENGINES: dict[str, Engine] = {}
_SECRET = SecretStr(secrets.token_urlsafe(32))


@functools.cache
def _secret_hash() -> str:
    return hash_secret(_SECRET)


def new_tenant(service: ServiceHandle, http: httpx.Client) -> Tenant:
    """A new organization and its API client, written straight into the service's database."""
    url = service.settings.db_url
    engine = _ENGINES.get(url)
    if engine is None:
        while len(_ENGINES) >= 2:  # a module's two backends; older ones are closed, not left connected
            _ENGINES.pop(next(iter(_ENGINES))).dispose()
        engine = _ENGINES[url] = create_service_engine(url)
    name = f"org-{uuid.uuid4().hex[:8]}"
    org_id, client_id, now = str(uuid.uuid4()), str(uuid.uuid4()), datetime.now(UTC)
    with engine.begin() as connection:
        organizations.create(connection, org_id, name, now)
        clients.create(
            connection,
            client_id=client_id,
            name=client_id,
            secret_hash=_secret_hash(),
            organization_ids=[org_id],
            created_at=now,
        )
    return Tenant(service, org_id, name, client_id, _SECRET, http)


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
