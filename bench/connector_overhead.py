"""Per-call overhead of the connector over a raw httpx loop, and import time, measured in one run.

Usage: .venv/bin/python bench/connector_overhead.py [--calls 400] [--rounds 5] [--imports-only]
       [--clock wall|cpu] [--import-runs 7]

The sandbox runs in a separate process (so its work does not share our GIL); the raw loop, ``execute``
and the typed helper call the same endpoint with the same body on the same machine, interleaved in
rounds; the figure per variant is the median over rounds of the mean time per call.

A second table gives, per page size, reading every record (``.data``), ``model_dump(mode="json")`` and
``model_dump_json()`` of the page as ratios to the raw loop.

``--in-process`` takes the network and the sandbox out: each page's answer is fetched once and
replayed from memory by an ``httpx.MockTransport`` to both the raw loop and the connector, and the
process's CPU time is measured (what a loaded machine disturbs least); it compares the work done on
our side of the socket.

Import times: ``import pydantic, httpx`` (the floor), ``import ashby_agent.connectors.ashby``, importing
``AshbyConnector`` and the real first use (building an ``AshbyConnector`` with an
``AshbyAuthConfig``, which loads pydantic's model machinery), each the median of 7 fresh interpreters
timed with ``time.perf_counter`` around the statement; with bytecode cached and without. On a loaded
machine ``--clock cpu`` times the interpreter's own CPU (``time.process_time``) instead, which other
processes disturb less. Run it with another venv's interpreter to measure that install (e.g. a core
install without click, where ``import httpx`` does not load its command line module).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable

import httpx
from processes import KEY, free_port, start_sandbox


async def _timed(call: Callable[[], Awaitable[object]], calls: int, clock: Callable[[], float]) -> float:
    for _ in range(20):  # warm up connections, caches and validators
        await call()
    started = clock()
    for _ in range(calls):
        await call()
    return (clock() - started) / calls * 1000


async def _replay_transport(url: str, body: dict[str, int]) -> httpx.MockTransport:
    """An httpx transport answering every request with the sandbox's real answer to ``body``."""
    async with httpx.AsyncClient(auth=(KEY, ""), base_url=url) as client:
        answer = await client.post("/candidate.list", json=body)
    content, headers = answer.content, {"content-type": answer.headers["content-type"]}
    return httpx.MockTransport(lambda request: httpx.Response(200, content=content, headers=headers))


