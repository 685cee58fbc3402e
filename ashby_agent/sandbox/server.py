"""Running the sandbox: ``run_sandbox`` (uvicorn in a background thread, for tests) and
``serve_sandbox`` (blocking, for the CLI)."""

from __future__ import annotations

import asyncio
import errno
import shlex
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from .app import SandboxApp, SandboxConfig, build_app
from .auth import parse_key_spec
from .control import SandboxControl

STARTUP_TIMEOUT_SECONDS = 120.0
#: Addresses that bind every interface, and the address a local client uses for each.
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


@dataclass(frozen=True)
class SandboxHandle:
    """A running sandbox: its base URL, a full-permission (or the first) key, and its control."""

    url: str
    api_key: str
    control: SandboxControl
    app: SandboxApp

    def __repr__(self) -> str:  # keep the key out of test output
        return f"SandboxHandle(url={self.url!r})"


class _Server(uvicorn.Server):
    """uvicorn looks at ``should_exit`` every 100 ms; a test run stops a thousand sandboxes, so this one
    looks every 10 ms (and still does uvicorn's own tick, the date header and the request limit, every
    100 ms)."""

    async def main_loop(self) -> None:
        ticks = 0
        while True:
            if ticks % 10 == 0:
                if await self.on_tick(ticks // 10):
                    return
            elif self.should_exit:
                return
            ticks += 1
            await asyncio.sleep(0.01)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """With no connection left to drain, skip uvicorn's fixed 100 ms grace (the common case: the
        test closed its clients first)."""
        if self.server_state.connections or self.server_state.tasks:
            await super().shutdown(sockets)
            return
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        if not self.force_exit:
            await self.lifespan.shutdown()


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
    return _Server(config)


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
        app.faults.clear()  # held requests answer, so the server's shutdown does not wait on them
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.close()


class SandboxStartError(Exception):
    """The sandbox cannot start as asked (bad key spec or scale, port out of range or busy).

    The message is one sentence saying what to change; nothing has been printed or served yet.
    ``parameter`` names the argument at fault (``None``: the environment, e.g. a busy port).
    """

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


def _local_url(host: str, port: int) -> str:
    """The URL a client on this machine uses for a server bound to ``host:port``."""
    host = _WILDCARDS.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _check_arguments(port: int, scale: str, api_keys: list[str] | None) -> None:
    from .generate import SCALES

    if not 0 <= port <= 65535:
        raise SandboxStartError(f"Port {port} is out of range: use 0-65535 (0 picks a free port).", "port")
    if scale not in SCALES:
        raise SandboxStartError(f"Unknown scale {scale!r}: use one of {', '.join(SCALES)}.", "scale")
    for number, spec in enumerate(api_keys or [], start=1):
        try:
            parse_key_spec(spec, f"key {number}", "")
        except ValueError as exc:  # the spec itself is not repeated: it holds the key
            raise SandboxStartError(
                f"Invalid API key spec #{number}: {exc}; a spec is KEY or KEY:scope1,scope2.", "api_keys"
            ) from None


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; connections wait in the backlog until the server runs."""
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on such sockets (else 40 ms per request)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            reason = (
                "the port is already in use; stop the other process or pick another port (0 picks a free one)"
            )
        else:
            reason = f"{exc.strerror or exc}; check the host"
        raise SandboxStartError(f"Cannot listen on {host}:{port}: {reason}.") from None
    return sock


def serve_sandbox(
    host: str = "127.0.0.1",
    port: int = 8765,
    seed: int = 7,
    scale: str = "small",
    api_keys: list[str] | None = None,
    *,
    config: SandboxConfig | None = None,
) -> None:
    """Serve until interrupted. Raises :class:`SandboxStartError` before printing anything.

    Only once the port is bound and the data generated does it print the address (the real port, also
    for ``port=0``), the key(s), an ``export ASHBY_API_URL=... ASHBY_API_KEY=...`` line and a ``curl``
    command that works as written after that export.
    """
    started = time.perf_counter()
    _check_arguments(port, scale, api_keys)
    sock = _listen(host, port)
    try:
        app = build_app(seed, scale, api_keys, config)
        bound_port = sock.getsockname()[1]
        url = _local_url(host, bound_port)
        key = app.keyring.keys[0]
        elapsed = time.perf_counter() - started
        bound = f" (bound to {host or 'all interfaces'})" if host in _WILDCARDS else ""
        lines = [
            f"Ashby sandbox (seed={seed}, scale={scale}) listening on {url}{bound}, ready in {elapsed:.1f}s"
        ]
        if api_keys:
            lines += [f"  key {k.title!r}: scopes {', '.join(k.scopes)}" for k in app.keyring.keys]
        else:
            lines.append("  API key: generated, with every permission (ASHBY_API_KEY below)")
        lines += [
            "",
            f"export ASHBY_API_URL={url} ASHBY_API_KEY={shlex.quote(key.secret)}",
            'curl -s -u "$ASHBY_API_KEY:" -X POST "$ASHBY_API_URL/candidate.list" '
            "-H 'Content-Type: application/json' -d '{\"limit\": 2}'",
            "",
            f"control surface: {url}/_sandbox/clock, /_sandbox/requests, /_sandbox/faults "
            "(see docs/sandbox.md)",
        ]
        print("\n".join(lines), flush=True)
        try:
            _server(app, host, bound_port).run(sockets=[sock])
        finally:
            app.close()
    finally:
        sock.close()


__all__ = ["SandboxHandle", "SandboxStartError", "run_sandbox", "serve_sandbox"]
