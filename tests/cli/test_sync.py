"""``ashby-agent sync`` and ``ashby-agent store inspect`` against the real sandbox and real store files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.outcome import assert_fails, cli, process


def _env(sandbox: Any, store: Path) -> dict[str, str]:
    return {"ASHBY_API_URL": sandbox.url, "ASHBY_API_KEY": sandbox.api_key, "ASHBY_AGENT_STORE": str(store)}


def test_sync_then_inspect(shared_sandbox: Any, tmp_path: Path) -> None:
    env = _env(shared_sandbox, tmp_path / "store.db")
    first = process("sync", "--entities", "jobs,departments", **env)
    assert first.code == 0, first.stderr
    assert "Synced 2 of 2 entities" in first.stdout
    assert "Traceback" not in first.stdout + first.stderr
    again = process("sync", "--entities", "jobs", **env)  # incremental: nothing changed
    assert again.code == 0 and "0 records stored" in again.stdout
    shown = process("store", "inspect", "--json", **env)
    assert shown.code == 0, shown.stderr
    entities = {item["entity"]: item for item in json.loads(shown.stdout)["configured_cache_entities"]}
    assert entities["jobs"]["status"] == "ready"
    assert entities["jobs"]["entity_count"] == len(shared_sandbox.control.records("job"))
    assert entities["candidates"]["status"] == "not_synced"
    assert shared_sandbox.api_key not in first.stdout + shown.stdout


def test_a_failed_entity_is_named_and_exits_1(shared_sandbox: Any, tmp_path: Path) -> None:
    env = _env(shared_sandbox, tmp_path / "store.db")
    outcome = process("sync", "--entities", "jobs", **{**env, "ASHBY_API_KEY": "not-a-key"})
    assert outcome.code == 1
    assert "jobs: failed: Ashby rejected the request" in outcome.stdout
    assert "Traceback" not in outcome.stdout + outcome.stderr


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("sync", "--entities", "jobz"), 2, "Unknown entities jobz; replicable: candidates"),
        (("sync", "--start-date", "last week"), 2, "is not a date"),
        (("sync", "--store", "mysql://u@h/db"), 1, "is not supported (only PostgreSQL and SQLite)"),
        (("sync", "--store", "not a url"), 1, "set with --store or ASHBY_AGENT_STORE"),
    ],
)
def test_sync_explains_bad_input(
    shared_sandbox: Any, tmp_path: Path, args: tuple[str, ...], code: int, fragment: str
) -> None:
    assert_fails(cli(*args, **_env(shared_sandbox, tmp_path / "s.db")), code, fragment)


def test_sync_and_inspect_need_a_key(tmp_path: Path) -> None:
    assert_fails(cli("sync", "--store", str(tmp_path / "s.db")), 2, "ASHBY_API_KEY is not set")
    assert_fails(cli("store", "inspect", "--store", str(tmp_path / "s.db")), 2, "ASHBY_API_KEY is not set")
