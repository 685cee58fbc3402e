"""Contract test: the sandbox's write endpoints against Ashby's API reference.

The table lives in ``contract_write_spec.py`` (every "W" row of the reference's section 4); every test
here is parametrized over it. Written from the reference only, independently of the sandbox code, so a
misreading on one side shows up as a failure here. The sandbox is private to this module and reached
over real HTTP. The error cases run first; the few successful writes run last, so the error cases see
the seeded data (the ``ids`` fixture itself writes a little: an upload handle, an offer process).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from ashby_agent.sandbox import run_sandbox
from tests.sandbox.contract_spec import ALL_SCOPES, NOTE_KEYS, conform, generic_violations
from tests.sandbox.contract_write_spec import BY_NAME, WRITE_ENDPOINTS, WRITE_MODULES, WriteEndpoint

FULL = "write-contract-full"
NO_WRITE = {m: f"write-contract-nowrite-{m}" for m in WRITE_MODULES}  # every scope but <module>:write
READ_ONLY = {m: f"write-contract-read-{m}" for m in WRITE_MODULES}  # only <module>:read
WRITE_ONLY = {m: f"write-contract-write-{m}" for m in WRITE_MODULES}  # only <module>:write
UNKNOWN_UUID = "7c1d9e2a-4b3f-4a6e-9d8c-2f1e0a9b8c7d"
NOT_A_UUID = "not-a-uuid"


def _key_specs() -> list[str]:
    keys = [FULL]
    for m in WRITE_MODULES:
        keys.append(f"{NO_WRITE[m]}:" + ",".join(s for s in ALL_SCOPES if s != f"{m}:write"))
        keys.append(f"{READ_ONLY[m]}:{m}:read")
        keys.append(f"{WRITE_ONLY[m]}:{m}:write")
    return keys


class Api:
    """A thin caller: POST /<endpoint> with a JSON body under one key; asserts nothing by itself."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def post(self, endpoint: str, body: Any, *, key: str = FULL) -> httpx.Response:
        return self.client.post(f"/{endpoint}", json=body, auth=(key, ""))

    def ok(self, endpoint: str, body: Any = None, *, key: str = FULL) -> dict[str, Any]:
        r = self.post(endpoint, {} if body is None else body, key=key)
        assert r.status_code == 200, f"{endpoint} {body}: HTTP {r.status_code} {r.text[:400]}"
        payload: dict[str, Any] = r.json()
        assert payload.get("success") is True, f"{endpoint} {body}: {r.text[:400]}"
        return payload

    def rows(self, endpoint: str, body: dict[str, Any] | None = None) -> list[Any]:
        """Every row of a (possibly paginated) list."""
        body = dict(body or {})
        page = self.ok(endpoint, body)
        out = list(page["results"])
        while page.get("moreDataAvailable") is True and len(out) < 5000:
            page = self.ok(endpoint, {**body, "cursor": page["nextCursor"]})
            out += page["results"]
        return out


@pytest.fixture(scope="module")
def sb() -> Iterator[Any]:
    with run_sandbox(seed=23, scale="small", api_keys=_key_specs()) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def api(sb: Any) -> Iterator[Api]:
    with httpx.Client(base_url=sb.url, timeout=30.0) as client:
        yield Api(client)


def _value_for(field_type: str, options: list[dict[str, Any]]) -> Any:
    """A value of the reference's field value formats for one field type."""
    first = next((o["value"] for o in options if not o.get("isArchived")), None)
    values: dict[str, Any] = {
        "Boolean": True, "Date": "2026-01-15", "Email": "contract@example.com", "Number": 3,
        "Score": {"score": 3}, "RichText": {"type": "PlainText", "value": "Contract feedback"},
        "ValueSelect": first, "MultiValueSelect": [first], "Url": "https://example.com/contract",
        "Currency": {"value": 1000, "currencyCode": "USD"}, "Phone": "+1 555 0100",
        "NumberRange": {"type": "number-range", "minValue": 1, "maxValue": 2},
    }  # fmt: skip
    return values.get(field_type, "Contract value")


def _safe_ok(api: Api, endpoint: str, body: dict[str, Any]) -> dict[str, Any] | None:
    r = api.post(endpoint, body)
    payload: Any = r.json() if r.headers.get("content-type", "").startswith("application/json") else None
    return payload if r.status_code == 200 and isinstance(payload, dict) and payload.get("success") else None


