"""Per-call overhead of the connector over a raw httpx loop, and import time, measured in one run.

Usage: .venv/bin/python bench/connector_overhead.py [--calls 400] [--rounds 5]

The sandbox runs in a separate process (so its work does not share our GIL); the raw loop, ``execute``
and the typed helper call the same endpoint with the same body on the same machine, interleaved in
rounds; the figure per variant is the median over rounds of the mean time per call.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import httpx

KEY = "bench-key"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_sandbox(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ashby_agent.cli", "sandbox", "--port", str(port), "--api-key", KEY],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.post(f"http://127.0.0.1:{port}/apiKey.info", json={}, auth=(KEY, ""), timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("sandbox did not start")


async def _timed(call: Callable[[], Awaitable[object]], calls: int) -> float:
    for _ in range(20):  # warm up connections, caches and validators
        await call()
    started = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - started) / calls * 1000


async def _measure(url: str, page: int, calls: int, rounds: int) -> dict[str, float]:
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

    raw = httpx.AsyncClient(auth=(KEY, ""), base_url=url)
    connector = AshbyConnector(AshbyAuthConfig(api_key=KEY), base_url=url)
    body = {"limit": page}

    async def raw_call() -> object:
        response = await raw.post("/candidate.list", json=body)
        return response.json()["results"]

    async def execute_call() -> object:
        return await connector.execute("candidates", "list", body)

    async def helper_call() -> object:
        return await connector.candidates.list(limit=page)

    async def typed_call() -> object:
        return (await connector.candidates.list(limit=page)).data  # every record validated

    variants = {
        "raw httpx": raw_call,
        "execute": execute_call,
        "typed helper": helper_call,
        "typed records": typed_call,
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, call in variants.items():
            samples[name].append(await _timed(call, calls))
    await raw.aclose()
    await connector.aclose()
    return {name: statistics.median(values) for name, values in samples.items()}


def _import_time(statement: str, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import time; t=time.perf_counter(); {statement}; print(time.perf_counter()-t)",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        times.append(float(out.stdout.strip()) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    port = _free_port()
    proc = _start_sandbox(port)
    try:
        url = f"http://127.0.0.1:{port}"
        print(f"sandbox: {url} (separate process); {args.calls} calls x {args.rounds} rounds per variant\n")
        print(
            "| page size | raw httpx ms/call | execute | overhead | typed helper | overhead "
            "| helper + `.data` (all records typed) | overhead |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for page in (2, 100):
            result = asyncio.run(
                _measure(url, page, args.calls if page == 2 else args.calls // 2, args.rounds)
            )
            raw = result["raw httpx"]
            cells = [f"{result[name]:.3f} | {result[name] - raw:+.3f} ms" for name in list(result)[1:]]
            print(f"| {page} | {raw:.3f} | " + " | ".join(cells) + " |")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    floor = _import_time("import pydantic, httpx")
    ours = _import_time("import ashby_agent.connectors.ashby")
    print(f"\nimport pydantic, httpx: {floor:.1f} ms (floor)")
    print(f"import ashby_agent.connectors.ashby: {ours:.1f} ms ({ours / floor:.2f}x the floor)")


if __name__ == "__main__":
    main()
