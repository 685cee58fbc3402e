"""Bootstrap and operations verbs for the CLI: organizations, API clients, key rotation, the audit log.

Each function opens the database named by ``db_url`` (else ``ASHBY_AGENT_DB``, else ``./ashby-agent.db``),
runs pending migrations, does one thing in one transaction and closes the engine. Failures a person can
fix raise :class:`AdminError` with a message saying how.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from pydantic import SecretStr
from sqlalchemy import Connection, Engine, or_, select, update

from ashby_agent.service import audit
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.crypto import Keyring, generate_key, hash_secret
from ashby_agent.service.schema import (
    api_clients,
    client_organizations,
    connectors,
    organizations,
    service_meta,
)
from ashby_agent.service.state import aware, open_database, utcnow, verify_key

__all__ = [
    "AdminError",
    "AuditRecord",
    "ClientCredentials",
    "KeyRotation",
    "Organization",
    "create_client",
    "create_org",
    "list_audit",
    "list_orgs",
    "revoke_client",
    "rotate_key",
]

T = TypeVar("T")
AuditRecord = audit.AuditRecord


class AdminError(Exception):
    """An operator mistake (unknown organization, duplicate name, ...); the message names the fix."""


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    """Shown once: only a scrypt hash of the secret is stored."""

    client_id: str
    client_secret: SecretStr = field(repr=False)
    organization_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeyRotation:
    """The new key; ``key_file`` is set when it was written there, else configure it yourself."""

    new_key: SecretStr = field(repr=False)
    re_encrypted: int
    key_file: Path | None


def _settings(db_url: str | None, settings: ServiceSettings | None) -> ServiceSettings:
    return settings if settings is not None else ServiceSettings.from_env(db_url)


@contextmanager
def _database(settings: ServiceSettings) -> Iterator[tuple[Engine, Keyring]]:
    engine, keyring = open_database(settings)
    try:
        yield engine, keyring
    finally:
        engine.dispose()


def _transaction(settings: ServiceSettings, work: Callable[[Connection], T]) -> T:
    with _database(settings) as (engine, _), engine.begin() as connection:
        return work(connection)


def create_org(
    name: str, *, db_url: str | None = None, settings: ServiceSettings | None = None
) -> Organization:
    """A new organization called ``name`` (unique)."""
    name = name.strip()
    if not name:
        raise AdminError("The organization name is empty.")

    def work(connection: Connection) -> Organization:
        if connection.execute(select(organizations.c.id).where(organizations.c.name == name)).first():
            raise AdminError(f"An organization named '{name}' already exists.")
        org = Organization(str(uuid.uuid4()), name, utcnow())
        connection.execute(organizations.insert().values(id=org.id, name=org.name, created_at=org.created_at))
        return org

    return _transaction(_settings(db_url, settings), work)


def list_orgs(*, db_url: str | None = None, settings: ServiceSettings | None = None) -> list[Organization]:
    def work(connection: Connection) -> list[Organization]:
        rows = connection.execute(select(organizations).order_by(organizations.c.name))
        return [Organization(row.id, row.name, aware(row.created_at)) for row in rows]

    return _transaction(_settings(db_url, settings), work)


def _resolve_orgs(connection: Connection, orgs: Sequence[str]) -> list[str]:
    ids: list[str] = []
    for ref in orgs:
        found = connection.execute(
            select(organizations.c.id).where(or_(organizations.c.name == ref, organizations.c.id == ref))
        ).scalar()
        if found is None:
            raise AdminError(f"No organization '{ref}'; create it first (ashby-agent create-org '{ref}').")
        ids.append(str(found))
    return list(dict.fromkeys(ids))


def create_client(
    orgs: Sequence[str],
    *,
    name: str | None = None,
    db_url: str | None = None,
    settings: ServiceSettings | None = None,
) -> ClientCredentials:
    """A new API client of the organizations ``orgs`` (names or ids); the secret is returned once."""
    if not orgs:
        raise AdminError("Give at least one organization (--org NAME).")
    client_id = str(uuid.uuid4())
    secret = SecretStr(secrets.token_urlsafe(32))
    secret_hash = hash_secret(secret)

    def work(connection: Connection) -> ClientCredentials:
        org_ids = _resolve_orgs(connection, orgs)
        connection.execute(
            api_clients.insert().values(
                id=client_id,
                name=name or client_id,
                secret_hash=secret_hash,
                created_at=utcnow(),
                revoked_at=None,
            )
        )
        connection.execute(
            client_organizations.insert(),
            [{"client_id": client_id, "organization_id": org} for org in org_ids],
        )
        return ClientCredentials(client_id, secret, tuple(org_ids))

    return _transaction(_settings(db_url, settings), work)


def revoke_client(
    client_id: str, *, db_url: str | None = None, settings: ServiceSettings | None = None
) -> None:
    """Revoke a client: its tokens stop working on the next request, in every process."""

    def work(connection: Connection) -> None:
        result = connection.execute(
            update(api_clients)
            .where(api_clients.c.id == client_id, api_clients.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        if result.rowcount == 0:
            raise AdminError(f"No active client '{client_id}'.")

    _transaction(_settings(db_url, settings), work)


def _write_key_file(path: Path, key: SecretStr) -> Path:
    """Write ``<path>.new`` with mode 0600 (renamed over ``path`` once the database is committed)."""
    staged = path.with_name(path.name + ".new")
    staged.unlink(missing_ok=True)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.get_secret_value() + "\n")
    return staged


def rotate_key(
    *,
    new_key: SecretStr | None = None,
    db_url: str | None = None,
    settings: ServiceSettings | None = None,
) -> KeyRotation:
    """Re-encrypt every stored credential with a new key (generated unless given), in one transaction.

    With a key file, the file is replaced after the commit. With ``ASHBY_AGENT_SECRET_KEY``, set it to
    ``"<new>,<old>"`` while processes restart (new encrypts, both decrypt), then to ``"<new>"``.
    Outstanding tokens signed with the old key stay valid only where the old key is still listed.
    """
    settings = _settings(db_url, settings)
    key = new_key or generate_key()
    new_keyring = Keyring(key)
    key_file = None if settings.secret_key is not None else settings.default_key_file()
    staged = _write_key_file(key_file, key) if key_file is not None else None
    try:
        with _database(settings) as (engine, old_keyring), engine.begin() as connection:
            rows = connection.execute(select(connectors.c.id, connectors.c.credentials)).all()
            for row in rows:
                plain = old_keyring.decrypt_credentials(row.credentials)
                connection.execute(
                    update(connectors)
                    .where(connectors.c.id == row.id)
                    .values(credentials=new_keyring.encrypt_credentials(plain))
                )
            connection.execute(service_meta.delete().where(service_meta.c.key == "key_check"))
            verify_key(connection, new_keyring)
    except BaseException:
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    if staged is not None and key_file is not None:
        staged.replace(key_file)
    return KeyRotation(key, len(rows), key_file)


def list_audit(
    *,
    organization: str | None = None,
    connector_id: str | None = None,
    limit: int = 100,
    db_url: str | None = None,
    settings: ServiceSettings | None = None,
) -> list[AuditRecord]:
    """Newest first; ``organization`` is a name or id."""

    def work(connection: Connection) -> list[AuditRecord]:
        org_id = _resolve_orgs(connection, [organization])[0] if organization else None
        return audit.list_records(connection, organization_id=org_id, connector_id=connector_id, limit=limit)

    return _transaction(_settings(db_url, settings), work)
