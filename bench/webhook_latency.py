"""Webhook-to-store latency through the hosted service: a candidate deleted in Ashby (the sandbox) until
its row is gone from the context store, including the sandbox's own delivery.

Usage: .venv/bin/python bench/webhook_latency.py [--events 50] [--db sqlite|postgres]

The service runs with ``ASHBY_AGENT_PUBLIC_URL`` set to itself, so its first sync registers its webhooks
with the sandbox; then each deletion is timed from the control call until the store no longer holds the
record (polled every millisecond). Sandbox and service run in this process's threads.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from typing import Any

import httpx
import sqlalchemy as sa
from processes import free_port

from ashby_agent.sandbox import run_sandbox
from ashby_agent.service import operator
from ashby_agent.service.config import ServiceSettings
from ashby_agent.service.security.crypto import generate_key
from ashby_agent.service.server import run_service
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.schema import records

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _present(store: ContextStore, connector_id: str, record_id: str) -> bool:
    query = sa.select(records.c.record_id).where(
        records.c.connector_id == connector_id, records.c.record_id == record_id
    )
    return store.transaction(lambda c: c.execute(query).first() is not None)


def _wait(check: Any, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, run_sandbox(seed=7, scale="small") as sandbox:
        db_url = f"sqlite:///{tmp}/service.db" if args.db == "sqlite" else PG_URL
        port = free_port()
        settings = ServiceSettings(
            db_url=db_url,
            secret_key=generate_key(),
            ashby_base_url=sandbox.url,
            rate_limit_requests=0,
            sync_poll_seconds=0.2,
            public_url=f"http://127.0.0.1:{port}",
        )
        with run_service(settings=settings, port=port) as service:
            org = f"bench-{uuid.uuid4().hex[:8]}"
            operator.create_org(org, settings=settings)
            client = operator.create_client([org], settings=settings)
            with httpx.Client(base_url=service.api_url, timeout=30) as http:
                token = http.post(
                    "/account/applications/token",
                    json={
                        "client_id": client.client_id,
                        "client_secret": client.client_secret.get_secret_value(),
                    },
                ).json()["access_token"]
                body = {
                    "workspace_name": org,
                    "connector_type": "Ashby",
                    "credentials": {"api_key": sandbox.api_key},
                    "replication_config": {"start_date": "2020-01-01T00:00:00Z", "refresh_minutes": 1440},
                }
                answer = http.post(
                    "/integrations/connectors", json=body, headers={"Authorization": f"Bearer {token}"}
                )
                connector_id = answer.json()["id"]
            store = ContextStore.on_engine(sa.create_engine(db_url))
            candidates = [c["id"] for c in sandbox.control.records("candidate")]
            _wait(lambda: all(_present(store, connector_id, c) for c in candidates[-3:]), "the first sync")
            registered = [w for w in sandbox.control.records("webhook") if connector_id in w["requestUrl"]]
            if not registered:
                raise SystemExit("the service registered no webhooks")
            latencies = []
            for victim in candidates[: args.events]:
                started = time.perf_counter()
                sandbox.control.delete("candidate", victim)
                _wait(lambda victim=victim: not _present(store, connector_id, victim), "a deletion to arrive")
                latencies.append(time.perf_counter() - started)
            store.close()
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"database {args.db}: {len(latencies)} deletions delivered by the sandbox's webhooks")
    print()
    print("| p50 | p95 | max |")
    print("|---|---|---|")
    p50, worst = statistics.median(latencies) * 1000, latencies[-1] * 1000
    print(f"| {p50:.1f} ms | {p95 * 1000:.1f} ms | {worst:.1f} ms |")


if __name__ == "__main__":
    main()
