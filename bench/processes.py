"""What every benchmark needs around it: a free port, and the sandbox in a process of its own (so its
work does not share the measured process's GIL), ready once it answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx

KEY = "bench-key"


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
