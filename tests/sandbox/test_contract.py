"""Contract test: the sandbox's read endpoints against Ashby's API reference.

The table lives in ``contract_spec.py``; every test here is parametrized over it or pins one rule that
is easy to get wrong. Written from the reference only, independently of the sandbox code, so that a
misreading on one side shows up as a failure here. The sandbox is private to this module; only the last
two tests write (through the control surface), everything else is a read.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from ashby_agent.sandbox import run_sandbox
from tests.sandbox.contract_spec import (
    ALL_SCOPES,
    APPLICATION,
    ENDPOINTS,
    INTERVIEW,
    JOB,
    LOCATION,
    MODULES,
    NOTE_KEYS,
    OPENING,
    Endpoint,
    conform,
    generic_violations,
)

FULL = "contract-full"
NO_KEY = {m: f"contract-no-{m}" for m in MODULES}
ONLY_KEY = {m: f"contract-only-{m}" for m in MODULES}
MAX_PAGES = 200
UNKNOWN_UUID = "0b5e2f4c-9d1a-4c3b-8e7f-6a5d4c3b2a19"


def _key_specs() -> list[str]:
    keys = [FULL]
    for m in MODULES:
        keys.append(f"{NO_KEY[m]}:" + ",".join(s for s in ALL_SCOPES if not s.startswith(f"{m}:")))
        # One source says reading applications also needs offers:read: not pinned, so grant it.
        extra = ",offers:read" if m == "candidates" else ""
        keys.append(f"{ONLY_KEY[m]}:{m}:read{extra}")
    return keys


class Api:
    """A thin caller: POST /<endpoint> with a JSON body under one key; asserts nothing by itself."""

    def __init__(self, sb: Any, client: httpx.Client) -> None:
        self.sb = sb
        self.client = client

    def post(self, endpoint: str, body: Any = None, *, key: str | None = FULL, **kw: Any) -> httpx.Response:
        auth: Any = (key, "") if key is not None else None  # None: no Authorization header
        if "content" in kw:
            return self.client.post(
                f"/{endpoint}", auth=auth, headers={"Content-Type": "application/json"}, **kw
            )
        return self.client.post(f"/{endpoint}", json={} if body is None else body, auth=auth, **kw)

    def ok(self, endpoint: str, body: Any = None, *, key: str = FULL) -> dict[str, Any]:
        r = self.post(endpoint, body, key=key)
        assert r.status_code == 200, f"{endpoint} {body}: HTTP {r.status_code} {r.text[:400]}"
        payload: dict[str, Any] = r.json()
        assert payload.get("success") is True, f"{endpoint} {body}: {r.text[:400]}"
        return payload

    def pages(self, endpoint: str, body: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every page of a walk (a single page for endpoints without moreDataAvailable)."""
        body = dict(body or {})
        out = [self.ok(endpoint, body)]
        while out[-1].get("moreDataAvailable") is True and len(out) < MAX_PAGES:
            assert isinstance(out[-1].get("nextCursor"), str), f"{endpoint}: more data but no nextCursor"
            out.append(self.ok(endpoint, {**body, "cursor": out[-1]["nextCursor"]}))
        assert len(out) < MAX_PAGES, f"{endpoint}: walk did not end"
        return out

    def walk(self, endpoint: str, body: dict[str, Any] | None = None) -> list[Any]:
        return [rec for page in self.pages(endpoint, body) for rec in page["results"]]


@pytest.fixture(scope="module")
def sb() -> Iterator[Any]:
    with run_sandbox(seed=7, scale="small", api_keys=_key_specs()) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def api(sb: Any) -> Iterator[Api]:
    with httpx.Client(base_url=sb.url, auth=(FULL, ""), timeout=30.0) as client:
        yield Api(sb, client)


def _safe(fetch: Any) -> list[Any]:
    """The rows ``fetch()`` returns, or [] when the sandbox fails (that failure is some other test's job)."""
    try:
        return list(fetch())
    except (AssertionError, KeyError, TypeError, ValueError, httpx.HTTPError):
        return []


def first(rows: list[dict[str, Any]], key: str = "id") -> str | None:
    return rows[0][key] if rows else None


def _first_nonempty(api: Api, endpoint: str, param: str, candidates: list[str]) -> str | None:
    for cid in candidates:
        if _safe(lambda cid=cid: api.ok(endpoint, {param: cid})["results"]):
            return cid
    return candidates[0] if candidates else None


