"""The ``/_sandbox`` HTTP mirror under bad and hostile requests, over real HTTP.

Every answer is JSON; a refusal is ``{"error": "<one sentence>"}`` written by the sandbox (never a
Python exception's text), it changes nothing, and Ashby's endpoints answer normally afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ashby_agent.sandbox import SandboxHandle
from ashby_agent.sandbox.endpoints import ENDPOINTS
from ashby_agent.sandbox.faults import FAULT_KINDS
from ashby_agent.sandbox.store import CLOCK_MAX_MS
from tests.sandbox.conftest import Api
from tests.sandbox.strategies import HTTP, JSON, WIDE_NUMBERS

#: Fragments of Python's own exception texts: none may reach a caller.
RAW_TEXT = (
    "Traceback", "object has no attribute", "unexpected keyword", "not supported between", "out of range",
    "NoneType", "positional argument", "could not convert", "invalid literal", "line 1 column", "Expecting",
    "Error:", "object is not", "unhashable", "JSONDecode", "cannot convert",
)  # fmt: skip
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def controlled(fresh: Any, client_for: Any) -> Iterator[tuple[SandboxHandle, Api, httpx.Client]]:
    with fresh() as sb, httpx.Client(base_url=sb.url, timeout=30) as http:
        yield sb, client_for(sb), http


def _refusal(response: httpx.Response, status: int) -> str:
    """The one-sentence message of a JSON refusal with ``status``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    message = body["error"]
    assert isinstance(message, str) and message.endswith(".") and "\n" not in message
    assert not any(fragment in message for fragment in RAW_TEXT), message
    return str(message)


def _ashby_answers(api: Api) -> None:
    page = api("candidate.list", limit=1)
    assert page["success"] is True and len(page["results"]) == 1


# -- the cases of the issue -------------------------------------------------------------------------
@pytest.mark.parametrize("seconds", [-1e12, 1e308, 1e20, "soon", None, True, [60]])
def test_a_refused_clock_advance_does_not_move_the_clock(controlled: Any, seconds: Any) -> None:
    sb, api, http = controlled
    before = http.get("/_sandbox/clock").json()["nowMs"]
    message = _refusal(http.post("/_sandbox/clock/advance", json={"seconds": seconds}), 400)
    assert '"seconds"' in message
    after = http.get("/_sandbox/clock").json()["nowMs"]
    assert before <= after <= CLOCK_MAX_MS  # -1e12 s would have gone back, 1e20 s past the range
    assert sb.control.now().timestamp() * 1000 <= CLOCK_MAX_MS
    _ashby_answers(api)
    assert api.raw("job.list", {}).json()["success"] is True


def test_the_clock_still_advances(controlled: Any) -> None:
    _sb, api, http = controlled
    before = http.get("/_sandbox/clock").json()["nowMs"]
    after = http.post("/_sandbox/clock/advance", json={"seconds": 86_400 * 365}).json()["nowMs"]
    assert after >= before + 86_400 * 365 * 1000
    _ashby_answers(api)


def test_listing_a_table_answers_its_records(controlled: Any) -> None:
    sb, _api, http = controlled
    response = http.get("/_sandbox/records/candidate")
    assert response.status_code == 200
    assert response.json() == sb.control.records("candidate")
    assert len(response.json()) == 250
    assert http.get("/_sandbox/records/offer").json() == []  # a known table the dataset left empty


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_sandbox/records/candidates"),
        ("POST", "/_sandbox/records/nope"),
        ("GET", f"/_sandbox/records/nope/{MISSING}"),
        ("PATCH", f"/_sandbox/records/nope/{MISSING}"),
        ("POST", f"/_sandbox/records/nope/{MISSING}/archive"),
    ],
)
def test_an_unknown_table_is_404_naming_the_valid_tables(controlled: Any, method: str, path: str) -> None:
    _sb, _api, http = controlled
    message = _refusal(http.request(method, path, json={}), 404)
    assert message.startswith("Unknown table ")
    assert "valid tables: " in message and "candidate, " in message and "interviewEvent" in message


def test_an_unknown_record_is_404_naming_it(controlled: Any) -> None:
    _sb, _api, http = controlled
    message = _refusal(http.get(f"/_sandbox/records/candidate/{MISSING}"), 404)
    assert message == f"No candidate record has the id '{MISSING}'."


