"""What one service process holds while it runs: settings, engine, keys, token signer, connector pool,
the context store (in the same database) and the sync scheduler.

Nothing here is authoritative across processes: tokens are verified from the shared key, and every
other piece of state (clients, workspaces, connectors, rate-limit counters, audit, replicated records,
queued syncs) lives in the database. What the hot path keeps of it in-process is bounded:
:class:`~ashby_agent.service.security.standing.Standing` (client standing and connector rows, at most
a second old), :class:`~ashby_agent.service.security.admission.Admission` (this process's view of the
rate-limit windows) and the :class:`~ashby_agent.service.store.journal.Journal` (audit rows and counts
on their way into the database; an execute's answer waits for its row).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import anyio.to_thread
from pydantic import SecretStr
from sqlalchemy import Connection, Engine, Row
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from ashby_agent.connectors.ashby.connector import AshbyConnector
from ashby_agent.service.config import SECRET_KEY_ENV, ServiceSettings, display_db_url, normalize_db_url
from ashby_agent.service.pool import ConnectorPool
from ashby_agent.service.security.admission import Admission
from ashby_agent.service.security.crypto import (
    CredentialDecryptError,
    Keyring,
    create_key_file,
    generate_key,
    read_key_file,
)
from ashby_agent.service.security.standing import Standing
from ashby_agent.service.security.tokens import TokenSigner
from ashby_agent.service.store import key_check
from ashby_agent.service.store.db import create_service_engine, migrate
from ashby_agent.service.store.journal import Journal
from ashby_agent.store.context_store import ContextStore

if TYPE_CHECKING:
    from ashby_agent.service.jobs.scheduler import SyncScheduler

__all__ = ["DatabaseOpenError", "ServiceState", "load_keyring", "open_database", "verify_key"]

T = TypeVar("T")

_KEY_CHECK_TEXT: Final = "ashby-agent"
_SQLITE_COMPANIONS: Final = ("", "-wal", "-shm", "-journal")
_IN_MEMORY: Final = (None, "", ":memory:")


class DatabaseOpenError(Exception):
    """The database or its secret key cannot be used as configured.

    The message names the value (never a password or a key) and what to do; nothing was left on disk.
    """


def _mismatch(settings: ServiceSettings, shown: str, created_key_file: bool) -> CredentialDecryptError:
    """The key-mismatch message: which key was used, and how to get the right one."""
    if settings.secret_key is not None:
        return CredentialDecryptError(
            f"The secret key from {SECRET_KEY_ENV} does not match the database '{shown}' (it was created "
            f"with another key): set {SECRET_KEY_ENV} to the key the database was created with."
        )
    path = settings.default_key_file()
    problem = (
        f"There is no key file '{path}', but the database '{shown}' was created with a key"
        if created_key_file
        else f"The key file '{path}' does not match the database '{shown}' (it was created with another key)"
    )
    return CredentialDecryptError(
        f"{problem}: restore the key file the database was created with, or set {SECRET_KEY_ENV} to that key."
    )


def _keyring(key: SecretStr, settings: ServiceSettings) -> Keyring:
    try:
        return Keyring(key)
    except ValueError:
        source = (
            SECRET_KEY_ENV
            if settings.secret_key is not None
            else f"The key file '{settings.default_key_file()}'"
        )
        raise DatabaseOpenError(
            f"{source} does not hold a valid key (a Fernet key: URL-safe base64 of 32 bytes); use the key "
            "the database was created with, or for a new database generate one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
        ) from None


def _load_keyring(settings: ServiceSettings) -> tuple[Keyring, Path | None]:
    """The keyring, and the key file when this call created it (so a failed open can remove it)."""
    if settings.secret_key is not None:
        return _keyring(settings.secret_key, settings), None
    url = make_url(settings.db_url)
    if settings.key_file is None and url.get_backend_name() == "sqlite" and url.database in _IN_MEMORY:
        return Keyring(generate_key()), None  # the database lives as long as the process: so does its key
    path = settings.default_key_file()
    try:
        created = create_key_file(path)
        key = created or read_key_file(path)
    except (OSError, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise DatabaseOpenError(
            f"Cannot use the key file '{path}' ({reason}): make its directory writable, or set "
            f"{SECRET_KEY_ENV} to the database's key."
        ) from None
    return _keyring(key, settings), path if created is not None else None


def load_keyring(settings: ServiceSettings) -> Keyring:
    """The configured key(s), else the key file (created with mode 0600 on first start)."""
    return _load_keyring(settings)[0]


def verify_key(connection: Connection, keyring: Keyring) -> None:
    """Fail fast when the key does not match the database (instead of on the first execute)."""
    stored = key_check.stored(connection, keyring.encrypt_text(_KEY_CHECK_TEXT))
    keyring.decrypt_text(stored)  # first start: our own value; later: raises on a different key


def _driver_reason(exc: BaseException, password: str | None) -> str:
    """The first line of the database driver's message, without the password."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    reason = (lines[0] if lines else type(original).__name__).removeprefix("connection failed: ")
    reason = " ".join(reason.split()).rstrip(".")
    return reason.replace(password, "***") if password else reason


