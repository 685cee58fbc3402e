"""Records forwarded as Ashby sent them: the ``results`` bytes are found only where that is provable,
and an execute that needs no shaping answers the very bytes the previous (decode, shape, encode) path
produced, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from ashby_agent.service.api.projection import truncate_strings
from ashby_agent.service.api.raw_results import results_bytes
from tests.service.tenants import Tenant

ENVELOPES = [
    b'{"success":true,"results":[{"a":"]"}],"moreDataAvailable":false,"nextCursor":"x]y"}',
    b'{ "success" : true ,\n "results" : {"id":"\\"results\\""} }',
    b'{"note":"\\"results\\":[","success":true,"results":[1,[2]],"x":[1],"y":2}',
    b'{"results":[]}',
    b'{"results":[{"results":[3]}],"success":true}',
    b'{"success":true,"results":[1],"results":[2]}',  # a repeated key: the last one is the value
]


@pytest.mark.parametrize("raw", ENVELOPES)
def test_the_results_value_is_cut_exactly(raw: bytes) -> None:
    envelope = orjson.loads(raw)
    cut = results_bytes(raw, envelope)
    assert cut is not None
    assert orjson.loads(cut) == envelope["results"]
    assert raw.count(cut) >= 1 and cut[:1] in (b"[", b"{")


@pytest.mark.parametrize(
    "raw",
    [
        b'{"success":true,"results":"text"}',  # not a list or an object
        b'{"success":true}',
    ],
)
def test_what_cannot_be_proven_is_not_cut(raw: bytes) -> None:
    assert results_bytes(raw, orjson.loads(raw)) is None


def test_a_mismatched_envelope_is_not_cut() -> None:
    raw = b'{"success":true,"results":[1],"nextCursor":"a"}'
    assert results_bytes(raw, {"success": True, "results": [1], "nextCursor": "b"}) is None


@pytest.mark.parametrize("limit", [2, 100])
def test_execute_answers_the_bytes_of_the_previous_path(
    tenant: Tenant, shared_sandbox: Any, limit: int
) -> None:
    connector = tenant.create_connector("raw", shared_sandbox.api_key)
    path = f"/integrations/connectors/{connector['id']}/execute"
    answer = tenant.post(path, json={"entity": "candidates", "action": "list", "params": {"limit": limit}})
    assert answer.status_code == 200, answer.text
    direct = httpx.post(
        f"{shared_sandbox.url}/candidate.list", json={"limit": limit}, auth=(shared_sandbox.api_key, "")
    )
    envelope = orjson.loads(direct.content)
    # The previous path: decode, shape every record (nothing to project; truncation), encode again.
    shaped = [truncate_strings(record, 10_000) for record in envelope["results"]]
    previous = orjson.dumps({"status": "success", "result": shaped})[:-1]
    assert answer.content.startswith(previous + b',"connector_metadata":'), answer.content[:200]
    assert len(envelope["results"]) == limit
    assert results_bytes(direct.content, envelope) in answer.content  # Ashby's own bytes, spliced
    body = answer.json()
    assert body["connector_metadata"]["has_more"] is envelope["moreDataAvailable"]
    assert isinstance(body["connector_metadata"]["cursor"], str)  # a cursor of its own call
    assert set(body["execution_metadata"]) == {"connector_instance_id", "execution_time_ms"}


def test_projected_answers_are_still_shaped(tenant: Tenant, shared_sandbox: Any) -> None:
    connector = tenant.create_connector("raw-projected", shared_sandbox.api_key)
    path = f"/integrations/connectors/{connector['id']}/execute"
    answer = tenant.post(
        path,
        json={"entity": "candidates", "action": "list", "params": {"limit": 3}, "select_fields": ["id"]},
    )
    assert answer.status_code == 200, answer.text
    assert [set(record) for record in answer.json()["result"]] == [{"id"}] * 3
