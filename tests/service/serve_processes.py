"""``ashby-agent serve`` OS processes on one database, for the tests that need more than one process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from pydantic import SecretStr

CLI = [sys.executable, "-m", "ashby_agent.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_processes(
    db_url: str, key: SecretStr, ashby_url: str, *, count: int = 2, rate_limit: str = "0"
) -> Iterator[list[str]]:
    """``count`` serve processes on ``db_url``; yields their API base URLs once each answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASHBY_", "AIRBYTE_"))}
    env.update(
        {
            "ASHBY_AGENT_SECRET_KEY": key.get_secret_value(),
            "ASHBY_API_URL": ashby_url,
            "ASHBY_AGENT_RATE_LIMIT": rate_limit,
        }
    )
    ports = [_free_port() for _ in range(count)]
    procs = [
        subprocess.Popen(
            [*CLI, "serve", "--port", str(port), "--db", db_url],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}/api/v1" for port in ports]
    try:
        for url, proc in zip(urls, procs, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(url.removesuffix("/api/v1") + "/openapi.json", timeout=1)
                    break
                except httpx.HTTPError:
                    assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                    time.sleep(0.1)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
