"""Page objects: lazy typed records, wire form, and Ashby's paging keys read once (byte-level cases)."""

from __future__ import annotations

import gc
import json
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.errors import MalformedResponseError
from ashby_agent.pagination import ListResult, PageMeta, page_meta

GOOD = {
    "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "createdAt": "2025-01-02T03:04:05.678Z",
    "updatedAt": "2025-01-02T03:04:05.678Z",
    "name": "Ada Lovelace",
    "emailAddresses": [],
    "phoneNumbers": [],
    "socialLinks": [],
    "tags": [],
    "applicationIds": [],
    "fileHandles": [],
    "customFields": [],
    "profileUrl": "https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/x",
    "source": None,
    "creditedToUser": None,
    "timezone": None,
}


def _client(results: list[dict[str, Any]], **envelope: Any) -> httpx.AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"success": True, "results": results, "moreDataAvailable": False, **envelope}
        return httpx.Response(200, json=body)

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


def _connector(client: httpx.AsyncClient) -> AshbyConnector:
    auth = AshbyAuthConfig(api_key="secret-key-1234")
    return AshbyConnector(auth, base_url="http://ashby.test", http_client=client)


@pytest.mark.parametrize(
    ("envelope", "expected"),
    [
        ({"moreDataAvailable": True, "nextCursor": "abc"}, PageMeta(cursor="abc", has_more=True)),
        ({"moreDataAvailable": False, "syncToken": "tok"}, PageMeta(sync_token="tok")),
        ({"moreDataAvailable": False, "nextCursor": "stale"}, PageMeta()),  # no cursor without more data
        ({}, PageMeta()),
    ],
)
def test_page_meta_reads_ashby_paging_keys(envelope: dict[str, Any], expected: PageMeta) -> None:
    assert page_meta(envelope) == expected


async def test_records_are_validated_on_first_read() -> None:
    async with _client([GOOD, {**GOOD, "name": None}]) as client:
        page = await _connector(client).candidates.list()
    assert len(page) == 2  # nothing validated yet
    assert page.wire_records()[1]["name"] is None  # forwarded as Ashby sent it
    with pytest.raises(MalformedResponseError, match="does not match its model") as caught:
        _ = page.data
    assert "secret-key-1234" not in str(caught.value)


async def test_typed_page_dumps_like_pydantic() -> None:
    async with _client([GOOD], syncToken="tok") as client:
        page = await _connector(client).candidates.list()
    assert page.data[0].name == "Ada Lovelace"
    dumped = page.model_dump(mode="json")
    assert dumped["meta"] == {"cursor": None, "has_more": False, "sync_token": "tok"}
    assert dumped["data"][0]["name"] == "Ada Lovelace" and "created_at" in dumped["data"][0]
    assert page.wire_records()[0]["createdAt"] == GOOD["createdAt"]
    assert '"sync_token": "tok"' in page.model_dump_json()
    assert page == ListResult(page.data, page.meta)


async def test_page_dumps_equal_the_per_record_dumps(connector: AshbyConnector) -> None:
    page = await connector.candidates.list(limit=100)
    records = page.data
    assert len(records) > 2
    meta = page.meta.model_dump()
    wire: dict[str, Any] = {"mode": "json", "by_alias": True, "exclude_unset": True}
    variants: list[dict[str, Any]] = [{}, {"mode": "json"}, wire]
    for options in variants:
        expected = [record.model_dump(**options) for record in records]
        assert page.model_dump(**options) == {"data": expected, "meta": meta}
    assert page.model_dump(**wire)["data"] == page.wire_records()
    per_record = [record.model_dump(mode="json") for record in records]
    assert json.loads(page.model_dump_json()) == {"data": per_record, "meta": meta}


@pytest.mark.parametrize("collecting", [True, False])
async def test_reading_and_dumping_leave_the_cyclic_collector_as_found(
    connector: AshbyConnector, collecting: bool
) -> None:
    page = await connector.candidates.list(limit=5)
    unread = [await connector.candidates.list(limit=5) for _ in range(2)]
    (gc.enable if collecting else gc.disable)()
    try:
        _ = page.data
        assert gc.isenabled() is collecting
        page.model_dump(mode="json")
        assert gc.isenabled() is collecting
        unread[0].model_dump(mode="json")  # validated and dumped in one pause
        assert gc.isenabled() is collecting
        unread[1].model_dump_json()
        assert gc.isenabled() is collecting
    finally:
        gc.enable()