@pytest.fixture(scope="module")
def ids(api: Api, sb: Any) -> dict[str, str | None]:
    """Real ids from list calls, preferring records that make the dependent endpoint return rows."""

    def walk(endpoint: str, body: dict[str, Any] | None = None) -> list[Any]:
        return _safe(lambda: api.walk(endpoint, body))

    cands = walk("candidate.list")
    apps = walk("application.list")
    jobs = walk("job.list")
    users = walk("user.list")
    openings = walk("opening.list")
    plans = walk("interviewPlan.list")
    schedules = walk("interviewSchedule.list")
    projects = walk("project.list")
    postings = _safe(lambda: api.ok("jobPosting.list")["results"])
    cand_ids = [c["id"] for c in cands[:40]]
    app_ids = [a["id"] for a in apps[:40]]
    handles = [c["resumeFileHandle"]["handle"] for c in cands if c.get("resumeFileHandle")]
    handles += [h["handle"] for c in cands for h in c.get("fileHandles", [])]
    emails = [c["primaryEmailAddress"]["value"] for c in cands if c.get("primaryEmailAddress")]
    stages = walk("interviewStage.list", {"interviewPlanId": plans[0]["id"]}) if plans else []
    identifiers = [
        o["latestVersion"]["identifier"] for o in openings if (o.get("latestVersion") or {}).get("identifier")
    ]
    webhooks = sb.control.records("webhook") or [
        sb.control.create(
            "webhook",
            {
                "enabled": True,
                "requestUrl": "https://example.com/hook",
                "secretToken": "s3cret-contract",
                "webhookType": "applicationSubmit",
            },
        )
    ]
    return {
        "candidate": first(cands),
        "candidateEmail": emails[0] if emails else None,
        "noteCandidate": _first_nonempty(api, "candidate.listNotes", "candidateId", cand_ids),
        "projectCandidate": _first_nonempty(api, "candidate.listProjects", "candidateId", cand_ids),
        "clientInfoCandidate": _first_nonempty(api, "candidate.listClientInfo", "candidateId", cand_ids),
        "fraudCandidate": _first_nonempty(api, "candidate.listFraudChecks", "candidateId", cand_ids),
        "fileHandle": handles[0] if handles else None,
        "application": first(apps),
        "criteriaApplication": _first_nonempty(
            api, "application.listCriteriaEvaluations", "applicationId", app_ids
        ),
        "job": first(jobs),
        "jobTitle": first(jobs, "title"),
        "jobPosting": first(postings),
        "opening": first(openings),
        "openingIdentifier": identifiers[0] if identifiers else None,
        "department": first(walk("department.list")),
        "location": first(walk("location.list")),
        "user": first(users),
        "userEmail": first(users, "email"),
        "pauseUser": _first_nonempty(
            api, "user.listInterviewerPauses", "userId", [u["id"] for u in users[:40]]
        ),
        "customField": first(walk("customField.list")),
        "feedbackFormDefinition": first(walk("feedbackFormDefinition.list")),
        "interviewerPool": first(walk("interviewerPool.list")),
        "interviewPlan": first(plans),
        "interviewStage": first(stages),
        "interview": first(walk("interview.list")),
        # the schedule with the most events, so event listings have a second page at limit 1
        "interviewSchedule": max(schedules, key=lambda s: len(s.get("interviewEvents") or []))["id"],
        "offer": first(walk("offer.list")),
        "project": first(projects),
        "projectTitle": first(projects, "title"),
        "webhook": webhooks[0]["id"],
    }


