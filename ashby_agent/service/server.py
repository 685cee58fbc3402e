"""Running the service: :func:`serve` (blocking, for ``ashby-agent serve``, optionally in several
worker processes sharing one listening socket) and :func:`run_service` (uvicorn in a background thread
on a free port, for tests and demos).

Both open the database once before starting (migrations, key check) and bind the port themselves, so a
wrong key, an unreachable PostgreSQL or a busy port fails the command with a clear error instead of a
server that answers 500.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import uvicorn
from sqlalchemy.engine import make_url

from ashby_agent.service.access_log import log_config
from ashby_agent.service.api.app import create_app
from ashby_agent.service.api.head_limit import HeadLimitedHttpToolsProtocol
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.state import open_database

__all__ = [
    "ServerStartError",
    "ServiceHandle",
    "bind_socket",
    "client_url",
    "run_service",
    "serve",
    "uvicorn_config",
]

_STARTUP_TIMEOUT_SECONDS = 60.0
#: The collector's thresholds in a serving process (Python's are 700, 10, 10): with 64 requests in flight
#: a young collection every 700 allocations catches most of their objects alive and promotes them, and
#: the full collections they then trigger scan every object of the process (~0.1 s each); measured at
#: ~14% of the server's CPU under load, ~5% with these.
_SERVING_GC_THRESHOLDS = (20_000, 50, 100)
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


class ServerStartError(Exception):
    """The server cannot listen where asked (port busy, out of range, address not local)."""


def client_url(host: str, port: int) -> str:
    """The base URL a client on this machine uses for a server bound to ``host:port``."""
    host = _WILDCARDS.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host:port`` (0 = a free port), or :class:`ServerStartError` saying why."""
    if not 0 <= port <= 65535:
        raise ServerStartError(f"Port {port} is out of range: use 0-65535 (0 picks a free port).")
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on such sockets (else ~40 ms per request).
    sock = socket.socket(
        socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP
    )
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)  # connections wait in the backlog until the server accepts them
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            reason = "the port is already in use; stop the other server or pick another --port"
        else:
            reason = f"{exc.strerror or exc}; check --host"
        raise ServerStartError(f"Cannot listen on {host}:{port}: {reason}.") from None
    return sock


def uvicorn_config(settings: ServiceSettings, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for the service's app: HTTP/1.1 parsed by httptools with a request-head
    limit (:mod:`~ashby_agent.service.api.head_limit`), the lifespan on, ``options`` as uvicorn's."""
    return uvicorn.Config(
        create_app(settings), port=port, lifespan="on", http=HeadLimitedHttpToolsProtocol, **options
    )


def _preflight(settings: ServiceSettings) -> None:
    engine, _ = open_database(settings)
    engine.dispose()


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    db_url: str | None = None,
    *,
    settings: ServiceSettings | None = None,
    log_level: str = "info",
    on_listening: Callable[[str], None] | None = None,
    workers: int = 1,
    **overrides: Any,
) -> None:
    """Serve the hosted API until interrupted. Binds 127.0.0.1 unless ``host`` says otherwise.

    The database is opened and the port bound before ``on_listening(base_url)`` is called, so what it
    announces is true; both fail first with a message (:class:`ServerStartError`, or the errors of
    :func:`~ashby_agent.service.state.open_database`). ``workers`` > 1 forks that many processes, each
    with its own event loop, engine and caches, accepting on the one socket (PostgreSQL only: every
    piece of shared state is in the database, and SQLite has one writer at a time).
    """
    settings = settings or ServiceSettings.from_env(db_url, **overrides)
    if workers < 1:
        raise ServerStartError(f"--workers must be at least 1, got {workers}.")
    if workers > 1 and make_url(settings.db_url).get_backend_name() == "sqlite":
        raise ServerStartError(
            "--workers needs PostgreSQL: SQLite has one writer at a time, so run one process per SQLite "
            "file (or point --db at PostgreSQL)."
        )
    _preflight(settings)
    sock = bind_socket(host, port)
    try:
        bound_port = sock.getsockname()[1]
        config = uvicorn_config(settings, bound_port, host=host, log_level=log_level, log_config=log_config())
        if on_listening is not None:
            on_listening(client_url(host, bound_port))
        if workers == 1:
            _ServingProcess(config).run(sockets=[sock])
        else:
            _run_workers(config, sock, workers)
    finally:
        sock.close()


class _ServingProcess(uvicorn.Server):
    """uvicorn's server for a process that does nothing else: once the app has started (modules loaded,
    database open), what exists is moved out of the collector's sight (``gc.freeze``) and the
    collector runs less often (:data:`_SERVING_GC_THRESHOLDS`). Not for :func:`run_service`, whose
    process is someone else's."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        gc.collect()
        gc.freeze()
        gc.set_threshold(*_SERVING_GC_THRESHOLDS)


def _run_workers(config: uvicorn.Config, sock: socket.socket, workers: int) -> None:
    """Fork ``workers`` uvicorn servers on ``sock``; forward SIGINT/SIGTERM to them and wait for all."""
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # the worker: nothing of the parent's runs here but the server
            code = 0
            try:
                _ServingProcess(config).run(sockets=[sock])
            except BaseException:
                code = 1
            os._exit(code)
        children.append(pid)

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            with suppress(ProcessLookupError):
                os.kill(child, signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for child in children:
            while True:
                try:
                    os.waitpid(child, 0)
                    break
                except ChildProcessError:
                    break
                except InterruptedError:
                    continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@dataclass(frozen=True, slots=True)
class ServiceHandle:
    """A running service: its base URL (``http://127.0.0.1:PORT``) and settings."""

    url: str
    settings: ServiceSettings

    @property
    def api_url(self) -> str:
        return self.url + "/api/v1"


@contextmanager
def run_service(
    db_url: str | None = None,
    *,
    settings: ServiceSettings | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    **overrides: Any,
) -> Iterator[ServiceHandle]:
    """Serve on ``host:port`` (0 = a free port) in a daemon thread for the ``with`` block."""
    settings = settings or ServiceSettings.from_env(db_url, **overrides)
    _preflight(settings)
    sock = bind_socket(host, port)
    bound_port = sock.getsockname()[1]
    config = uvicorn_config(
        settings, bound_port, host=host, log_level="warning", access_log=False, timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="ashby-agent-service", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + _STARTUP_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the ashby-agent service did not start on {host}:{bound_port}; see the log"
                )
            time.sleep(0.005)
        url_host = f"[{host}]" if ":" in host else host
        yield ServiceHandle(f"http://{url_host}:{bound_port}", settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
