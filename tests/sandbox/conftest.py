"""Fixtures: real sandboxes on free ports (``run_sandbox``), a shared one and per-test ones.

``tiny_dataset()`` is a small hand-made dataset in the wire form of the Dataset contract; tests that
need to know exactly which records exist (pagination counts, sync deltas) use it, so they do not
depend on the generator's choices.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest

from ashby_agent.sandbox import SandboxConfig, SandboxHandle, run_sandbox
from tests.sandbox.webhooks.receiver import Receiver, run_receiver

NOW_MS = 1_767_225_600_000  # 2026-01-01T00:00:00.000Z
N_CANDIDATES = 250


def _uid(n: int, kind: int) -> str:
    return str(uuid.UUID(int=(kind << 96) | n, version=4))


def _iso(ms: int) -> str:
    from ashby_agent.sandbox.store import iso_ms

    return iso_ms(ms)


def tiny_dataset() -> dict[str, list[dict[str, Any]]]:
    """250 candidates, 3 jobs (one Draft), applications in every status, metadata with archived rows."""
    day = 86_400_000
    start = NOW_MS - 400 * day
    users = [
        {
            "id": _uid(i, 1),
            "firstName": f"User{i}",
            "lastName": "Tester",
            "email": f"user{i}@example.com",
            "globalRole": "Organization Admin",
            "isEnabled": i != 2,
            "updatedAt": _iso(start),
        }
        for i in range(3)
    ]
    candidates = [
        {
            "id": _uid(i, 2),
            "createdAt": _iso(start + i * 3_600_000),
            "updatedAt": _iso(start + i * 3_600_000),
            "name": f"Candidate {i:03d}",
            "primaryEmailAddress": {"value": f"cand{i}@example.com", "type": "Personal", "isPrimary": True},
            "emailAddresses": [{"value": f"cand{i}@example.com", "type": "Personal", "isPrimary": True}],
            "phoneNumbers": [],
            "socialLinks": [],
            "tags": [],
            "applicationIds": [],
            "fileHandles": [],
            "customFields": [],
            "profileUrl": "https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/"
            + _uid(i, 2),
            "source": None,
            "creditedToUser": None,
            "timezone": None,
            "fraudStatus": None,
        }
        for i in range(N_CANDIDATES)
    ]
    plan_id = _uid(1, 3)
    stage_types = ["Lead", "PreInterviewScreen", "Active", "Offer", "Hired", "Archived"]
    stages: list[dict[str, Any]] = [
        {
            "id": _uid(i, 4),
            "title": t,
            "type": t,
            "orderInInterviewPlan": i,
            "interviewStageGroupId": None,
            "interviewPlanId": plan_id,
        }
        for i, t in enumerate(stage_types)
    ]
    jobs = [
        {
            "id": _uid(i, 5),
            "title": title,
            "confidential": False,
            "status": status,
            "employmentType": "FullTime",
            "locationId": _uid(0, 6),
            "departmentId": _uid(0, 7),
            "defaultInterviewPlanId": plan_id,
            "interviewPlanIds": [plan_id],
            "jobPostingIds": [],
            "customFields": [],
            "hiringTeam": [],
            "customRequisitionId": f"REQ-{i}",
            "brandId": None,
            "author": users[0],
            "createdAt": _iso(start + i * day),
            "updatedAt": _iso(start + i * day),
            "openedAt": None if status == "Draft" else _iso(start + i * day),
            "closedAt": None,
        }
        for i, (title, status) in enumerate(
            [("Engineer", "Open"), ("Designer", "Closed"), ("Writer", "Draft")]
        )
    ]
    statuses = {"Lead": "Lead", "Hired": "Hired", "Archived": "Archived"}
    applications = []
    for i in range(12):
        stage = stages[i % len(stages)]
        app: dict[str, Any] = {
            "id": _uid(i, 8),
            "createdAt": _iso(start + i * day),
            "updatedAt": _iso(start + i * day),
            "status": statuses.get(stage["type"], "Active"),
            "candidate": {"id": candidates[i]["id"], "name": candidates[i]["name"]},
            "currentInterviewStage": stage,
            "job": {
                "id": jobs[i % 2]["id"],
                "title": jobs[i % 2]["title"],
                "locationId": _uid(0, 6),
                "departmentId": _uid(0, 7),
            },
            "hiringTeam": [],
            "customFields": [],
            "source": None,
            "archiveReason": None,
            "creditedToUser": None,
            "submitterClientIp": None,
            "submitterUserAgent": None,
        }
        if stage["type"] == "Archived":
            app["archivedAt"] = _iso(start + i * day)
        applications.append(app)
    notes = [
        {
            "id": _uid(i, 9),
            "createdAt": _iso(start + i * 60_000),
            "isPrivate": False,
            "content": f"note {i}",
            "author": {k: users[0][k] for k in ("id", "firstName", "lastName", "email")},
            "_candidateId": candidates[0]["id"],
        }
        for i in range(130)
    ]
    return {
        "user": users,
        "candidate": candidates,
        "interviewPlan": [
            {
                "id": plan_id,
                "title": "Default",
                "isArchived": False,
                "createdAt": _iso(start),
                "updatedAt": _iso(start),
            }
        ],
        "interviewStage": stages,
        "job": jobs,
        "application": applications,
        "note": notes,
        "department": [
            {
                "id": _uid(0, 7),
                "name": "Engineering",
                "externalName": None,
                "isArchived": False,
                "parentId": None,
                "createdAt": _iso(start),
                "updatedAt": _iso(start),
                "extraData": None,
            },
            {
                "id": _uid(1, 7),
                "name": "Old",
                "externalName": None,
                "isArchived": True,
                "parentId": None,
                "createdAt": _iso(start),
                "updatedAt": _iso(start),
                "extraData": None,
            },
        ],
        "source": [
            {
                "id": _uid(0, 10),
                "title": "LinkedIn",
                "isArchived": False,
                "sourceType": {"id": _uid(1, 10), "title": "Sourced", "isArchived": False},
            },
            {
                "id": _uid(2, 10),
                "title": "Old board",
                "isArchived": True,
                "sourceType": {"id": _uid(3, 10), "title": "Inbound", "isArchived": False},
            },
        ],
        "archiveReason": [
            {"id": _uid(0, 11), "text": "Not a fit", "reasonType": "RejectedByOrg", "isArchived": False},
        ],
        "hiringTeamRole": [
            {"id": _uid(0, 12), "title": "Recruiter"},
            {"id": _uid(1, 12), "title": "Hiring Manager"},
        ],
    }


def basic(key: str) -> dict[str, str]:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


class Api:
    """A thin synchronous Ashby caller for tests: ``api("candidate.list", limit=5)`` → (status, json)."""

    def __init__(self, sandbox: SandboxHandle, key: str | None = None) -> None:
        self.sandbox = sandbox
        self.key = sandbox.api_key if key is None else key
        self.client = httpx.Client(base_url=sandbox.url, timeout=30)

    def raw(self, endpoint: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        headers = {**(basic(self.key) if self.key else {}), **kwargs.pop("headers", {})}
        if isinstance(body, bytes | str):
            return self.client.post(f"/{endpoint}", content=body, headers=headers, **kwargs)
        return self.client.post(
            f"/{endpoint}", json=body if body is not None else {}, headers=headers, **kwargs
        )

    def __call__(self, endpoint: str, **params: Any) -> dict[str, Any]:
        response = self.raw(endpoint, params)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def walk(self, endpoint: str, **params: Any) -> tuple[list[dict[str, Any]], str | None]:
        """Every page of a list; returns (records, final syncToken)."""
        records: list[dict[str, Any]] = []
        cursor = params.pop("cursor", None)
        while True:
            page = self(endpoint, **params, **({"cursor": cursor} if cursor else {}))
            assert page["success"], page
            records.extend(page["results"])
            if not page["moreDataAvailable"]:
                return records, page.get("syncToken")
            cursor = page["nextCursor"]

    def close(self) -> None:
        self.client.close()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxHandle]:
    """One shared read-only sandbox over the tiny dataset (do not mutate it)."""
    config = SandboxConfig(dataset=tiny_dataset(), now_ms=NOW_MS)
    with run_sandbox(api_keys=["full-key", "cand-key:candidates:read"], config=config) as sb:
        yield sb


@pytest.fixture
def client_for() -> Iterator[Callable[..., Api]]:
    """``client_for(sandbox, key=None)`` → an ``Api`` closed after the test (``key=""`` = no auth)."""
    clients: list[Api] = []

    def make(sb: SandboxHandle, key: str | None = None) -> Api:
        clients.append(Api(sb, key))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api(sandbox: SandboxHandle, client_for: Callable[..., Api]) -> Api:
    """A full-permission client of the shared sandbox."""
    return client_for(sandbox)


SandboxFactory = Callable[..., AbstractContextManager[SandboxHandle]]


@pytest.fixture
def fresh() -> SandboxFactory:
    """A private sandbox for tests that mutate state: ``with fresh(sync_page_budget=2) as sb``."""

    def start(api_keys: list[str] | None = None, **config: Any) -> AbstractContextManager[SandboxHandle]:
        settings = SandboxConfig(
            dataset=config.pop("dataset", None) or tiny_dataset(), now_ms=NOW_MS, **config
        )
        return run_sandbox(api_keys=api_keys, config=settings)

    return start


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on a free port (the deliveries it got, by path)."""
    with run_receiver() as server:
        yield server
