"""Hosted-mode CLI verbs as an operator runs them: admin bootstrap, `serve`, connectors and workspaces."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CLI = [sys.executable, "-m", "ashby_agent.cli"]


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ASHBY_", "AIRBYTE_"))}
    env["COLUMNS"] = "200"
    env.update(extra)
    return env


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=_env(**env), timeout=120, check=False
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'service.db'}"


def test_admin_bootstrap_prints_the_secret_once_and_stores_a_hash(db: str, tmp_path: Path) -> None:
    assert _run("admin", "create-org", "acme", "--db", db).returncode == 0
    duplicate = _run("admin", "create-org", "acme", "--db", db)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    created = _run("admin", "create-client", "--org", "acme", "--db", db)
    assert created.returncode == 0, created.stderr
    secret = re.search(r"client_secret=(\S+)", created.stdout)
    assert secret is not None
    assert secret.group(1).encode() not in (tmp_path / "service.db").read_bytes()
    unknown = _run("admin", "create-client", "--org", "nope", "--db", db)
    assert unknown.returncode == 1 and "nope" in unknown.stderr
    assert "acme" in _run("admin", "list-orgs", "--db", db).stdout


@pytest.fixture
def served(db: str, shared_sandbox: Any) -> Iterator[dict[str, str]]:
    """`ashby-agent serve` in its own process over a fresh SQLite file, pointed at the sandbox."""
    assert _run("admin", "create-org", "acme", "--db", db).returncode == 0
    created = _run("admin", "create-client", "--org", "acme", "--db", db)
    client_id = re.search(r"client_id=(\S+)", created.stdout)
    secret = re.search(r"client_secret=(\S+)", created.stdout)
    assert client_id and secret
    port = _free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--db", db],
        env=_env(ASHBY_API_URL=shared_sandbox.url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.1)
        yield {
            "AIRBYTE_CLIENT_ID": client_id.group(1),
            "AIRBYTE_CLIENT_SECRET": secret.group(1),
            "ASHBY_AGENT_API_URL": url,
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        assert proc.stderr is not None
        log = proc.stderr.read().decode()
        proc.stderr.close()
        assert secret.group(1) not in log and shared_sandbox.api_key not in log


def test_connectors_and_workspaces_verbs(served: dict[str, str], shared_sandbox: Any, db: str) -> None:
    created = _run(
        "connectors", "create", "--workspace", "customer-1", "--api-key", shared_sandbox.api_key, **served
    )
    assert created.returncode == 0, created.stderr
    connector_id = re.search(r"connector id=(\S+)", created.stdout)
    assert connector_id is not None
    listed = _run("connectors", "list", "--workspace", "customer-1", **served)
    assert connector_id.group(1) in listed.stdout
    checked = _run("connectors", "check", connector_id.group(1), **served)
    assert checked.returncode == 0 and "succeeded" in checked.stdout
    assert "customer-1" in _run("workspaces", "list", **served).stdout
    env = {**served, "ASHBY_API_KEY": ""}
    assert _run("connectors", "delete", connector_id.group(1), **env).returncode == 0
    assert connector_id.group(1) not in _run("connectors", "list", **served).stdout
    assert shared_sandbox.api_key not in created.stdout + listed.stdout
    audit = _run("admin", "audit", "--db", db)
    assert audit.returncode == 0


def test_hosted_verbs_explain_missing_credentials() -> None:
    result = _run("workspaces", "list")
    assert result.returncode == 2
    assert "AIRBYTE_CLIENT_ID" in result.stderr


def test_wrong_client_secret_is_refused(served: dict[str, str]) -> None:
    result = _run("workspaces", "list", **{**served, "AIRBYTE_CLIENT_SECRET": "wrong"})
    assert result.returncode == 1
    assert "HostedAuthenticationError" in result.stderr
