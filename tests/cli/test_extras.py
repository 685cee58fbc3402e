"""The core install without its extras: the CLI names the missing extra in one line, the connector works.

Each test runs a fresh interpreter whose ``sitecustomize`` (on ``PYTHONPATH``) makes the extras' packages
unimportable, as if only ``pip install ashby-agent`` had run: a ``sys.meta_path`` finder ahead of the
others raises ``ModuleNotFoundError`` for them. The commands are read from the typer app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup

from ashby_agent.cli import app
from ashby_agent.cli.extras import COMMAND_EXTRAS
from ashby_agent.extras import EXTRAS

ROOT = Path(__file__).resolve().parents[2]
#: Every package an extra brings, plus the MCP framework (``mcp`` names its own extra).
BLOCKED = sorted({module for modules in EXTRAS.values() for module in modules} | {"fastmcp"})

SITECUSTOMIZE = """
import os, sys

_BLOCKED = frozenset(os.environ["BLOCKED_MODULES"].split(","))

class _Blocker:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in _BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _Blocker())
"""


@pytest.fixture(scope="module")
def core_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of an interpreter that cannot import any extra's package."""
    folder = tmp_path_factory.mktemp("core-install")
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASHBY_", "AIRBYTE_"))}
    return {**env, "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}", "BLOCKED_MODULES": ",".join(BLOCKED)}


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
    )


def command_paths(group: TyperGroup, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group under ``group``, as the words that name it on the command line."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, TyperGroup):
            yield from command_paths(command, (*prefix, name))


ROOT_GROUP = typer.main.get_command(app)
assert isinstance(ROOT_GROUP, TyperGroup)
COMMANDS = list(command_paths(ROOT_GROUP))


def test_the_blocker_really_blocks(core_env: dict[str, str], tmp_path: Path) -> None:
    out = run([sys.executable, "-c", "import sqlalchemy"], core_env, tmp_path)
    assert out.returncode != 0
    assert "No module named 'sqlalchemy'" in out.stderr


def test_every_command_extra_names_a_real_command_and_extra() -> None:
    assert set(COMMAND_EXTRAS) <= {path[0] for path in COMMANDS}
    assert set(COMMAND_EXTRAS.values()) <= set(EXTRAS)


def _extra_modules(extra: str, declared: dict[str, list[str]]) -> set[str]:
    """The import names an extra installs: its requirements' names, through ``ashby-agent[...]``."""
    modules: set[str] = set()
    for requirement in declared[extra]:
        name = requirement.split(">")[0].split("<")[0].split("=")[0].strip()
        if name.startswith("ashby-agent["):
            for inner in name.removeprefix("ashby-agent[").rstrip("]").split(","):
                modules |= _extra_modules(inner, declared)
        else:
            modules.add(name.lower().replace("-", "_"))
    return modules


def test_the_extras_table_matches_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert {extra: set(modules) for extra, modules in EXTRAS.items()} == {
        extra: _extra_modules(extra, declared) for extra in EXTRAS
    }
    core = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not {r.split(">")[0].lower() for r in core} & set(BLOCKED)


@pytest.fixture(scope="module")
def outcomes(
    core_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, ...], subprocess.CompletedProcess[str]]:
    """Every command run with no arguments on the core install, four interpreters at a time."""
    cwd = tmp_path_factory.mktemp("commands")
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = pool.map(lambda p: run([sys.executable, "-m", "ashby_agent.cli", *p], core_env, cwd), COMMANDS)
        return dict(zip(COMMANDS, runs, strict=True))


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_a_command_without_its_extra_says_which_in_one_line(
    path: tuple[str, ...], outcomes: dict[tuple[str, ...], subprocess.CompletedProcess[str]]
) -> None:
    out = outcomes[path]
    lines = out.stderr.strip().splitlines()
    assert "Traceback" not in out.stderr + out.stdout
    assert "ModuleNotFoundError" not in out.stderr
    extra = COMMAND_EXTRAS.get(path[0])
    if extra is None:  # runs on the core install: whatever it says (a usage error here), it is one line
        assert len(lines) <= 1, out.stderr
        return
    assert out.returncode == 1
    assert lines == [f"ashby-agent {path[0]} needs the {extra!r} extra ({lines[0].split('(')[1]}"]
    assert lines[0].endswith(f"is not installed): pip install 'ashby-agent[{extra}]'")
    assert out.stdout == ""


