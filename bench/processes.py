"""What every benchmark needs around it: a free port, the sandbox in a process of its own (so its work
does not share the measured process's GIL), ready once it answers, and a fresh database."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

KEY = "bench-key"
#: The PostgreSQL the benchmarks use (a fresh schema each), as a libpq URL.
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sandbox(port: int, scale: str = "small", key: str = KEY) -> subprocess.Popen[bytes]:
    """``serve_sandbox`` (as ``ashby-agent sandbox`` runs it) on ``port``; returns once it answers."""
    code = (
        "from ashby_agent.sandbox import serve_sandbox;"
        f"serve_sandbox(seed=7, scale={scale!r}, port={port}, api_keys=[{key!r}])"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120  # the large scale takes ~10 s to generate
    while time.monotonic() < deadline:
        try:
            httpx.post(f"http://127.0.0.1:{port}/apiKey.info", json={}, auth=(key, ""), timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("sandbox did not start")


def wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    """Return once ``url`` answers; exit if ``proc`` (the server) dies first or a minute passes."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{url}: process exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not start")


@contextlib.contextmanager
def fresh_database(kind: str, name: str = "bench") -> Iterator[str]:
    """A SQLAlchemy URL of an empty database for the block: a SQLite file in a temporary directory
    (``kind`` "sqlite"), or a PostgreSQL schema of its own, dropped afterwards ("postgres")."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/{name}.db"
        return
    import psycopg

    schema = f"bench_{name}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        sqlalchemy_url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        yield f"{sqlalchemy_url}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (which may hold spaces): the state
    first, then the parent's pid, ..."""
    return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """The CPU seconds (user + system) process ``pid`` has used so far, from ``/proc``; with ``reaped``,
    also those of the children it has waited for (exited backends, for PostgreSQL's postmaster)."""
    fields = _stat(pid)
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def database_cpu() -> float | None:
    """The CPU seconds every PostgreSQL process of this machine has used so far, backends that have
    exited included; None when no PostgreSQL runs here (a remote ``BENCH_PG_URL``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text(encoding="ascii").strip() != "postgres":
                continue
            parents[int(entry.name)] = int(_stat(int(entry.name))[1])
        except OSError:  # exited meanwhile
            continue
    total = 0.0
    for pid, parent in parents.items():
        try:
            total += cpu_seconds(pid, reaped=parent not in parents)  # the postmaster reaps backends
        except OSError:
            continue
    return total if parents else None
