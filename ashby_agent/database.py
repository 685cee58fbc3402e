"""SQLite and PostgreSQL for the service and the context store: what a database value may be, engines
with the settings both rely on, and Alembic migrations run programmatically. The one module that knows
the two databases differ.

* A value is checked before anything touches the disk or the network (:func:`normalize_url`): a typo
  fails with one message naming the value (never its password) and the accepted forms.
* SQLite runs every transaction as ``BEGIN IMMEDIATE`` (with a busy timeout and WAL) so concurrent
  writers wait instead of failing on a read-to-write lock upgrade; its file is created owner-only
  (0600) before SQLite would create it with the umask's mode, and SQLite gives its ``-wal``/``-shm``
  files the same mode. PostgreSQL connects with a timeout, so a host that drops packets fails in seconds.
* Migrations run on open, serialized (see :func:`migrate`), so several processes can start at once.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Final

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

__all__ = [
    "DatabaseURLError",
    "create_database_engine",
    "display_url",
    "driver_connect_args",
    "migrate",
    "normalize_url",
    "ping",
    "prepare_threshold",
]

#: Arbitrary constant identifying ashby-agent's migration lock among PostgreSQL advisory locks.
_MIGRATION_LOCK_ID: Final = 0x0A5B_0A6E
_MIGRATION_THREAD_LOCK: Final = threading.Lock()
_CONNECT_TIMEOUT_SECONDS: Final = 10
#: What a bare value must look like to be taken as an SQLite file (else it is rejected as a typo).
_SQLITE_SUFFIXES: Final = (".db", ".sqlite", ".sqlite3")
_USERINFO_PASSWORD: Final = re.compile(r"(://[^:/@]*:)[^@]*@")


class DatabaseURLError(ValueError):
    """A database value that cannot work; the message names it (password masked) and the accepted forms."""


def display_url(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``: what messages and logs may show."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # unparseable: mask whatever sits between "user:" and "@"
        return _USERINFO_PASSWORD.sub(r"\1***@", url)
    return url if parsed.password is None else parsed.render_as_string(hide_password=True)


def _accepted(where: str) -> str:
    return (
        "use postgresql://user@host/dbname, sqlite:///path/to/file.db or a file path ending in .db "
        f"(set with {where})"
    )


def _check_sqlite_directory(url: URL, shown: str) -> None:
    if url.database in (None, "", ":memory:"):
        return
    directory = Path(url.database).parent
    if not directory.is_dir():
        raise DatabaseURLError(
            f"The directory '{directory}' of the SQLite database '{shown}' does not exist: create it "
            f"(mkdir -p '{directory}') or choose another path."
        )


def normalize_url(url: str, *, where: str) -> str:
    """The SQLAlchemy URL for what people type, or :class:`DatabaseURLError` (``where`` names the
    option and variable the value came from).

    Accepted: ``postgresql://`` / ``postgres://`` (run with psycopg 3), ``sqlite:///path``, and a bare
    file path that contains a slash or ends in ``.db``/``.sqlite``/``.sqlite3`` (an SQLite file, whose
    directory must exist). Anything else, e.g. ``mysql://...`` or ``not a url``, is refused.
    """
    text = url.strip()
    accepted = _accepted(where)
    if not text:
        raise DatabaseURLError(f"The database URL is empty: {accepted}.")
    if "://" not in text:
        if "/" not in text and not text.lower().endswith(_SQLITE_SUFFIXES):
            raise DatabaseURLError(f"'{text}' is neither a database URL nor an SQLite file path: {accepted}.")
        text = f"sqlite:///{text}"
    elif text.startswith(("postgresql://", "postgres://")):
        text = "postgresql+psycopg://" + text.split("://", 1)[1]
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError):  # ValueError: e.g. a port that is not a number
        raise DatabaseURLError(
            f"The database URL '{display_url(text)}' cannot be parsed: {accepted}."
        ) from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    shown = display_url(text)
    if backend == "sqlite":
        _check_sqlite_directory(parsed, shown)
    elif backend != "postgresql" or driver != "psycopg":
        raise DatabaseURLError(
            f"The database '{shown}' is not supported (only PostgreSQL and SQLite): {accepted}."
        )
    return text


def _create_private(path: str) -> None:
    """Create the empty SQLite file at ``path`` with mode 0600 unless it exists; any other failure (a
    missing directory, no permission) is left for SQLite to report when it opens the file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return
    os.close(fd)


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def create_database_engine(db_url: str) -> Engine:
    """An engine for ``db_url`` (JSON columns encoded with orjson) with the per-dialect settings."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        connect_args: dict[str, Any] = (
            {} if "connect_timeout" in url.query else {"connect_timeout": _CONNECT_TIMEOUT_SECONDS}
        )
        return create_engine(
            url,
            pool_pre_ping=True,
            # The connection returned last is taken first: it has the prepared statements and warm
            # caches of the calls just made, and idle ones beyond the load are left to age out.
            pool_use_lifo=True,
            connect_args=connect_args,
            json_serializer=_json_text,
            json_deserializer=orjson.loads,
        )
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if url.database in (None, "", ":memory:"):
        options["poolclass"] = StaticPool
    engine = create_engine(url, json_serializer=_json_text, json_deserializer=orjson.loads, **options)
    if url.database not in (None, "", ":memory:"):
        database = url.database
        event.listen(engine, "do_connect", lambda *_: _create_private(database))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL stays consistent after a crash (SQLite's recommended pairing); it only skips
            # the fsync per commit.
            cursor.execute("PRAGMA synchronous = NORMAL")
            # A checkpoint (copying the WAL into the database, with an fsync) every ~40 MB of WAL rather
            # than SQLite's default ~4 MB: a sync's page commits otherwise trigger one almost every page.
            cursor.execute("PRAGMA wal_autocheckpoint = 10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the lock up front (no deadlock on upgrade); a reader asks for a deferred BEGIN.
        read_only = connection.get_execution_options().get("ashby_read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def migrate(engine: Engine, package: str, *, version_table: str = "alembic_version") -> None:
    """Bring the schema whose Alembic scripts live in ``<package>/migrations`` to its newest revision.

    Alembic's ``context`` is a module global, so migrations in one process are serialized by a lock;
    across processes SQLite's ``BEGIN IMMEDIATE`` or PostgreSQL's advisory lock serializes them. Each
    schema keeps its own ``version_table``, so the service's and the store's can share a database.
    """
    with _MIGRATION_THREAD_LOCK, engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
        try:
            config = Config()
            config.set_main_option("script_location", str(resources.files(package) / "migrations"))
            config.attributes["connection"] = connection
            config.attributes["version_table"] = version_table
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID})
                connection.commit()


def driver_connect_args(engine: Engine) -> dict[str, Any]:
    """What ``psycopg.connect`` / ``AsyncConnection.connect`` take to reach a PostgreSQL engine's
    database as the engine's own connections do (its URL's host, user, options, and the connect
    timeout), for code that talks to psycopg without SQLAlchemy."""
    _, kwargs = engine.dialect.create_connect_args(engine.url)
    kwargs.pop("context", None)  # SQLAlchemy's adapters for its own connections
    kwargs.setdefault("connect_timeout", _CONNECT_TIMEOUT_SECONDS)
    return dict(kwargs)


def ping(engine: Engine) -> None:
    """``SELECT 1`` on a pooled connection; raises when the database does not answer.

    Runs on the driver's connection, outside SQLAlchemy's transaction, so on SQLite it takes no write
    lock (every transaction here is ``BEGIN IMMEDIATE``) and a health probe never queues behind writers.
    """
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchone()
        cursor.close()
    finally:
        connection.close()


@contextmanager
def prepare_threshold(connection: Connection, threshold: int | None) -> Iterator[None]:
    """psycopg's ``prepare_threshold`` on ``connection`` for the block (``0``: prepare each statement on
    first use; ``None``: never prepare, so PostgreSQL plans it for its values each time), then the
    pooled connection's own setting again for whoever takes it next."""
    driver: Any = connection.connection.driver_connection
    kept = driver.prepare_threshold
    driver.prepare_threshold = threshold
    try:
        yield
    finally:
        driver.prepare_threshold = kept