@pytest.mark.parametrize(
    ("method", "path", "body", "fragment"),
    [
        ("PUT", "/_sandbox/faults", {"bogus": 1}, "Unknown field 'bogus'; valid fields: rate_429"),
        ("PUT", "/_sandbox/faults", {"rate_429": "x"}, '"rate_429" must be a number from 0 to 1'),
        ("PUT", "/_sandbox/faults", {"slow_seconds": 1e308}, '"slow_seconds" must be a number'),
        ("PUT", "/_sandbox/faults", {"retry_after": 1.5}, '"retry_after" must be an integer'),
        ("POST", "/_sandbox/faults/queue", {"faults": "503"}, '"faults" must be a list'),
        ("POST", "/_sandbox/faults/queue", {"faults": [503]}, "Unknown fault 503; valid: 429"),
        ("POST", "/_sandbox/faults/queue", {}, 'The field "faults" is required.'),
        ("POST", "/_sandbox/faults/hold", {"endpoint": "nope"}, '"endpoint" must be an Ashby endpoint'),
        ("POST", "/_sandbox/faults/hold", {"endpoint": "candidate.list", "after": -1}, '"after" must be'),
        ("POST", "/_sandbox/faults/hold", {}, 'The field "endpoint" is required.'),
        ("PUT", "/_sandbox/rate-limit", {"requests_per_second": -1}, '"requests_per_second" must be'),
        ("PUT", "/_sandbox/rate-limit", {"requests_per_second": 5e-324}, "must be null (no limit) or a"),
        ("PUT", "/_sandbox/rate-limit", {"requests_per_second": 1, "burst": "2"}, '"burst" must be'),
        ("POST", "/_sandbox/clock/advance", {}, 'The field "seconds" is required.'),
        ("POST", "/_sandbox/records/candidate", {"id": 5}, 'The "id" of a record must be a non-empty'),
        ("POST", "/_sandbox/records/candidate", [1], "The body must be a JSON object; got a list."),
        ("POST", "/_sandbox/cursors/expire", {"now": True}, "valid fields: none"),
        ("PUT", "/_sandbox/settings", {"webhook_retry_scale": -1}, '"webhook_retry_scale" must be a number'),
        ("PUT", "/_sandbox/settings", {"retry": 1}, "valid fields: cursor_ttl_seconds"),
        (
            "POST",
            "/_sandbox/candidates/merge",
            {"deletedCandidateId": MISSING},
            '"mergedCandidateId" is required',
        ),
        ("DELETE", f"/_sandbox/records/candidate/{MISSING}", {"x": 1}, "valid fields: none"),
    ],
)
def test_bad_control_bodies_are_400_with_one_clear_sentence(
    controlled: Any, method: str, path: str, body: Any, fragment: str
) -> None:
    sb, api, http = controlled
    faults, limit = sb.control.faults(), sb.control.rate_limit()
    assert fragment in _refusal(http.request(method, path, json=body), 400)
    assert (sb.control.faults(), sb.control.rate_limit()) == (faults, limit)
    _ashby_answers(api)


def test_a_body_that_is_not_json_is_400(controlled: Any) -> None:
    _sb, _api, http = controlled
    message = _refusal(http.post("/_sandbox/records/candidate", content=b"{oops"), 400)
    assert message == "The body is not valid JSON; send a JSON object."


def test_updating_with_reserved_argument_names_and_changing_ids(controlled: Any) -> None:
    sb, _api, http = controlled
    record = sb.control.records("candidate")[0]
    path = f"/_sandbox/records/candidate/{record['id']}"
    patched = http.patch(path, json={"table": "x", "record_id": "y", "name": "Z"})
    assert patched.status_code == 200 and patched.json()["table"] == "x"
    assert "can" in _refusal(http.patch(path, json={"id": MISSING}), 400)
    assert sb.control.get("candidate", record["id"])["id"] == record["id"]


def test_wrong_methods_and_unknown_routes_answer_json(controlled: Any) -> None:
    _sb, _api, http = controlled
    wrong = http.delete("/_sandbox/clock")
    assert wrong.headers["allow"] == "GET, HEAD"
    assert _refusal(wrong, 405) == "DELETE /_sandbox/clock is not allowed; allowed methods: GET, HEAD."
    assert "docs/sandbox.md" in _refusal(http.get("/_sandbox/nothing-here"), 404)
    assert http.head("/_sandbox/clock").status_code == 200


