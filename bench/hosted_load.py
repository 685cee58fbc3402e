"""Hosted execute throughput under load, with the sandbox behind it measured the same way as the floor.

Usage: .venv/bin/python bench/hosted_load.py [--db sqlite|postgres] [--duration 10] [--connections 64]
       [--page 2] [--baseline /path/to/other/checkout]

Starts the sandbox (as Ashby) and ``ashby-agent serve`` as separate processes, creates an organization,
an API client and a connector, and runs ``wrk`` (``apt-get install -y wrk``) against 127.0.0.1: first
``POST /candidate.list`` on the sandbox itself, then ``POST .../execute`` (``candidates`` ``list`` with
the page size) through the service. ``--baseline`` also serves from another checkout of the package
(``PYTHONPATH``), on a database of its own, with the same ``--workers``, in the same run. The rate
limit is on but high (so every request is counted, as in production, and none is refused). Prints a
markdown table, with the CPU time the measured server process (and its worker processes) spent per
request, read from ``/proc``: unlike requests/s, that figure barely moves when other work loads the
machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from processes import KEY, free_port, fresh_database, start_sandbox, wait_until_up

RATE_LIMIT = "100000000/60"

_LUA = """wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = {auth}
"""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its direct children (``serve --workers``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _wrk(
    url: str, body: dict[str, object], auth: str, connections: int, duration: int, pid: int | None = None
) -> dict[str, float]:
    """Requests/s, p50/p99 latency (ms), the share of non-2xx answers of one wrk run, and the CPU ms per
    request of process ``pid``."""
    cpu_before = _cpu_seconds(pid) if pid is not None else 0.0
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA.format(body=json.dumps(json.dumps(body)), auth=json.dumps(auth)))
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)

    def percentile(name: str) -> float:
        value, unit = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    cpu = (_cpu_seconds(pid) - cpu_before) * 1000 / max(total, 1) if pid is not None else float("nan")
    return {
        "cpu_ms": cpu,
        "rps": rps,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "non2xx": (int(bad.group(1)) if bad else 0) / max(total, 1),
        "socket_errors": 1.0 if errors else 0.0,
    }


def _service_run(
    source: Path | None, db_url: str, sandbox_url: str, args: argparse.Namespace, workers: int
) -> dict[str, float]:
    """Serve from ``source`` (``None``: this checkout) and load its execute endpoint."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASHBY_", "AIRBYTE_"))}
    env.update(
        {
            "ASHBY_AGENT_SECRET_KEY": args.key,
            "ASHBY_API_URL": sandbox_url,
            "ASHBY_AGENT_RATE_LIMIT": RATE_LIMIT,
        }
    )
    if source is not None:
        env["PYTHONPATH"] = str(source)
    # ``python -c``/``-m`` put the working directory first on sys.path, before PYTHONPATH: run from the
    # checkout being served, or the baseline would import this checkout's package.
    cwd = source if source is not None else Path(__file__).resolve().parents[1]
    setup = (
        "import json,sys;from ashby_agent.service import operator;"
        f"operator.create_org('load', db_url={db_url!r});"
        f"c=operator.create_client(['load'], db_url={db_url!r});"
        "print(json.dumps([c.client_id, c.client_secret.get_secret_value()]))"
    )
    client_id, secret = json.loads(
        subprocess.run(
            [sys.executable, "-c", setup], env=env, cwd=cwd, capture_output=True, text=True, check=True
        ).stdout
    )
    port = free_port()
    command = [sys.executable, "-m", "ashby_agent.cli", "serve", "--port", str(port), "--db", db_url]
    if workers > 1:
        command += ["--workers", str(workers)]
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/openapi.json", proc)
        token = httpx.post(
            f"{base}/api/v1/account/applications/token",
            json={"client_id": client_id, "client_secret": secret},
        ).json()["access_token"]
        auth = f"Bearer {token}"
        created = httpx.post(
            f"{base}/api/v1/integrations/connectors",
            headers={"Authorization": auth},
            json={"workspace_name": "load", "connector_type": "Ashby", "credentials": {"api_key": KEY}},
        )
        created.raise_for_status()
        url = f"{base}/api/v1/integrations/connectors/{created.json()['id']}/execute"
        body = {"entity": "candidates", "action": "list", "params": {"limit": args.page}}
        probe = httpx.post(url, json=body, headers={"Authorization": auth}, timeout=30)
        probe.raise_for_status()
        _wrk(url, body, auth, args.connections, 2)  # warm-up
        return _wrk(url, body, auth, args.connections, args.duration, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--page", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="another checkout to serve from, alongside")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    from ashby_agent.service.security.crypto import generate_key

    args.key = generate_key().get_secret_value()
    sandbox_port = free_port()
    sandbox = start_sandbox(sandbox_port)
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    rows: list[tuple[str, dict[str, float]]] = []
    workers = f", {args.workers} workers" if args.workers > 1 else ""
    try:
        basic = "Basic " + __import__("base64").b64encode(f"{KEY}:".encode()).decode()
        _wrk(f"{sandbox_url}/candidate.list", {"limit": args.page}, basic, args.connections, 2)
        rows.append(
            (
                "sandbox (floor)",
                _wrk(
                    f"{sandbox_url}/candidate.list",
                    {"limit": args.page},
                    basic,
                    args.connections,
                    args.duration,
                    sandbox.pid,
                ),
            )
        )
        if args.baseline is not None:
            with fresh_database(args.db, "baseline") as db_url:
                rows.append(
                    (
                        f"service, baseline ({args.db}{workers})",
                        _service_run(args.baseline, db_url, sandbox_url, args, args.workers),
                    )
                )
        with fresh_database(args.db, "after") as db_url:
            rows.append(
                (f"service ({args.db}{workers})", _service_run(None, db_url, sandbox_url, args, args.workers))
            )
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    print(f"wrk -t2 -c{args.connections} -d{args.duration}s, page size {args.page}, 127.0.0.1\n")
    print("| target | requests/s | p50 ms | p99 ms | non-2xx | server CPU ms/request | req/s per CPU core |")
    print("|---|---|---|---|---|---|---|")
    for label, result in rows:
        print(
            f"| {label} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | "
            f"{result['non2xx']:.1%} | {result['cpu_ms']:.2f} | {1000 / result['cpu_ms']:.0f} |"
        )


if __name__ == "__main__":
    main()
