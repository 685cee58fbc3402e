"""Fixtures of the hosted replication tests: a sandbox of this module's own (the tests change its data),
the service pointed at it (syncs in-process on SQLite, on PostgreSQL through ``ashby-agent worker``
processes started here), and bounded waits that fail saying what they waited for."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy.engine import make_url

from ashby_agent.sandbox import run_sandbox
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import ServiceHandle, run_service
from ashby_agent.store.context_store import ContextStore
from tests.service.tenants import Tenant, new_tenant

T = TypeVar("T")


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 60.0, interval: float = 0.1) -> T:
    """``check()``'s first truthy value, or a failure naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(interval)


def is_postgres(db_url: str) -> bool:
    return make_url(db_url).get_backend_name() == "postgresql"


class Workers:
    """``ashby-agent worker`` processes on the service's database (PostgreSQL)."""

    def __init__(self, settings: ServiceSettings, logs: Path) -> None:
        self.settings = settings
        self.logs = logs
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *, stalled_seconds: float = 2.0) -> subprocess.Popen[bytes]:
        assert self.settings.secret_key is not None and self.settings.ashby_base_url is not None
        env = {
            **os.environ,
            "ASHBY_AGENT_DB": self.settings.db_url,
            "ASHBY_AGENT_SECRET_KEY": self.settings.secret_key.get_secret_value(),
            "ASHBY_API_URL": self.settings.ashby_base_url,
        }
        if self.settings.public_url is not None:
            env["ASHBY_AGENT_PUBLIC_URL"] = self.settings.public_url
        command = [sys.executable, "-m", "ashby_agent.cli", "worker", "--heartbeat-seconds", "0.5"]
        command += ["--stalled-seconds", str(stalled_seconds), "--concurrency", "2"]
        log = self.logs / f"worker-{len(self.processes)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=11, scale="small") as handle:
        yield handle


@pytest.fixture(scope="module")
def settings(db_url: str, sandbox: Any) -> ServiceSettings:
    return ServiceSettings(
        db_url=db_url,
        secret_key=generate_key(),
        ashby_base_url=sandbox.url,
        rate_limit_requests=0,
        sync_poll_seconds=0.2,
    )


@pytest.fixture(scope="module")
def service(settings: ServiceSettings) -> Iterator[ServiceHandle]:
    with run_service(settings=settings) as handle:
        yield handle


@pytest.fixture(scope="module")
def workers(
    settings: ServiceSettings, service: ServiceHandle, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workers]:
    """On PostgreSQL, one worker runs for the module (tests may start more); on SQLite, none."""
    pool = Workers(settings, tmp_path_factory.mktemp("workers"))
    if is_postgres(settings.db_url):
        pool.start()
    yield pool
    pool.stop()


@pytest.fixture(scope="module")
def store(settings: ServiceSettings, service: ServiceHandle) -> Iterator[ContextStore]:
    """The service's context store, read directly (same database)."""
    opened = ContextStore.open(settings.db_url)
    yield opened
    opened.close()


@pytest.fixture
def http(service: ServiceHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.api_url, timeout=30) as client:
        yield client


@pytest.fixture
def tenant(service: ServiceHandle, http: httpx.Client, workers: Workers) -> Tenant:
    return new_tenant(service, http)


@pytest.fixture
def other_tenant(service: ServiceHandle, http: httpx.Client, workers: Workers) -> Tenant:
    return new_tenant(service, http)
