"""``ashby-agent serve`` as a real process: what it prints is true once printed (address, database
with the password masked, Ashby, OpenAPI), ``/health`` answers, and a busy port fails first."""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from tests.cli.outcome import assert_fails, cli, process
from tests.cli.serving import Served, read_banner, start_serve, stop
from tests.service.tenants import PG_CONNINFO


def test_serve_says_where_it_listens_and_what_it_uses(served: Served, db: str, shared_sandbox: Any) -> None:
    first, database, ashby, openapi = served.banner
    assert re.fullmatch(r"ashby-agent service listening on http://127\.0\.0\.1:\d+", first)
    assert database.split() == ["database:", db]
    assert ashby.split() == ["Ashby:", shared_sandbox.url]
    assert f"{served.url}/openapi.json" in openapi
    assert httpx.get(f"{served.url}/openapi.json").json()["openapi"].startswith("3.")
    health = httpx.get(f"{served.url}/health")
    assert (health.status_code, health.json()) == (200, {"status": "ok", "database": "ok"})


def test_serve_logs_uvicorns_access_line(served: Served) -> None:
    for path in ("/health", "/nope?token=x"):
        httpx.get(served.url + path)
    stdout = served.process.stdout
    assert stdout is not None
    lines = [stdout.readline().rstrip("\n") for _ in range(2)]
    assert re.fullmatch(r'INFO:     127\.0\.0\.1:\d+ - "GET /health HTTP/1\.1" 200 OK', lines[0]), lines
    assert re.fullmatch(
        r'INFO:     127\.0\.0\.1:\d+ - "GET /nope\?token=x HTTP/1\.1" 404 Not Found', lines[1]
    )


def test_connectors_and_workspaces_verbs_end_to_end(served: Served, shared_sandbox: Any, db: str) -> None:
    created = process("connectors", "create", "--workspace", "customer-1", **served.env,
                      ASHBY_API_KEY=shared_sandbox.api_key)  # fmt: skip
    assert created.code == 0, created.stderr
    connector_id = re.search(r"connector id=(\S+)", created.stdout)
    assert connector_id is not None
    listed = process("connectors", "list", "--workspace", "customer-1", **served.env)
    assert connector_id.group(1) in listed.stdout and "customer-1" in listed.stdout
    checked = process("connectors", "check", connector_id.group(1), **served.env)
    assert checked.code == 0 and "succeeded" in checked.stdout
    assert "customer-1" in process("workspaces", "list", **served.env).stdout
    assert process("connectors", "delete", connector_id.group(1), **served.env).code == 0
    assert connector_id.group(1) not in process("connectors", "list", **served.env).stdout
    assert shared_sandbox.api_key not in created.stdout + listed.stdout
    assert process("admin", "audit", "--db", db).code == 0


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_busy_port_fails_first(busy_port: int, db: str) -> None:
    outcome = process("serve", "--port", str(busy_port), "--db", db)
    assert_fails(outcome, 1, f"127.0.0.1:{busy_port}", "already in use", "--port")


def test_a_port_out_of_range_is_one_line() -> None:
    assert_fails(cli("serve", "--port", "99999"), 2, "--port must be between 0 and 65535")


def test_an_ashby_url_that_is_not_http_is_one_line(db: str) -> None:
    assert_fails(cli("serve", "--db", db, "--ashby-url", "api.ashbyhq.com"), 1, "must start with http://")


@pytest.fixture
def pg_schema() -> Iterator[str]:
    schema = f"cli_serve_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    with psycopg.connect(PG_CONNINFO, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_the_database_password_is_masked(pg_schema: str, tmp_path: Any) -> None:
    # Trust authentication ignores the password, so the URL works and the banner shows it masked.
    url = f"postgresql://postgres:hunter2@127.0.0.1:5432/test?options=-csearch_path%3D{pg_schema}"
    proc = start_serve("--port", "0", "--db", url)
    try:
        banner = read_banner(proc)
    finally:
        log = stop(proc)
    assert "hunter2" not in "\n".join(banner) + log
    assert banner[1].split() == [
        "database:",
        url.replace("postgresql:", "postgresql+psycopg:").replace("hunter2", "***"),
    ]


def test_workers_need_postgresql(db: str) -> None:
    outcome = process("serve", "--port", "0", "--db", db, "--workers", "2")
    assert_fails(outcome, 1, "--workers needs PostgreSQL")


def test_workers_share_the_port_on_postgresql_and_stop_together(pg_schema: str) -> None:
    url = f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{pg_schema}"
    proc = start_serve("--port", "0", "--db", url, "--workers", "2")
    try:
        banner = read_banner(proc)
        base = banner[0].split()[-1]
        answers = [httpx.get(f"{base}/health", timeout=30) for _ in range(20)]
    finally:
        stop(proc)
    assert [answer.status_code for answer in answers] == [200] * 20
    assert proc.returncode == 0  # the parent waited for both workers to stop