def _submission(form_definition: dict[str, Any]) -> dict[str, Any]:
    """`{fieldSubmissions: [{path, value}]}` answering every required field of a FormDefinition."""
    fields = [f["field"] for s in form_definition["sections"] for f in s["fields"] if f["isRequired"]]
    return {
        "fieldSubmissions": [
            {"path": f["path"], "value": _value_for(f["type"], f.get("selectableValues", []))} for f in fields
        ]
    }


@pytest.fixture(scope="module")
def ids(api: Api, sb: Any) -> dict[str, Any]:
    """Real ids (and whole values) for otherwise-valid bodies, read with the full key."""
    cands = api.ok("candidate.list", {"limit": 10})["results"]
    jobs = api.rows("job.list", {"status": ["Draft", "Open", "Closed", "Archived"]})
    open_jobs = [j for j in jobs if j["status"] == "Open"]
    apps = [a for a in api.rows("application.list", {"status": "Active"})
            if a["job"]["id"] in {j["id"] for j in open_jobs}]  # fmt: skip
    app = apps[0]
    plan = app["currentInterviewStage"]["interviewPlanId"]
    stages = api.ok("interviewStage.list", {"interviewPlanId": plan})["results"]
    movable = [s for s in stages if s["type"] not in ("Archived", "Hired")]
    next_stage = next(s for s in movable if s["id"] != app["currentInterviewStage"]["id"])
    transfer_job = next(j for j in open_jobs if j["id"] != app["job"]["id"])
    transfer_plan = transfer_job["defaultInterviewPlanId"]
    transfer_stages = api.ok("interviewStage.list", {"interviewPlanId": transfer_plan})["results"]
    history = api.ok("application.info", {"applicationId": app["id"]})["results"]["applicationHistory"]
    users = [u for u in api.rows("user.list") if u["isEnabled"]]
    roles = api.ok("hiringTeamRole.list", {"namesOnly": False})["results"]
    forms = [f for f in api.rows("feedbackFormDefinition.list") if not f["isArchived"]]
    departments = api.rows("department.list")
    leaf = next(d for d in departments if not any(o["parentId"] == d["id"] for o in departments))
    parent = next(d for d in departments if d["id"] != leaf["id"] and d["id"] != leaf["parentId"])
    fields = api.rows("customField.list")
    cand_field = next(
        f
        for f in fields
        if f["objectType"] == "Candidate" and f["fieldType"] in ("String", "Boolean", "Number")
    )
    select_field = next(f for f in fields if f.get("selectableValues"))
    schedules = [s for s in api.rows("interviewSchedule.list") if s["interviewEvents"]]
    offers = api.rows("offer.list")
    statuses: dict[str, set[str]] = {}
    for a in api.rows("application.list"):
        statuses.setdefault(a["candidate"]["id"], set()).add(a["status"])
    anon = next((c for c, st in statuses.items() if st <= {"Archived", "Hired"}), cands[0]["id"])

    def offer_in(*states: str) -> dict[str, Any]:
        return next((o for o in offers if o["offerStatus"] in states), offers[0])

    open_offer = offer_in("WaitingOnApprovalStart", "WaitingOnOfferApproval", "WaitingOnCandidateResponse")
    # offer.approve: a version whose approval process this fixture starts (not the one left to start).
    starts = [o for o in offers if o["offerStatus"] == "WaitingOnApprovalStart"][1:]
    approve_version = (starts or [offer_in("WaitingOnOfferApproval")])[0]["latestVersion"]["id"]
    if starts:
        _safe_ok(api, "offer.startApprovalProcess", {"offerVersionId": approve_version})
    open_offer_info = api.ok("offer.info", {"offerId": open_offer["id"]})["results"]
    draft = [j for j in jobs if j["status"] == "Draft"]
    status_job, status_target = (draft[0], "Open") if draft else (open_jobs[-1], "Closed")
    now = sb.control.now()
    start = (now + timedelta(days=7)).replace(hour=15, minute=0, second=0, microsecond=0)

    def iso(t: Any) -> str:
        return str(t.strftime("%Y-%m-%dT%H:%M:%S.000Z"))

    def handle(context: str) -> str:
        made = _safe_ok(api, "file.createFileUploadHandle", {
            "fileUploadContext": context, "filename": "contract.pdf", "contentType": "application/pdf",
            "contentLength": 2048})  # fmt: skip
        return str(made["results"]["handle"]) if made else "contract-handle-unavailable"

    offered = {o["applicationId"] for o in offers}
    no_offer = [a for a in apps[1:] if a["id"] not in offered] or apps[1:]
    offer_app = next((a for a in no_offer if a["currentInterviewStage"]["type"] == "Offer"), no_offer[-1])
    process = _safe_ok(api, "offerProcess.start", {"applicationId": offer_app["id"]})
    process_id = process["results"]["id"] if process else None
    form = _safe_ok(api, "offer.start", {"offerProcessId": process_id}) if process_id else None
    comp_job, comp_tiers = None, None
    for posting in api.ok("jobPosting.list")["results"]:
        info = api.ok("jobPosting.info", {"jobPostingId": posting["id"]})["results"]
        if info["compensation"]["compensationTiers"]:
            comp_job, comp_tiers = info["jobId"], info["compensation"]["compensationTiers"]
            break
    events = [{"startTime": iso(start), "endTime": iso(start + timedelta(hours=1)),
               "interviewers": [{"email": users[0]["email"], "feedbackRequired": True}]}]  # fmt: skip
    own = _safe_ok(
        api, "interviewSchedule.create", {"applicationId": apps[-1]["id"], "interviewEvents": events}
    )
    own_schedule = own["results"] if own else None
    webhooks = sb.control.records("webhook") or [sb.control.create("webhook", {
        "enabled": True, "requestUrl": "https://example.com/hook", "secretToken": "s3cret-contract",
        "webhookType": "applicationSubmit"})]  # fmt: skip
    return {
        "candidate": cands[0]["id"],
        "tag": api.rows("candidateTag.list")[0]["id"],
        "project": api.rows("project.list")[0]["id"],
        "resumeHandle": handle("CandidateResume"),
        "filesHandle": handle("CandidateFiles"),
        "application": app["id"],
        "nextStage": next_stage["id"],
        "openJob": transfer_job["id"],
        "transferJob": transfer_job["id"],
        "transferPlan": transfer_plan,
        "transferStage": next(s for s in transfer_stages if s["type"] not in ("Archived", "Hired"))["id"],
        "history": [{k: h[k] for k in ("stageId", "stageNumber", "enteredStageAt")} for h in history],
        "source": api.ok("source.list")["results"][0]["id"],
        "user": users[0]["id"],
        "role": roles[0]["id"],
        "feedbackForm": forms[0]["id"],
        "feedbackSubmission": _submission(forms[0]["formDefinition"]),
        "department": leaf["id"],
        "parentDepartment": parent["id"],
        "location": api.rows("location.list")[0]["id"],
        "job": open_jobs[0]["id"],
        "statusJob": status_job["id"],
        "statusTarget": status_target,
        "jobPosting": api.ok("jobPosting.list")["results"][0]["id"],
        "opening": api.rows("opening.list")[0]["id"],
        "candidateField": cand_field["id"],
        "candidateFieldValue": _value_for(cand_field["fieldType"], []),
        "selectField": select_field["id"],
        "selectValues": [
            {k: v[k] for k in ("label", "value", "isArchived")} for v in select_field["selectableValues"]
        ],
        "interviewEvents": events,
        "ownSchedule": own_schedule["id"] if own_schedule else None,
        "ownScheduleEvent": own_schedule["interviewEvents"][0]["id"] if own_schedule else None,
        "compJob": comp_job,
        "compTiers": comp_tiers,
        "schedule": schedules[0]["id"],
        "offerApplication": offer_app["id"],
        "offerProcess": process_id,
        "offerForm": form["results"]["id"] if form else None,
        "offerCreateForm": _submission(form["results"]["formDefinition"]) if form else None,
        "offer": open_offer["id"],
        "offerUpdateForm": _submission(open_offer_info["formDefinition"]),
        "approveVersion": approve_version,
        "approvalStartVersion": offer_in("WaitingOnApprovalStart")["latestVersion"]["id"],
        "anonCandidate": anon,
        "webhook": webhooks[0]["id"],
    }