def body_for(ep: Endpoint, ids: dict[str, str | None]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for k, v in ep.body.items():
        if isinstance(v, str) and v.startswith("@"):
            if ids.get(v[1:]) is None:
                pytest.fail(f"{ep.name}: the seeded data has no {v[1:]} to call it with")
            v = ids[v[1:]]
        body[k] = v
    return body


def assert_headers(r: httpx.Response) -> None:
    assert r.headers.get("x-ashby-request-id"), "x-ashby-request-id header missing"
    assert r.headers.get("Ashby-Version") == "2026-01-01", "Ashby-Version header"
    assert r.headers.get("Ashby-Version-Status") == "active", "Ashby-Version-Status header"
    assert r.headers.get("content-type", "").startswith("application/json")


def assert_error(r: httpx.Response, status: int | None, code: str | frozenset[str]) -> dict[str, Any]:
    """Ashby's error envelope: success false, errors == [code], errorInfo{code, message, requestId == header}.

    ``status`` None: the HTTP status is not pinned (pagination-token errors: most likely 200, not documented).
    """
    assert_headers(r)
    payload: dict[str, Any] = r.json()
    codes = {code} if isinstance(code, str) else set(code)
    got = (payload.get("errorInfo") or {}).get("code")
    context = f"want HTTP {status} {codes}: {r.status_code} {r.text[:300]}"
    assert status in (None, r.status_code), context
    assert got in codes, context
    assert payload["success"] is False
    assert payload["errors"] == [got]
    assert isinstance(payload["errorInfo"].get("message"), str)
    assert payload["errorInfo"].get("requestId") == r.headers["x-ashby-request-id"]
    assert "results" not in payload
    return payload


def assert_envelope(ep: Endpoint, payload: dict[str, Any]) -> None:
    """The success shape of ``ep``'s family: exactly the keys its family allows."""
    keys = set(payload)
    assert payload["success"] is True
    results = payload.get("results")
    if ep.family == "info":
        assert keys == {"success", "results"}, keys
        assert isinstance(results, dict)
        return
    assert isinstance(results, list), f"results must be an array: {type(results)}"
    if ep.family == "plain":
        assert keys == {"success", "results"}, keys
    elif ep.family == "flag":
        assert keys == {"success", "results", "moreDataAvailable"}, keys
        assert payload["moreDataAvailable"] is False
    elif ep.family == "bare":
        assert keys <= {"success", "results", "moreDataAvailable"}, keys
        assert payload.get("moreDataAvailable", False) is False
    else:
        more = payload.get("moreDataAvailable")
        assert isinstance(more, bool), "moreDataAvailable must always be present on a paginated list"
        expected = {"success", "results", "moreDataAvailable"} | ({"nextCursor"} if more else set())
        if ep.sync and not more:
            expected.add("syncToken")
        if ep.sync is None:
            keys = keys - {"syncToken"}
        assert keys == expected, f"more={more}: keys {sorted(keys)} != {sorted(expected)}"
        for k in {"nextCursor", "syncToken"} & set(payload):
            assert isinstance(payload[k], str), k
            assert payload[k], k


def assert_records(ep: Endpoint, results: Any) -> None:
    rows = [results] if ep.family == "info" else results
    errors = [e for i, row in enumerate(rows) for e in conform(row, ep.record, f"{ep.name}[{i}]")]
    errors += generic_violations(results, ep.name)
    assert not errors, f"{len(errors)} violations, first ones:\n" + "\n".join(errors[:15])


def _ids(rows: list[dict[str, Any]]) -> set[str]:
    return {r["id"] for r in rows}


PAGED = [e for e in ENDPOINTS if e.family == "paged"]
SYNC = [e for e in ENDPOINTS if e.sync]
WITH_ID = [e for e in ENDPOINTS if e.id_param]
UUID_ID = [e for e in WITH_ID if e.uuid_param]
INFO_WITH_ID = [e for e in WITH_ID if e.family == "info"]
NOT_FOUND = [e for e in ENDPOINTS if e.not_found]


def _name(ep: Endpoint) -> str:
    return ep.name


# ---- shape of every read endpoint -----------------------------------------------------------------
@pytest.mark.parametrize("ep", ENDPOINTS, ids=_name)
def test_read_endpoint_contract(api: Api, ids: dict[str, str | None], ep: Endpoint) -> None:
    body = body_for(ep, ids)
    r = api.post(ep.name, body)
    assert r.status_code == 200, r.text[:400]
    assert_headers(r)
    pages = [r.json()]
    while pages[-1].get("moreDataAvailable") is True and ep.family == "paged" and len(pages) < MAX_PAGES:
        pages.append(api.ok(ep.name, {**body, "cursor": pages[-1]["nextCursor"]}))
    for page in pages:
        assert_envelope(ep, page)
        assert_records(ep, page["results"])
    if ep.family != "info":
        rows = [row for p in pages for row in p["results"]]
        assert rows, f"{ep.name} {body}: no rows; the sandbox should seed every object type"
        if isinstance(rows[0], dict) and "id" in rows[0]:
            assert len(_ids(rows)) == len(rows), "a walk must see each record exactly once"
    if ep.name == "candidate.listNotes":
        assert all(set(n) == NOTE_KEYS for n in pages[0]["results"]), "Note has exactly these keys"


@pytest.mark.parametrize("ep", PAGED, ids=_name)
def test_intermediate_page_shape(api: Api, ids: dict[str, str | None], ep: Endpoint) -> None:
    """An intermediate page has moreDataAvailable true + nextCursor and no syncToken."""
    body = body_for(ep, ids)
    if len(api.walk(ep.name, body)) < 2:
        pytest.skip("fewer than two records: no intermediate page")
    page = api.ok(ep.name, {**body, "limit": 1})
    assert len(page["results"]) == 1
    assert page["moreDataAvailable"] is True
    assert isinstance(page["nextCursor"], str)
    assert "syncToken" not in page
    follow = api.ok(ep.name, {**body, "limit": 1, "cursor": page["nextCursor"]})
    assert _ids(follow["results"]).isdisjoint(_ids(page["results"]))


@pytest.mark.parametrize("ep", SYNC, ids=_name)
def test_sync_token_round_trip(api: Api, ids: dict[str, str | None], ep: Endpoint) -> None:
    """The last page's syncToken returns the records changed since (none here) and a fresh token."""
    body = body_for(ep, ids)
    token = api.pages(ep.name, body)[-1].get("syncToken")
    assert isinstance(token, str), "the last page of a sync-capable list carries syncToken"
    delta = api.pages(ep.name, {**body, "syncToken": token})
    assert [r for p in delta for r in p["results"]] == []
    assert isinstance(delta[-1].get("syncToken"), str)


# ---- error contract -------------------------------------------------------------------------------
@pytest.mark.parametrize("ep", ENDPOINTS, ids=_name)
def test_missing_module_permission(api: Api, ids: dict[str, str | None], ep: Endpoint) -> None:
    """A key without the module's scope gets 403 missing_endpoint_permission."""
    r = api.post(ep.name, body_for(ep, ids), key=NO_KEY[ep.module])
    assert_error(r, 403, "missing_endpoint_permission")


@pytest.mark.parametrize("ep", ENDPOINTS, ids=_name)
def test_module_read_scope_suffices(api: Api, ids: dict[str, str | None], ep: Endpoint) -> None:
    """The endpoint's permission is exactly the module Ashby's reference assigns it."""
    api.ok(ep.name, body_for(ep, ids), key=ONLY_KEY[ep.module])


@pytest.mark.parametrize("ep", UUID_ID, ids=_name)
def test_non_uuid_id_is_invalid_input(api: Api, ids: dict[str, str | None], ep: Endpoint) -> None:
    """A non-UUID id is HTTP 200 invalid_input."""
    assert ep.id_param is not None
    body = {**body_for(ep, ids), ep.id_param: "not-a-uuid"}
    assert_error(api.post(ep.name, body), 200, "invalid_input")


@pytest.mark.parametrize("ep", NOT_FOUND, ids=_name)
def test_unknown_uuid_is_entity_not_found(api: Api, ids: dict[str, str | None], ep: Endpoint) -> None:
    """A well-formed unknown id is HTTP 200 <entity>_not_found."""
    assert ep.id_param is not None
    body = {**body_for(ep, ids), ep.id_param: UNKNOWN_UUID}
    assert ep.not_found is not None
    assert_error(api.post(ep.name, body), 200, ep.not_found)


@pytest.mark.parametrize("ep", INFO_WITH_ID, ids=_name)
def test_wrong_id_param_name_is_invalid_input(api: Api, ids: dict[str, str | None], ep: Endpoint) -> None:
    """`id` vs `<entity>Id` is not guessed: the wrong name is invalid_input."""
    body = body_for(ep, ids)
    param = ep.id_param
    assert param is not None
    wrong = f"{ep.name.split('.')[0]}Id" if param == "id" else "id"
    assert_error(api.post(ep.name, {wrong: body[param]}), 200, "invalid_input")


@pytest.mark.parametrize("ep", [e for e in WITH_ID if e.required], ids=_name)
def test_missing_required_param_is_invalid_input(api: Api, ep: Endpoint) -> None:
    """A missing required parameter is HTTP 200 invalid_input."""
    assert_error(api.post(ep.name, {}), 200, "invalid_input")


@pytest.mark.parametrize("endpoint", ["candidate.list", "job.info", "department.list"])
def test_malformed_json_is_invalid_input(api: Api, endpoint: str) -> None:
    """Malformed JSON is HTTP 200 invalid_input ("Request payload is malformed")."""
    assert_error(api.post(endpoint, content=b'{"limit": 5,'), 200, "invalid_input")


def test_missing_and_blank_key_are_401(api: Api) -> None:
    """Missing or blank key -> 401 with the standard envelope (code of the sandbox's choosing)."""
    for r in (api.post("candidate.list", key=None), api.post("candidate.list", key="")):
        assert r.status_code == 401, r.text[:300]
        assert_headers(r)
        payload = r.json()
        assert payload["success"] is False
        assert isinstance(payload["errorInfo"]["code"], str)
        assert payload["errorInfo"]["code"] != "missing_endpoint_permission"


def test_unknown_key_is_403_but_not_a_permission_error(api: Api) -> None:
    """Wrong key -> 403, distinguishable from missing_endpoint_permission."""
    r = api.post("candidate.list", key="no-such-key-" + uuid.uuid4().hex)
    assert r.status_code == 403, r.text[:300]
    assert_headers(r)
    payload = r.json()
    assert payload["success"] is False
    assert isinstance(payload["errorInfo"]["code"], str)
    assert payload["errorInfo"]["code"] != "missing_endpoint_permission"
    assert payload["errors"] != ["missing_endpoint_permission"]


def test_unknown_endpoint_is_404_not_found(api: Api) -> None:
    """Unknown path -> 404 + envelope code not_found (the sandbox's choice: Ashby's is undocumented)."""
    assert_error(api.post("candidate.frobnicate"), 404, "not_found")


def test_bad_cursor_and_sync_token_codes(api: Api) -> None:
    """Undecodable cursor -> invalid_next_cursor, undecodable token -> sync_token_invalid."""
    garbage = base64.urlsafe_b64encode(b"not a cursor").decode()
    for body, code in (
        ({"cursor": garbage}, "invalid_next_cursor"),
        ({"syncToken": garbage}, "sync_token_invalid"),
    ):
        assert_error(api.post("candidate.list", body), None, code)


# ---- semantics easy to get wrong ------------------------------------------------------------------
def test_limit_capped_coerced_and_null_cursor(api: Api, sb: Any) -> None:
    """Limit > 100 is capped, "25" is coerced, cursor/syncToken null mean absent."""
    assert len(sb.control.records("candidate")) > 100, "seed more than 100 candidates"
    capped = api.ok("candidate.list", {"limit": 500})
    assert len(capped["results"]) == 100
    assert capped["moreDataAvailable"] is True
    assert len(api.ok("candidate.list")["results"]) == 100, "default page size is 100"
    assert len(api.ok("candidate.list", {"limit": "25"})["results"]) == 25
    head = _ids(api.ok("candidate.list", {"limit": 10})["results"])
    assert _ids(api.ok("candidate.list", {"limit": 10, "cursor": None, "syncToken": None})["results"]) == head
    assert _ids(api.ok("user.list", {"cursor": None})["results"]), "user.list accepts cursor: null"


def test_cursor_walk_sees_every_candidate_once(api: Api, sb: Any) -> None:
    walked = api.walk("candidate.list", {"limit": 37})
    assert len(walked) == len(_ids(walked)) == len(sb.control.records("candidate"))


def test_job_list_hides_drafts_by_default(api: Api, sb: Any) -> None:
    """job.list hides Draft jobs unless status includes Draft."""
    records = sb.control.records("job")
    default = api.walk("job.list")
    assert all(j["status"] != "Draft" for j in default)
    assert _ids(default) == {j["id"] for j in records if j["status"] != "Draft"}
    drafts = api.walk("job.list", {"status": ["Draft"]})
    assert drafts, "seed Draft jobs"
    assert all(j["status"] == "Draft" for j in drafts)
    assert _ids(api.walk("job.list", {"status": ["Draft", "Open", "Closed", "Archived"]})) == _ids(records)
    assert {j["status"] for j in records} == {"Draft", "Open", "Closed", "Archived"}, "jobs in every status"


def test_job_status_follows_opened_and_closed(api: Api) -> None:
    """Job status follows openedAt/closedAt: Open -> opened, not closed; Closed -> opened and closed."""
    for job in api.walk("job.list", {"status": ["Open", "Closed"]}):
        assert job["openedAt"] is not None, job["id"]
        assert (job["closedAt"] is None) == (job["status"] == "Open"), (
            job["id"],
            job["status"],
            job["closedAt"],
        )


def test_interview_list_shows_shared_interviews_by_default(api: Api, sb: Any) -> None:
    """Shared interviews only (no jobId) unless includeNonSharedInterviews."""
    records = sb.control.records("interview")
    default = api.walk("interview.list")
    assert all("jobId" not in i for i in default)
    everything = api.walk("interview.list", {"includeNonSharedInterviews": True, "includeArchived": True})
    assert _ids(everything) == _ids(records)
    assert any("jobId" in i for i in everything), "seed job-specific interviews"
    shared_live = {i["id"] for i in records if "jobId" not in i and not i["isArchived"]}
    assert shared_live <= _ids(default) <= {i["id"] for i in records if "jobId" not in i}


def test_user_list_hides_deactivated(api: Api, sb: Any) -> None:
    """user.list hides deactivated users."""
    records = sb.control.records("user")
    default = api.walk("user.list")
    assert all(u["isEnabled"] for u in default)
    assert _ids(default) == {u["id"] for u in records if u["isEnabled"]}
    assert _ids(api.walk("user.list", {"includeDeactivated": True})) == _ids(records)


ARCHIVABLE = [  # (endpoint, table, flag)
    ("source.list", "source", "includeArchived"),
    ("archiveReason.list", "archiveReason", "includeArchived"),
    ("closeReason.list", "closeReason", "includeArchived"),
    ("candidateTag.list", "candidateTag", "includeArchived"),
    ("customField.list", "customField", "includeArchived"),
    ("feedbackFormDefinition.list", "feedbackFormDefinition", "includeArchived"),
    ("department.list", "department", "includeArchived"),
    ("location.list", "location", "includeArchived"),
    ("interviewPlan.list", "interviewPlan", "includeArchived"),
    ("interviewerPool.list", "interviewerPool", "includeArchivedPools"),
]


@pytest.mark.parametrize(("endpoint", "table", "flag"), ARCHIVABLE, ids=[a[0] for a in ARCHIVABLE])
def test_metadata_lists_hide_archived_rows(api: Api, sb: Any, endpoint: str, table: str, flag: str) -> None:
    """Archived rows only with the flag ("true" coerced); no hierarchy nodes."""
    records = [r for r in sb.control.records(table) if r.get("type") != "LocationHierarchy"]
    default = api.walk(endpoint)
    assert not any(r["isArchived"] for r in default)
    assert _ids(default) == {r["id"] for r in records if not r["isArchived"]}
    assert _ids(api.walk(endpoint, {flag: True})) == _ids(records)
    assert _ids(api.walk(endpoint, {flag: "true"})) == _ids(records)
    assert not any(r.get("type") == "LocationHierarchy" for r in default)


def test_some_metadata_rows_are_archived(sb: Any) -> None:
    """Archived metadata rows are seeded, so the filters above are not vacuous."""
    archived = {t for _, t, _ in ARCHIVABLE if any(r.get("isArchived") for r in sb.control.records(t))}
    assert {"source", "archiveReason", "candidateTag"} & archived, archived


def test_application_status_follows_current_stage(api: Api) -> None:
    """Status from currentInterviewStage.type; archivedAt/archiveReason iff archived."""
    apps = api.walk("application.list")
    expected = {"Archived": "Archived", "Hired": "Hired", "Lead": "Lead"}
    for a in apps:
        stage_type = a["currentInterviewStage"]["type"]
        assert a["status"] == expected.get(stage_type, "Active"), (a["id"], stage_type, a["status"])
        archived = a["status"] == "Archived"
        assert ("archivedAt" in a) == archived, (a["id"], a["status"])
        assert (a["archiveReason"] is not None) == archived, (a["id"], a["status"])
    assert {a["status"] for a in apps} == {"Active", "Archived", "Hired", "Lead"}, "every status"
    for status in ("Active", "Archived", "Hired", "Lead"):
        assert {a["status"] for a in api.walk("application.list", {"status": status})} == {status}


def test_hiring_team_role_names_only_default(api: Api) -> None:
    """Bare strings by default, {id, title} with namesOnly false."""
    names = api.ok("hiringTeamRole.list")["results"]
    objects = api.ok("hiringTeamRole.list", {"namesOnly": False})["results"]
    assert names
    assert all(isinstance(n, str) for n in names)
    assert not [e for o in objects for e in conform(o, {"id": "uuid", "title": "str"})]
    assert sorted(names) == sorted(o["title"] for o in objects)


def test_job_posting_list_shows_published_postings_only(api: Api) -> None:
    """jobPosting.list = published postings (listed and unlisted); listedOnly narrows it."""
    everything = {"status": ["Draft", "Open", "Closed", "Archived"]}
    published = {p for j in api.walk("job.list", everything) for p in j["jobPostingIds"]}
    with_unpublished = {
        p
        for j in api.walk("job.list", {**everything, "includeUnpublishedJobPostingsIds": True})
        for p in j["jobPostingIds"]
    }
    listed = api.ok("jobPosting.list")["results"]
    assert _ids(listed).isdisjoint(with_unpublished - published)
    listed_only = api.ok("jobPosting.list", {"listedOnly": True})["results"]
    assert all(p["isListed"] for p in listed_only)
    assert _ids(listed_only) <= _ids(listed)


def test_job_posting_boards_and_linked_data(api: Api) -> None:
    """externalLink is null on internal boards; linkedData.employmentType is the schema.org spelling."""
    spelled = {"FullTime": "FULL_TIME", "PartTime": "PART_TIME", "Contract": "CONTRACTOR",
               "Temporary": "TEMPORARY", "Intern": "INTERN"}  # fmt: skip
    for summary in api.ok("jobPosting.list")["results"][:5]:
        posting = api.ok("jobPosting.info", {"jobPostingId": summary["id"]})["results"]
        assert posting["linkedData"].get("employmentType") == spelled[posting["employmentType"]], summary[
            "id"
        ]
    for board in api.ok("jobBoard.list")["results"]:
        if board["isInternal"]:
            postings = api.ok("jobPosting.list", {"jobBoardId": board["id"]})["results"]
            assert all(p["externalLink"] is None for p in postings), board["id"]


def test_offer_info_exclude_form_definition(api: Api, ids: dict[str, str | None]) -> None:
    """formDefinition is omitted with excludeFormDefinition true."""
    assert (
        "formDefinition"
        not in api.ok("offer.info", {"offerId": ids["offer"], "excludeFormDefinition": True})["results"]
    )


FILTERS = [  # (endpoint, body key -> ids key, result field that must equal it)
    ("candidate.listClientInfo", "candidateId", "clientInfoCandidate", "candidateId"),
    ("candidate.listFraudChecks", "candidateId", "fraudCandidate", "candidateId"),
    ("application.listCriteriaEvaluations", "applicationId", "criteriaApplication", "applicationId"),
    ("applicationFeedback.list", "applicationId", "application", "applicationId"),
    ("offer.list", "applicationId", "application", "applicationId"),
    ("interviewSchedule.list", "applicationId", "application", "applicationId"),
    ("interviewEvent.list", "interviewScheduleId", "interviewSchedule", "interviewScheduleId"),
    ("interviewStage.list", "interviewPlanId", "interviewPlan", "interviewPlanId"),
    ("application.list", "jobId", "job", "job.id"),
    ("user.listInterviewerPauses", "userId", "pauseUser", "userId"),
]


@pytest.mark.parametrize(("endpoint", "param", "key", "path"), FILTERS, ids=[f[0] for f in FILTERS])
def test_filters_apply(
    api: Api, ids: dict[str, str | None], endpoint: str, param: str, key: str, path: str
) -> None:
    rows = api.walk(endpoint, {param: ids[key]})
    for row in rows:
        value: Any = row
        for part in path.split("."):
            value = value[part]
        assert value == ids[key], (endpoint, row.get("id"))
    if endpoint == "interviewStage.list":
        orders = [s["orderInInterviewPlan"] for s in rows]
        assert orders == sorted(orders), "interviewStage.list is in plan order"


SEARCHES = [  # (endpoint, body from ids, the id that must be found)
    ("candidate.search", "email", "candidateEmail", None),
    ("job.search", "title", "jobTitle", "job"),
    ("user.search", "email", "userEmail", "user"),
    ("project.search", "title", "projectTitle", "project"),
    ("opening.search", "identifier", "openingIdentifier", None),
]


@pytest.mark.parametrize(("endpoint", "param", "key", "target"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_searches_find_the_record(
    api: Api, ids: dict[str, str | None], endpoint: str, param: str, key: str, target: str | None
) -> None:
    rows = api.ok(endpoint, {param: ids[key]})["results"]
    assert 1 <= len(rows) <= 100
    if target is not None:
        assert ids[target] in _ids(rows)
    elif endpoint == "opening.search":
        assert all(o["latestVersion"]["identifier"] == ids[key] for o in rows)
    else:
        assert all(ids[key] in [e["value"] for e in c["emailAddresses"]] for c in rows)
        none = api.ok(endpoint, {param: ids[key], "name": "Nobody Contract-Nomatch"})["results"]
        assert none == [], "email and name are AND-combined"


INFO_VS_LIST: list[tuple[str, dict[str, Any], str, str]] = [  # (lister + body, info endpoint, id param)
    ("candidate.list", {}, "candidate.info", "id"),
    ("application.list", {}, "application.info", "applicationId"),
    ("job.list", {}, "job.info", "id"),
    ("opening.list", {}, "opening.info", "openingId"),
    ("department.list", {}, "department.info", "departmentId"),
    ("location.list", {}, "location.info", "locationId"),
    ("user.list", {}, "user.info", "userId"),
    ("customField.list", {}, "customField.info", "customFieldId"),
    ("interview.list", {}, "interview.info", "id"),
    ("offer.list", {}, "offer.info", "offerId"),
    ("project.list", {}, "project.info", "projectId"),
]


@pytest.mark.parametrize(("lister", "body", "info", "param"), INFO_VS_LIST, ids=[i[2] for i in INFO_VS_LIST])
def test_info_agrees_with_list(api: Api, lister: str, body: dict[str, Any], info: str, param: str) -> None:
    """The same object whichever endpoint serves it: the info record carries the list record's fields."""
    for row in api.ok(lister, {**body, "limit": 3})["results"]:
        detail = api.ok(info, {param: row["id"]})["results"]
        diffs = [k for k in row if detail.get(k) != row[k]]
        assert not diffs, f"{info} {row['id']}: fields differ from {lister}: {diffs}"


def test_candidate_profile_url_and_api_key_scopes(api: Api) -> None:
    """The candidate profileUrl form; apiKey.info lists the key's scopes."""
    for c in api.ok("candidate.list", {"limit": 5})["results"]:
        assert (
            c["profileUrl"]
            == f"https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/{c['id']}"
        )
    scopes = api.ok("apiKey.info", key=NO_KEY["candidates"])["results"]["scopes"]
    assert "candidates:read" not in scopes
    assert "jobs:read" in scopes


EXPANDS = [  # (endpoint, body from ids, expand, field -> spec)
    ("application.list", {}, ["openings"], {"openings": [OPENING]}),
    ("job.list", {}, ["location", "openings"], {"location": LOCATION, "openings": [OPENING]}),
    ("job.info", {"id": "@job"}, ["location", "openings"], {"location": LOCATION, "openings": [OPENING]}),
    (
        "jobPosting.info",
        {"jobPostingId": "@jobPosting"},
        ["job"],
        {"job": {k: v for k, v in JOB.items() if k[0] != "-"}},
    ),
    (
        "interviewEvent.list",
        {"interviewScheduleId": "@interviewSchedule"},
        ["interview"],
        {"interview": INTERVIEW},
    ),
]


@pytest.mark.parametrize(("endpoint", "body", "expand", "spec"), EXPANDS, ids=[x[0] for x in EXPANDS])
def test_expand_adds_the_documented_objects(
    api: Api, ids: dict[str, str | None], endpoint: str, body: dict[str, Any], expand: list[str], spec: Any
) -> None:
    payload = api.ok(endpoint, {**body_for(Endpoint(endpoint, "info", "", {}, body), ids), "expand": expand})
    rows = payload["results"] if isinstance(payload["results"], list) else [payload["results"]]
    assert rows
    errors = [e for i, row in enumerate(rows) for e in conform(row, spec, f"{endpoint}[{i}]")]
    assert not errors, "\n".join(errors[:10])


def test_created_after_filter(api: Api) -> None:
    """createdAfter is integer milliseconds since the epoch."""
    every = api.walk("candidate.list")
    pivot = sorted(c["createdAt"] for c in every)[len(every) // 2]
    pivot_ms = int(datetime.fromisoformat(pivot.replace("Z", "+00:00")).timestamp() * 1000)
    after = api.walk("candidate.list", {"createdAfter": pivot_ms})
    assert all(c["createdAt"] >= pivot for c in after)
    assert {c["id"] for c in every if c["createdAt"] > pivot} <= _ids(after) < _ids(every)


def test_request_conveniences(api: Api) -> None:
    """Unknown body keys ignored, an empty body lists everything; request ids differ."""
    head = _ids(api.ok("candidate.list", {"limit": 5})["results"])
    assert _ids(api.ok("candidate.list", {"limit": 5, "per_page": 50})["results"]) == head
    r = api.post("source.list", content=b"")
    assert r.status_code == 200, r.text[:300]
    assert r.json()["success"] is True
    assert _ids(r.json()["results"]) == _ids(api.ok("source.list")["results"])
    assert api.post("source.list").headers["x-ashby-request-id"] != r.headers["x-ashby-request-id"]


def test_names_only_false_string_is_coerced(api: Api) -> None:
    """ "true"/"false" strings are coerced where the schema expects a boolean."""
    assert all(isinstance(o, dict) for o in api.ok("hiringTeamRole.list", {"namesOnly": "false"})["results"])


def test_location_hierarchy_only_on_request(api: Api, sb: Any) -> None:
    """Hierarchy nodes only with includeLocationHierarchy."""
    records = sb.control.records("location")
    flagged = api.walk("location.list", {"includeLocationHierarchy": True, "includeArchived": True})
    assert _ids(flagged) == _ids(records)


def test_candidates_and_applications_agree(api: Api) -> None:
    """The application's candidate lists it in applicationIds; the summary matches."""
    cands = {c["id"]: c for c in api.walk("candidate.list")}
    for cand in cands.values():
        primary = [e for e in cand["emailAddresses"] if e["isPrimary"]]
        assert ([cand["primaryEmailAddress"]] if "primaryEmailAddress" in cand else []) == primary, cand["id"]
    for app in api.walk("application.list"):
        cand = cands[app["candidate"]["id"]]
        assert app["id"] in cand["applicationIds"], app["id"]
        assert app["candidate"]["name"] == cand["name"], app["id"]
        assert app["candidate"].get("primaryEmailAddress") == cand.get("primaryEmailAddress"), app["id"]


# ---- these write through the control surface: keep them last ------------------------------------
def test_sync_delta_reports_updates_and_archiving(api: Api, sb: Any) -> None:
    """A delta holds the records changed since the token, newly archived ones included."""
    tokens = {
        e: api.pages(e)[-1]["syncToken"] for e in ("candidateTag.list", "candidate.list", "application.list")
    }
    tag = next(t for t in api.walk("candidateTag.list"))
    cand = api.ok("candidate.list", {"limit": 1})["results"][0]
    app = api.walk("application.list", {"status": "Active"})[0]
    sb.control.archive("candidateTag", tag["id"])
    sb.control.update("candidate", cand["id"], name="Renamed By Contract")
    sb.control.archive("application", app["id"])

    cands = {c["id"]: c for c in api.walk("candidate.list", {"syncToken": tokens["candidate.list"]})}
    assert cands[cand["id"]]["name"] == "Renamed By Contract"
    assert cands[cand["id"]]["updatedAt"] > cand["updatedAt"]
    apps = {a["id"]: a for a in api.walk("application.list", {"syncToken": tokens["application.list"]})}
    archived = apps[app["id"]]
    assert (archived["status"], archived["currentInterviewStage"]["type"]) == ("Archived", "Archived")
    assert archived["archiveReason"] is not None
    assert "archivedAt" in archived
    assert conform(archived, APPLICATION) == []
    # The tag list hides archived rows by default, but a delta must still report the archiving.
    tags = api.walk("candidateTag.list", {"syncToken": tokens["candidateTag.list"]})
    assert [t["id"] for t in tags] == [tag["id"]], "newly archived tag missing from the default-filter delta"
    assert tags[0]["isArchived"] is True


def test_expired_cursor_and_sync_token(api: Api, sb: Any) -> None:
    """Expired cursor -> next_cursor_expired; expired token -> sync_token_expired."""
    page = api.ok("candidate.list", {"limit": 5})
    token = api.pages("department.list")[-1]["syncToken"]
    sb.control.expire_cursors()
    sb.control.expire_sync_tokens()
    assert_error(
        api.post("candidate.list", {"limit": 5, "cursor": page["nextCursor"]}), None, "next_cursor_expired"
    )
    assert_error(api.post("department.list", {"syncToken": token}), None, "sync_token_expired")
