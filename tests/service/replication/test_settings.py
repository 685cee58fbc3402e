"""Replication settings: where syncs run, the public URL, and the worker command's refusal on SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ashby_agent.cli import app
from ashby_agent.service.config import ServiceSettings, SettingsError


def test_syncs_run_in_the_server_on_sqlite_and_in_workers_on_postgresql(tmp_path: Path) -> None:
    sqlite = ServiceSettings.from_env(f"sqlite:///{tmp_path / 's.db'}")
    assert sqlite.runs_jobs_in_process and sqlite.refresh_minutes == 5
    postgres = ServiceSettings.from_env("postgresql://u@localhost/db")
    assert not postgres.runs_jobs_in_process
    assert ServiceSettings.from_env("postgresql://u@localhost/db", jobs="in-process").runs_jobs_in_process


def test_bad_replication_settings_name_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingsError, match="ASHBY_AGENT_JOBS must be one of"):
        ServiceSettings.from_env(f"sqlite:///{tmp_path / 's.db'}", jobs="celery")
    with pytest.raises(SettingsError, match="needs PostgreSQL"):
        ServiceSettings.from_env(f"sqlite:///{tmp_path / 's.db'}", jobs="queue")
    monkeypatch.setenv("ASHBY_AGENT_PUBLIC_URL", "agent.example.com")
    with pytest.raises(SettingsError, match="ASHBY_AGENT_PUBLIC_URL must start with https://"):
        ServiceSettings.from_env(f"sqlite:///{tmp_path / 's.db'}")
    monkeypatch.setenv("ASHBY_AGENT_PUBLIC_URL", "https://agent.example.com/")
    assert (
        ServiceSettings.from_env(f"sqlite:///{tmp_path / 's.db'}").public_url == "https://agent.example.com"
    )


def test_the_worker_needs_postgresql(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["worker", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert "needs PostgreSQL" in result.output
