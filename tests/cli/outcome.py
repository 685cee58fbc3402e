"""Running the CLI as a user does, and what a failure must look like.

``cli`` runs in-process through typer's ``CliRunner`` (fast; the same app and the same one-line error
rendering as the console script), ``process`` as a real ``python -m ashby_agent.cli`` subprocess. Both
return an :class:`Outcome`; :func:`assert_fails` is the contract of every failure path: the exit code,
exactly one line on stderr carrying the given fragments, nothing on stdout, and no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from ashby_agent.cli import app

CLI = [sys.executable, "-m", "ashby_agent.cli"]
WIDE = {"COLUMNS": "200"}


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


def cli(*args: str, **env: str) -> Outcome:
    """The command in-process (the test's environment, already free of ASHBY_*/AIRBYTE_*, plus ``env``)."""
    result = CliRunner().invoke(app, list(args), env={**WIDE, **env}, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an escaped exception is a bug: show it
    return Outcome(result.exit_code, result.stdout, result.stderr)


def process_env(**env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ASHBY_", "AIRBYTE_"))}
    return {**clean, **WIDE, **env}


def process(*args: str, cwd: Path | None = None, timeout: float = 120, **env: str) -> Outcome:
    """The command as a real process (``python -m ashby_agent.cli``)."""
    done = subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        env=process_env(**env),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def assert_fails(outcome: Outcome, code: int, *fragments: str) -> str:
    """``outcome`` is a failure rendered as one line on stderr containing every fragment; returns it."""
    assert "Traceback" not in outcome.stdout + outcome.stderr, outcome.stderr
    assert outcome.code == code, (outcome.code, outcome.stdout, outcome.stderr)
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert outcome.stdout.strip() == "", outcome.stdout
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
