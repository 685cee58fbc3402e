"""Records forwarded as Ashby sent them: Ashby's answer is decoded except for its ``results``, whose
bytes are spliced into the execute answer when nothing needs shaping, and that answer is the very bytes
that decoding, shaping and encoding the records would produce, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from ashby_agent.errors import MalformedResponseError
from ashby_agent.service.api.forwarded import forwardable
from ashby_agent.service.api.projection import truncate_strings
from ashby_agent.undecoded import Records, decode_envelope, materialize
from tests.service.tenants import Tenant

ENVELOPES = [
    b'{"success":true,"results":[{"a":"]"}],"moreDataAvailable":false,"nextCursor":"x]y"}',
    b'{ "success" : true ,\n "results" : {"id":"\\"results\\""} }',
    b'{"note":"\\"results\\":[","success":true,"results":[1,[2]],"x":[1],"y":2}',
    b'{"results":[]}',
    b'{"results":[{"results":[3]}],"success":true}',
    b'{"success":true,"results":[1],"results":[2]}',  # a repeated key: the last one is the value
    '{"success":true,"results":[{"name":"Zoë 名前"}]}'.encode(),
]


@pytest.mark.parametrize("raw", ENVELOPES)
def test_the_records_stay_the_bytes_they_came_as(raw: bytes) -> None:
    envelope = decode_envelope(raw)
    records = envelope["results"]
    assert isinstance(records, Records)
    assert records.raw in raw and records.raw[:1] in (b"[", b"{")
    assert orjson.loads(records.raw) == orjson.loads(raw)["results"]
    assert materialize(envelope) == orjson.loads(raw)  # every other member decoded as orjson does
    assert str(len(records.raw)) in repr(records) and "results" not in repr(records)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"success":true,"results":[1,2}',  # broken inside the records
        b'{"success":true,"results":["\\x"]}',  # a bad escape
        b'{"success":true,"results":["\xff"]}',  # not UTF-8 (msgspec skips it unchecked)
        b'{"success":true,"results":[1]} trailing',
        b"",
    ],
)
def test_what_is_not_json_is_refused_as_orjson_refuses_it(raw: bytes) -> None:
    with pytest.raises(orjson.JSONDecodeError):
        decode_envelope(raw)


def test_a_body_that_is_not_an_object_is_decoded_whole() -> None:
    assert decode_envelope(b"[1, 2]") == [1, 2]
    assert decode_envelope(b'{"success":false,"errors":["x"]}') == {"success": False, "errors": ["x"]}


def test_only_records_short_enough_go_out_as_sent() -> None:
    raw = b'{"success":true,"results":[{"a":"' + b"x" * 40 + b'"},{"b":1}]}'
    cut = decode_envelope(raw)["results"].raw
    assert forwardable(decode_envelope(raw), "candidate.list", returns_list=True, limit=None) == cut
    assert forwardable(decode_envelope(raw), "candidate.list", returns_list=True, limit=len(cut)) == cut
    assert forwardable(decode_envelope(raw), "candidate.list", returns_list=True, limit=50) == cut
    assert forwardable(decode_envelope(raw), "candidate.list", returns_list=True, limit=40) is None
    one = b'{"success":true,"results":{"a":"' + b"x" * 40 + b'"}}'
    assert forwardable(decode_envelope(one), "candidate.info", returns_list=False, limit=10) is None
    assert forwardable(decode_envelope(one), "candidate.info", returns_list=False, limit=100) is not None
    decoded = orjson.loads(raw)  # already decoded: shaped by the caller
    assert forwardable(decoded, "candidate.list", returns_list=True, limit=None) is None


@pytest.mark.parametrize(
    ("raw", "returns_list"),
    [
        (b'{"success":true,"results":{"a":1}}', True),
        (b'{"success":true,"results":[{"a":1}]}', False),
        (b'{"success":true,"results":"text"}', True),
    ],
)
def test_records_of_the_wrong_shape_are_the_decoded_envelope_s_error(raw: bytes, returns_list: bool) -> None:
    with pytest.raises(MalformedResponseError, match=r"candidate\.x"):
        forwardable(decode_envelope(raw), "candidate.x", returns_list=returns_list, limit=None)


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
    assert decode_envelope(direct.content)["results"].raw in answer.content  # Ashby's own bytes, spliced
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
