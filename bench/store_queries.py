"""Context store queries at scale: p50/p95 of each kind of query on SQLite and PostgreSQL, against the
baseline an agent has without a store (paging the live sandbox and filtering or counting in Python).

Usage: .venv/bin/python bench/store_queries.py [--scale large] [--runs 20] [--backends sqlite,postgresql]

The sandbox runs in its own process; each backend's store is filled once by a real sync (a fresh SQLite
file; a fresh PostgreSQL schema on 127.0.0.1), then every query runs ``--runs`` times through
``ContextStore`` (parse, compile, run, shape: what an execute costs without the HTTP hop). The live
baseline runs each question once: listing every record it needs and answering in Python.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import sqlalchemy as sa
from processes import KEY, free_port, start_sandbox

from ashby_agent.errors import AshbyAgentError
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.query.aggregate import parse_aggregate, run_aggregate
from ashby_agent.store.query.text import fuzzy_match
from ashby_agent.transports.ashby import AshbyTransport

PG = "postgresql://postgres@127.0.0.1:5432/test"


def _queries(email: str) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        "indexed eq (email)": (
            "candidates",
            "search",
            {"query": {"filter": {"eq": {"primaryEmailAddress.value": email}}}},
        ),
        "like (name %son%)": (
            "candidates",
            "search",
            {"query": {"filter": {"like": {"name": "%son%"}}}, "fields": ["name"]},
        ),
        "fuzzy (name 'jonas smiht')": (
            "candidates",
            "search",
            {"query": {"filter": {"fuzzy": {"name": "jonas smiht"}}}, "fields": ["name"]},
        ),
        "keyword (position)": (
            "candidates",
            "search",
            {"query": {"filter": {"keyword": {"position": "engineer designer"}}}, "fields": ["position"]},
        ),
        "sorted page 2 (cursor)": (
            "applications",
            "page2",
            {"query": {"filter": {"eq": {"status": "Active"}}, "sort": [{"createdAt": "desc"}]}, "limit": 50},
        ),
        "sorted first page, oldest first": (
            "applications",
            "search",
            {"query": {"filter": {"eq": {"status": "Active"}}, "sort": [{"createdAt": "asc"}]}, "limit": 50},
        ),
        "sorted page 2, oldest first (cursor)": (
            "applications",
            "page2",
            {"query": {"filter": {"eq": {"status": "Active"}}, "sort": [{"createdAt": "asc"}]}, "limit": 50},
        ),
        "group-by count (all applications by source)": (
            "applications",
            "aggregate",
            {"group_by": ["source.title"], "metrics": {"n": {"count": "*"}}, "limit": 50},
        ),
        "group-by count from the documents (no facets: the plan before them)": (
            "applications",
            "aggregate_documents",
            {"group_by": ["source.title"], "metrics": {"n": {"count": "*"}}, "limit": 50},
        ),
        "filtered group-by (Active applications by stage)": (
            "applications",
            "aggregate",
            {"filter": {"eq": {"status": "Active"}}, "group_by": ["currentInterviewStage.title"]},
        ),
        "distinct people by source (count_distinct candidate.id)": (
            "applications",
            "aggregate",
            {"group_by": ["source.title"], "metrics": {"people": {"count_distinct": "candidate.id"}}},
        ),
        "applications per week (createdAt bucket)": (
            "applications",
            "aggregate",
            {"group_by": [{"field": "createdAt", "bucket": "week"}], "limit": 1000},
        ),
        "SQL (applications per job title)": (
            "applications",
            "sql",
            {
                "sql": "SELECT a.job->>'title' AS title, count(*) AS n FROM applications a "
                "GROUP BY a.job->>'title' ORDER BY n DESC LIMIT 20"
            },
        ),
    }


async def _run(store: ContextStore, tenant: str, entity: str, kind: str, params: dict[str, Any]) -> Any:
    if kind == "search":
        return await store.search(tenant, entity, params)
    if kind == "aggregate":
        return await store.aggregate(tenant, entity, params)
    if kind == "aggregate_documents":
        agg = parse_aggregate(entity, params)
        return await store.query(tenant, entity, lambda c: run_aggregate(c, tenant, agg, facets=False))
    return await store.sql(tenant, params)


async def _timed(work: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float]:
    await work()  # warm: statement caches, first-use imports
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


async def _walk(client: httpx.AsyncClient, endpoint: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    body: dict[str, Any] = {"limit": 100}
    while True:
        page = (await client.post("/" + endpoint, json=body)).json()
        records += page["results"]
        if not page.get("moreDataAvailable"):
            return records
        body = {"limit": 100, "cursor": page["nextCursor"]}


async def _live_baseline(url: str) -> dict[str, float]:
    """Seconds to answer each kind of question by listing the live sandbox (no store)."""
    out: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=url, auth=(KEY, ""), timeout=120) as client:
        started = time.perf_counter()
        candidates = await _walk(client, "candidate.list")
        listed = time.perf_counter() - started
        started = time.perf_counter()
        [c for c in candidates if fuzzy_match(c.get("name") or "", "jonas smiht")]
        out["fuzzy (name 'jonas smiht')"] = listed + time.perf_counter() - started
        out["like (name %son%)"] = listed
        out["keyword (position)"] = listed
        started = time.perf_counter()
        applications = await _walk(client, "application.list")
        Counter((a.get("source") or {}).get("title") for a in applications)
        out["group-by count (all applications by source)"] = time.perf_counter() - started
        out["SQL (applications per job title)"] = out["group-by count (all applications by source)"]
        out["sorted page 2 (cursor)"] = out["group-by count (all applications by source)"]
        out["sorted page 2, oldest first (cursor)"] = out["sorted page 2 (cursor)"]
        out["sorted first page, oldest first"] = out["sorted page 2 (cursor)"]
        started = time.perf_counter()
        await client.post(
            "/candidate.search",
            json={"email": candidates[len(candidates) // 2]["primaryEmailAddress"]["value"]},
        )
        out["indexed eq (email)"] = time.perf_counter() - started
    return out


async def _backend(
    url: str, store_url: str, runs: int, email: str
) -> tuple[float, dict[str, tuple[float, float] | str]]:
    store = ContextStore.open(store_url)
    tenant = "bench"
    try:
        async with AshbyTransport(KEY, base_url=url) as transport:
            started = time.perf_counter()
            report = await store.replicate(transport, tenant, entities=["candidates", "applications", "jobs"])
            synced = time.perf_counter() - started
        assert report.ok, report
        if store.engine.dialect.name == "postgresql":
            _settle(store.engine)
        results: dict[str, tuple[float, float] | str] = {}
        for name, (entity, kind, params) in _queries(email).items():
            if kind == "page2":  # only the second page is timed: its cursor comes from the first
                first = await store.search(tenant, entity, params)
                kind, params = "search", {**params, "cursor": first["meta"]["cursor"]}
            try:
                results[name] = await _timed(
                    lambda e=entity, k=kind, p=params: _run(store, tenant, e, k, p), runs
                )
            except AshbyAgentError as exc:  # e.g. the SQL tool's statement timeout on a loaded machine
                results[name] = f"stopped: {exc.message}"
            print(f"  {name}: {results[name]}", file=sys.stderr, flush=True)
        return synced, results
    finally:
        store.close()


def _settle(engine: sa.Engine, limit_s: float = 300) -> None:
    """Wait until PostgreSQL's autovacuum has finished with the freshly synced tables: it starts on them
    after a large sync and, on two cores, slows every query it runs beside (an agent's queries meet a
    settled store, not one in the minutes after its first sync)."""
    deadline = time.monotonic() + limit_s
    busy = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
    time.sleep(5)  # the launcher looks for work every few seconds
    with engine.connect() as connection:
        while connection.execute(sa.text(busy)).scalar() and time.monotonic() < deadline:
            connection.rollback()
            time.sleep(1)


def _pg(statement: str) -> None:
    engine = sa.create_engine(PG.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def _live(live: dict[str, float], name: str) -> str:
    """The live baseline's milliseconds (every aggregate over all applications pages them all)."""
    seconds = live.get(name, live["group-by count (all applications by source)"])
    return f"{seconds * 1000:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    port = free_port()
    proc = start_sandbox(port, args.scale)
    url = f"http://127.0.0.1:{port}"
    rows: dict[str, dict[str, str]] = {}
    try:
        with httpx.Client(base_url=url, auth=(KEY, ""), timeout=60) as client:
            page = client.post("/candidate.list", json={"limit": 100}).json()["results"]
            email = page[37]["primaryEmailAddress"]["value"]
        for backend in args.backends.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                schema = f"bench_{uuid.uuid4().hex[:8]}"
                if backend == "sqlite":
                    store_url = f"sqlite:///{tmp}/store.db"
                else:
                    _pg(f"CREATE SCHEMA {schema}")
                    store_url = PG + f"?options=-csearch_path%3D{schema}"
                try:
                    synced, results = asyncio.run(_backend(url, store_url, args.runs, email))
                finally:
                    if backend != "sqlite":
                        _pg(f"DROP SCHEMA {schema} CASCADE")
                print(f"{backend}: synced candidates, applications, jobs in {synced:.1f} s", flush=True)
                for name, result in results.items():
                    cell = result if isinstance(result, str) else f"{result[0]:.1f} / {result[1]:.1f}"
                    rows.setdefault(name, {})[backend] = cell
        live = asyncio.run(_live_baseline(url))
    finally:
        proc.terminate()
        proc.wait()
    backends = args.backends.split(",")
    print(f"\nscale {args.scale}, {args.runs} runs per query; p50 / p95 in ms\n")
    print("| query | " + " | ".join(backends) + " | live sandbox, no store (once) |")
    print("|---|" + "---|" * len(backends) + "---|")
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells.get(b, "") for b in backends) + f" | {_live(live, name)} |")


if __name__ == "__main__":
    main()
