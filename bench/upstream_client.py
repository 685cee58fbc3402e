"""CPU per call of the package's Ashby client, by HTTP transport, against the sandbox.

Usage: .venv/bin/python bench/upstream_client.py [--callers 16] [--calls 2000] [--rounds 4] [--page 2]

Sends ``candidate.list`` through an ``AshbyTransport`` on the client the service shares between its
connectors (its limits, and the decoding that leaves the records as bytes), from ``--callers``
concurrent tasks, once over httpx's own transport (httpcore, the baseline) and once over
:class:`~ashby_agent.transports.http11.KeepAliveTransport` (every client of the package), alternated
for ``--rounds`` rounds. The figure is this process's CPU time (``time.process_time``) per call, the
sandbox running in a process of its own: unlike wall-clock time it barely moves when other work loads
the machine. Prints the minimum and median over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from processes import KEY, free_port, start_sandbox

from ashby_agent.service.pool import LIMITS
from ashby_agent.transports.ashby import AshbyTransport, ashby_http_client
from ashby_agent.transports.http11 import KeepAliveTransport
from ashby_agent.transports.tls import shared_ssl_context
from ashby_agent.undecoded import decode_envelope

TRANSPORTS: dict[str, Callable[[], httpx.AsyncBaseTransport]] = {
    "httpcore (httpx.AsyncHTTPTransport)": lambda: httpx.AsyncHTTPTransport(
        verify=shared_ssl_context(), limits=LIMITS
    ),
    "KeepAliveTransport": lambda: KeepAliveTransport(shared_ssl_context(), LIMITS),
}


async def _round(
    url: str, make: Callable[[], httpx.AsyncBaseTransport], callers: int, calls: int, page: int
) -> float:
    """CPU ms per call for ``calls`` calls from ``callers`` tasks (after a warm-up that opens the pool)."""
    client = ashby_http_client(limits=LIMITS, transport=make())
    transport = AshbyTransport(KEY, base_url=url, http_client=client)
    body = {"limit": page}
    try:
        warm = (transport.post("candidate.list", body, decode=decode_envelope) for _ in range(callers * 2))
        await asyncio.gather(*warm)
        remaining = calls

        async def caller() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                await transport.post("candidate.list", body, decode=decode_envelope)

        started = time.process_time()
        await asyncio.gather(*(caller() for _ in range(callers)))
        return (time.process_time() - started) * 1000 / calls
    finally:
        await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=16)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--page", type=int, default=2)
    args = parser.parse_args()
    port = free_port()
    sandbox = start_sandbox(port)
    url = f"http://127.0.0.1:{port}"
    figures: dict[str, list[float]] = {name: [] for name in TRANSPORTS}
    try:
        for _ in range(args.rounds):
            for name, make in TRANSPORTS.items():
                figures[name].append(asyncio.run(_round(url, make, args.callers, args.calls, args.page)))
    finally:
        sandbox.kill()
        sandbox.wait()
    shape = f"{args.callers} callers, page {args.page}, {args.calls} calls x {args.rounds} rounds"
    print(f"Ashby client CPU per call ({shape})\n")
    print("| transport | min ms/call | median ms/call |")
    print("|---|---|---|")
    for name, values in figures.items():
        print(f"| {name} | {min(values):.3f} | {statistics.median(values):.3f} |")


if __name__ == "__main__":
    main()