async def _measure(url: str, page: int, calls: int, rounds: int, *, in_process: bool) -> dict[str, float]:
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector

    body = {"limit": page}
    replay = await _replay_transport(url, body) if in_process else None
    raw = httpx.AsyncClient(auth=(KEY, ""), base_url=url, transport=replay)
    connector = AshbyConnector(AshbyAuthConfig(api_key=KEY), base_url=url, transport=replay)
    clock = time.process_time if in_process else time.perf_counter

    async def raw_call() -> object:
        response = await raw.post("/candidate.list", json=body)
        return response.json()["results"]

    async def execute_call() -> object:
        return await connector.execute("candidates", "list", body)

    async def helper_call() -> object:
        return await connector.candidates.list(limit=page)

    async def typed_call() -> object:
        return (await connector.candidates.list(limit=page)).data  # every record validated

    async def dump_call() -> object:
        return (await connector.candidates.list(limit=page)).model_dump(mode="json")

    async def dump_json_call() -> object:
        return (await connector.candidates.list(limit=page)).model_dump_json()

    variants = {
        "raw httpx": raw_call,
        "execute": execute_call,
        "typed helper": helper_call,
        "typed records": typed_call,
        "model_dump": dump_call,
        "model_dump_json": dump_json_call,
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, call in variants.items():
            samples[name].append(await _timed(call, calls, clock))
    await raw.aclose()
    await connector.aclose()
    return {name: statistics.median(values) for name, values in samples.items()}


#: (label, statement) measured against the floor, each in fresh interpreters.
IMPORTS = (
    ("import ashby_agent.connectors.ashby", "import ashby_agent.connectors.ashby"),
    (
        "from ashby_agent.connectors.ashby import AshbyConnector",
        "from ashby_agent.connectors.ashby import AshbyConnector",
    ),
    (
        "first use: AshbyConnector(auth_config=AshbyAuthConfig(api_key=...))",
        "from ashby_agent.connectors.ashby import AshbyConnector; "
        "from ashby_agent.connectors.ashby.models import AshbyAuthConfig; "
        "AshbyConnector(auth_config=AshbyAuthConfig(api_key='k'))",
    ),
    (
        "reference, no ashby_agent: `import httpx` and one pydantic model with a SecretStr, instantiated",
        "import httpx, pydantic; pydantic.create_model('M', k=(pydantic.SecretStr, ...))(k='k')",
    ),
)
FLOOR = "import pydantic, httpx"


def _import_times(
    statements: list[str], runs: int = 7, *, pycache: str | None = None, clock: str = "perf_counter"
) -> list[float]:
    """Per statement, the median over ``runs`` fresh interpreters of the time it takes (ms).

    Runs are interleaved (one of each statement per round) so load drifts hit all alike. With
    ``pycache`` (a private ``PYTHONPYCACHEPREFIX``, warmed by one untimed run) every module's bytecode
    is cached, as for an installed package; without it nothing is written, and modules without a
    ``.pyc`` beside them (a checkout used with ``PYTHONDONTWRITEBYTECODE``) compile every time.
    """
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE")
        env["PYTHONPYCACHEPREFIX"] = pycache
    commands = [
        [sys.executable, "-c", f"import time; t=time.{clock}(); {stmt}; print(time.{clock}()-t)"]
        for stmt in statements
    ]
    if pycache is not None:
        for command in commands:
            subprocess.run(command, capture_output=True, check=True, env=env)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, samples in zip(commands, times, strict=True):
            out = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
            samples.append(float(out.stdout.strip()) * 1000)
    return [statistics.median(samples) for samples in times]


def _print_import_times(runs: int = 7, clock: str = "wall") -> None:
    timer = "process_time" if clock == "cpu" else "perf_counter"
    print(f"\nimport time ({clock} clock), median of {runs} fresh interpreters (interleaved):\n")
    print("| statement | bytecode cached | x floor | no bytecode cache | x floor |")
    print("|---|---|---|---|---|")
    labels = [f"`{FLOOR}` (floor)", *(label if "`" in label else f"`{label}`" for label, _ in IMPORTS)]
    statements = [FLOOR, *(statement for _, statement in IMPORTS)]
    with tempfile.TemporaryDirectory() as pycache:
        cached = _import_times(statements, runs, pycache=pycache, clock=timer)
    plain = _import_times(statements, runs, clock=timer)
    for label, with_cache, without in zip(labels, cached, plain, strict=True):
        print(
            f"| {label} | {with_cache:.1f} ms | {with_cache / cached[0]:.2f}x "
            f"| {without:.1f} ms | {without / plain[0]:.2f}x |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--imports-only", action="store_true", help="only measure import times")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="how imports are timed")
    parser.add_argument("--import-runs", type=int, default=7, help="fresh interpreters per statement")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="replay the sandbox's answers from memory (httpx.MockTransport) and time CPU, not wall",
    )
    args = parser.parse_args()
    if args.imports_only:
        _print_import_times(args.import_runs, args.clock)
        return
    port = free_port()
    proc = start_sandbox(port)
    try:
        url = f"http://127.0.0.1:{port}"
        where = "replayed from memory, CPU time" if args.in_process else "separate process, wall time"
        print(f"sandbox: {url} ({where}); {args.calls} calls x {args.rounds} rounds per variant\n")
        print(
            "| page size | raw httpx ms/call | execute | overhead | typed helper | overhead "
            "| helper + `.data` (all records typed) | overhead |"
        )
        print("|---|---|---|---|---|---|---|---|")
        results = {}
        for page in (2, 100):
            result = results[page] = asyncio.run(
                _measure(
                    url,
                    page,
                    args.calls if page == 2 else args.calls // 2,
                    args.rounds,
                    in_process=args.in_process,
                )
            )
            raw = result["raw httpx"]
            cells = [f"{result[name]:.3f} | {result[name] - raw:+.3f} ms" for name in list(result)[1:4]]
            print(f"| {page} | {raw:.3f} | " + " | ".join(cells) + " |")
        print("\nThe page read and dumped, ms/call and ratio to the same run's raw httpx loop:\n")
        print(
            '| page size | raw httpx | helper + `.data` | ratio | helper + `model_dump(mode="json")` '
            "| ratio | helper + `model_dump_json()` | ratio |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for page, result in results.items():
            raw = result["raw httpx"]
            names = ("typed records", "model_dump", "model_dump_json")
            cells = [f"{result[name]:.3f} | {result[name] / raw:.2f}x" for name in names]
            print(f"| {page} | {raw:.3f} | " + " | ".join(cells) + " |")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    _print_import_times(args.import_runs, args.clock)


if __name__ == "__main__":
    main()
