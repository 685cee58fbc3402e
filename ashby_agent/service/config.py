"""Service settings: one frozen object, built from arguments, then the environment, then defaults.

Everything tunable lives here so the app, the CLI and the tests configure the service the same way
(argument > ``ASHBY_AGENT_*`` environment variable > default) and nothing reads ``os.environ`` later.
A database value is checked here, before anything touches the disk or the network: a typo fails with
one message naming the value (never its password) and the accepted forms.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from ashby_agent.database import DatabaseURLError, display_url, normalize_url

__all__ = [
    "ASHBY_URL_ENV",
    "DB_ENV",
    "DEFAULT_DB_URL",
    "JOBS_ENV",
    "PUBLIC_URL_ENV",
    "RATE_LIMIT_ENV",
    "SECRET_KEY_ENV",
    "ServiceSettings",
    "SettingsError",
    "display_db_url",
    "normalize_db_url",
]

DEFAULT_DB_URL: Final = "sqlite:///ashby-agent.db"
DB_ENV: Final = "ASHBY_AGENT_DB"
SECRET_KEY_ENV: Final = "ASHBY_AGENT_SECRET_KEY"
RATE_LIMIT_ENV: Final = "ASHBY_AGENT_RATE_LIMIT"
ASHBY_URL_ENV: Final = "ASHBY_API_URL"
PUBLIC_URL_ENV: Final = "ASHBY_AGENT_PUBLIC_URL"
JOBS_ENV: Final = "ASHBY_AGENT_JOBS"
#: Where syncs run: ``auto`` (in the server on SQLite, ``ashby-agent worker`` processes on PostgreSQL),
#: ``in-process`` (always in the server) or ``queue`` (always workers; PostgreSQL only).
JOB_MODES: Final = ("auto", "in-process", "queue")


class SettingsError(ValueError):
    """A setting that cannot work as given; the message names the value and what to use instead."""


def display_db_url(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``: what messages and logs may show."""
    return display_url(url)


def normalize_db_url(url: str) -> str:
    """The SQLAlchemy URL for a ``--db`` / ``ASHBY_AGENT_DB`` value, or :class:`SettingsError` (the rules
    are :func:`ashby_agent.database.normalize_url`'s)."""
    try:
        return normalize_url(url, where="--db or ASHBY_AGENT_DB")
    except DatabaseURLError as exc:
        raise SettingsError(str(exc)) from None


def _parse_rate_limit(text: str) -> tuple[int, int]:
    """``"600/60"`` → (600 requests, per 60 s); ``"0"`` disables the limit."""
    requests, _, window = text.partition("/")
    try:
        return int(requests), int(window or "60")
    except ValueError:
        raise SettingsError(
            f"{RATE_LIMIT_ENV} must look like 600/60 (requests/seconds), got {text!r}"
        ) from None


