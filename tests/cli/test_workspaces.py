"""``ashby-agent workspaces list`` against a real service."""

from __future__ import annotations

from typing import Any

from tests.cli.outcome import cli


def test_workspaces_list(env: dict[str, str], shared_sandbox: Any) -> None:
    assert (
        cli("connectors", "create", "--workspace", "w9", "--api-key", shared_sandbox.api_key, **env).code == 0
    )
    assert cli("workspaces", "list", "--name-contains", "w", **env).stdout.split()[1:] == ["w9", "active"]
    assert cli("workspaces", "list", "--name-contains", "zz", **env).stdout == ""
