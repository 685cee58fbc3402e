"""What one service process holds while it runs: settings, engine, keys, token signer, connector pool.

Nothing here is authoritative across processes: tokens are verified from the shared key, and every
other piece of state (clients, workspaces, connectors, rate-limit counters, audit) lives in the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import anyio.to_thread
from pydantic import SecretStr
from sqlalchemy import Connection, Engine, Row

from ashby_agent.connectors.ashby.connector import AshbyConnector
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.pool import ConnectorPool
from ashby_agent.service.security.crypto import Keyring, load_or_create_key_file
from ashby_agent.service.security.tokens import TokenSigner
from ashby_agent.service.store import key_check
from ashby_agent.service.store.db import create_service_engine, migrate

__all__ = ["ServiceState", "load_keyring", "open_database", "verify_key"]

T = TypeVar("T")

_KEY_CHECK_TEXT: Final = "ashby-agent"


def load_keyring(settings: ServiceSettings) -> Keyring:
    """The configured key(s), else the key file (created with mode 0600 on first start)."""
    key: SecretStr = settings.secret_key or load_or_create_key_file(settings.default_key_file())
    return Keyring(key)


def verify_key(connection: Connection, keyring: Keyring) -> None:
    """Fail fast when the key does not match the database (instead of on the first execute)."""
    stored = key_check.stored(connection, keyring.encrypt_text(_KEY_CHECK_TEXT))
    keyring.decrypt_text(stored)  # first start: our own value; later: raises on a different key


def open_database(settings: ServiceSettings) -> tuple[Engine, Keyring]:
    """Engine (migrated to the newest schema) and the keyring, verified against each other."""
    keyring = load_keyring(settings)
    engine = create_service_engine(settings.db_url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            verify_key(connection, keyring)
    except BaseException:
        engine.dispose()
        raise
    return engine, keyring


@dataclass
class ServiceState:
    """Shared by every request of one app instance (``request.app.state.service``)."""

    settings: ServiceSettings
    engine: Engine
    keyring: Keyring
    signer: TokenSigner
    pool: ConnectorPool
    clock: Callable[[], float] = field(default=time.time)

    @classmethod
    def open(cls, settings: ServiceSettings) -> ServiceState:
        engine, keyring = open_database(settings)
        return cls(
            settings=settings,
            engine=engine,
            keyring=keyring,
            signer=TokenSigner(keyring.signing_keys),
            pool=ConnectorPool(
                settings.ashby_base_url,
                settings.connector_pool_size,
                max_attempts=settings.ashby_max_attempts,
            ),
        )

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one transaction on a worker thread (the event loop never blocks on the DB)."""

        def in_transaction() -> T:
            with self.engine.begin() as connection:
                return work(connection)

        return await anyio.to_thread.run_sync(in_transaction)

    async def pooled_connector(self, row: Row[Any]) -> AshbyConnector:
        """The pooled connector of a connector row selected ``with_credentials``."""
        return await self.pool.get(
            row.id, row.credential_version, lambda: self.keyring.decrypt_credentials(row.credentials)
        )

    async def aclose(self) -> None:
        await self.pool.aclose()
        self.engine.dispose()
