"""Every example in ``examples/`` runs end to end (own sandbox, scripted model, no network)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

EXPECTED = {
    "pydantic_ai_example.py": ["First candidates:", "[invalid_params]", "did you mean 'cursor'"],
    "langchain_example.py": ["Departments:", "Did you mean 'departments'?"],
    "openai_agents_example.py": ["Open jobs:", "unknown_action"],
    "fastmcp_example.py": ["tool ashby_execute:", "offers: [", "isError=True", "[unknown_action]"],
}


def test_every_example_is_covered() -> None:
    assert sorted(path.name for path in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name: str) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ASHBY_", "AIRBYTE_", "OPENAI_"))
    }
    done = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=EXAMPLES.parent,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for expected in EXPECTED[name]:
        assert expected in done.stdout, (expected, done.stdout[-2000:])
