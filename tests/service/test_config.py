"""Service settings: database URL spellings, the environment, the key file location."""

from __future__ import annotations

from pathlib import Path

import pytest

from ashby_agent.service.config import ServiceSettings, normalize_db_url


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
