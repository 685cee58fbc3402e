"""Walk ``candidate.list`` against the sandbox and report records/s and start-up time per scale.

    .venv/bin/python bench/sandbox_walk.py [--scale large ...] [--limit 100] [--passes 2] [--in-process]

By default the server is its own process (``serve_sandbox``, as the CLI runs it) and this process is
the one client: one ``httpx.Client`` walking page after page and parsing each page's JSON (it needs
``nextCursor``), like a real sync. Start-up = from process start until the first answer. Walk 1 is
cold (each record's JSON is serialised and cached on first use); later walks are warm.
``--in-process`` uses ``run_sandbox`` instead (server thread and client share one GIL: slower).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import orjson

KEY = "bench-key"


def walk(url: str, key: str, limit: int) -> tuple[int, int, float]:
    """(records, pages, seconds) of one full walk."""
    auth = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    headers = {"Authorization": auth, "Content-Type": "application/json"}
    records = pages = 0
    cursor = None
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        started = time.perf_counter()
        while True:
            body = {"limit": limit, **({"cursor": cursor} if cursor else {})}
            page = orjson.loads(client.post("/candidate.list", content=orjson.dumps(body)).content)
            assert page["success"], page
            records += len(page["results"])
            pages += 1
            if not page["moreDataAvailable"]:
                return records, pages, time.perf_counter() - started
            cursor = page["nextCursor"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server_process(scale: str, seed: int) -> Iterator[tuple[str, str, float]]:
    """(url, key, start-up seconds) of a ``serve_sandbox`` subprocess."""
    port = _free_port()
    code = (
        "from ashby_agent.sandbox import serve_sandbox;"
        f"serve_sandbox(port={port}, seed={seed}, scale={scale!r}, api_keys=[{KEY!r}])"
    )
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.post(f"{url}/apiKey.info", auth=(KEY, ""), json={}).status_code == 200:
                    break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise RuntimeError("the sandbox process exited") from None
                time.sleep(0.05)
        yield url, KEY, time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def server_thread(scale: str, seed: int) -> Iterator[tuple[str, str, float]]:
    from ashby_agent.sandbox import run_sandbox

    started = time.perf_counter()
    with run_sandbox(seed=seed, scale=scale) as sb:
        yield sb.url, sb.api_key, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", action="append", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--passes", type=int, default=2, help="walks per scale (the first is cold)")
    parser.add_argument("--in-process", action="store_true", help="run_sandbox in a thread of this process")
    args = parser.parse_args()
    start = server_thread if args.in_process else server_process
    for scale in args.scale or ["small", "medium", "large"]:
        with start(scale, args.seed) as (url, key, startup):
            print(f"{scale:>6}: start-up {startup:6.2f}s")
            for n in range(1, args.passes + 1):
                records, pages, seconds = walk(url, key, args.limit)
                rate = records / seconds
                walked = f"{records} records, {pages} pages, {seconds:.2f}s"
                print(f"{'':>6}  walk {n}: {walked} = {rate:,.0f} records/s")


if __name__ == "__main__":
    main()
