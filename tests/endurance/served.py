"""The hosted service as a real ``ashby-agent serve`` process for the endurance tests: started on a free
port, killable with SIGKILL, restartable on the same database, and addressed like the in-process
fixture's :class:`ServiceHandle` (so ``tests.service.tenants`` works on it unchanged)."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ashby_agent.service.config import RATE_LIMIT_ENV, SECRET_KEY_ENV, ServiceSettings
from ashby_agent.service.server import ServiceHandle
from tests.cli.outcome import CLI, process_env
from tests.cli.serving import read_banner

_LISTENING = "ashby-agent service listening on "


class Served:
    """One ``serve`` process at a time on ``settings``' database; :meth:`kill` and :meth:`start` again.

    The process gets what the command line and environment can say: the database, the secret key, the
    Ashby URL and, when it is off, the rate limit; other settings keep their defaults."""

    def __init__(self, settings: ServiceSettings, log: Path) -> None:
        assert settings.secret_key is not None and settings.ashby_base_url is not None
        self.settings = settings
        self.log = log  # the server's stderr goes to a file: a full pipe would block it
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> ServiceHandle:
        assert self.settings.secret_key is not None and self.settings.ashby_base_url is not None
        env = {SECRET_KEY_ENV: self.settings.secret_key.get_secret_value()}
        if self.settings.rate_limit_requests == 0:
            env[RATE_LIMIT_ENV] = "0"
        args = ["--port", "0", "--db", self.settings.db_url, "--ashby-url", self.settings.ashby_base_url]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [*CLI, "serve", *args], stdout=subprocess.PIPE, stderr=log, text=True, env=process_env(**env)
            )
        banner = read_banner(self.process)
        return ServiceHandle(banner[0].removeprefix(_LISTENING).strip(), self.settings)

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, in-flight requests get no answer."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        assert self.process.returncode == -signal.SIGKILL
        self._close()

    def stop(self) -> None:
        """Stop it the ordinary way (SIGTERM)."""
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)
        self._close()

    def _close(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        self.process.stdout.close()
        self.process = None


@contextmanager
def served(settings: ServiceSettings, log: Path) -> Iterator[tuple[Served, ServiceHandle]]:
    """A started service process, stopped (unless already killed) at the end of the block."""
    process = Served(settings, log)
    handle = process.start()
    try:
        yield process, handle
    finally:
        if process.process is not None:
            process.stop()
