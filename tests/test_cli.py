"""The command line over the real sandbox: demo, execute and docs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ashby_agent.reference_doc import render_reference

CLI = [sys.executable, "-m", "ashby_agent.cli"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {key: value for key, value in os.environ.items() if not key.startswith(("ASHBY_", "AIRBYTE_"))}
    full_env.update(env or {})
    full_env["COLUMNS"] = "160"
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=full_env, timeout=120, check=False
    )


def test_demo_tours_the_sandbox() -> None:
    result = _run("demo")
    assert result.returncode == 0, result.stderr
    for title in ("Open jobs", "Pipeline for", "Applications in the 30 days", "Top sources"):
        assert title in result.stdout
    assert "applications and" in result.stdout


def test_execute_prints_json(shared_sandbox: Any) -> None:
    env = {"ASHBY_API_URL": shared_sandbox.url, "ASHBY_API_KEY": shared_sandbox.api_key}
    result = _run("execute", "candidates", "list", '{"limit": 2}', env=env)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["data"]) == 2 and payload["meta"]["has_more"] is True
    assert "primaryEmailAddress" in payload["data"][0] or "emailAddresses" in payload["data"][0]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("execute", "candidats", "list"), "Did you mean 'candidates'"),
        (("execute", "candidates", "list", "{not json"), "not valid JSON"),
        (("execute", "candidates", "list", "[1]"), "must be a JSON object"),
    ],
)
def test_execute_explains_bad_input(shared_sandbox: Any, args: tuple[str, ...], fragment: str) -> None:
    env = {"ASHBY_API_URL": shared_sandbox.url, "ASHBY_API_KEY": shared_sandbox.api_key}
    result = _run(*args, env=env)
    assert result.returncode != 0
    assert fragment in result.stderr.replace("\n", " ")
    assert shared_sandbox.api_key not in result.stderr + result.stdout


def test_execute_without_key_says_what_to_set() -> None:
    result = _run("execute", "candidates", "list")
    assert result.returncode == 2
    assert "ASHBY_API_KEY" in result.stderr


def test_docs_reference_matches_generator(tmp_path: Path) -> None:
    target = tmp_path / "REFERENCE.md"
    result = _run("docs", "reference", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == render_reference()
