"""Ashby endpoints under hostile input, over real HTTP: forged cursors and sync tokens, timestamps no
instant can carry. Whatever is sent, the answer is a success or a well-formed Ashby error envelope
(``invalid_input`` naming the parameter, ``invalid_next_cursor``, ...), never a 5xx.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ashby_agent.sandbox.endpoints import ENDPOINTS
from tests.sandbox.conftest import Api
from tests.sandbox.strategies import HTTP, JSON, WIDE_NUMBERS, b64, unwrapped, wrapped

#: (endpoint, param) for every timestamp parameter the sandbox declares.
TIMESTAMP_PARAMS = sorted(
    (name, param.name)
    for name, endpoint in ENDPOINTS.items()
    for param in endpoint.params
    if param.kind == "timestamp"
)
MISSING = "00000000-0000-4000-8000-000000000000"


def _send(api: Api, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    """Post ``body`` as the JSON a careless client writes (NaN, Infinity and big integers included)."""
    response = api.raw(endpoint, json.dumps(body), headers={"content-type": "application/json"})
    assert response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    payload: dict[str, Any] = response.json()
    _assert_envelope(payload, response)
    return payload


def _assert_envelope(payload: dict[str, Any], response: httpx.Response) -> None:
    if payload["success"] is True:
        assert "results" in payload
        return
    assert set(payload) == {"success", "errors", "errorInfo"}
    info = payload["errorInfo"]
    assert payload["errors"] == [info["code"]]
    assert isinstance(info["message"], str) and info["message"]
    assert info["requestId"] == response.headers["x-ashby-request-id"]


def _required_body(endpoint: str) -> dict[str, Any]:
    """Valid values for an endpoint's required params, so the timestamp is what gets judged."""
    return {p.name: MISSING for p in ENDPOINTS[endpoint].params if p.required}


def test_every_timestamp_param_is_declared_as_one() -> None:
    names = {param for _endpoint, param in TIMESTAMP_PARAMS}
    assert names == {"createdAfter", "openedAfter", "openedBefore", "closedAfter", "closedBefore"}
    assert ("candidate.list", "createdAfter") in TIMESTAMP_PARAMS
    other_numbers = {p.name for e in ENDPOINTS.values() for p in e.params if p.kind == "int"}
    # the other numbers: limit is capped at 100, contentLength refused outside 1..MAX_CONTENT_LENGTH
    # (test_file_uploads sends it any number), so neither is ever out of range
    assert other_numbers == {"limit", "contentLength"}


@pytest.mark.parametrize(
    ("endpoint", "param", "value"),
    [
        ("candidate.list", "createdAfter", 1e18),  # year 31 million: was a 500 "year out of range"
        ("candidate.list", "createdAfter", 1e300),  # was a 500: 64-bit overflow
        ("candidate.list", "createdAfter", -1e14),  # year -1199
        ("candidate.list", "createdAfter", 10**30),
        ("candidate.list", "createdAfter", -1),
        ("candidate.list", "createdAfter", "99999999999999999"),
        ("job.list", "openedBefore", 1e18),
        ("job.list", "closedAfter", 253_402_300_800_000),  # one millisecond past 9999
        ("application.list", "createdAfter", 2**64),
    ],
)
def test_a_timestamp_no_instant_can_carry_is_invalid_input_naming_it(
    api: Api, endpoint: str, param: str, value: Any
) -> None:
    payload = _send(api, endpoint, {param: value})
    assert payload["success"] is False
    assert payload["errorInfo"]["code"] == "invalid_input"
    assert payload["errorInfo"]["meta"] == {"parameter": param}
    assert param in payload["errorInfo"]["message"]
    assert "253402300799999" in payload["errorInfo"]["message"]  # says what would be accepted


@pytest.mark.parametrize("value", [0, 253_402_300_799_999, "1700000000000", 1.7e12])
def test_timestamps_at_and_inside_the_bounds_are_accepted(api: Api, value: Any) -> None:
    assert _send(api, "candidate.list", {"createdAfter": value, "limit": 1})["success"] is True
    assert _send(api, "job.list", {"openedBefore": value, "closedAfter": value})["success"] is True


@pytest.mark.parametrize(("endpoint", "param"), [*TIMESTAMP_PARAMS, ("candidate.list", "limit")])
def test_any_value_of_a_number_param_is_answered_in_an_envelope(api: Api, endpoint: str, param: str) -> None:
    @HTTP
    @given(WIDE_NUMBERS)
    def check(value: Any) -> None:
        payload = _send(api, endpoint, {**_required_body(endpoint), param: value})
        info = payload.get("errorInfo", {})
        if info.get("code") == "invalid_input":
            # the parameter is named, or the body was not JSON at all (NaN / Infinity literals)
            assert (
                info.get("meta") == {"parameter": param} or info["message"] == "Request payload is malformed"
            )

    check()
    assert _send(api, "candidate.list", {"limit": 1})["success"] is True


# -- cursors and sync tokens --------------------------------------------------------------------------
def _genuine_cursor(api: Api) -> list[Any]:
    decoded = unwrapped(api("candidate.list", limit=5)["nextCursor"])
    assert isinstance(decoded, list)
    return decoded


@pytest.mark.parametrize("position", [[1, 2, 3], ["a"], {"a": 1}, "x", [None, None, None]])
def test_a_forged_cursor_position_is_answered_like_an_undecodable_cursor(api: Api, position: Any) -> None:
    forged = _genuine_cursor(api)
    forged[3] = position
    answer = api.raw("candidate.list", {"cursor": wrapped(forged)})
    undecodable = api.raw("candidate.list", {"cursor": "garbage"})
    assert answer.status_code == undecodable.status_code == 200
    got, expected = answer.json(), undecodable.json()
    assert got["errorInfo"].pop("requestId") != expected["errorInfo"].pop("requestId")
    assert got == expected
    assert got["errorInfo"]["code"] == "invalid_next_cursor"


CURSOR_KINDS = ["bytes", "json", "text", "cursor field", "token field"]
WALK_CODES = {
    "invalid_next_cursor",
    "next_cursor_expired",
    "sync_token_invalid",
    "sync_token_expired",
    "incremental_sync_too_large",
}


@pytest.mark.parametrize("kind", CURSOR_KINDS)
def test_any_cursor_or_sync_token_is_answered_in_an_envelope(api: Api, kind: str) -> None:
    genuine = _genuine_cursor(api)
    token = unwrapped(api.walk("candidate.list")[1] or "")

    @HTTP
    @given(st.data())
    def check(data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(["cursor", "syncToken"]))
        if kind == "bytes":
            text = b64(data.draw(st.binary(max_size=120)))
        elif kind == "json":
            text = wrapped(data.draw(JSON))
        elif kind == "text":
            text = data.draw(st.text(max_size=80))
        elif kind == "cursor field":  # past the tag, endpoint and filter digest: the walk position
            key, fields = "cursor", list(genuine)
            fields[data.draw(st.integers(3, len(fields) - 1))] = data.draw(JSON)
            text = wrapped(fields)
        else:
            key, fields = "syncToken", list(token)
            fields[data.draw(st.integers(2, len(fields) - 1))] = data.draw(JSON)
            text = wrapped(fields)
        payload = _send(api, "candidate.list", {key: text, "limit": 3})
        if not payload["success"]:
            assert payload["errorInfo"]["code"] in WALK_CODES

    check()
    assert _send(api, "candidate.list", {"limit": 1})["success"] is True