def _resolve(value: Any, ids: dict[str, Any], where: str) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        if ids.get(value[1:]) is None:
            pytest.fail(f"{where}: the sandbox gave no {value[1:]} to call it with")
        return ids[value[1:]]
    if isinstance(value, dict):
        return {k: _resolve(v, ids, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, ids, where) for v in value]
    return value


def body_for(ep: WriteEndpoint, ids: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = _resolve(ep.body, ids, ep.name)
    return body


def assert_error(r: httpx.Response, status: int, code: str | frozenset[str]) -> dict[str, Any]:
    """Ashby's error envelope: success false, errors == [code], errorInfo{code, message, requestId}."""
    codes = {code} if isinstance(code, str) else set(code)
    context = f"want HTTP {status} {sorted(codes)}: got {r.status_code} {r.text[:300]}"
    assert r.headers.get("content-type", "").startswith("application/json"), context
    payload: dict[str, Any] = r.json()
    got = (payload.get("errorInfo") or {}).get("code")
    assert r.status_code == status, context
    assert got in codes, context
    assert payload["success"] is False
    assert payload["errors"] == [got]
    assert isinstance(payload["errorInfo"].get("message"), str)
    assert payload["errorInfo"].get("requestId") == r.headers.get("x-ashby-request-id")
    assert "results" not in payload
    return payload


def snapshot(sb: Any) -> dict[str, str]:
    """A digest per table of every record (wire form), to prove that nothing changed."""
    return dict(sb.control.digest())


def _name(ep: WriteEndpoint) -> str:
    return ep.name


def xfail(reason: str) -> Any:
    return pytest.mark.xfail(strict=True, reason=reason)


# Where the sandbox disagrees with the reference: (test, endpoint, param or "") -> the disagreement.
DISAGREE: dict[tuple[str, str, str], str] = {
    ("missing", "webhook.create", "secretToken"): (
        "the Ashby API reference marks webhook.create `secretToken`* required; the sandbox creates the "
        "webhook without it (success, no secret; its webhook section's 'if a secret token is set' reads it "
        "as optional)"
    ),
}


def _case(test: str, ep: WriteEndpoint, *args: Any, tag: str = "") -> Any:
    """One parameter set, named `<endpoint>[-<tag>]`, xfailed where DISAGREE lists it."""
    reason = DISAGREE.get((test, ep.name, tag))
    return pytest.param(
        ep, *args, id=f"{ep.name}-{tag}" if tag else ep.name, marks=[xfail(reason)] if reason else []
    )


STATED = [e for e in WRITE_ENDPOINTS if e.params_stated]
PERMISSION = [_case("permission", e) for e in WRITE_ENDPOINTS]
WRITE_SCOPE = [_case("write_scope", e) for e in WRITE_ENDPOINTS]
MISSING = [_case("missing", e, group, tag=group) for e in STATED for group in e.required]
NON_UUID = [_case("non_uuid", e, p, tag=p) for e in STATED for p in e.uuid_params]
NOT_FOUND = [_case("not_found", e, p, code, tag=p) for e in STATED for p, code in e.not_found]


# ---- permissions ----------------------------------------------------------------------------------
def test_table_covers_the_reference_write_rows() -> None:
    """71 W rows: both spellings of changeStage/changeSource, each verb of the opening/location/department
    families; no endpoint twice."""
    assert len(WRITE_ENDPOINTS) == 71
    assert {"application.change_stage", "application.change_source"} <= set(BY_NAME)


@pytest.mark.parametrize("ep", PERMISSION)
def test_missing_write_permission_is_403(api: Api, sb: Any, ids: dict[str, Any], ep: WriteEndpoint) -> None:
    """Without `<module>:write` (every other scope, or only `<module>:read`): HTTP 403
    missing_endpoint_permission, and the valid call changes nothing."""
    body = body_for(ep, ids)
    before = snapshot(sb)
    for key in (NO_WRITE[ep.module], READ_ONLY[ep.module]):
        r = api.post(ep.name, body, key=key)
        assert_error(r, 403, "missing_endpoint_permission")
        logged = sb.control.requests()[-1]
        assert (logged["path"], logged["status"]) == (f"/{ep.name}", 403), logged
        assert logged["request_id"] == r.headers["x-ashby-request-id"]
    after = snapshot(sb)
    changed = sorted(t for t in before if before[t] != after.get(t))
    assert not changed, f"{ep.name} refused with 403 but changed tables {changed}"


@pytest.mark.parametrize("ep", WRITE_SCOPE)
def test_module_write_scope_suffices(api: Api, ep: WriteEndpoint) -> None:
    """The endpoint's permission is exactly the module the reference names: a key holding only
    `<module>:write` is not refused for permission (an empty body is then invalid_input where the
    reference states required params)."""
    r = api.post(ep.name, {}, key=WRITE_ONLY[ep.module])
    assert r.status_code != 403, f"{ep.scope} alone: {r.text[:300]}"
    if ep.required:
        assert_error(r, 200, "invalid_input")


# ---- validation -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("ep", "group"), MISSING)
def test_missing_required_param_is_invalid_input(
    api: Api, ids: dict[str, Any], ep: WriteEndpoint, group: str
) -> None:
    """Each required param (`*`) missing from an otherwise-valid body: HTTP 200 invalid_input.
    The reference does not say the error names the param, so the message is not pinned."""
    body = {k: v for k, v in body_for(ep, ids).items() if k not in group.split("|")}
    assert_error(api.post(ep.name, body), 200, "invalid_input")


@pytest.mark.parametrize(("ep", "param"), NON_UUID)
def test_non_uuid_id_is_invalid_input(api: Api, ids: dict[str, Any], ep: WriteEndpoint, param: str) -> None:
    """An id that is not a UUID: HTTP 200 invalid_input."""
    body = {**body_for(ep, ids), param: NOT_A_UUID}
    assert_error(api.post(ep.name, body), 200, "invalid_input")


@pytest.mark.parametrize(("ep", "param", "code"), NOT_FOUND)
def test_unknown_uuid_is_entity_not_found(
    api: Api, ids: dict[str, Any], ep: WriteEndpoint, param: str, code: str | frozenset[str]
) -> None:
    """A well-formed unknown id: HTTP 200 `<entity>_not_found`."""
    body = {**body_for(ep, ids), param: UNKNOWN_UUID}
    assert_error(api.post(ep.name, body), 200, code)


# ---- successful writes: keep them last ------------------------------------------------------------
SUCCESS: list[tuple[str, dict[str, Any]]] = [  # representative valid calls: (endpoint, body overrides)
    ("file.createFileUploadHandle", {}),
    ("candidate.create", {}),
    ("candidate.createNote", {}),
    ("candidateTag.create", {}),
    ("candidate.addTag", {}),
    ("application.changeSource", {}),
    ("application.change_source", {}),
    ("application.changeStage", {}),
    ("customField.setValue", {}),
    ("customField.setValues", {}),
    ("department.create", {}),
    ("job.create", {}),
    ("webhook.create", {"requestUrl": "https://example.com/contract-write-success"}),
]


def _strip_absent(spec: Any) -> Any:
    """A record spec without its "must be absent" keys (which describe the list/info forms)."""
    return {k: v for k, v in spec.items() if not k.startswith("-")} if isinstance(spec, dict) else spec


@pytest.mark.parametrize(
    ("ep", "overrides"),
    [_case("success", BY_NAME[n], o) for n, o in SUCCESS],
)
def test_success_envelope(
    api: Api, ids: dict[str, Any], ep: WriteEndpoint, overrides: dict[str, Any]
) -> None:
    """`success: true` and `results` an object (X) or an array ([X]) as the Result column says;
    `warnings` may be added; the record has the shape the reference gives its object."""
    body = {**body_for(ep, ids), **overrides}
    r = api.post(ep.name, body)
    assert r.status_code == 200, r.text[:400]
    payload = r.json()
    assert payload.get("success") is True, r.text[:400]
    assert set(payload) <= {"success", "results", "warnings"}, sorted(payload)
    results: Any = payload["results"]
    assert isinstance(results, list if ep.result == "list" else dict), f"{ep.result}: {r.text[:300]}"
    rows: list[Any] = list(results) if ep.result == "list" else [results]
    first: Any = rows[0] if rows else None
    assert rows, "a write returns what it wrote"
    if ep.record is not None:
        errors = [e for i, row in enumerate(rows) for e in conform(row, _strip_absent(ep.record), f"[{i}]")]
        errors += generic_violations(results)
        assert not errors, "\n".join(errors[:10])
    if ep.name == "candidate.createNote":
        assert set(first) == NOTE_KEYS, "the recorded createNote result has exactly these keys"
    if ep.name == "candidateTag.create":
        again = api.ok(ep.name, body)["results"]
        assert again["id"] == first["id"], "an existing title returns the existing tag"
    if ep.name == "candidate.addTag":
        assert ids["tag"] in {t["id"] for t in first["tags"]}
    if ep.name == "application.changeStage":
        assert first["currentInterviewStage"]["id"] == ids["nextStage"]
    if ep.name == "job.create":
        assert first["status"] == "Draft", "job.create returns a Draft job"
