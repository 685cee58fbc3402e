"""Service settings: database URL spellings (and the typos refused before anything is touched), the
environment, the key file location."""

from __future__ import annotations

from pathlib import Path

import pytest

from ashby_agent.service.config import ServiceSettings, SettingsError, display_db_url, normalize_db_url


def test_db_url_spellings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    assert normalize_db_url("data/x.db") == "sqlite:///data/x.db"
    assert normalize_db_url("x.db") == "sqlite:///x.db"
    assert normalize_db_url("my data.sqlite3") == "sqlite:///my data.sqlite3"
    assert normalize_db_url(f"{tmp_path}/x") == f"sqlite:///{tmp_path}/x"
    assert normalize_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_url(" sqlite:///a.db ") == "sqlite:///a.db"
    assert normalize_db_url("sqlite://") == "sqlite://"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # checking creates nothing


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("not a url", ["'not a url' is neither a database URL nor an SQLite file path", "postgresql://"]),
        ("ashby", ["'ashby' is neither"]),
        ("", ["empty"]),
        ("mysql://root:pw@h/db", ["'mysql://root:***@h/db' is not supported", "PostgreSQL and SQLite"]),
        ("postgresql+psycopg2://u:pw@h/db", ["not supported"]),
        ("nowhere/deeper/x.db", ["directory 'nowhere/deeper'", "mkdir -p 'nowhere/deeper'"]),
        ("sqlite:///nowhere/x.db", ["directory 'nowhere'"]),
        ("postgresql://u:pw@h:notaport/db", ["cannot be parsed"]),
    ],
)
def test_typos_are_refused_with_the_accepted_forms(value: str, fragments: list[str]) -> None:
    with pytest.raises(SettingsError) as refused:
        normalize_db_url(value)
    for fragment in fragments:
        assert fragment in str(refused.value)
    assert ":pw@" not in str(refused.value)


def test_display_masks_only_the_password() -> None:
    assert (
        display_db_url("postgresql+psycopg://u:secret@h:5432/db?x=1")
        == "postgresql+psycopg://u:***@h:5432/db?x=1"
    )
    assert display_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert display_db_url("sqlite:///a b.db") == "sqlite:///a b.db"
    settings = ServiceSettings(db_url="postgresql+psycopg://u:secret@h/db")
    assert settings.display_db_url == "postgresql+psycopg://u:***@h/db"


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
    with pytest.raises(SettingsError, match="600/60"):
        ServiceSettings.from_env()


def test_an_ashby_url_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASHBY_API_URL", "api.ashbyhq.com")
    with pytest.raises(SettingsError, match="must start with http:// or https://"):
        ServiceSettings.from_env("x.db")


def test_the_operator_reads_only_the_database_and_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASHBY_AGENT_DB", "postgresql://h/db")
    monkeypatch.setenv("ASHBY_AGENT_SECRET_KEY", "k")
    monkeypatch.setenv("ASHBY_AGENT_RATE_LIMIT", "lots")  # would be refused by from_env
    monkeypatch.setenv("ASHBY_API_URL", "not-a-url")
    settings = ServiceSettings.for_database()
    assert settings.db_url == "postgresql+psycopg://h/db"
    assert settings.secret_key is not None and settings.secret_key.get_secret_value() == "k"
    assert settings.ashby_base_url is None
    assert ServiceSettings.for_database("x.db").db_url == "sqlite:///x.db"
