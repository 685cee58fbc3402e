"""The command line as a whole: entry points, --version, help that names every variable a command
reads, usage errors as one line, and hints in the package's messages that name commands that exist."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import typer

from ashby_agent._version import __version__
from ashby_agent.cli import app
from tests.cli.outcome import assert_fails, cli, process

PACKAGE = Path(__file__).resolve().parents[2] / "ashby_agent"

HOSTED = ["AIRBYTE_CLIENT_ID", "AIRBYTE_CLIENT_SECRET", "AIRBYTE_ORGANIZATION_ID", "ASHBY_AGENT_API_URL"]
DATABASE = ["ASHBY_AGENT_DB", "ASHBY_AGENT_SECRET_KEY"]
#: Every command and the environment variables it reads (a new command must be listed here).
READS: dict[str, list[str]] = {
    "sandbox": [],
    "demo": [],
    "execute": ["ASHBY_API_KEY", "ASHBY_API_URL"],
    "mcp": [
        "ASHBY_API_KEY",
        "ASHBY_API_URL",
        "AIRBYTE_CLIENT_ID",
        "AIRBYTE_CLIENT_SECRET",
        "AIRBYTE_WORKSPACE_NAME",
        "AIRBYTE_ORGANIZATION_ID",
        "ASHBY_AGENT_API_URL",
        "ASHBY_AGENT_ACCESS",
        "ASHBY_AGENT_REDACT",
        "ASHBY_AGENT_MCP_TOKEN",
    ],
    "serve": [*DATABASE, "ASHBY_AGENT_RATE_LIMIT", "ASHBY_API_URL"],
    "docs reference": [],
    **{
        f"admin {verb}": DATABASE
        for verb in (
            "create-org",
            "list-orgs",
            "create-client",
            "revoke-client",
            "rotate-key",
            "audit",
            "connector-policy",
        )
    },
    "connectors create": [*HOSTED, "ASHBY_API_KEY"],
    "connectors rotate-key": [*HOSTED, "ASHBY_API_KEY"],
    **{f"connectors {verb}": HOSTED for verb in ("list", "check", "delete")},
    "workspaces list": HOSTED,
    "sync": ["ASHBY_AGENT_STORE", "ASHBY_API_KEY", "ASHBY_API_URL"],
    "store inspect": ["ASHBY_AGENT_STORE", "ASHBY_API_KEY"],
    "worker": [*DATABASE, "ASHBY_API_URL", "ASHBY_AGENT_PUBLIC_URL"],
}


#: The click command tree typer builds (typer's own click: groups are the nodes with ``commands``).
ROOT: Any = typer.main.get_command(app)


def commands(group: Any, prefix: str = "") -> Iterator[str]:
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield prefix + name


def test_version() -> None:
    outcome = cli("--version")
    assert (outcome.code, outcome.stdout) == (0, f"ashby-agent {__version__}\n")


def test_module_and_console_script_run_the_same_app() -> None:
    outcome = process("--version")
    assert (outcome.code, outcome.stdout.strip()) == (0, f"ashby-agent {__version__}")
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "ashby-agent"]
    assert script.value == "ashby_agent.cli:main"
    assert script.load() is __import__("ashby_agent.cli", fromlist=["main"]).main


def test_every_command_declares_what_it_reads() -> None:
    assert set(commands(ROOT)) == set(READS)


@pytest.mark.parametrize("command", sorted(READS))
def test_help_names_every_variable_and_renders_plainly(command: str) -> None:
    outcome = cli(*command.split(), "--help")
    assert outcome.code == 0, outcome.stderr
    text = " ".join(outcome.stdout.split())
    missing = [name for name in READS[command] if name not in text]
    assert missing == [], text
    # typer >= 0.27 renders types as <str> / <bool> / <list[str]>: the pin keeps TEXT / INTEGER.
    assert re.search(r"<(str|int|bool|list\[)", outcome.stdout) is None, outcome.stdout


#: "the ashby-agent service", "ashby-agent hosted API", "ashby-agent connector reference": the
#: product's name, not a command.
_NOUNS = {"connector", "hosted", "service"}
_MENTION = re.compile(r"ashby-agent((?:[ ]+[a-z][a-z0-9-]*)+)")


def _messages() -> Iterator[tuple[str, str]]:
    """(file, text) of every string constant in the package that is not a docstring."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                yield str(path.relative_to(PACKAGE.parent)), node.value


def _resolves(words: list[str]) -> bool:
    node = ROOT
    for word in words:
        if not hasattr(node, "commands"):
            return True  # the rest are the command's arguments
        if word not in node.commands:
            return False
        node = node.commands[word]
    return True


def test_hints_name_commands_that_exist() -> None:
    named = [
        (where, "ashby-agent" + match.group(1))
        for where, text in _messages()
        for match in _MENTION.finditer(text)
        if match.group(1).split()[0] not in _NOUNS
    ]
    assert len(named) >= 5  # the scan finds the hints (e.g. ashby-agent admin create-org)
    wrong = [(where, mention) for where, mention in named if not _resolves(mention.split()[1:])]
    assert wrong == []


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["nope"], ["No such command 'nope'", "ashby-agent --help"]),
        (["sandbox", "--port", "abc"], ["'abc' is not a valid integer", "ashby-agent sandbox --help"]),
        (["connectors", "create"], ["Missing option '--workspace'", "ashby-agent connectors create --help"]),
    ],
)
def test_usage_errors_are_one_line(args: list[str], fragments: list[str]) -> None:
    assert_fails(cli(*args), 2, *fragments)


def test_help_shows_the_defaults_it_states() -> None:
    # rich markup would swallow a "[default: ...]" written into a help text; these are written plainly.
    text = " ".join(cli("serve", "--help").stdout.split())
    assert "(default: ./ashby-agent.db)" in text and "(default: https://api.ashbyhq.com)" in text
