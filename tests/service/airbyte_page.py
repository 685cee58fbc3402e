"""The Airbyte agent connector API's Ashby page, when a copy of it lies beside the checkout.

The compatibility tests keep their own copies of the page's examples (Python snippets and curl commands,
adapted to our package and host) and always run those. When the original page is present they also
check that our copies still match it and run the page's own examples, extracted here, so that a change
of the page shows up as a failing test rather than as a silently outdated copy.

The page's text has lost its indentation; :func:`python_examples` restores it with the one rule the
examples need: the body of a ``def`` runs to its ``return`` line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "ashby-agent-connector-auth.txt"

needs_page = pytest.mark.skipif(
    not PAGE.is_file(), reason=f"the Airbyte agent connector page is not at {PAGE} (our own copies still run)"
)

#: The page's package name, and ours.
PAGE_PACKAGE, OUR_PACKAGE = "airbyte_agent_sdk", "ashby_agent"
#: The page's host, and the one our copies use (where ``ashby-agent serve`` listens by default).
PAGE_HOST, OUR_HOST = "https://api.airbyte.ai", "http://127.0.0.1:8000"

#: The top-level module of an example's first import -> the framework it builds a tool for.
_FRAMEWORKS = {
    "pydantic_ai": "pydantic_ai",
    "langchain_core": "langchain",
    "agents": "openai_agents",
    "fastmcp": "fastmcp",
}
_PROGRAM_STATEMENTS = (ast.Import, ast.ImportFrom, ast.Assign, ast.FunctionDef, ast.AsyncFunctionDef)


def page_text() -> str:
    """The page with its package name replaced by ours (the only change a user of ours makes)."""
    return PAGE.read_text(encoding="utf-8").replace(PAGE_PACKAGE, OUR_PACKAGE)


def _indented(lines: list[str]) -> str:
    out: list[str] = []
    in_body = False
    for line in lines:
        out.append(("    " if in_body else "") + line)
        if line.startswith(("def ", "async def ")) and line.endswith(":"):
            in_body = True
        elif in_body and line.startswith("return"):
            in_body = False
    return "\n".join(out) + "\n"


def _longest_program(lines: list[str]) -> str:
    """The longest leading run of ``lines`` that is a program of imports, assignments and functions."""
    for end in range(len(lines), 0, -1):
        code = _indented(lines[:end])
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        if all(isinstance(node, _PROGRAM_STATEMENTS) for node in tree.body):
            return code
    raise AssertionError(f"no Python program starts at {lines[0]!r}")


def python_examples(text: str) -> list[str]:
    """Every Python example of the page, in page order: each starts with a run of import lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    imports = ("from ", "import ")
    starts = [
        i for i, line in enumerate(lines) if line.startswith(imports) and not lines[i - 1].startswith(imports)
    ]
    return [_longest_program(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def hosted_examples(text: str) -> dict[tuple[str, str], str]:
    """The examples that build the ``ashby_execute`` tool, keyed by (framework, ``connect``/``explicit``)."""
    examples: dict[tuple[str, str], str] = {}
    for code in python_examples(text):
        if "def ashby_execute" not in code:
            continue
        first_module = code.split()[1].split(".")[0]
        key = (_FRAMEWORKS[first_module], "connect" if "connect(" in code else "explicit")
        assert key not in examples, f"the page has two {key} examples"
        examples[key] = code
    return examples


def local_examples(text: str) -> list[str]:
    """The examples that only build a connector with an Ashby key (open source mode)."""
    return [code for code in python_examples(text) if "def ashby_execute" not in code]


def curl_commands(text: str) -> list[str]:
    """The page's curl commands as written (continuation lines kept); a prose line ends each one."""
    commands = re.findall(r"^curl .*?(?=\n[A-Z][a-z]|\Z)", text, flags=re.M | re.S)
    return [command.strip() for command in commands]
