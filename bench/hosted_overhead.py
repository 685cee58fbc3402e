"""Hosted execute overhead over local execute, side by side in one run.

Usage: .venv/bin/python bench/hosted_overhead.py [--calls 200] [--rounds 3] [--db sqlite|postgres]

The sandbox (as Ashby) and the hosted service run as separate processes; the same connector code
calls ``candidates.list`` locally (straight to the sandbox) and in hosted mode (through the service),
interleaved in rounds. Each figure is the median over rounds of the mean time per call, with every
record read as its typed model (``.data``) so both sides do the same client work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import httpx
from processes import KEY, free_port, fresh_database, wait_until_up


async def _timed(call: Callable[[], Awaitable[object]], calls: int) -> float:
    for _ in range(10):
        await call()
    started = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - started) / calls * 1000


async def _measure(sandbox: str, service: str, client_id: str, secret: str, calls: int, rounds: int) -> None:
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
    from ashby_agent.types import AirbyteAuthConfig

    local = AshbyConnector(AshbyAuthConfig(api_key=KEY), base_url=sandbox)
    hosted = AshbyConnector(
        auth_config=AirbyteAuthConfig(
            workspace_name="bench", airbyte_client_id=client_id, airbyte_client_secret=secret, api_url=service
        )
    )
    print("| page size | local execute ms/call | hosted execute ms/call | hosted overhead |")
    print("|---|---|---|---|")
    for page in (2, 100):

        async def local_call(page: int = page) -> object:
            return (await local.candidates.list(limit=page)).data

        async def hosted_call(page: int = page) -> object:
            return (await hosted.candidates.list(limit=page)).data

        samples: dict[str, list[float]] = {"local": [], "hosted": []}
        for _ in range(rounds):
            samples["local"].append(await _timed(local_call, calls))
            samples["hosted"].append(await _timed(hosted_call, calls))
        lo, ho = statistics.median(samples["local"]), statistics.median(samples["hosted"])
        print(f"| {page} | {lo:.3f} | {ho:.3f} | {ho - lo:+.3f} ms |")
    await local.aclose()
    await hosted.aclose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    with fresh_database(args.db) as db_url:
        _run(args, db_url)


def _run(args: argparse.Namespace, db_url: str) -> None:
    from ashby_agent.service import operator
    from ashby_agent.service.security.crypto import generate_key

    sandbox_port, service_port = free_port(), free_port()
    sandbox_url, service_url = f"http://127.0.0.1:{sandbox_port}", f"http://127.0.0.1:{service_port}"
    env = {
        **os.environ,
        "ASHBY_AGENT_SECRET_KEY": generate_key().get_secret_value(),
        "ASHBY_API_URL": sandbox_url,
        "ASHBY_AGENT_RATE_LIMIT": "0",
    }
    cli = [sys.executable, "-m", "ashby_agent.cli"]
    procs = [
        subprocess.Popen(
            [*cli, "sandbox", "--port", str(sandbox_port), "--api-key", KEY],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        wait_until_up(sandbox_url + "/_sandbox/clock", procs[0])
        os.environ.update(env)
        operator.create_org("bench", db_url=db_url)
        creds = operator.create_client(["bench"], db_url=db_url)
        procs.append(
            subprocess.Popen(
                [*cli, "serve", "--port", str(service_port), "--db", db_url],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_until_up(service_url + "/openapi.json", procs[1])
        secret = creds.client_secret.get_secret_value()
        token = httpx.post(
            f"{service_url}/api/v1/account/applications/token",
            json={"client_id": creds.client_id, "client_secret": secret},
        ).json()["access_token"]
        created = httpx.post(
            f"{service_url}/api/v1/integrations/connectors",
            headers={"Authorization": f"Bearer {token}"},
            json={"workspace_name": "bench", "connector_type": "Ashby", "credentials": {"api_key": KEY}},
        )
        created.raise_for_status()
        print(f"sandbox {sandbox_url} and service {service_url} ({args.db}) in separate processes; ", end="")
        print(f"{args.calls} calls x {args.rounds} rounds\n")
        asyncio.run(_measure(sandbox_url, service_url, creds.client_id, secret, args.calls, args.rounds))
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
