"""Replication into the context store: full sync speed against a raw httpx walk of the same pages,
incremental sync after 1% of candidates changed, and the syncing process's peak memory.

Usage: .venv/bin/python bench/sync_replication.py [--scale medium|large] [--db sqlite|postgres]
       [--baseline-tree DIR]

The sandbox runs in its own process (``serve_sandbox`` on a free port). The baseline walks every page of
every replicated list with ``httpx.AsyncClient`` + ``response.json()`` (the same bodies the sync sends,
nothing stored). The sync runs in a fresh process into a fresh SQLite file and prints its peak RSS; then
1% of the candidates are updated through the sandbox's control surface and the incremental sync runs
in another fresh process. Besides wall-clock seconds, each run reports the CPU seconds (user + system)
of the measuring process, which a machine loaded by other work disturbs less than the wall clock, and
those the sandbox's process and the local PostgreSQL's processes spent meanwhile: all of it divided by
the machine's cores is the least wall time the run could take here, however well its work overlapped.
``--db postgres`` syncs into a fresh schema of the PostgreSQL at ``BENCH_PG_URL`` (default the local
test server), dropped afterwards. ``--baseline-tree`` names a directory holding another revision's
``ashby_agent`` (e.g. ``git archive <rev> ashby_agent | tar -x -C DIR``): its full sync runs too, into a
store of its own, before this one's, against the same sandbox in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from processes import KEY, cpu_seconds, database_cpu, free_port, fresh_database, start_sandbox

T = TypeVar("T")

SYNC = """
import asyncio, json, os, resource, time
from ashby_agent.store.context_store import ContextStore
from ashby_agent.transports.ashby import AshbyTransport

async def main():
    store = ContextStore.open(os.environ["STORE_URL"])
    async with AshbyTransport(os.environ["KEY"], base_url=os.environ["URL"]) as transport:
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        report = await store.replicate(transport, "bench")
        elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    out = {"seconds": elapsed, "cpu": cpu, "records": report.records, "ok": report.ok}
    print(json.dumps({**out, "rss_kib": usage.ru_maxrss}))

asyncio.run(main())
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _raw_walk(url: str) -> tuple[float, float, int]:
    """Every page of every replicated list, parsed and dropped: (seconds, CPU seconds, records)."""
    from ashby_agent.store.plan import select_streams

    records = 0
    async with httpx.AsyncClient(base_url=url, auth=(KEY, ""), timeout=60) as client:
        started, cpu = time.perf_counter(), _cpu()
        parents: dict[str, list[str]] = {}
        for stream in select_streams(None):
            bodies: list[dict[str, Any]] = []
            if stream.parent is None:
                bodies.append(dict(stream.fixed))
            else:
                bodies += [
                    {**stream.fixed, stream.parent.param: p} for p in parents.get(stream.parent.entity, [])
                ]
            ids: list[str] = []
            for base in bodies:
                body = {**base, "limit": 100} if stream.op.paginated else base
                while True:
                    page = (await client.post("/" + stream.op.endpoint, json=body)).json()
                    results = page.get("results") or []
                    records += len(results)
                    ids += [r["id"] for r in results if isinstance(r, dict) and "id" in r]
                    if not (page.get("moreDataAvailable") and page.get("nextCursor")):
                        break
                    body = {**body, "cursor": page["nextCursor"]}
            parents[stream.entity] = ids
        return time.perf_counter() - started, _cpu() - cpu, records


class _Others:
    """The CPU seconds the sandbox and (with ``postgres``) the local PostgreSQL spend during a block
    (``spent``)."""

    def __init__(self, sandbox_pid: int, postgres: bool) -> None:
        self.sandbox_pid = sandbox_pid
        self.postgres = postgres
        self.spent: tuple[float, float | None] = (0.0, None)

    def __enter__(self) -> _Others:
        self._sandbox = cpu_seconds(self.sandbox_pid)
        self._database = database_cpu() if self.postgres else None
        return self

    def __exit__(self, *_: object) -> None:
        database = database_cpu() if self.postgres else None
        self.spent = (
            cpu_seconds(self.sandbox_pid) - self._sandbox,
            None if database is None or self._database is None else database - self._database,
        )


