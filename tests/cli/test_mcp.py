"""``ashby-agent mcp``: what it needs, said in one line before any server starts."""

from __future__ import annotations

import pytest

from tests.cli.outcome import assert_fails, cli


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--transport", "sse"], ["--transport must be stdio or http", "'sse'"]),
        (["--transport", "http", "--port", "70000"], ["--port must be between 1 and 65535"]),
        ([], ["No Ashby credentials", "ASHBY_API_KEY", "AIRBYTE_CLIENT_ID"]),
    ],
)
def test_mcp_explains_what_it_needs(args: list[str], fragments: list[str]) -> None:
    assert_fails(cli("mcp", *args), 2, *fragments)


def test_hosted_mode_needs_a_workspace() -> None:
    outcome = cli("mcp", AIRBYTE_CLIENT_ID="id", AIRBYTE_CLIENT_SECRET="secret")
    assert_fails(outcome, 2, "AIRBYTE_WORKSPACE_NAME", "--workspace")


def test_http_beyond_loopback_needs_a_token_and_bad_policies_are_one_line() -> None:
    outcome = cli("mcp", "--transport", "http", "--host", "0.0.0.0", ASHBY_API_KEY="k")
    assert_fails(outcome, 2, "Serving MCP on 0.0.0.0", "set ASHBY_AGENT_MCP_TOKEN")
    assert_fails(
        cli("mcp", ASHBY_API_KEY="k", ASHBY_AGENT_ACCESS="all"), 2, "Unknown ASHBY_AGENT_ACCESS level 'all'"
    )
    assert_fails(
        cli("mcp", ASHBY_API_KEY="k", ASHBY_AGENT_REDACT="ssn"),
        2,
        "ASHBY_AGENT_REDACT: Unknown redaction 'ssn'",
    )