def _unreachable(url: URL, shown: str, exc: BaseException) -> DatabaseOpenError:
    reason = _driver_reason(exc, url.password)
    if url.get_backend_name() == "sqlite":
        hint = "check that the path names a file you may create or write"
    elif "does not exist" in reason and url.database:
        hint = f"create it (createdb {url.database}) or point --db / ASHBY_AGENT_DB at an existing one"
    else:
        hint = (
            "check that PostgreSQL runs there, and the host, port, user and password in --db / ASHBY_AGENT_DB"
        )
    return DatabaseOpenError(f"Cannot open the database '{shown}': {reason}; {hint}.")


def _created_by_us(url: URL) -> list[Path]:
    """The SQLite files that do not exist yet (so a failed first open can remove what it created)."""
    if url.get_backend_name() != "sqlite" or url.database in _IN_MEMORY:
        return []
    return [path for suffix in _SQLITE_COMPANIONS if not (path := Path(url.database + suffix)).exists()]


def open_database(settings: ServiceSettings) -> tuple[Engine, Keyring]:
    """Engine (migrated to the newest schema) and the keyring, verified against each other.

    The database is reached before the key file is read or created, and a failed attempt removes the
    key file and SQLite files it created: a typo in ``--db`` leaves nothing behind. Raises
    :class:`DatabaseOpenError` (or :class:`~ashby_agent.service.config.SettingsError` for a malformed
    value, :class:`CredentialDecryptError` for a key that does not match the database).
    """
    normalize_db_url(settings.db_url)
    url = make_url(settings.db_url)
    shown = display_db_url(settings.db_url)
    fresh_files = _created_by_us(url)
    key_file: Path | None = None
    try:
        engine = create_service_engine(settings.db_url)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseOpenError(
            f"Cannot open the database '{shown}': {_driver_reason(exc, url.password)}; use a "
            "postgresql:// URL or an SQLite file path."
        ) from None
    try:
        try:
            with engine.connect():
                pass
        except DBAPIError as exc:
            raise _unreachable(url, shown, exc) from None
        keyring, key_file = _load_keyring(settings)
        try:
            migrate(engine)
            with engine.begin() as connection:
                verify_key(connection, keyring)
        except CredentialDecryptError:
            raise _mismatch(settings, shown, key_file is not None) from None
        except DBAPIError as exc:
            raise DatabaseOpenError(
                f"Cannot prepare the database '{shown}': {_driver_reason(exc, url.password)}; check that "
                "the user may create tables there."
            ) from None
    except BaseException:
        engine.dispose()
        for path in [*fresh_files, *([key_file] if key_file is not None else [])]:
            path.unlink(missing_ok=True)
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
    #: The context store's tables in the service's database (rows keyed by the service's connector id).
    store: ContextStore
    clock: Callable[[], float] = field(default=time.time)
    #: Set by the app's lifespan (or a worker) once its job engine runs.
    scheduler: SyncScheduler | None = None
    standing: Standing = field(default_factory=Standing)
    admission: Admission = field(init=False)
    journal: Journal = field(init=False)

    def __post_init__(self) -> None:
        self.admission = Admission(self.settings.rate_limit_requests, self.settings.rate_limit_window_seconds)
        self.journal = Journal(self.engine, self.admission.counted)

    @classmethod
    def open(cls, settings: ServiceSettings) -> ServiceState:
        engine, keyring = open_database(settings)
        try:
            store = ContextStore.on_engine(engine)
            store.sync_hint = (
                "wait for the connector's running sync, or start one with POST "
                "/api/v1/integrations/connectors/{connector_id}/sync (GET .../inspect shows when it is ready)"
            )
        except BaseException:
            engine.dispose()
            raise
        return cls(
            settings=settings,
            engine=engine,
            keyring=keyring,
            store=store,
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

    async def read(self, work: Callable[[Connection], T]) -> T:
        """:meth:`run` for reads: a read-only transaction (deferred on SQLite, so it waits for no writer)."""

        def in_transaction() -> T:
            with (
                self.engine.connect().execution_options(ashby_read_only=True) as connection,
                connection.begin(),
            ):
                return work(connection)

        return await anyio.to_thread.run_sync(in_transaction)

    async def pooled_connector(self, row: Row[Any]) -> AshbyConnector:
        """The pooled connector of a connector row selected ``with_credentials``."""
        return await self.pool.get(
            row.id, row.credential_version, lambda: self.keyring.decrypt_credentials(row.credentials)
        )

    @property
    def syncs(self) -> SyncScheduler:
        """The running scheduler (the app's lifespan starts it before the first request)."""
        if self.scheduler is None:
            raise RuntimeError("the sync scheduler has not started")
        return self.scheduler

    async def aclose(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.aclose()
            self.scheduler = None
        await self.journal.aclose()
        await self.pool.aclose()
        self.engine.dispose()
