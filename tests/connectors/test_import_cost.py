"""Imports are cheap and pure: what each entry point loads, checked in a fresh interpreter.

No timings here (``bench/connector_overhead.py`` measures them); these tests pin *what* is imported, so
a module-level import of pydantic's model machinery or of the record models cannot creep back in.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

MODEL_MACHINERY = "pydantic.main"
RECORDS = "ashby_agent.connectors.ashby.records.candidates"
#: Packages of the extras and the command line: a connector never needs them (typer, rich: the CLI).
HEAVY = (
    "sqlalchemy",
    "alembic",
    "sqlglot",
    "rapidfuzz",
    "starlette",
    "uvicorn",
    "cryptography",
    "typer",
    "rich",
)
AGENT_FRAMEWORKS = ("pydantic_ai", "langchain", "langchain_core", "agents", "fastmcp", "mcp", "openai")


#: With click installed (the extras bring it), ``import httpx`` imports httpx's command line module and
#: with it rich and pygments; the core install has no click (typer ships its own), as here.
NO_CLICK = "sys.modules['click'] = None"


def loaded_after(statement: str) -> set[str]:
    """The modules in ``sys.modules`` after running ``statement`` in a fresh interpreter (no click)."""
    code = f"import json, sys\n{NO_CLICK}\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_importing_the_connector_package_loads_no_models() -> None:
    loaded = loaded_after("import ashby_agent.connectors.ashby")
    assert MODEL_MACHINERY not in loaded
    assert RECORDS not in loaded


def test_importing_the_connector_class_loads_no_models_nor_hosted_mode() -> None:
    loaded = loaded_after("from ashby_agent.connectors.ashby import AshbyConnector")
    assert "ashby_agent.connectors.ashby.connector" in loaded
    assert MODEL_MACHINERY not in loaded
    assert not {name for name in loaded if ".records." in name}
    assert "ashby_agent.hosted.client" not in loaded
    assert "ashby_agent.types" not in loaded


def test_a_local_connector_loads_no_record_models_until_a_call() -> None:
    loaded = loaded_after(
        "from ashby_agent.connectors.ashby import AshbyConnector\n"
        "from ashby_agent.connectors.ashby.models import AshbyAuthConfig\n"
        "AshbyConnector(auth_config=AshbyAuthConfig(api_key='k'))"
    )
    assert MODEL_MACHINERY in loaded  # AshbyAuthConfig is a pydantic model
    assert not {name for name in loaded if ".records." in name}
    assert "ashby_agent.hosted.client" not in loaded
    assert "ashby_agent.types" not in loaded
    assert "asyncio" not in loaded  # a caller that awaits has it already; building a connector needs none
    assert "ashby_agent.connectors.ashby.guardrails" not in loaded  # writes load it on their first call
    # The HTTP stack under httpx (the package's keep-alive transport, httptools) loads with the first client.
    assert not {"ashby_agent.transports.http11", "httptools", "httpcore", "h11"} & loaded


@pytest.mark.parametrize(
    "statement",
    ["import ashby_agent", "from ashby_agent import AshbyConnector, AshbyAuthConfig, AirbyteAuthConfig"],
)
def test_the_package_loads_no_agent_framework(statement: str) -> None:
    loaded = loaded_after(statement)
    frameworks = {name for name in loaded if name.split(".")[0] in AGENT_FRAMEWORKS}
    assert frameworks == set()
    assert "ashby_agent.tools" not in loaded


def test_importing_ashby_agent_loads_nothing_heavy() -> None:
    loaded = loaded_after("import ashby_agent")
    assert not {name for name in loaded if name.split(".")[0] in {"pydantic", "httpx"}}


def heavy(modules: set[str]) -> set[str]:
    return {name for name in modules if name.split(".")[0] in HEAVY}


def test_a_call_goes_through_the_packages_own_http_transport_and_loads_nothing_heavy(
    shared_sandbox: object,
) -> None:
    """A call is sent by the keep-alive transport on httptools: httpx's own HTTP stack (httpcore, h11,
    ~1 ms of CPU more per call) is never loaded, nor is anything heavy."""
    statement = (
        "import asyncio\n"
        "from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector\n"
        "async def main():\n"
        f"    async with AshbyConnector(AshbyAuthConfig(api_key={shared_sandbox.api_key!r}), "  # type: ignore[attr-defined]
        f"base_url={shared_sandbox.url!r}) as c:\n"  # type: ignore[attr-defined]
        "        await c.execute('jobs', 'list', {'limit': 1})\n"
        "asyncio.run(main())"
    )
    loaded = loaded_after(statement)
    assert {"ashby_agent.transports.http11", "httptools"} <= loaded
    assert not {"httpcore", "h11"} & loaded
    assert "ashby_agent.connectors.ashby.connector" in loaded
    assert heavy(loaded) == set()


@pytest.mark.parametrize(
    "statement",
    [
        "import ashby_agent.connectors.ashby",
        "from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector\n"
        "AshbyConnector(auth_config=AshbyAuthConfig(api_key='k'))",
    ],
)
def test_the_connector_loads_nothing_heavy(statement: str) -> None:
    assert heavy(loaded_after(statement)) == set()
