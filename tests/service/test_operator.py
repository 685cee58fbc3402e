"""The bootstrap verbs: organizations, clients (secret shown once, only a hash stored), revocation,
key rotation (credentials re-encrypted, service restarts on the new key), audit listing."""

from __future__ import annotations

import re
import stat
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import CredentialDecryptError, Keyring, generate_key
from ashby_agent.service.server import run_service
from ashby_agent.service.state import DatabaseOpenError
from ashby_agent.service.store import connectors
from ashby_agent.service.store.db import create_service_engine
from ashby_agent.service.store.schema import api_clients
from tests.service.tenants import make_db, new_tenant


@pytest.fixture
def fresh(settings: ServiceSettings, tmp_path: Path) -> Any:
    """A database of its own (SQLite or PostgreSQL like the module) with a key *file* next to it."""
    kind = "postgresql" if settings.db_url.startswith("postgresql") else "sqlite"
    url, cleanup = make_db(kind, tmp_path)
    yield replace(settings, db_url=url, secret_key=None, key_file=tmp_path / "service.key")
    cleanup()


def test_create_org_and_client(fresh: ServiceSettings) -> None:
    org = operator.create_org("Acme", settings=fresh)
    assert [o.name for o in operator.list_orgs(settings=fresh)] == ["Acme"]
    with pytest.raises(operator.AdminError, match="already exists"):
        operator.create_org("Acme", settings=fresh)
    with pytest.raises(operator.AdminError, match="ashby-agent admin create-org 'Nope'"):
        operator.create_client(["Nope"], settings=fresh)
    client = operator.create_client(["Acme"], settings=fresh)
    assert client.organization_ids == (org.id,)
    assert client.client_secret.get_secret_value() not in repr(client)
    engine = create_service_engine(fresh.db_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(select(api_clients.c.secret_hash)).scalar_one()
    finally:
        engine.dispose()
    assert stored.startswith("scrypt$")
    assert client.client_secret.get_secret_value() not in stored
    assert fresh.key_file is not None
    assert stat.S_IMODE(fresh.key_file.stat().st_mode) == 0o600


def test_revoke_unknown_client(fresh: ServiceSettings) -> None:
    with pytest.raises(operator.AdminError, match="No active client"):
        operator.revoke_client(str(uuid.uuid4()), settings=fresh)


def test_rotate_key_re_encrypts_credentials(fresh: ServiceSettings, shared_sandbox: Any) -> None:
    assert fresh.key_file is not None
    with run_service(settings=fresh) as service, httpx.Client(base_url=service.api_url) as http:
        tenant = new_tenant(service, http)
        connector = tenant.create_connector("rotate", shared_sandbox.api_key)
    old_key = fresh.key_file.read_text().strip()

    rotation = operator.rotate_key(settings=fresh)
    assert rotation.re_encrypted == 1
    assert rotation.key_file == fresh.key_file
    assert fresh.key_file.read_text().strip() == rotation.new_key.get_secret_value() != old_key
    assert stat.S_IMODE(fresh.key_file.stat().st_mode) == 0o600
    engine = create_service_engine(fresh.db_url)
    with engine.connect() as connection:
        sealed = connectors.webhook_secret(connection, connector["id"])
    engine.dispose()
    assert sealed is not None
    assert Keyring(rotation.new_key).decrypt_text(sealed)  # the webhook secret moved to the new key too

    with run_service(settings=fresh) as service, httpx.Client(base_url=service.api_url) as http:
        tenant.http = http
        tenant._token = None
        answer = tenant.post(
            f"/integrations/connectors/{connector['id']}/execute",
            json={"entity": "departments", "action": "list"},
        )
        assert answer.status_code == 200, answer.text

    with (
        pytest.raises(CredentialDecryptError),
        run_service(settings=replace(fresh, secret_key=SecretStr(old_key))),
    ):
        pass  # pragma: no cover - the old key is refused before the server starts


def test_list_audit_filters(fresh: ServiceSettings) -> None:
    operator.create_org("Quiet", settings=fresh)
    assert operator.list_audit(organization="Quiet", settings=fresh) == []
    with pytest.raises(operator.AdminError):
        operator.list_audit(organization="Missing", settings=fresh)


def test_a_failed_open_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    unreachable = ServiceSettings(db_url="postgresql+psycopg://postgres@127.0.0.1:1/x")
    with pytest.raises(DatabaseOpenError, match=r"127\.0\.0\.1.*Connection refused"):
        operator.create_org("Acme", settings=unreachable)
    # The key file is created only once the database answers; the SQLite files a failed first open
    # created are removed with it.
    keyless = ServiceSettings(db_url=f"sqlite:///{tmp_path / 'x.db'}", key_file=tmp_path / "no" / "x.key")
    with pytest.raises(DatabaseOpenError, match="Cannot use the key file"):
        operator.create_org("Acme", settings=keyless)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_key_that_does_not_match_names_its_source(fresh: ServiceSettings) -> None:
    operator.create_org("Acme", settings=fresh)
    assert fresh.key_file is not None
    with pytest.raises(CredentialDecryptError, match="from ASHBY_AGENT_SECRET_KEY does not match"):
        operator.list_orgs(settings=replace(fresh, secret_key=generate_key()))
    original = fresh.key_file.read_text()
    fresh.key_file.write_text(generate_key().get_secret_value())
    expected = re.escape(f"key file '{fresh.key_file}' does not match")
    with pytest.raises(CredentialDecryptError, match=expected):
        operator.list_orgs(settings=fresh)
    fresh.key_file.write_text(original)
    assert [o.name for o in operator.list_orgs(settings=fresh)] == ["Acme"]


def test_an_in_memory_database_writes_no_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    operator.create_org("Acme", settings=ServiceSettings(db_url="sqlite:///:memory:"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["bad\x00name", "tab\there", "x" * 201, "   "])
def test_operator_names_follow_the_api_rules(name: str, tmp_path: Path) -> None:
    settings = ServiceSettings(db_url=f"sqlite:///{tmp_path / 's.db'}", secret_key=generate_key())
    with pytest.raises(operator.AdminError):
        operator.create_org(name, settings=settings)
