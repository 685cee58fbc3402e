"""Every write endpoint under hostile input, over real HTTP: bodies with the endpoint's own keys set to
real ids, near-misses and any JSON. Whatever is sent, the answer is a success or a well-formed Ashby
error envelope, never a 5xx, and the store keeps serving well-formed records."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ashby_agent.sandbox.endpoints import ENDPOINTS
from tests.sandbox.conftest import Api
from tests.sandbox.contract_spec import APPLICATION, CANDIDATE, conform, generic_violations
from tests.sandbox.strategies import HTTP, JSON
from tests.sandbox.write_dataset import FORM_FIELDS, IDS, UNKNOWN

WRITES = sorted(name for name, e in ENDPOINTS.items() if e.permission == "candidatesWrite")
#: Values near what the write endpoints take, so that some hostile bodies get far into a handler.
PLAUSIBLE = st.sampled_from(
    [
        *(v for k, v in IDS.items() if k != "apps"),
        UNKNOWN,
        "FirstPreInterviewScreen",
        "CandidateResume",
        "Archived",
        "2026-01-01T00:00:00Z",
        "jane@example.com",
        "https://example.com",
        "<b>x</b>",
        {"type": "text/html", "value": "<i>y</i>"},
        {"city": "Paris"},
        {"communicationTemplateId": IDS["template"]},
        {"fieldSubmissions": [{"path": path, "value": "x"} for path, *_rest in FORM_FIELDS]},
        [{"stageId": IDS["stage_Lead"], "stageNumber": 0, "enteredStageAt": "2025-01-01"}],
        [{"type": "GitHub", "url": "https://github.com/x"}],
        ["a@b.co"],
        1024,
        True,
        None,
    ]
)


@pytest.mark.parametrize("endpoint", WRITES)
def test_any_body_to_a_write_is_answered_in_an_envelope(wapi: Api, endpoint: str) -> None:
    names = [p.name for p in ENDPOINTS[endpoint].params]
    body = st.fixed_dictionaries({}, optional=dict.fromkeys(names, PLAUSIBLE | JSON))

    @HTTP
    @given(body)
    def check(sent: dict[str, Any]) -> None:
        response = wapi.raw(endpoint, json.dumps(sent), headers={"content-type": "application/json"})
        assert response.status_code == 200, response.text
        payload = response.json()
        if payload["success"]:
            assert set(payload) == {"success", "results"}
            assert generic_violations(payload["results"]) == []
        else:
            assert payload["errors"] == [payload["errorInfo"]["code"]]
            assert payload["errorInfo"]["message"]

    check()
    candidates, _ = wapi.walk("candidate.list")
    applications, _ = wapi.walk("application.list")
    assert [e for c in candidates for e in conform(c, CANDIDATE)] == []
    assert [e for a in applications for e in conform(a, APPLICATION)] == []
