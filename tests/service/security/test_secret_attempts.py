"""Failed client-secret attempts are limited per client id and per source address (429 + Retry-After,
before any scrypt check), while other tenants keep executing and other callers keep signing in.

Source addresses are real: the second caller connects from 127.0.0.2 (the loopback range).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ashby_agent.service.security.secret_attempts import SECRET_ATTEMPTS
from ashby_agent.service.server import ServiceHandle
from ashby_agent.service.store import ratelimit
from tests.service.tenants import Tenant, assert_error, new_tenant


@pytest.fixture
def elsewhere(service: ServiceHandle) -> Iterator[httpx.Client]:
    """A client whose connections come from 127.0.0.2."""
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=service.api_url, transport=transport, timeout=30) as client:
        yield client


def _sign_in(http: httpx.Client, client_id: str, secret: str) -> httpx.Response:
    return http.post("/account/applications/token", json={"client_id": client_id, "client_secret": secret})


def _clear_of_a_window_boundary() -> None:
    """The counts are kept per fixed window: guesses straddling its end would be split between two
    windows, and the last one not refused. Start well inside a window."""
    _, left = ratelimit.window_of(time.time(), SECRET_ATTEMPTS.window_seconds)
    if left < 30:
        time.sleep(left + 0.5)


def _refused(answer: httpx.Response, where: str) -> None:
    body = assert_error(answer, 429, "too_many_failed_attempts")
    assert where in body["message"]
    assert answer.headers["retry-after"].isdigit()
    assert 1 <= int(answer.headers["retry-after"]) <= SECRET_ATTEMPTS.window_seconds


def test_wrong_guesses_are_limited_without_hurting_anyone_else(
    service: ServiceHandle, http: httpx.Client, elsewhere: httpx.Client, shared_sandbox: Any
) -> None:
    victim, bystander = new_tenant(service, http), new_tenant(service, http)
    connector = bystander.create_connector("busy", shared_sandbox.api_key)
    _clear_of_a_window_boundary()
    execute = f"/integrations/connectors/{connector['id']}/execute"
    run = {"entity": "departments", "action": "list"}

    for _ in range(SECRET_ATTEMPTS.per_client):  # guessing one client's secret from 127.0.0.1
        assert_error(_sign_in(http, victim.client_id, "guess"), 401, "invalid_client")
    _refused(_sign_in(http, victim.client_id, "guess"), "for this client id")
    assert bystander.post(execute, json=run).status_code == 200  # another tenant keeps working
    # The guessed-at client id is closed for the window, from anywhere, even with its right secret ...
    _refused(_sign_in(elsewhere, victim.client_id, victim.client_secret.get_secret_value()), "client id")
    # ... while another client signs in from the attacker's own address.
    other = new_tenant(service, http)
    assert _sign_in(http, other.client_id, other.client_secret.get_secret_value()).status_code == 200

    for _ in range(SECRET_ATTEMPTS.per_address - SECRET_ATTEMPTS.per_client):  # spraying client ids
        assert_error(_sign_in(http, str(uuid.uuid4()), "guess"), 401, "invalid_client")
    _refused(_sign_in(http, str(uuid.uuid4()), "guess"), "from this address")
    late = new_tenant(service, http)
    _refused(_sign_in(http, late.client_id, late.client_secret.get_secret_value()), "from this address")
    assert _sign_in(elsewhere, late.client_id, late.client_secret.get_secret_value()).status_code == 200
    assert bystander.post(execute, json=run).status_code == 200


def test_a_right_secret_is_never_counted(service: ServiceHandle, elsewhere: httpx.Client) -> None:
    tenant: Tenant = new_tenant(service, elsewhere)
    secret = tenant.client_secret.get_secret_value()
    for _ in range(SECRET_ATTEMPTS.per_client + 2):
        assert _sign_in(elsewhere, tenant.client_id, secret).status_code == 200