def test_help_works_without_the_extra(core_env: dict[str, str], tmp_path: Path) -> None:
    out = run([sys.executable, "-m", "ashby_agent.cli", "serve", "--help"], core_env, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "--port" in out.stdout


CONNECTOR_SCRIPT = """
import asyncio, json, sys, uuid
from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.errors import MissingExtraError

async def main():
    report = {}
    async with AshbyConnector(AshbyAuthConfig(api_key=sys.argv[1]), base_url=sys.argv[2]) as connector:
        page = await connector.jobs.list(limit=3)
        report["jobs"] = [job.id for job in page.data]
        try:
            await connector.replicate()
        except MissingExtraError as exc:
            report["replicate"] = [exc.extra, str(exc)]
    writer = AshbyConnector(
        AshbyAuthConfig(api_key=sys.argv[1]), base_url=sys.argv[2], access="comment"
    )
    async with writer:
        try:
            await writer.execute(
                "candidate_notes", "create",
                {"candidate_id": str(uuid.uuid4()), "note": "n", "idempotency_key": "n-1"},
            )
        except MissingExtraError as exc:
            report["idempotent_write"] = exc.extra
    async with AshbyConnector(AshbyAuthConfig(api_key=sys.argv[1]), base_url=sys.argv[2]) as connector:

        @AshbyConnector.tool_utils
        async def ashby_execute(entity: str, action: str, params: dict | None = None):
            return await connector.execute(entity, action, params or {})

        report["tool"] = len((await ashby_execute("jobs", "list", {"limit": 2}))["data"])
    try:
        AshbyConnector(AshbyAuthConfig(api_key="k"), context_store="sqlite:///store.db")
    except MissingExtraError as exc:
        report["context_store"] = [exc.extra, exc.name, isinstance(exc, ImportError), str(exc)]
    print(json.dumps(report))

asyncio.run(main())
"""


def test_the_connector_and_tools_work_without_any_extra(
    shared_sandbox: Any, core_env: dict[str, str], tmp_path: Path
) -> None:
    script = textwrap.dedent(CONNECTOR_SCRIPT)
    out = run([sys.executable, "-c", script, shared_sandbox.api_key, shared_sandbox.url], core_env, tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.splitlines()[-1])
    assert len(report["jobs"]) == 3
    assert report["tool"] == 2
    assert report["idempotent_write"] == "store"
    hint = "needs the 'store' extra (sqlalchemy is not installed): pip install 'ashby-agent[store]'"
    assert report["replicate"] == ["store", f"The context store {hint}"]
    assert report["context_store"] == ["store", "sqlalchemy", True, f"The context store {hint}"]
    assert not (tmp_path / "store.db").exists()


def test_ci_installs_with_the_readme_test_command_and_the_demo_command_names_its_extra() -> None:
    readme = (ROOT / "README.md").read_text()
    demo, tests = (line for line in readme.splitlines() if line.startswith("python3 -m venv .venv && "))
    spec = tests.split("pip install -e ")[1].split(" ")[0]
    assert f".venv/bin/pip install -q -e {spec}" in (ROOT / ".ci/run").read_text()
    assert demo.endswith("ashby-agent demo")
    assert f"pip install -e '.[{COMMAND_EXTRAS['demo']}]'" in demo


def test_a_store_action_without_the_store_extra_says_which_in_one_line(
    core_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**core_env, "ASHBY_API_KEY": "k", "ASHBY_API_URL": "http://127.0.0.1:9"}
    params = '{"query": {"filter": {"eq": {"name": "x"}}}}'
    argv = [sys.executable, "-m", "ashby_agent.cli", "execute", "candidates", "context_store_search", params]
    out = run(argv, env, tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "MissingExtraError: The context store needs the 'store' extra (sqlalchemy is not installed): "
        "pip install 'ashby-agent[store]'"
    ]


GROUP_SCRIPT = """
import typer
from ashby_agent.cli.output import OneLineErrorsGroup

app = typer.Typer(cls=OneLineErrorsGroup)

@app.command()
def first() -> None:
    import starlette.applications  # an import no extra check guarded

@app.command()
def second() -> None:
    import not_an_extra_module

app()
"""


def test_an_unguarded_import_of_an_extra_still_names_the_extra(
    core_env: dict[str, str], tmp_path: Path
) -> None:
    out = run([sys.executable, "-c", GROUP_SCRIPT, "first"], core_env, tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "starlette is not installed; this command needs the 'sandbox' extra: "
        "pip install 'ashby-agent[sandbox]'"
    ]
    other = run([sys.executable, "-c", GROUP_SCRIPT, "second"], core_env, tmp_path)
    assert "No module named 'not_an_extra_module'" in other.stderr  # not ours to explain
