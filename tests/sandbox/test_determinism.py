"""Same seed, same bytes over HTTP: two sandboxes started apart answer identically."""

from __future__ import annotations

import time

import httpx

from ashby_agent.sandbox import run_sandbox

ENDPOINTS = ("candidate.list", "application.list", "job.list", "offer.list", "user.list")


def _answers(seed: int) -> dict[str, bytes]:
    with (
        run_sandbox(seed=seed, scale="small", api_keys=["k"]) as sandbox,
        httpx.Client(base_url=sandbox.url, auth=("k", "")) as client,
    ):
        answers = {}
        for endpoint in ENDPOINTS:
            body = client.post(f"/{endpoint}", json={"limit": 100}).json()
            answers[endpoint] = httpx.Response(200, json=body["results"]).content
        return answers


def test_same_seed_same_bytes_and_other_seed_differs() -> None:
    first = _answers(7)
    time.sleep(0.05)  # the wall clock moves on; the data must not
    assert _answers(7) == first
    other = _answers(8)
    assert all(other[endpoint] != first[endpoint] for endpoint in ENDPOINTS)
