"""``ashby-agent serve`` as a real process: start it, read what it prints once it listens, stop it."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field

from tests.cli.outcome import CLI, cli, process_env


@dataclass
class Served:
    """A running ``ashby-agent serve``: what it printed, and the environment its clients need."""

    url: str
    banner: list[str]
    env: dict[str, str] = field(repr=False)
    process: subprocess.Popen[str] = field(repr=False)


def client_env(db: str) -> dict[str, str]:
    """An organization and an API client in ``db``, as the AIRBYTE_* variables of a client."""
    assert cli("admin", "create-org", "acme", "--db", db).code == 0
    created = cli("admin", "create-client", "--org", "acme", "--db", db)
    client_id = re.search(r"client_id=(\S+)", created.stdout)
    secret = re.search(r"client_secret=(\S+)", created.stdout)
    assert client_id and secret, created.stderr
    return {"AIRBYTE_CLIENT_ID": client_id.group(1), "AIRBYTE_CLIENT_SECRET": secret.group(1)}


def start_serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=process_env()
    )


def read_banner(proc: subprocess.Popen[str]) -> list[str]:
    """The lines ``serve`` prints once it listens (up to the OpenAPI line)."""
    assert proc.stdout is not None
    lines: list[str] = []
    while not lines or not lines[-1].lstrip().startswith("OpenAPI:"):
        line = proc.stdout.readline()
        assert line, f"serve exited early: {lines} {proc.stderr.read() if proc.stderr else ''}"
        lines.append(line.rstrip("\n"))
    return lines


def stop(proc: subprocess.Popen[str]) -> str:
    """Stop ``proc``; its stderr (the server log)."""
    proc.terminate()
    proc.wait(timeout=30)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    log = proc.stderr.read()
    proc.stderr.close()
    return log