# -- fuzzing every route ----------------------------------------------------------------------------
FAULT_FIELDS = ("rate_429", "rate_500", "rate_slow", "rate_drop", "slow_seconds", "retry_after", "seed")
SETTINGS = (
    "cursor_ttl_seconds", "sync_token_ttl_seconds", "sync_page_budget", "webhook_retry_scale",
    "webhook_timeout_seconds",
)  # fmt: skip
ROUTES: list[tuple[str, str, tuple[str, ...]]] = [
    ("GET", "/_sandbox/clock", ()),
    ("POST", "/_sandbox/clock/advance", ("seconds",)),
    ("GET", "/_sandbox/records/{table}", ()),
    ("POST", "/_sandbox/records/{table}", ("id", "name", "createdAt", "updatedAt", "isArchived")),
    ("GET", "/_sandbox/records/{table}/{record_id}", ()),
    ("PATCH", "/_sandbox/records/{table}/{record_id}", ("id", "name", "createdAt", "status", "isArchived")),
    ("DELETE", "/_sandbox/records/{table}/{record_id}", ()),
    ("POST", "/_sandbox/records/{table}/{record_id}/archive", ("archiveReasonId",)),
    ("POST", "/_sandbox/candidates/merge", ("deletedCandidateId", "mergedCandidateId")),
    ("GET", "/_sandbox/settings", ()),
    ("PUT", "/_sandbox/settings", SETTINGS),
    ("GET", "/_sandbox/webhooks/deliveries", ()),
    ("DELETE", "/_sandbox/webhooks/deliveries", ()),
    ("POST", "/_sandbox/webhooks/{record_id}/ping", ()),
    ("POST", "/_sandbox/sync-tokens/expire", ()),
    ("POST", "/_sandbox/cursors/expire", ()),
    ("GET", "/_sandbox/requests", ()),
    ("DELETE", "/_sandbox/requests", ()),
    ("GET", "/_sandbox/faults", ()),
    ("PUT", "/_sandbox/faults", FAULT_FIELDS),
    ("DELETE", "/_sandbox/faults", ()),
    ("POST", "/_sandbox/faults/queue", ("faults",)),
    ("GET", "/_sandbox/rate-limit", ()),
    ("PUT", "/_sandbox/rate-limit", ("requests_per_second", "burst")),
    ("PUT", "/_sandbox/clock", ()),  # a wrong method
    ("POST", "/_sandbox/{table}", ()),  # no such route
]


def _values() -> st.SearchStrategy[Any]:
    """Values near what a route takes (so some requests are accepted) and anything else."""
    plausible = st.one_of(
        st.floats(min_value=-5, max_value=5),
        st.integers(min_value=-5, max_value=5),
        st.lists(st.sampled_from([*FAULT_KINDS, "418"]), max_size=3),
        st.sampled_from([None, MISSING, "Archived", "2026-01-01T00:00:00.000Z"]),
        st.sampled_from([5e-324, 1e-300, 1e308, -0.0, 2**63]),  # the extremes of a double
    )
    return plausible | WIDE_NUMBERS | JSON


def _body(fields: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    named = st.fixed_dictionaries({}, optional=dict.fromkeys(fields, _values())) if fields else st.just({})
    objects = st.one_of(named, named.flatmap(lambda d: st.dictionaries(st.text(max_size=8), _values()).map(
        lambda extra: {**extra, **d}
    )))  # fmt: skip
    as_json = st.one_of(objects, JSON).map(lambda value: json.dumps(value).encode())
    return st.one_of(as_json, as_json, st.binary(max_size=60), st.just(b""))


def _snapshot(sb: SandboxHandle) -> Any:
    control = sb.control
    return control.faults(), control.rate_limit(), control.settings(), control.digest()


@pytest.mark.parametrize(("method", "template", "fields"), ROUTES, ids=[f"{m} {p}" for m, p, _f in ROUTES])
def test_any_request_to_a_control_route_is_answered_in_json_and_a_refusal_changes_nothing(
    controlled: Any, method: str, template: str, fields: tuple[str, ...]
) -> None:
    sb, api, http = controlled
    ids = [r["id"] for r in sb.control.records("candidate")[:3]] + [
        r["id"] for r in sb.control.records("application")[:3]
    ]
    tables = st.sampled_from(["candidate", "application", "department", "note", "nope"]) | st.text(max_size=8)
    record_ids = st.sampled_from([*ids, MISSING, "missing"]) | st.text(max_size=8)

    @HTTP
    @given(tables, record_ids, _body(fields))
    def check(table: str, record_id: str, body: bytes) -> None:
        path = template.format(table=quote(table, safe=""), record_id=quote(record_id, safe=""))
        before, clock_before = _snapshot(sb), http.get("/_sandbox/clock").json()["nowMs"]
        response = http.request(method, path, content=body, headers={"content-type": "application/json"})
        assert response.status_code < 500, response.text
        assert response.headers["content-type"] == "application/json", response.text
        response.json()
        if response.status_code >= 400:
            _refusal(response, response.status_code)
            assert _snapshot(sb) == before
            assert clock_before <= http.get("/_sandbox/clock").json()["nowMs"] <= CLOCK_MAX_MS
        else:
            if template == "/_sandbox/rate-limit":  # any accepted limit: answers or a clean 429
                for _ in range(2):
                    limited = api.raw("candidate.list", {"limit": 1})
                    assert limited.status_code in (200, 429), limited.text
                    assert limited.status_code == 200 or limited.headers["retry-after"].isdigit()
            # undo what makes Ashby's answers slow or failing on purpose
            sb.control.clear_faults()
            sb.control.set_rate_limit(None)
        _ashby_answers(api)

    check()
    for name, endpoint in ENDPOINTS.items():  # and afterwards, every Ashby endpoint still answers
        body = {p.name: MISSING for p in endpoint.params if p.required}
        answer = api.raw(name, body)
        assert answer.status_code < 500, (name, answer.text)
        assert isinstance(answer.json()["success"], bool)
