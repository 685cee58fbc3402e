"""A webhook receiver for tests: a real HTTP server on a free port that records what it is sent.

Each path answers from its own script (``answer("/a", 500, 503)``: those statuses first, then 200)
and can be held (``hold("/slow")``: requests wait until the returned event is set), so a test can
make the sandbox retry, give up or wait, and then look at exactly what arrived.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

#: How long a test waits for deliveries before failing (generous: the machine may be loaded).
WAIT_SECONDS = 20.0
T = TypeVar("T")


@dataclass(frozen=True)
class Received:
    """One request as it arrived: the raw body is what the signature covers."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return orjson.loads(self.body)

    @property
    def action(self) -> str:
        return str(self.json["action"])


class Receiver:
    """The server's state: what arrived, the scripted answers, the held paths."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._answers: dict[str, deque[int]] = {}
        self._holds: dict[str, threading.Event] = {}

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str, *statuses: int) -> None:
        """The next answers of ``path``, in order; 200 once they are used up."""
        with self._lock:
            self._answers.setdefault(path, deque()).extend(statuses)

    def hold(self, path: str) -> threading.Event:
        """Requests to ``path`` wait (up to ``WAIT_SECONDS``) until the event is set."""
        event = threading.Event()
        with self._lock:
            self._holds[path] = event
        return event

    def received(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self._received if path is None or r.path == path]

    def wait_for(self, count: int, path: str | None = None) -> list[Received]:
        """The first ``count`` requests (to ``path``), or a failure saying what did arrive."""
        return wait_until(
            lambda: self.received(path) if len(self.received(path)) >= count else None,
            f"{count} webhook requests to {path or 'any path'}; got {[r.path for r in self.received()]}",
        )

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            self._received.append(Received(path, headers, body))
            hold = self._holds.get(path)
        if hold is not None:
            hold.wait(WAIT_SECONDS)
        with self._lock:
            script = self._answers.get(path)
            return script.popleft() if script else 200


def wait_until(check: Callable[[], T | None], what: str, timeout: float = WAIT_SECONDS) -> T:
    """Poll ``check`` until it returns something other than None; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


@contextmanager
def run_receiver() -> Iterator[Receiver]:
    """Serve a ``Receiver`` on 127.0.0.1 (a free port) in a thread for the ``with`` block."""
    state: list[Receiver] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = state[0]._handle(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.append(Receiver(server.server_address[1]))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="webhook-receiver", daemon=True
    )
    thread.start()
    try:
        yield state[0]
    finally:
        for event in state[0]._holds.values():
            event.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
