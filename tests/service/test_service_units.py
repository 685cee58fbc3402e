"""The pure parts, without a server: tokens, keys, SQL builders, field projection, settings, the pool,
and the connector-error mapping table."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, SecretStr
from sqlalchemy.dialects import postgresql, sqlite

from ashby_agent.errors import (
    AshbyAgentError,
    AshbyValidationError,
    AuthenticationError,
    ConnectionFailedError,
    CursorError,
    InvalidParamsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    UnknownEntityError,
)
from ashby_agent.service import audit, ratelimit
from ashby_agent.service.config import ServiceSettings, normalize_db_url
from ashby_agent.service.crypto import (
    CredentialDecryptError,
    Keyring,
    generate_key,
    hash_secret,
    load_or_create_key_file,
    verify_secret,
)
from ashby_agent.service.errors import ServiceError, from_connector_error
from ashby_agent.service.pool import ConnectorPool
from ashby_agent.service.projection import plan_fields, truncate_strings
from ashby_agent.service.tokens import TokenError, TokenSigner

# --------------------------------------------------------------------------- tokens


def test_tokens_round_trip_and_expire() -> None:
    signer = TokenSigner((b"a" * 32,))
    token = signer.issue("scoped", "client", "org", 60, workspace_id="ws", now=1000)
    claims = signer.verify(token, now=1059)
    assert (claims.kind, claims.client_id, claims.organization_id, claims.workspace_id) == (
        "scoped",
        "client",
        "org",
        "ws",
    )
    with pytest.raises(TokenError, match="expired"):
        signer.verify(token, now=1060)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t + "x",
        lambda t: t.replace(".", "..", 1),
        lambda t: "eyJhbGciOiJub25lIn0." + t.split(".", 1)[1],  # alg none
        lambda t: t.split(".")[0] + ".e30." + t.split(".")[2],  # empty payload, old signature
        lambda t: "",
        lambda t: "ü.ü.ü",
    ],
)
def test_tampered_tokens_are_rejected(mutate: object) -> None:
    signer = TokenSigner((b"a" * 32,))
    token = signer.issue("app", "client", "org", 60)
    with pytest.raises(TokenError):
        signer.verify(mutate(token))  # type: ignore[operator]


def test_rotated_keys_still_verify_old_tokens() -> None:
    old, new = generate_key(), generate_key()
    token = TokenSigner(Keyring(old).signing_keys).issue("app", "c", "o", 60)
    both = TokenSigner(Keyring(SecretStr(f"{new.get_secret_value()},{old.get_secret_value()}")).signing_keys)
    assert both.verify(token).client_id == "c"
    with pytest.raises(TokenError):
        TokenSigner(Keyring(new).signing_keys).verify(token)


# --------------------------------------------------------------------------- keys and secrets


def test_keyring_encrypts_and_multi_key_decrypts() -> None:
    old, new = generate_key(), generate_key()
    sealed = Keyring(old).encrypt_credentials(SecretStr("the-key"))
    assert "the-key" not in sealed
    rotated = Keyring(SecretStr(f"{new.get_secret_value()},{old.get_secret_value()}"))
    assert rotated.decrypt_credentials(sealed).get_secret_value() == "the-key"
    with pytest.raises(CredentialDecryptError):
        Keyring(new).decrypt_credentials(sealed)
    with pytest.raises(ValueError, match="Fernet"):
        Keyring(SecretStr("short"))
    assert old.get_secret_value() not in repr(Keyring(old))


def test_key_file_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    first = load_or_create_key_file(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_key_file(path).get_secret_value() == first.get_secret_value()


def test_secret_hash_verifies_only_the_secret() -> None:
    stored = hash_secret(SecretStr("s3cret"), n=2**10)
    assert verify_secret(SecretStr("s3cret"), stored)
    assert not verify_secret(SecretStr("s3cret!"), stored)
    assert not verify_secret(SecretStr("s3cret"), None)
    assert not verify_secret(SecretStr("s3cret"), "garbage")


# --------------------------------------------------------------------------- SQL builders


def test_rate_limit_upsert_compiles_for_both_dialects() -> None:
    for dialect in (postgresql.dialect(), sqlite.dialect()):
        sql = str(ratelimit.build_hit(dialect.name, "c", 60).compile(dialect=dialect))
        assert "INSERT INTO rate_limits" in sql
        assert "ON CONFLICT (client_id, window_start) DO UPDATE SET count = (rate_limits.count +" in sql
        assert sql.rstrip().endswith(("RETURNING count", "RETURNING rate_limits.count"))
    prune = str(ratelimit.build_prune("c", 60).compile(dialect=sqlite.dialect()))
    assert prune == "DELETE FROM rate_limits WHERE rate_limits.client_id = ? AND rate_limits.window_start < ?"


def test_audit_statements_never_carry_params() -> None:
    columns = {column.name for column in audit.build_record.__globals__["audit_log"].columns}
    assert not {"params", "result", "credentials"} & columns
    sql = str(audit.build_list(organization_id="o", limit=5).compile(dialect=sqlite.dialect()))
    assert "ORDER BY audit_log.id DESC" in sql


# --------------------------------------------------------------------------- projection


class _Record(BaseModel):
    id: str
    created_at: str = Field(alias="createdAt")
    job: dict[str, object] = Field(alias="job")


def test_field_plan_selects_and_excludes_paths() -> None:
    record = {"id": "1", "createdAt": "t", "job": {"title": "x", "locationName": "y"}, "extra": 1}
    assert plan_fields(_Record, ["id", "job.location_name"], None).apply(dict(record)) == {
        "id": "1",
        "job": {"locationName": "y"},
    }
    assert plan_fields(_Record, None, ["created_at", "job.title"]).apply(
        {**record, "job": dict(record["job"])}  # type: ignore[arg-type]
    ) == {"id": "1", "job": {"locationName": "y"}, "extra": 1}
    with pytest.raises(ServiceError) as caught:
        plan_fields(_Record, ["nope", "job..x"], None)
    assert caught.value.status == 422
    assert len(caught.value.errors) == 2
    assert "createdAt, id, job" in caught.value.message


def test_truncation_marks_what_it_cut() -> None:
    value = {"a": "x" * 20, "b": ["y" * 3, {"c": "z" * 11}], "n": 5}
    cut = truncate_strings(value, 10)
    assert cut["a"].startswith("x" * 10)
    assert "truncated 10 characters" in cut["a"]
    assert cut["b"][0] == "yyy"
    assert "truncated 1 characters" in cut["b"][1]["c"]
    assert cut["n"] == 5


# --------------------------------------------------------------------------- settings


def test_db_url_spellings() -> None:
    assert normalize_db_url("data/x.db") == "sqlite:///data/x.db"
    assert normalize_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_url("sqlite:///a.db") == "sqlite:///a.db"


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASHBY_AGENT_DB", str(tmp_path / "s.db"))
    monkeypatch.setenv("ASHBY_AGENT_RATE_LIMIT", "10/5")
    monkeypatch.setenv("ASHBY_API_URL", "http://ashby.test")
    monkeypatch.setenv("ASHBY_AGENT_SECRET_KEY", "k")
    settings = ServiceSettings.from_env()
    assert settings.db_url == f"sqlite:///{tmp_path / 's.db'}"
    assert (settings.rate_limit_requests, settings.rate_limit_window_seconds) == (10, 5)
    assert settings.ashby_base_url == "http://ashby.test"
    assert settings.default_key_file() == Path(f"{tmp_path / 's.db'}.key")
    assert "'k'" not in repr(settings)
    assert ServiceSettings.from_env("postgresql://h/db").default_key_file() == Path("ashby-agent.key")
    monkeypatch.setenv("ASHBY_AGENT_RATE_LIMIT", "lots")
    with pytest.raises(ValueError, match="600/60"):
        ServiceSettings.from_env()


# --------------------------------------------------------------------------- pool


def test_pool_reuses_per_version_and_evicts_lru() -> None:
    async def scenario() -> None:
        pool = ConnectorPool("http://127.0.0.1:9", max_size=2)
        calls: list[str] = []

        def key(name: str) -> object:
            return lambda: calls.append(name) or SecretStr(name)

        first = await pool.get("a", 1, key("a1"))  # type: ignore[arg-type]
        assert await pool.get("a", 1, key("a1-again")) is first  # type: ignore[arg-type]
        second = await pool.get("a", 2, key("a2"))  # type: ignore[arg-type]
        assert second is not first
        # a request that read the row before a rotation must not put the old key back
        assert await pool.get("a", 1, key("a1-stale")) is second  # type: ignore[arg-type]
        await pool.get("b", 1, key("b1"))  # type: ignore[arg-type]
        await pool.get("c", 1, key("c1"))  # type: ignore[arg-type]
        assert len(pool) == 2
        assert calls == ["a1", "a2", "b1", "c1"]
        await pool.evict("c", "missing")
        assert len(pool) == 1
        await pool.aclose()

    asyncio.run(scenario())


# --------------------------------------------------------------------------- error mapping


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (UnknownEntityError("x", ["candidates"]), 422, "unknown_entity"),
        (InvalidParamsError("candidates", "list", ["bad"], ["limit"]), 422, "invalid_params"),
        (NotFoundError("gone", status=200, code="candidate_not_found"), 404, "candidate_not_found"),
        (RateLimitError("slow", retry_after=2.5), 429, "rate_limit_exceeded"),
        (AuthenticationError("no", status=401, code="invalid_api_key"), 502, "invalid_api_key"),
        (PermissionDeniedError("no", missing_permission="jobsRead"), 502, "missing_endpoint_permission"),
        (ServerError("down", status=503), 502, "server_error"),
        (AshbyValidationError("bad", status=200, code="invalid_input"), 422, "invalid_input"),
        (CursorError("old", status=200, code="next_cursor_expired"), 422, "next_cursor_expired"),
        (RequestTimeoutError("slow"), 502, "timeout"),
        (ConnectionFailedError("refused"), 502, "connection"),
    ],
)
def test_connector_errors_map_to_documented_statuses(error: AshbyAgentError, status: int, code: str) -> None:
    mapped = from_connector_error(error)
    assert mapped.status == status
    assert mapped.errors[0].error_code == code
    if status == 429:
        assert mapped.headers["Retry-After"] == "3"
