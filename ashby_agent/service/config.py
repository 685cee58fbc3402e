"""Service settings: one frozen object, built from arguments, then the environment, then defaults.

Everything tunable lives here so the app, the CLI and the tests configure the service the same way
(argument > ``ASHBY_AGENT_*`` environment variable > default) and nothing reads ``os.environ`` later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pydantic import SecretStr

__all__ = ["DEFAULT_DB_URL", "ServiceSettings", "normalize_db_url"]

DEFAULT_DB_URL: Final = "sqlite:///ashby-agent.db"
DB_ENV: Final = "ASHBY_AGENT_DB"
SECRET_KEY_ENV: Final = "ASHBY_AGENT_SECRET_KEY"
RATE_LIMIT_ENV: Final = "ASHBY_AGENT_RATE_LIMIT"
ASHBY_URL_ENV: Final = "ASHBY_API_URL"


def normalize_db_url(url: str) -> str:
    """Accept the spellings people type: a bare path (SQLite file) or ``postgresql://`` (psycopg 3)."""
    url = url.strip()
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _parse_rate_limit(text: str) -> tuple[int, int]:
    """``"600/60"`` → (600 requests, per 60 s); ``"0"`` disables the limit."""
    requests, _, window = text.partition("/")
    try:
        return int(requests), int(window or "60")
    except ValueError:
        raise ValueError(f"{RATE_LIMIT_ENV} must look like 600/60 (requests/seconds), got {text!r}") from None


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

    @classmethod
    def from_env(cls, db_url: str | None = None, **overrides: object) -> ServiceSettings:
        """Settings from arguments, then ``ASHBY_AGENT_DB``/``ASHBY_AGENT_SECRET_KEY``/
        ``ASHBY_AGENT_RATE_LIMIT``/``ASHBY_API_URL``, then defaults."""
        values: dict[str, object] = {
            "db_url": normalize_db_url(db_url or os.environ.get(DB_ENV) or DEFAULT_DB_URL)
        }
        key = os.environ.get(SECRET_KEY_ENV, "").strip()
        if key:
            values["secret_key"] = SecretStr(key)
        limit = os.environ.get(RATE_LIMIT_ENV, "").strip()
        if limit:
            values["rate_limit_requests"], values["rate_limit_window_seconds"] = _parse_rate_limit(limit)
        ashby_url = os.environ.get(ASHBY_URL_ENV, "").strip()
        if ashby_url:
            values["ashby_base_url"] = ashby_url
        values.update({name: value for name, value in overrides.items() if value is not None})
        if isinstance(values.get("secret_key"), str):
            values["secret_key"] = SecretStr(str(values["secret_key"]))
        values["db_url"] = normalize_db_url(str(values["db_url"]))
        return cls(**values)  # type: ignore[arg-type]

    def default_key_file(self) -> Path:
        """``<sqlite file>.key`` next to an SQLite database, else ``./ashby-agent.key``."""
        if self.key_file is not None:
            return self.key_file
        if self.db_url.startswith("sqlite:///") and self.db_url != "sqlite:///:memory:":
            path = self.db_url.removeprefix("sqlite:///").split("?", 1)[0]
            return Path(path + ".key")
        return Path("ashby-agent.key")
