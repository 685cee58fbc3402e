"""Ashby's answer decoded except for its records, which stay the bytes Ashby sent.

Turning a page's records into dicts and lists is work for nothing when nobody reads them as such: the
hosted service forwards them as sent, and a typed page validates its models straight from the bytes
(pydantic-core's JSON reader builds them without the intermediate dicts; for a page of 100 candidates
decoding and validating costs ~30% less that way). :func:`decode_envelope` checks the whole body's JSON
syntax (msgspec, in C) while keeping each member of the envelope as its raw bytes, then decodes the
small members; ``results`` stays :class:`Records` until someone needs the values (:func:`materialize`).

msgspec is imported on first use: building a connector does not pay for it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    import msgspec

__all__ = ["Records", "decode_answer", "decode_envelope", "materialize"]


@functools.cache
def _members() -> msgspec.json.Decoder[dict[str, msgspec.Raw]]:
    import msgspec

    return msgspec.json.Decoder(dict[str, msgspec.Raw])


@functools.cache
def _items() -> msgspec.json.Decoder[list[msgspec.Raw]]:
    import msgspec

    return msgspec.json.Decoder(list[msgspec.Raw])


class Records:
    """An envelope's ``results`` as the bytes Ashby sent (syntax already checked)."""

    __slots__ = ("_count", "raw")

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._count: int | None = None

    @property
    def is_list(self) -> bool:
        """Whether the records are a JSON list (msgspec keeps a member's value without leading blanks)."""
        return self.raw[:1] == b"["

    def sizes(self) -> list[int]:
        """The length in bytes of each record of a list (which also counts them)."""
        sizes = [len(item) for item in _items().decode(self.raw)]
        self._count = len(sizes)
        return sizes

    def __len__(self) -> int:
        """How many records the list holds (counted once, without decoding them)."""
        if self._count is None:
            self.sizes()
        assert self._count is not None
        return self._count

    def __repr__(self) -> str:  # never the records themselves: they are the customer's data
        return f"Records({len(self.raw)} bytes)"


def decode_envelope(body: bytes, records: str = "results") -> Any:
    """``body`` decoded, with its top-level member ``records`` kept as :class:`Records` (Ashby's
    ``results``; the hosted service's answer calls it ``result``). Anything that is not a valid JSON
    object (or not UTF-8) is decoded whole by orjson, which raises what it raises."""
    import msgspec

    try:
        members = _members().decode(body)
        if not body.isascii():
            body.decode("utf-8")  # msgspec does not check the strings it skips
    except (msgspec.DecodeError, UnicodeDecodeError):
        return orjson.loads(body)
    envelope: dict[str, Any] = {}
    for key, value in members.items():
        envelope[key] = Records(bytes(value)) if key == records else orjson.loads(memoryview(value))
    return envelope


def decode_answer(body: bytes) -> Any:
    """A hosted execute answer decoded with its ``result`` kept as :class:`Records`."""
    return decode_envelope(body, "result")


def materialize(envelope: dict[str, Any]) -> dict[str, Any]:
    """``envelope`` with its records decoded (for the answers that must be shaped)."""
    results = envelope.get("results")
    if isinstance(results, Records):
        envelope["results"] = orjson.loads(results.raw)
    return envelope