@pytest.mark.parametrize("entity", ["candidates", "applications", "jobs", "offers"])
async def test_a_page_dumped_in_wire_form_gives_back_what_ashby_sent(
    connector: AshbyConnector, entity: str
) -> None:
    """Timestamps, omitted keys and extras survive validation and the dump (one pass, unread page)."""
    resource = getattr(connector, entity)
    sent = (await resource.list(limit=100)).wire_records()  # not read: the records as sent
    page = await resource.list(limit=100)
    assert page.model_dump(mode="json", by_alias=True, exclude_unset=True)["data"] == sent
    assert page.wire_records() == sent  # now read: dumped back to the same form


async def test_dumping_an_unread_page_equals_dumping_it_after_reading(connector: AshbyConnector) -> None:
    read = await connector.candidates.list(limit=50)
    records = read.data
    unread = await connector.candidates.list(limit=50)
    assert unread.model_dump(mode="json")["data"] == read.model_dump(mode="json")["data"]
    assert unread.data == records  # the records validated for the dump are kept
    unread = await connector.candidates.list(limit=50)
    assert json.loads(unread.model_dump_json())["data"] == json.loads(read.model_dump_json())["data"]
    assert unread.data == records


async def test_a_malformed_page_raises_the_typed_error_and_restores_the_collector() -> None:
    async with _client([GOOD, {**GOOD, "createdAt": "not a time"}]) as client:
        page = await _connector(client).candidates.list()
    with pytest.raises(MalformedResponseError, match=r"does not match its model \(1 problems, first: 1\."):
        page.model_dump(mode="json")
    assert gc.isenabled()


@pytest.mark.parametrize("entity", ["candidates", "applications", "jobs", "offers", "interviews"])
async def test_records_validated_from_ashby_s_bytes_equal_those_validated_from_decoded_json(
    connector: AshbyConnector, shared_sandbox: Any, entity: str
) -> None:
    """A page's models come from the bytes Ashby sent (no dicts in between); they are the models the
    decoded JSON gives, for every field of every record."""
    resource = getattr(connector, entity)
    page = await resource.list(limit=100)
    endpoint = resource.entity.operation("list").endpoint
    async with httpx.AsyncClient(base_url=shared_sandbox.url, auth=(shared_sandbox.api_key, "")) as raw:
        sent = (await raw.post(f"/{endpoint}", json={"limit": 100})).json()["results"]
    assert len(page) == len(sent) > 0  # counted without reading the records
    adapter = TypeAdapter(list[type(page.data[0])])  # type: ignore[misc]
    assert page.data == adapter.validate_python(sent)
    assert page.model_dump(mode="json", by_alias=True, exclude_unset=True)["data"] == sent


async def test_an_unread_page_from_bytes_gives_its_records_as_sent() -> None:
    """Non-ASCII text, nulls and keys Ashby adds later survive; an empty page has no records."""
    record = {**GOOD, "name": "Zoë Ødegård 李", "futureKey": {"nested": [1, None]}}
    async with _client([record, GOOD]) as client:
        page = await _connector(client).candidates.list()
        assert len(page) == 2
        assert page.wire_records() == [record, GOOD]
        assert page.data[0].name == "Zoë Ødegård 李" and page.data[0].model_extra == {
            "futureKey": {"nested": [1, None]}
        }
    async with _client([]) as client:
        empty = await _connector(client).candidates.list()
        assert len(empty) == 0 and empty.data == [] and not empty.meta.has_more


@pytest.mark.parametrize("results", [{"id": "x"}, "text", None, 3])
async def test_a_listing_whose_results_are_not_a_list_is_a_malformed_answer(results: Any) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"success": True, "results": results})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        with pytest.raises(MalformedResponseError, match="has no results list"):
            await _connector(client).candidates.list()


async def test_a_listing_with_invalid_utf8_is_a_malformed_answer_not_a_crash() -> None:
    body = b'{"success":true,"results":[{"name":"\xff\xfe"}],"moreDataAvailable":false}'

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        with pytest.raises(MalformedResponseError, match="HTTP 200 and a body that is not JSON"):
            await _connector(client).candidates.list()
