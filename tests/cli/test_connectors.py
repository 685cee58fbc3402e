"""``ashby-agent connectors ...`` against a real service (in-process, real HTTP) over the sandbox: one
connector per workspace, keys tried against Ashby before they are stored, rotation, and the
credentials a client needs explained in one line."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.outcome import Outcome, assert_fails, cli

WRONG_KEY = "not-an-ashby-key"


def run(env: dict[str, str], *args: str) -> Outcome:
    return cli("connectors", *args, **env)


def listed(env: dict[str, str]) -> list[list[str]]:
    outcome = run(env, "list")
    assert outcome.code == 0, outcome.stderr
    return [line.split() for line in outcome.stdout.splitlines()]


def test_a_key_ashby_rejects_is_not_stored(env: dict[str, str]) -> None:
    line = assert_fails(
        run(env, "create", "--workspace", "w1", "--api-key", WRONG_KEY),
        1,
        "Ashby did not accept this API key",
        "nothing was stored",
        "--no-check",
    )
    assert "ASHBY_API_KEY" not in line  # local mode's variable; here the key is the customer's
    assert listed(env) == [["no", "connectors"]]
    assert "w1" not in cli("workspaces", "list", **env).stdout


def test_create_list_refuse_a_second_and_replace(env: dict[str, str], shared_sandbox: Any) -> None:
    key = shared_sandbox.api_key
    created = run(env, "create", "--workspace", "w1", "--api-key", key, "--start-date", "2024-01-01")
    assert created.code == 0, created.stderr
    assert key not in created.stdout + created.stderr
    header, row = listed(env)
    assert header == ["ID", "NAME", "WORKSPACE", "START", "DATE"]
    connector_id = row[0]
    assert row[1:] == ["Ashby", "w1", "2024-01-01T00:00:00Z"]

    assert_fails(
        run(env, "create", "--workspace", "w1", "--api-key", key),
        1,
        f"already has an Ashby connector: id={connector_id} name='Ashby'",
        "--replace",
        f"ashby-agent connectors delete {connector_id}",
    )
    replaced = run(env, "create", "--workspace", "w1", "--api-key", key, "--replace", "--name", "Main")
    assert replaced.code == 0, replaced.stderr
    assert f"connector id={connector_id}" in replaced.stdout and "same id" in replaced.stdout
    assert listed(env)[1][:2] == [connector_id, "Main"]


def test_rotate_key_checks_the_new_key(env: dict[str, str], shared_sandbox: Any) -> None:
    assert run(env, "create", "--workspace", "w2", "--api-key", shared_sandbox.api_key).code == 0
    connector_id = listed(env)[1][0]
    assert_fails(run(env, "rotate-key", connector_id, "--api-key", WRONG_KEY), 1, "nothing was stored")
    assert run(env, "check", connector_id).code == 0  # the old key is still the stored one

    assert run(env, "rotate-key", connector_id, "--api-key", WRONG_KEY, "--no-check").code == 0
    line = assert_fails(
        run(env, "check", connector_id), 1, "failed:", f"ashby-agent connectors rotate-key {connector_id}"
    )
    assert "ASHBY_API_KEY" not in line
    rotated = run(env, "rotate-key", connector_id, "--api-key", shared_sandbox.api_key)
    assert rotated.code == 0 and f"id={connector_id}" in rotated.stdout
    assert run(env, "check", connector_id).stdout == "succeeded\n"


def test_no_check_stores_an_untried_key(env: dict[str, str]) -> None:
    assert run(env, "create", "--workspace", "w3", "--api-key", WRONG_KEY, "--no-check").code == 0
    assert [row[2] for row in listed(env)[1:]] == ["w3"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2024-1-1", "--start-date must look like 2024-01-01T00:00:00Z (UTC) or 2024-01-01"),
        ("2024-01-01 00:00", "--start-date must look like"),
        ("2024-13-01", "is not a real date"),
    ],
)
def test_a_bad_start_date_is_one_line(value: str, fragment: str) -> None:
    outcome = cli("connectors", "create", "--workspace", "w", "--api-key", "k", "--start-date", value)
    assert_fails(outcome, 2, fragment)


@pytest.mark.parametrize("command", [["connectors", "list"], ["workspaces", "list"]])
def test_missing_client_credentials_name_both_variables(command: list[str]) -> None:
    line = assert_fails(
        cli(*command, AIRBYTE_CLIENT_SECRET="s"), 2, "AIRBYTE_CLIENT_ID", "AIRBYTE_CLIENT_SECRET"
    )
    assert "Value error" not in line and "missing: AIRBYTE_CLIENT_ID." in line


def test_a_wrong_client_secret_is_refused(env: dict[str, str]) -> None:
    assert_fails(
        cli("workspaces", "list", **{**env, "AIRBYTE_CLIENT_SECRET": "wrong"}), 1, "HostedAuthenticationError"
    )


def test_an_unreachable_service_is_one_line() -> None:
    outcome = cli("connectors", "list", AIRBYTE_CLIENT_ID="i", AIRBYTE_CLIENT_SECRET="s",
                  ASHBY_AGENT_API_URL="http://127.0.0.1:1")  # fmt: skip
    assert_fails(outcome, 1, "Could not reach the hosted service at http://127.0.0.1:1", "ashby-agent serve")
