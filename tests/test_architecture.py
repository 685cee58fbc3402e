"""The package's shape, checked: contracts that cover every module, no escape hatches, small files."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path
from typing import Any

import ashby_agent

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ashby_agent"


def contracts() -> list[dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert isinstance(config["contracts"], list)
    return config["contracts"]


def contract(name_start: str) -> dict[str, Any]:
    return next(c for c in contracts() if c["name"].startswith(name_start))


def test_no_contract_has_an_escape_hatch() -> None:
    assert all("ignore_imports" not in c for c in contracts())


def test_the_sandbox_contract_forbids_every_other_module() -> None:
    top_level = {f"ashby_agent.{m.name}" for m in pkgutil.iter_modules(ashby_agent.__path__)}
    forbidden = set(contract("The sandbox imports nothing")["forbidden_modules"])
    assert forbidden == top_level - {"ashby_agent.sandbox"}


def test_the_independence_contract_covers_every_route_module() -> None:
    routes = {
        f"ashby_agent.service.api.routes.{p.stem}" for p in (PACKAGE / "service/api/routes").glob("*.py")
    }
    routes.discard("ashby_agent.service.api.routes.__init__")
    assert set(contract("Service route modules")["modules"]) == routes


def test_no_module_is_over_800_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > 800
    }
    assert long == {}


def test_the_version_has_one_source() -> None:
    from ashby_agent._version import __version__

    assert ashby_agent.__version__ == __version__
    assert (
        "version =" not in (ROOT / "pyproject.toml").read_text().split("[project.optional-dependencies]")[0]
    )
