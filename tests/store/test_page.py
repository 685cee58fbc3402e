"""A listed page as the store writes it: split from Ashby's bytes without decoding them whole, the same
records and keys as from decoded values, and a record without an id refused; through a sync, every
stored document is the record Ashby listed, and a malformed page fails its stream after the pages
before it are stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import orjson
import pytest

from ashby_agent.connectors.ashby.operation import Operation
from ashby_agent.errors import MalformedResponseError
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.page import WirePage, WireRecord
from ashby_agent.store.plan import STREAMS
from ashby_agent.transports.ashby import AshbyTransport
from ashby_agent.transports.base import Mode, Transport
from ashby_agent.undecoded import Records, decode_envelope
from tests.store.parity import stored_column

RECORDS = [
    {
        "id": "a",
        "name": "Zoë Ñandú",
        "createdAt": "2024-01-02T03:04:05.678Z",
        "updatedAt": "2024-02-01T00:00:00Z",
    },
    {"id": "b", "isArchived": True, "nested": {"list": [1, 2.5, None, "x"], "status": "Archived"}},
    {"id": "c", "status": "Archived", "createdAt": 17, "updatedAt": None},
    {"id": "d", "status": {"label": "Archived"}, "createdAt": "2023-12-31T23:59:59.999Z"},
]


def as_sent(records: list[Any]) -> Records:
    """``records`` as an envelope's ``results`` the transport decoded (spaced as some servers send)."""
    body = b'{"success": true, "results": [ ' + b" , ".join(orjson.dumps(r) for r in records) + b" ]}"
    results = decode_envelope(body)["results"]
    assert isinstance(results, Records)
    return results


def test_a_page_from_bytes_has_the_keys_and_documents_of_its_records() -> None:
    page = WirePage.from_results(as_sent(RECORDS), "candidates")
    assert page.records == [
        WireRecord(
            "a", orjson.dumps(RECORDS[0]).decode(), "2024-01-02T03:04:05.678Z", "2024-02-01T00:00:00Z", False
        ),
        WireRecord("b", orjson.dumps(RECORDS[1]).decode(), None, None, True),
        WireRecord("c", orjson.dumps(RECORDS[2]).decode(), None, None, True),
        WireRecord("d", orjson.dumps(RECORDS[3]).decode(), "2023-12-31T23:59:59.999Z", None, False),
    ]
    # The same as from the decoded values, which are decoded from the documents when asked for.
    assert page.records == WirePage.from_values(RECORDS, "candidates").records
    assert page.values() == RECORDS


@pytest.mark.parametrize(
    ("results", "why"),
    [
        ([{"id": "a"}, {"name": "no id"}], "missing"),
        ([{"id": "a"}, {"id": 7}], "not text"),
        ([{"id": "a"}, "not an object"], "not an object"),
        ([{"id": "a"}, None], "null"),
    ],
)
def test_a_record_without_a_text_id_is_refused_naming_the_entity(results: list[Any], why: str) -> None:
    for given in (as_sent(results), results):
        with pytest.raises(MalformedResponseError, match="Ashby returned a jobs record without an id"):
            WirePage.from_results(given, "jobs")


def test_created_since_keeps_later_records_and_those_without_an_instant() -> None:
    for page in (WirePage.from_results(as_sent(RECORDS), "c"), WirePage.from_values(RECORDS, "c")):
        kept = page.created_since("2024-01-01T00:00:00")
        assert [record.record_id for record in kept.records] == ["a", "b", "c"]
        assert kept.values() == RECORDS[:3]
        assert page.created_since("2000-01-01T00:00:00") is page


async def test_every_stored_document_is_the_record_ashby_listed(
    store: ContextStore, transport: AshbyTransport
) -> None:
    await store.replicate(transport, "tenant", entities=["candidates", "jobs"])
    for entity in ("candidates", "jobs"):
        stream = STREAMS[entity]
        listed: dict[str, Any] = {}
        body: dict[str, Any] = {**stream.fixed, "limit": 100}
        while True:  # the list as a client reads it, over HTTP
            envelope = await transport.post(stream.op.endpoint, body)
            listed.update((record["id"], record) for record in envelope["results"])
            if not envelope.get("moreDataAvailable"):
                break
            body["cursor"] = envelope["nextCursor"]
        documents = stored_column(store, "tenant", entity, "data")
        assert len(listed) > 10
        assert {key: _decoded(value) for key, value in documents.items()} == listed, entity


def _decoded(document: Any) -> Any:
    return orjson.loads(document) if isinstance(document, str) else document


class _Pages(Transport):
    """Serves fixed pages of one list (its records as bytes, as Ashby's transport leaves them)."""

    mode: ClassVar[Mode] = "local"
    base_url = "http://pages.invalid"

    def __init__(self, pages: list[list[Any]]) -> None:
        self.pages = pages

    async def send(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        raise AssertionError("the sync lists with send_listing")

    async def send_listing(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        at = int(body.get("cursor") or 0)
        more = at + 1 < len(self.pages)
        return {
            "success": True,
            "results": as_sent(self.pages[at]),
            "moreDataAvailable": more,
            "nextCursor": str(at + 1) if more else None,
        }

    async def aclose(self) -> None:
        return None


async def test_a_page_with_a_record_without_an_id_fails_its_stream_after_the_pages_before_it(
    store: ContextStore,
) -> None:
    good = [{"id": f"dept-{n}", "name": f"D{n}", "isArchived": False} for n in range(3)]
    transport = _Pages([good, [{"name": "no id"}]])
    report = await store.replicate(transport, "tenant", entities=["departments"])
    assert not report.ok
    (status,) = store.readiness("tenant", ["departments"])
    assert status["status"] == "failed"
    assert "departments record without an id" in (status["error"] or "")
    # The first page was stored (with its checkpoint); the second, refused, stored nothing.
    assert sorted(stored_column(store, "tenant", "departments", "record_id")) == [r["id"] for r in good]
