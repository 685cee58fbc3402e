"""Running the sandbox: ``run_sandbox`` (uvicorn in a background thread, for tests) and
``serve_sandbox`` (blocking, for the CLI)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from .app import SandboxApp, SandboxConfig, build_app
from .control import SandboxControl

STARTUP_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class SandboxHandle:
    """A running sandbox: its base URL, a full-permission (or the first) key, and its control."""

    url: str
    api_key: str
    control: SandboxControl
    app: SandboxApp

    def __repr__(self) -> str:  # keep the key out of test output
        return f"SandboxHandle(url={self.url!r})"


def _server(app: SandboxApp, host: str, port: int, sock: socket.socket | None = None) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


@contextmanager
def run_sandbox(
    seed: int = 7,
    scale: str = "small",
    api_keys: list[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    config: SandboxConfig | None = None,
) -> Iterator[SandboxHandle]:
    """Serve a sandbox on ``host:port`` (0 = a free port) in a daemon thread for the ``with`` block."""
    app = build_app(seed, scale, api_keys, config)
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on such sockets (else 40 ms per request)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    server = _server(app, host, bound_port)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="ashby-sandbox", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox server did not start on {host}:{bound_port}")
            time.sleep(0.005)
        url_host = f"[{host}]" if ":" in host else host
        yield SandboxHandle(f"http://{url_host}:{bound_port}", app.keyring.keys[0].secret, app.control, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def serve_sandbox(
    host: str = "127.0.0.1",
    port: int = 8765,
    seed: int = 7,
    scale: str = "small",
    api_keys: list[str] | None = None,
    *,
    config: SandboxConfig | None = None,
) -> None:
    """Serve until interrupted; prints the base URL, the key(s) and a ready ``curl`` command."""
    started = time.perf_counter()
    app = build_app(seed, scale, api_keys, config)
    url = f"http://{host}:{port}"
    key = app.keyring.keys[0]
    print(
        f"Ashby sandbox (seed={seed}, scale={scale}) ready in {time.perf_counter() - started:.1f}s at {url}"
    )
    if api_keys:
        for k in app.keyring.keys:
            print(f"  key {k.title!r}: scopes {', '.join(k.scopes)}")
    else:
        print(f"  API key (all permissions): {key.secret}")
    print(
        f"  try: curl -s -u '{key.secret}:' -X POST {url}/candidate.list -H 'Content-Type: application/json' "
        "-d '{\"limit\": 2}'"
    )
    print(
        f"  control surface: {url}/_sandbox/clock, /_sandbox/requests, /_sandbox/faults (see docs/sandbox.md)"
    )
    server = _server(app, host, port)
    server.run()


__all__ = ["SandboxHandle", "run_sandbox", "serve_sandbox"]