def _sync(url: str, store_url: str, tree: str | None = None) -> dict[str, Any]:
    env = {**os.environ, "STORE_URL": store_url, "KEY": KEY, "URL": url}
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [tree, env.get("PYTHONPATH")]))
    # ``python -c`` puts its working directory first on sys.path: run the other revision from its own
    # directory, or a checkout's ``ashby_agent`` (the working directory's) would shadow it.
    out = subprocess.run(
        [sys.executable, "-c", SYNC], env=env, cwd=tree, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _change_one_percent(url: str) -> int:
    with httpx.Client(base_url=url, timeout=60) as client:
        ids, body = [], {"limit": 100}
        while True:
            page = client.post("/candidate.list", json=body, auth=(KEY, "")).json()
            ids += [c["id"] for c in page["results"]]
            if not page.get("moreDataAvailable"):
                break
            body = {"limit": 100, "cursor": page["nextCursor"]}
        chosen = ids[::100]
        for ident in chosen:
            client.patch(
                f"/_sandbox/records/candidate/{ident}", json={"name": "Changed Person"}
            ).raise_for_status()
        return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--baseline-tree", help="a directory holding another revision's ashby_agent")
    args = parser.parse_args()
    port = free_port()
    proc = start_sandbox(port, args.scale)
    url = f"http://127.0.0.1:{port}"
    others: dict[str, tuple[float, float | None]] = {}

    def measured(name: str, run: Callable[[], T]) -> T:
        with _Others(proc.pid, postgres=args.db == "postgres") as meter:
            result = run()
        others[name] = meter.spent
        return result

    try:
        raw_seconds, raw_cpu, raw_records = measured("walk", lambda: asyncio.run(_raw_walk(url)))
        baseline = None
        if args.baseline_tree:
            tree = os.path.abspath(args.baseline_tree)
            with fresh_database(args.db, "store") as store_url:
                baseline = measured("baseline", lambda: _sync(url, store_url, tree))
        with fresh_database(args.db, "store") as store_url:
            full = measured("full", lambda: _sync(url, store_url))
            changed = _change_one_percent(url)
            incremental = measured("incremental", lambda: _sync(url, store_url))
    finally:
        proc.terminate()
        proc.wait()
    print(f"scale {args.scale}, store {args.db}: sandbox {url} in its own process")
    print()
    rows = [
        ("walk", "raw httpx walk (baseline)", raw_records, raw_seconds, raw_cpu, "1.00x", "1.00x", ""),
        (
            "full",
            "full sync",
            full["records"],
            full["seconds"],
            full["cpu"],
            f"{full['seconds'] / raw_seconds:.2f}x",
            f"{full['cpu'] / raw_cpu:.2f}x",
            full["rss_kib"],
        ),
        (
            "incremental",
            f"incremental after {changed} candidates changed",
            incremental["records"],
            incremental["seconds"],
            incremental["cpu"],
            f"{incremental['seconds'] / full['seconds']:.1%} of the full sync",
            f"{incremental['cpu'] / full['cpu']:.1%}",
            incremental["rss_kib"],
        ),
    ]
    if baseline is not None:
        rows.insert(
            1,
            (
                "baseline",
                f"full sync, {args.baseline_tree}",
                baseline["records"],
                baseline["seconds"],
                baseline["cpu"],
                f"{baseline['seconds'] / raw_seconds:.2f}x",
                f"{baseline['cpu'] / raw_cpu:.2f}x",
                baseline["rss_kib"],
            ),
        )
    cores = os.cpu_count() or 1
    print(
        "| run | records | seconds | records/s | ratio | CPU seconds | CPU ratio | peak RSS "
        f"| sandbox CPU s | database CPU s | all CPU ÷ {cores} cores |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for key, name, count, seconds, cpu, ratio, cpu_ratio, rss in rows:
        memory = f"{rss / 1024:.0f} MiB" if rss else ""
        sandbox, database = others[key]
        floor = (cpu + sandbox + (database or 0.0)) / cores
        print(
            f"| {name} | {count} | {seconds:.2f} | {count / seconds:,.0f} | {ratio} | {cpu:.2f} "
            f"| {cpu_ratio} | {memory} | {sandbox:.2f} | {'' if database is None else f'{database:.2f}'} "
            f"| {floor:.2f} s ({floor / raw_seconds:.2f}x the walk) |"
        )


if __name__ == "__main__":
    main()
