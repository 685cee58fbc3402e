"""``ashby-agent execute`` over the real sandbox: JSON out, and bad input explained in one line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.outcome import assert_fails, cli, process


def _env(sandbox: Any) -> dict[str, str]:
    return {"ASHBY_API_URL": sandbox.url, "ASHBY_API_KEY": sandbox.api_key}


def test_execute_prints_json(shared_sandbox: Any) -> None:
    outcome = process("execute", "candidates", "list", '{"limit": 2}', **_env(shared_sandbox))
    assert outcome.code == 0, outcome.stderr
    payload = json.loads(outcome.stdout)
    assert len(payload["data"]) == 2 and payload["meta"]["has_more"] is True


def test_options_stand_in_for_the_environment(shared_sandbox: Any) -> None:
    outcome = cli(
        "execute", "jobs", "list", '{"limit": 1}', "--api-key", shared_sandbox.api_key,
        "--api-url", shared_sandbox.url,
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    assert len(json.loads(outcome.stdout)["data"]) == 1


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("execute", "candidats", "list"), 1, "Did you mean 'candidates'"),
        (("execute", "candidates", "list", "{not json"), 2, "not valid JSON"),
        (("execute", "candidates", "list", "[1]"), 2, "must be a JSON object"),
    ],
)
def test_execute_explains_bad_input(
    shared_sandbox: Any, args: tuple[str, ...], code: int, fragment: str
) -> None:
    outcome = cli(*args, **_env(shared_sandbox))
    assert_fails(outcome, code, fragment)
    assert shared_sandbox.api_key not in outcome.stderr + outcome.stdout


def test_execute_without_key_says_what_to_set() -> None:
    assert_fails(cli("execute", "candidates", "list"), 2, "ASHBY_API_KEY is not set", "--api-key")


def test_a_base_url_that_is_not_http_is_one_line(shared_sandbox: Any) -> None:
    outcome = cli("execute", "jobs", "list", **{**_env(shared_sandbox), "ASHBY_API_URL": "localhost:1"})
    assert_fails(outcome, 1, "must start with http:// or https://")