def _check_replication(values: dict[str, object]) -> None:
    jobs = values.get("jobs", "auto")
    if jobs not in JOB_MODES:
        raise SettingsError(f"{JOBS_ENV} must be one of {', '.join(JOB_MODES)}, got {jobs!r}.")
    if jobs == "queue" and make_url(str(values["db_url"])).get_backend_name() == "sqlite":
        raise SettingsError(
            f"{JOBS_ENV}=queue needs PostgreSQL (workers share its job queue); on SQLite syncs run in "
            "the server: unset it or use in-process."
        )
    public_url = values.get("public_url")
    if isinstance(public_url, str):
        if not public_url.startswith(("http://", "https://")):
            raise SettingsError(
                f"{PUBLIC_URL_ENV} must start with https:// (or http://), got {public_url!r}."
            )
        values["public_url"] = public_url.rstrip("/")


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """How one service process runs. Several processes sharing one database must share ``secret_key``."""

    #: SQLAlchemy URL: ``sqlite:///path`` (default ``./ashby-agent.db``) or ``postgresql+psycopg://...``.
    db_url: str = DEFAULT_DB_URL
    #: Fernet key(s), comma-separated, newest first: encrypts credentials and signs tokens. ``None``:
    #: read/generate the key file (``<sqlite file>.key`` or ``./ashby-agent.key``, mode 0600).
    secret_key: SecretStr | None = field(default=None, repr=False)
    key_file: Path | None = None
    #: Where Ashby is (tests point this at the sandbox).
    ashby_base_url: str | None = None
    #: Attempts per Ashby call (429/5xx/timeouts are retried with backoff); 1 disables retries.
    ashby_max_attempts: int = 4
    token_ttl_seconds: int = 900
    scoped_token_ttl_seconds: int = 1200
    #: Requests per client per window; 0 disables rate limiting.
    rate_limit_requests: int = 600
    rate_limit_window_seconds: int = 60
    max_body_bytes: int = 1024 * 1024
    #: Pooled Ashby connectors kept open (one per stored connector and credential version).
    connector_pool_size: int = 256
    #: Strings longer than this are shortened in execute results unless ``skip_truncation`` is set.
    truncate_strings_at: int = 10_000
    #: Minutes between scheduled syncs of a connector whose ``replication_config`` names none.
    refresh_minutes: int = 5
    #: The service's public base URL: when set, connectors register their Ashby webhooks themselves.
    public_url: str | None = None
    #: Where syncs run (see :data:`JOB_MODES`).
    jobs: str = "auto"
    #: Seconds between the in-process runner's looks for due syncs (a trigger wakes it at once).
    sync_poll_seconds: float = 5.0

    @property
    def runs_jobs_in_process(self) -> bool:
        """Whether this server runs syncs itself (else it only queues them for workers)."""
        sqlite = make_url(self.db_url).get_backend_name() == "sqlite"
        return self.jobs == "in-process" or (self.jobs == "auto" and sqlite)

    @classmethod
    def from_env(cls, db_url: str | None = None, **overrides: object) -> ServiceSettings:
        """Settings from arguments, then ``ASHBY_AGENT_DB``/``ASHBY_AGENT_SECRET_KEY``/
        ``ASHBY_AGENT_RATE_LIMIT``/``ASHBY_API_URL``, then defaults. Raises :class:`SettingsError`."""
        values: dict[str, object] = {"db_url": db_url or os.environ.get(DB_ENV) or DEFAULT_DB_URL}
        key = os.environ.get(SECRET_KEY_ENV, "").strip()
        if key:
            values["secret_key"] = SecretStr(key)
        limit = os.environ.get(RATE_LIMIT_ENV, "").strip()
        if limit:
            values["rate_limit_requests"], values["rate_limit_window_seconds"] = _parse_rate_limit(limit)
        ashby_url = os.environ.get(ASHBY_URL_ENV, "").strip()
        if ashby_url:
            values["ashby_base_url"] = ashby_url
        public_url = os.environ.get(PUBLIC_URL_ENV, "").strip()
        if public_url:
            values["public_url"] = public_url
        jobs = os.environ.get(JOBS_ENV, "").strip()
        if jobs:
            values["jobs"] = jobs
        values.update({name: value for name, value in overrides.items() if value is not None})
        if isinstance(values.get("secret_key"), str):
            values["secret_key"] = SecretStr(str(values["secret_key"]))
        values["db_url"] = normalize_db_url(str(values["db_url"]))
        base_url = values.get("ashby_base_url")
        if isinstance(base_url, str) and not base_url.startswith(("http://", "https://")):
            raise SettingsError(
                f"The Ashby URL {base_url!r} must start with http:// or https:// (--ashby-url or "
                f"{ASHBY_URL_ENV}; the sandbox's is printed by ashby-agent sandbox)."
            )
        _check_replication(values)
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def for_database(cls, db_url: str | None = None) -> ServiceSettings:
        """Only what opening the database needs: the URL (argument, else ``ASHBY_AGENT_DB``, else the
        default) and ``ASHBY_AGENT_SECRET_KEY``. The operator's verbs read nothing else."""
        key = os.environ.get(SECRET_KEY_ENV, "").strip()
        return cls(
            db_url=normalize_db_url(db_url or os.environ.get(DB_ENV) or DEFAULT_DB_URL),
            secret_key=SecretStr(key) if key else None,
        )

    @property
    def display_db_url(self) -> str:
        """The database URL with its password masked (for messages)."""
        return display_db_url(self.db_url)

    def default_key_file(self) -> Path:
        """``<sqlite file>.key`` next to an SQLite database, else ``./ashby-agent.key``."""
        if self.key_file is not None:
            return self.key_file
        if self.db_url.startswith("sqlite:///") and self.db_url != "sqlite:///:memory:":
            path = self.db_url.removeprefix("sqlite:///").split("?", 1)[0]
            return Path(path + ".key")
        return Path("ashby-agent.key")
