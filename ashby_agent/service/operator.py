"""The operator's verbs (``ashby-agent admin ...``): organizations, API clients, key rotation, the audit log.

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
from sqlalchemy import Connection, Engine

from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import Keyring, generate_key, hash_secret
from ashby_agent.service.state import open_database, verify_key
from ashby_agent.service.store import audit, clients, connectors, key_check, organizations
from ashby_agent.service.store.timestamps import aware, utcnow
from ashby_agent.wire import control_character_free

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
    "set_connector_policy",
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


_NAME_LIMIT = 200


def _checked_name(value: str, what: str) -> str:
    """The same rule as the HTTP API's names: at most 200 characters, no control characters."""
    if len(value) > _NAME_LIMIT:
        raise AdminError(f"The {what} name is longer than {_NAME_LIMIT} characters; choose a shorter one.")
    if not control_character_free(value):
        raise AdminError(f"The {what} name contains control characters; use printable text only.")
    name = value.strip()
    if not name:
        raise AdminError(f"The {what} name is empty.")
    return name


def create_org(
    name: str, *, db_url: str | None = None, settings: ServiceSettings | None = None
) -> Organization:
    """A new organization called ``name`` (unique)."""
    name = _checked_name(name, "organization")

    def work(connection: Connection) -> Organization:
        if organizations.name_taken(connection, name):
            raise AdminError(f"An organization named '{name}' already exists.")
        org = Organization(str(uuid.uuid4()), name, utcnow())
        organizations.create(connection, org.id, org.name, org.created_at)
        return org

    return _transaction(_settings(db_url, settings), work)


def list_orgs(*, db_url: str | None = None, settings: ServiceSettings | None = None) -> list[Organization]:
    def work(connection: Connection) -> list[Organization]:
        rows = organizations.list_all(connection)
        return [Organization(row.id, row.name, aware(row.created_at)) for row in rows]

    return _transaction(_settings(db_url, settings), work)


def _resolve_orgs(connection: Connection, orgs: Sequence[str]) -> list[str]:
    ids: list[str] = []
    for ref in orgs:
        found = organizations.id_of(connection, ref)
        if found is None:
            raise AdminError(
                f"No organization '{ref}'; create it first (ashby-agent admin create-org '{ref}')."
            )
        ids.append(found)
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
    orgs = [_checked_name(org, "organization") for org in orgs]
    name = _checked_name(name, "client") if name is not None else None
    client_id = str(uuid.uuid4())
    secret = SecretStr(secrets.token_urlsafe(32))
    secret_hash = hash_secret(secret)

    def work(connection: Connection) -> ClientCredentials:
        org_ids = _resolve_orgs(connection, orgs)
        clients.create(
            connection,
            client_id=client_id,
            name=name or client_id,
            secret_hash=secret_hash,
            organization_ids=org_ids,
            created_at=utcnow(),
        )
        return ClientCredentials(client_id, secret, tuple(org_ids))

    return _transaction(_settings(db_url, settings), work)


def revoke_client(
    client_id: str, *, db_url: str | None = None, settings: ServiceSettings | None = None
) -> None:
    """Revoke a client: its tokens stop working on the next request, in every process."""

    def work(connection: Connection) -> None:
        if not clients.revoke(connection, client_id, utcnow()):
            raise AdminError(f"No active client '{client_id}' (unknown or already revoked).")

    _transaction(_settings(db_url, settings), work)


def set_connector_policy(
    connector_id: str,
    *,
    access: str | None = None,
    redact: str | None = None,
    db_url: str | None = None,
    settings: ServiceSettings | None = None,
) -> tuple[str, str | None]:
    """Set a connector's access level (the writes it may make) and/or redaction policy; returns both.

    Only the operator does this (API clients cannot raise a connector's access). ``redact=""`` clears
    the policy. A running service reads both with the connector at most
    :data:`~ashby_agent.service.security.standing.STALENESS_SECONDS` old, so calls obey within that."""
    from ashby_agent.connectors.ashby.guardrails import resolve_access
    from ashby_agent.errors import InvalidRequestError
    from ashby_agent.tools.redaction import Redaction

    try:
        level = resolve_access(access, "access") if access is not None else None
        if redact is not None:
            Redaction.parse(redact)
    except (InvalidRequestError, ValueError) as exc:
        raise AdminError(str(exc)) from None

    def work(connection: Connection) -> tuple[str, str | None]:
        found = connectors.set_policy(connection, connector_id, access=level, redact=redact)
        if found is None:
            raise AdminError(f"No connector '{connector_id}'.")
        return found

    return _transaction(_settings(db_url, settings), work)


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
    """Re-encrypt every stored credential and webhook secret with a new key (generated unless given), in
    one transaction.

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
            rows = connectors.all_credentials(connection)
            for connector_id, sealed in rows:
                plain = old_keyring.decrypt_credentials(sealed)
                connectors.set_credentials(connection, connector_id, new_keyring.encrypt_credentials(plain))
                secret = connectors.webhook_secret(connection, connector_id)
                if secret is not None:  # the webhook secret is sealed with the same key
                    plain_secret = old_keyring.decrypt_text(secret)
                    connectors.set_webhook_secret(
                        connection, connector_id, new_keyring.encrypt_text(plain_secret)
                    )
            key_check.forget(connection)
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
